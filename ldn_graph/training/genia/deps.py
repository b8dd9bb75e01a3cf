"""GENIA phrase-structure trees -> ClearNLP-style dependencies (the label set of en_core_web_sm's parser).

Heads by the table in `ontology/genia-head-rules.tsv` (Collins/Magerman as adapted by Choi & Palmer
2012), with ClearNLP's choices: a VP with a VP child is headed by it (auxiliaries and "to" are `aux`), a
copula heads its predicate (`attr`, `acomp`), a preposition heads its object (`prep` -> `pobj`), an SBAR
is headed by its clause (the complementiser is `mark`). Coordinations (`syn="COOD"`) are headed by the
first conjunct; each later conjunct is `conj` of the one before it and a conjunction `cc` of the conjunct
before it, as en_core_web_sm chains them. Labels come from the categories, GENIA's function tags (SBJ,
PRD, LGS, DTV, ADV, TMP) and the null elements `trees` kept (passive traces, wh-traces).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ldn_graph.pipeline.rules import ontology_rows
from ldn_graph.training.genia.trees import Phrase, Sentence, Word

CLAUSES = frozenset({"S", "SINV", "SQ", "SBARQ", "FRAG"})
NOMINALS = frozenset({"NP", "NX", "WHNP"})
VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})


@dataclass(frozen=True)
class Rules:
    """The head table and the word classes of the conversion."""

    heads: dict[str, tuple[str, tuple[str, ...]]]  # category -> (direction, priority)
    words: dict[str, frozenset[str]]  # class -> lower-cased words

    def has(self, word_class: str, word: Word) -> bool:
        """Whether the word is in the class."""
        return word.text.lower() in self.words.get(word_class, frozenset())


@cache
def load_rules() -> Rules:
    """The bundled head rules and word classes."""
    heads = {
        row["category"]: (row["direction"], tuple(p for p in row["priority"].split("|") if p))
        for _, row in ontology_rows("genia-head-rules.tsv", ("category", "direction", "priority"))
    }
    words: dict[str, set[str]] = {}
    for _, row in ontology_rows("genia-words.tsv", ("class", "word")):
        words.setdefault(row["class"], set()).add(row["word"].lower())
    return Rules(heads, {k: frozenset(v) for k, v in words.items()})


def label_of(node: Phrase | Word) -> str:
    """A node's category: the phrase's cat or the word's tag."""
    return node.cat if isinstance(node, Phrase) else node.tag


def _matches(entry: str, node: Phrase | Word) -> bool:
    label = label_of(node)
    return label.startswith(entry[:-1]) if entry.endswith("*") else label == entry


def _scan(children: list[Phrase | Word], direction: str, priority: tuple[str, ...]) -> int | None:
    order = range(len(children)) if direction == "l" else range(len(children) - 1, -1, -1)
    for entry in priority:
        for i in order:
            if _matches(entry, children[i]):
                return i
    return None


def head_child(phrase: Phrase, rules: Rules) -> int:
    """Index of the head child of a (not coordinated) phrase."""
    kids = phrase.children
    content = [i for i, k in enumerate(kids) if not (isinstance(k, Word) and k.is_punct)] or list(
        range(len(kids))
    )
    if phrase.cat == "VP":
        for i in content:
            if label_of(kids[i]) == "VP":
                return i
    if _latin_pair(phrase, rules):
        return 0
    if phrase.cat == "VP":
        run = _verb_run(kids)
        if len(run) > 1:
            return run[-1]
    tables = [phrase.cat, f"{phrase.cat}-second", f"{phrase.cat}-third"]
    for name in tables:
        if name in rules.heads:
            direction, priority = rules.heads[name]
            found = _scan([kids[i] for i in content], direction, priority)
            if found is not None:
                return content[found]
    direction = rules.heads.get(phrase.cat, ("l", ()))[0]
    return content[0] if direction == "l" else content[-1]


def _verb_run(kids: list[Phrase | Word]) -> list[int]:
    """Indices of the verbs at the start of a flat VP ("was paralleled"), adverbs between them allowed."""
    run: list[int] = []
    for i, kid in enumerate(kids):
        tag = label_of(kid)
        if tag in VERB_TAGS or tag == "TO":
            run.append(i)
        elif not tag.startswith("RB") and not (isinstance(kid, Word) and kid.is_punct):
            break
    return run


