"""GENIA phrase-structure trees -> ClearNLP-style dependencies (the label set of en_core_web_sm's parser).

Heads by the table in `ontology/training/genia-head-rules.tsv` (Collins/Magerman as adapted by Choi & Palmer
2012), with ClearNLP's choices: a VP with a VP child is headed by it (auxiliaries and "to" are `aux`), a
copula heads its predicate (`attr`, `acomp`), a preposition heads its object (`prep` -> `pobj`), an SBAR
is headed by its clause (the complementiser is `mark`). Coordinations (`syn="COOD"`) are headed by the
first conjunct; each later conjunct is `conj` of the one before it and a conjunction `cc` of the conjunct
before it, as en_core_web_sm chains them. Labels come from the categories, GENIA's function tags (SBJ,
PRD, LGS, DTV, ADV, TMP) and the null elements `trees` kept (passive traces, wh-traces).
"""

from __future__ import annotations

from ldn_graph.training.genia.heads import (
    CLAUSES,
    NOMINALS,
    VERB_TAGS,
    Rules,
    head_child,
    infinitival,
    label_of,
    latin_pair,
    load_rules,
    participle_vp,
    passive_clause,
    passive_vp,
)
from ldn_graph.training.genia.trees import Phrase, Sentence, Word


def convert_sentence(sentence: Sentence, rules: Rules | None = None) -> list[Word]:
    """Set `head` (-1 for the root) and `dep` on every word of the sentence; returns the words."""
    rules = rules or load_rules()
    converter = _Converter(rules)
    tops = [converter.convert(root) for root in sentence.roots]
    first = tops[0]
    first.head, first.dep = -1, "ROOT"
    for other in tops[1:]:
        other.head, other.dep = first.index, "punct" if other.is_punct else "dep"
    return sentence.words


