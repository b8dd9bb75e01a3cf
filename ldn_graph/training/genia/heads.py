"""Head rules and word classes of the GENIA conversion: which child heads a phrase.

The table is `ontology/training/genia-head-rules.tsv` (Collins/Magerman as adapted by Choi & Palmer
2012), the word classes `ontology/training/genia-words.tsv`. Before the table, ClearNLP's own choices: a
VP with a VP child is headed by it (auxiliaries are dependents), a flat verb group by its last verb, and
a Latin "in vitro" by its preposition. Also what the labels need to know of a clause: whether its verb
is passive.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ldn_graph.pipeline.rules import ontology_rows
from ldn_graph.training.genia.trees import Phrase, Word

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
        for _, row in ontology_rows("training/genia-head-rules.tsv", ("category", "direction", "priority"))
    }
    words: dict[str, set[str]] = {}
    for _, row in ontology_rows("training/genia-words.tsv", ("class", "word")):
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
    if latin_pair(phrase, rules):
        return 0
    if phrase.cat == "VP":
        run = verb_run(kids)
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


def verb_run(kids: list[Phrase | Word]) -> list[int]:
    """Indices of the verbs at the start of a flat VP ("was paralleled"), adverbs between them allowed."""
    run: list[int] = []
    for i, kid in enumerate(kids):
        tag = label_of(kid)
        if tag in VERB_TAGS or tag == "TO":
            run.append(i)
        elif not tag.startswith("RB") and not (isinstance(kid, Word) and kid.is_punct):
            break
    return run


def latin_pair(phrase: Phrase, rules: Rules) -> bool:
    """ "in vitro", "ex vivo": two foreign words, the first a Latin preposition."""
    kids = phrase.children
    return (
        len(kids) == 2
        and all(isinstance(k, Word) and k.tag == "FW" for k in kids)
        and rules.has("latin-preposition", kids[0])  # type: ignore[arg-type]
    )


def passive_vp(vp: Phrase, rules: Rules) -> bool:
    """A VP headed by a past participle that held an object trace, or that a passive auxiliary
    governs (checked by the caller through `passive_clause`)."""
    if vp.cat != "VP":
        return False
    if vp.coordinated:
        first = next((k for k in vp.children if isinstance(k, Phrase) and k.cat == "VP"), None)
        return first is not None and passive_vp(first, rules)
    kids = vp.children
    h = head_child(vp, rules)
    if isinstance(kids[h], Phrase):
        return False
    return kids[h].tag == "VBN" and vp.object_trace  # type: ignore[union-attr]


def participle_vp(vp: Phrase, rules: Rules) -> bool:
    """A VP headed directly by a past participle (the first conjunct's, for coordinated VPs)."""
    if vp.cat != "VP":
        return False
    if vp.coordinated:
        first = next((k for k in vp.children if isinstance(k, Phrase) and k.cat == "VP"), None)
        return first is not None and participle_vp(first, rules)
    head = vp.children[head_child(vp, rules)]
    return isinstance(head, Word) and head.tag == "VBN"


def passive_clause(clause: Phrase, rules: Rules) -> bool:
    """Whether the clause's main verb (down its VP chain) is passive: a past participle with an
    object trace, or after a passive auxiliary."""
    vp = next((k for k in clause.children if isinstance(k, Phrase) and k.cat == "VP"), None)
    saw_auxiliary = False
    while vp is not None:
        if vp.coordinated:
            vp = next((k for k in vp.children if isinstance(k, Phrase) and k.cat == "VP"), None)
            continue
        kids = vp.children
        h = head_child(vp, rules)
        for k in kids[:h]:
            if isinstance(k, Word) and rules.has("passive-auxiliary", k):
                saw_auxiliary = True
        head = kids[h]
        if isinstance(head, Word):
            return head.tag == "VBN" and (vp.object_trace or saw_auxiliary)
        vp = head if head.cat == "VP" else None
    return False


def infinitival(sbar: Phrase) -> bool:
    """An SBAR whose clause is a to-infinitive ("cortisol to compensate for ...")."""
    clause = next((k for k in sbar.children if isinstance(k, Phrase) and k.cat == "S"), None)
    if clause is None:
        return False
    vp = next((k for k in clause.children if isinstance(k, Phrase) and k.cat == "VP"), None)
    return vp is not None and bool(vp.children) and label_of(vp.children[0]) == "TO"