def _latin_pair(phrase: Phrase, rules: Rules) -> bool:
    """ "in vitro", "ex vivo": two foreign words, the first a Latin preposition."""
    kids = phrase.children
    return (
        len(kids) == 2
        and all(isinstance(k, Word) and k.tag == "FW" for k in kids)
        and rules.has("latin-preposition", kids[0])  # type: ignore[arg-type]
    )


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
        if _latin_pair(parent, self.rules):
            return "pobj"
        if label_of(child) in ("LST", "LS"):
            return "meta"
        if isinstance(child, Phrase) and _latin_pair(child, self.rules):
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
            if _latin_pair(parent, self.rules):
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
            passive = self.passive_clause(parent)
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
                    self._participle_vp(head_kid) if isinstance(head_kid, Phrase) else head_kid.tag == "VBN"
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
            if self._passive_vp(parent):
                return "oprd"
            objects = [k for k in kids[h + 1 :] if isinstance(k, Phrase) and k.cat == "NP" and not k.role]
            if len(objects) > 1 and child is objects[0]:
                return "dative"
            head_word = self._word(head_kid)
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
            return "relcl" if child.wh and not self._infinitival(child) else "acl"
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
                return "nsubjpass" if clause is not None and self.passive_clause(clause) else "nsubj"
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

    # -- passives -------------------------------------------------------------------------------------

    def _word(self, node: Phrase | Word) -> Word | None:
        return node if isinstance(node, Word) else None

    def _passive_vp(self, vp: Phrase) -> bool:
        """A VP headed by a past participle that held an object trace, or that a passive auxiliary
        governs (checked by the caller through `passive_clause`)."""
        if vp.cat != "VP":
            return False
        if vp.coordinated:
            first = next((k for k in vp.children if isinstance(k, Phrase) and k.cat == "VP"), None)
            return first is not None and self._passive_vp(first)
        kids = vp.children
        h = head_child(vp, self.rules)
        if isinstance(kids[h], Phrase):
            return False
        return kids[h].tag == "VBN" and vp.object_trace  # type: ignore[union-attr]

    def _participle_vp(self, vp: Phrase) -> bool:
        """A VP headed directly by a past participle (the first conjunct's, for coordinated VPs)."""
        if vp.cat != "VP":
            return False
        if vp.coordinated:
            first = next((k for k in vp.children if isinstance(k, Phrase) and k.cat == "VP"), None)
            return first is not None and self._participle_vp(first)
        head = vp.children[head_child(vp, self.rules)]
        return isinstance(head, Word) and head.tag == "VBN"

    def passive_clause(self, clause: Phrase) -> bool:
        """Whether the clause's main verb (down its VP chain) is passive: a past participle with an
        object trace, or after a passive auxiliary."""
        vp = next((k for k in clause.children if isinstance(k, Phrase) and k.cat == "VP"), None)
        saw_auxiliary = False
        while vp is not None:
            if vp.coordinated:
                vp = next((k for k in vp.children if isinstance(k, Phrase) and k.cat == "VP"), None)
                continue
            kids = vp.children
            h = head_child(vp, self.rules)
            for k in kids[:h]:
                if isinstance(k, Word) and self.rules.has("passive-auxiliary", k):
                    saw_auxiliary = True
            head = kids[h]
            if isinstance(head, Word):
                return head.tag == "VBN" and (vp.object_trace or saw_auxiliary)
            vp = head if head.cat == "VP" else None
        return False

    def _infinitival(self, sbar: Phrase) -> bool:
        """An SBAR whose clause is a to-infinitive ("cortisol to compensate for ...")."""
        clause = next((k for k in sbar.children if isinstance(k, Phrase) and k.cat == "S"), None)
        if clause is None:
            return False
        vp = next((k for k in clause.children if isinstance(k, Phrase) and k.cat == "VP"), None)
        return vp is not None and bool(vp.children) and label_of(vp.children[0]) == "TO"