class _Converter:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules

    def attach(self, word: Word, head: Word, dep: str) -> None:
        word.head, word.dep = head.index, dep

    def convert(self, node: Phrase | Word) -> Word:
        """Convert a subtree; returns its head word (left unattached)."""
        if isinstance(node, Word):
            return node
        heads = [self.convert(child) for child in node.children]
        if self._is_coordination(node):
            return self._coordination(node, heads)
        h = head_child(node, self.rules)
        head = heads[h]
        for i, (child, word) in enumerate(zip(node.children, heads, strict=True)):
            if i != h:
                self.attach(word, head, self.label(node, child, i, h, heads))
        self._flat_coordination(node, heads, h)
        return head

    def _is_coordination(self, node: Phrase) -> bool:
        kids = node.children
        conjuncts = [k for k in kids if isinstance(k, Phrase) and k.cat != "CONJP"]
        joins = [k for k in kids if label_of(k) in ("CC", "CONJP")]
        if node.coordinated or node.cat == "UCP":
            return len(conjuncts) >= 2 or (len(conjuncts) >= 1 and bool(joins))
        # Not marked, but phrases of one category joined by a conjunction: "either (PP by X) or (PP by Y)".
        for i in range(1, len(kids) - 1):
            if label_of(kids[i]) in ("CC", "CONJP"):
                before = [label_of(k) for k in kids[:i] if isinstance(k, Phrase)]
                after = [label_of(k) for k in kids[i + 1 :] if isinstance(k, Phrase)]
                if before and after and before[-1] == after[0] and before[-1] != "CONJP":
                    return all(
                        isinstance(k, Phrase) or k.is_punct or k.tag in ("CC", "DT", "RB") for k in kids
                    )
        return False

    def _coordination(self, node: Phrase, heads: list[Word]) -> Word:
        kids = node.children
        conjunct = [
            (k.cat != "CONJP") if isinstance(k, Phrase) else self._word_conjunct(k, i, kids)
            for i, k in enumerate(kids)
        ]
        first = conjunct.index(True)
        head = heads[first]
        previous = head
        for i, (child, word) in enumerate(zip(kids, heads, strict=True)):
            if i == first:
                continue
            if conjunct[i] and i > first:
                self.attach(word, previous, "conj")
                previous = word
            elif isinstance(child, Word) and child.is_punct:
                self.attach(word, previous, "punct")
            elif label_of(child) in ("CC", "CONJP"):
                self.attach(word, previous, "preconj" if i < first else "cc")
            elif i < first and isinstance(child, Word) and self.rules.has("preconjunction", child):
                self.attach(word, head, "preconj")
            elif isinstance(child, Word) and self.rules.has("negation", child):
                self.attach(word, previous, "neg")
            elif isinstance(child, Word) and child.tag in ("DT", "PDT", "WDT"):
                self.attach(word, head, "det")
            else:
                self.attach(word, previous, "advmod" if label_of(child).startswith(("RB", "ADVP")) else "dep")
        return head

    def _word_conjunct(self, word: Word, i: int, kids: list[Phrase | Word]) -> bool:
        """A word directly in a coordination is a conjunct unless it is punctuation, a conjunction, a
        determiner, an adverb or a preconjunction."""
        if word.is_punct or word.tag in ("CC", "DT", "PDT", "WDT", "RB", "RBR", "RBS"):
            return False
        return not self.rules.has("preconjunction", word)

    def _flat_coordination(self, node: Phrase, heads: list[Word], h: int) -> None:
        """Words joined by a conjunction inside a phrase not marked as a coordination ("IL-2 and IL-4
        genes"): the word after the conjunction is `conj` of the one before, the conjunction `cc`."""
        kids = node.children
        for i, kid in enumerate(kids):
            if label_of(kid) != "CC" or i == 0 or i + 1 >= len(kids) or h in (i - 1, i):
                continue
            before, after = heads[i - 1], heads[i + 1]
            if isinstance(kids[i - 1], Word) and kids[i - 1].is_punct:  # type: ignore[union-attr]
                continue
            self.attach(heads[i], before, "cc")
            if i + 1 != h:
                self.attach(after, before, "conj")

    # -- labels -------------------------------------------------------------------------------------

    def label(self, parent: Phrase, child: Phrase | Word, i: int, h: int, heads: list[Word]) -> str:
        """The ClearNLP label of a non-head child of `parent` (head child `h`)."""
        if isinstance(child, Word) and child.is_punct:
            return "punct"
        if isinstance(child, Word) and self.rules.has("negation", child) and child.tag.startswith("RB"):
            return "neg"
        if latin_pair(parent, self.rules):
            return "pobj"
        if label_of(child) in ("LST", "LS"):
            return "meta"
        if isinstance(child, Phrase) and latin_pair(child, self.rules):
            return "prep"
        if isinstance(child, Phrase) and child.role:
            by_role = self._role_label(parent, child)
            if by_role:
                return by_role
        cat = parent.cat
        if cat == "PRN":
            return self._prn_inner(child)
        if cat in CLAUSES:
            return self._clause_label(parent, child, i, h)
        if cat == "VP":
            return self._vp_label(parent, child, i, h, heads)
        if cat in NOMINALS:
            return self._np_label(child, i, h)
        if cat in ("PP", "WHPP"):
            return self._pp_label(child, i, h)
        if cat == "SBAR":
            return self._sbar_label(parent, child)
        if cat in ("ADJP", "WHADJP"):
            return self._adjp_label(child)
        if cat in ("ADVP", "WHADVP"):
            if latin_pair(parent, self.rules):
                return "pobj"
            return self._adjp_label(child)
        if cat == "QP":
            return "quantmod"
        if cat in ("CONJP", "PRT"):
            return "advmod"
        return "dep"

    def _role_label(self, parent: Phrase, child: Phrase) -> str:
        role, cat = child.role, child.cat
        if role == "SBJ":
            passive = passive_clause(parent, self.rules)
            if cat in ("S", "SBAR"):
                return "csubjpass" if passive else "csubj"
            if len(child.children) == 1 and label_of(child.children[0]) == "EX":
                return "expl"
            return "nsubjpass" if passive else "nsubj"
        if role == "LGS":
            return "pobj"
        if role == "DTV":
            return "dative"
        if role == "PRD":
            return {"NP": "attr", "ADJP": "acomp", "PP": "prep", "S": "xcomp", "SBAR": "ccomp"}.get(
                cat, "advmod" if cat == "ADVP" else ""
            )
        return ""

    def _prn_inner(self, child: Phrase | Word) -> str:
        if isinstance(child, Phrase) and child.cat == "NP":
            return "appos"
        return "dep"

    def _prn_label(self, prn: Phrase, host: str) -> str:
        """A parenthetical's label by the phrase inside it: an NP is an apposition."""
        main = prn.children[head_child(prn, self.rules)]
        if isinstance(main, Word) and main.is_punct:
            return "punct"
        kind = label_of(main)
        if kind in NOMINALS or kind.startswith("NN") or kind == "CD":
            return "appos" if host in NOMINALS else "npadvmod" if host != "PP" else "pobj"
        if kind == "PP":
            return "prep"
        if kind in ("ADJP",) or kind.startswith("JJ"):
            return "amod" if host in NOMINALS else "acomp" if host == "VP" else "advmod"
        if kind in ("S", "SBAR", "VP", "SINV", "FRAG"):
            return "parataxis"
        if kind == "ADVP" or kind.startswith("RB"):
            return "advmod"
        return "dep"

    def _clause_label(self, parent: Phrase, child: Phrase | Word, i: int, h: int) -> str:
        if isinstance(child, Word):
            tag = child.tag
            if tag == "CC":
                return "cc"
            if tag in VERB_TAGS or tag == "TO":
                return "aux"
            if tag.startswith("RB"):
                return "advmod"
            if tag == "IN":
                return "mark"
            if tag == "LS":
                return "meta"
            if tag == "UH":
                return "intj"
            return "dep"
        cat = child.cat
        if cat == "PRN":
            return self._prn_label(child, parent.cat)
        if cat in ("NP",):
            return "npadvmod"
        if cat in ("PP", "WHPP"):
            return "prep"
        if cat in ("ADVP", "WHADVP"):
            return "advmod"
        if cat in ("SBAR", "ADJP"):
            return "advcl"
        if cat in ("S", "SINV"):
            if child.func == "ADV" or child.null_subject:
                return "advcl"
            return "parataxis" if i > h else "ccomp"
        if cat == "CONJP":
            return "cc"
        if cat == "VP":
            return "conj" if i > h else "dep"
        if cat == "LST":
            return "meta"
        return "dep"

    def _vp_label(self, parent: Phrase, child: Phrase | Word, i: int, h: int, heads: list[Word]) -> str:
        kids = parent.children
        head_kid = kids[h]
        if isinstance(child, Word):
            tag = child.tag
            if tag in ("MD", "TO"):
                return "aux"
            if tag in VERB_TAGS and i < h:
                participle = (
                    participle_vp(head_kid, self.rules)
                    if isinstance(head_kid, Phrase)
                    else head_kid.tag == "VBN"
                )
                return "auxpass" if participle and self.rules.has("passive-auxiliary", child) else "aux"
            if tag.startswith("RB"):
                return "advmod"
            if tag == "RP":
                return "prt"
            if tag == "CC":
                return "cc"
            if tag.startswith("NN") or tag in ("PRP", "CD"):
                return "dobj"
            if tag.startswith("JJ"):
                return "acomp"
            if tag == "IN":
                return "prep"
            return "dep"
        cat = child.cat
        if cat == "PRN":
            return self._prn_label(child, "VP")
        if cat == "NP":
            if child.adv == "TMP" or child.func == "ADV":
                return "npadvmod"
            if passive_vp(parent, self.rules):
                return "oprd"
            objects = [k for k in kids[h + 1 :] if isinstance(k, Phrase) and k.cat == "NP" and not k.role]
            if len(objects) > 1 and child is objects[0]:
                return "dative"
            head_word = head_kid if isinstance(head_kid, Word) else None
            if head_word is not None and self.rules.has("passive-auxiliary", head_word):
                return "attr"
            return "dobj"
        if cat == "ADJP":
            earlier = any(isinstance(k, Phrase) and k.cat == "NP" for k in kids[h + 1 : i])
            return "oprd" if earlier else "acomp"
        if cat in ("PP", "WHPP"):
            return "agent" if self._agent(parent, child, h, heads[i]) else "prep"
        if cat in ("ADVP", "WHADVP"):
            return "advmod"
        if cat in ("S", "SINV", "SQ"):
            if child.func == "ADV":
                return "advcl"
            return "xcomp" if child.null_subject else "ccomp"
        if cat == "SBAR":
            if child.func == "ADV" or child.adv == "TMP":
                return "advcl"
            return "ccomp"
        if cat == "PRT":
            return "prt"
        if cat == "VP":
            return "conj" if i > h else "dep"
        if cat == "CONJP":
            return "cc"
        if cat == "FRAG":
            return "dep"
        return "dep"

    def _agent(self, vp: Phrase, pp: Phrase, h: int, preposition: Word) -> bool:
        """A PP holding the logical subject (LGS; in its first conjunct when coordinated), or a "by"
        phrase of a past participle."""
        first = next((k for k in pp.children if isinstance(k, Phrase) and k.cat == "PP"), pp)
        if any(isinstance(k, Phrase) and k.role == "LGS" for k in (*pp.children, *first.children)):
            return True
        verb = vp.children[h]
        return (
            isinstance(verb, Word) and verb.tag == "VBN" and self.rules.has("agent-preposition", preposition)
        )

    def _np_label(self, child: Phrase | Word, i: int, h: int) -> str:
        if isinstance(child, Word):
            tag = child.tag
            if tag in ("DT", "WDT"):
                return "det"
            if tag == "PDT":
                return "predet"
            if tag in ("PRP$", "WP$"):
                return "poss"
            if tag == "POS":
                return "case"
            if tag == "CD":
                return "nummod"
            if tag.startswith(("JJ", "VB")):
                return "amod"
            if tag.startswith("NN") or tag in ("FW", "SYM", "PRP"):
                return "compound" if i < h else "appos"
            if tag.startswith("RB"):
                return "advmod"
            if tag in ("IN", "TO"):
                return "prep"
            if tag == "CC":
                return "cc"
            if tag == "LS":
                return "meta"
            return "dep"
        cat = child.cat
        if cat in NOMINALS:
            if any(isinstance(k, Word) and k.tag == "POS" for k in child.children):
                return "poss"
            if child.adv == "TMP" or child.func == "ADV":
                return "npadvmod"
            return "compound" if i < h else "appos"
        if cat in ("ADJP", "WHADJP"):
            return "amod"
        if cat == "QP":
            return "nummod"
        if cat in ("PP", "WHPP"):
            return "prep"
        if cat == "SBAR":
            return "relcl" if child.wh and not infinitival(child) else "acl"
        if cat in ("VP", "S", "RRC"):
            return "acl"
        if cat == "PRN":
            return self._prn_label(child, "NP")
        if cat in ("ADVP", "WHADVP"):
            return "advmod"
        if cat == "CONJP":
            return "cc"
        return "dep"

    def _pp_label(self, child: Phrase | Word, i: int, h: int) -> str:
        if isinstance(child, Word):
            if i < h:
                return "advmod" if child.tag.startswith(("RB", "JJ")) else "dep"
            if child.tag in ("IN", "TO"):
                return "pcomp"
            return "pobj"
        cat = child.cat
        if i < h:
            return "advmod" if cat in ("ADVP", "ADJP") else "dep" if cat != "NP" else "npadvmod"
        if cat in NOMINALS or cat == "QP":
            return "pobj"
        if cat == "PRN":
            return self._prn_label(child, "PP")
        if cat in ("ADVP",):
            return "pcomp"
        return "pcomp"

    def _sbar_label(self, parent: Phrase, child: Phrase | Word) -> str:
        if isinstance(child, Word):
            if child.tag in ("IN", "DT", "WDT", "TO") or child.tag.startswith("W"):
                return "mark"
            if child.tag.startswith("RB"):
                return "advmod"
            if child.tag == "CC":
                return "cc"
            return "dep"
        cat = child.cat
        if cat == "WHNP":
            trace = parent.traces.get(child.ident, "")
            clause = next((k for k in parent.children if isinstance(k, Phrase) and k.cat in CLAUSES), None)
            if trace == "subj":
                return "nsubjpass" if clause is not None and passive_clause(clause, self.rules) else "nsubj"
            if trace == "obj":
                return "dobj"
            return "nsubj" if trace == "" else "dobj"
        if cat in ("WHADVP", "ADVP"):
            return "advmod"
        if cat in ("WHPP", "PP"):
            return "prep"
        return "dep"

    def _adjp_label(self, child: Phrase | Word) -> str:
        if isinstance(child, Word):
            tag = child.tag
            if tag.startswith("RB"):
                return "advmod"
            if tag.startswith("NN"):
                return "npadvmod"
            if tag == "CD":
                return "nummod"
            if tag in ("DT", "PDT"):
                return "det"
            if tag in ("IN", "TO"):
                return "prep"
            if tag == "CC":
                return "cc"
            if tag.startswith(("JJ", "VB")):
                return "amod"
            return "dep"
        cat = child.cat
        if cat in ("PP", "WHPP"):
            return "prep"
        if cat == "NP":
            return "npadvmod"
        if cat == "S":
            return "xcomp"
        if cat == "SBAR":
            return "ccomp" if not child.func else "advcl"
        if cat in ("ADVP", "ADJP"):
            return "advmod"
        if cat == "QP":
            return "nummod"
        if cat == "PRN":
            return self._prn_label(child, "ADJP")
        return "dep"
