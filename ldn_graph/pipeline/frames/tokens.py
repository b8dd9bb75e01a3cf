"""Token utilities and the word classes the frames share: what a parse says, read the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from ldn_graph.pipeline.rules import word_classes

WORDS = word_classes()

COPULAS = WORDS["copula"]
EFFECT_NOUNS = WORDS["effect-noun"]  # "side effects", "adverse events"
CONTRAINDICATION_VERBS = WORDS["contraindication-verb"]
PRONOUNS_SINGULAR = WORDS["pronoun-singular"]
PRONOUNS_PLURAL = WORDS["pronoun-plural"]
DEMONSTRATIVES = WORDS["demonstrative"]
PERSONAL_PRONOUNS = WORDS["personal-pronoun"]
RELATIVE = WORDS["relative-pronoun"]
DRUG_CATEGORIES = frozenset(("Drug", "ChemicalEntity"))
PAIRED = {"decreases": "treats", "treats": "decreases", "increases": "causes"}
PAIRED_OBJECTS = {
    "decreases": frozenset(("PhenotypicFeature", "Disease")),
    "treats": frozenset(("PhenotypicFeature",)),
    "increases": frozenset(("PhenotypicFeature", "Disease")),  # "gabapentinoids can depress breathing"
}
CHANGE_PREDICATES = frozenset(("treats", "decreases"))
EVENT_VERBS = WORDS["event-verb"]
MAX_DEPTH = 30  # long lists are deep conj chains; upward steps (relatives, copulas) are few

CLASS_COMPATIBLE = {
    "Drug": {"Drug", "ChemicalEntity", "ChemicalRole"},
    "ChemicalEntity": {"ChemicalEntity", "ChemicalRole", "MolecularEntity"},
    "MolecularEntity": {"MolecularEntity", "ChemicalEntity", "ChemicalRole", "Protein", "ProteinFamily"},
    "Protein": {
        "Protein",
        "ProteinFamily",
        "MolecularEntity",
        "ChemicalRole",
    },  # "infliximab, a TNF inhibitor"
    "ProteinFamily": {"ProteinFamily", "Protein"},
    "Cell": {"Cell"},
    "AnatomicalEntity": {"AnatomicalEntity"},
    "BiologicalProcess": {"BiologicalProcess"},
    "Disease": {"Disease", "PhenotypicFeature"},  # "CRPS is a form of chronic pain"
    "PhenotypicFeature": {"PhenotypicFeature", "Disease"},
    "ChemicalRole": {"ChemicalRole"},
}


def span_start(span: Span) -> int:
    """A span's first token (a sort and bisect key)."""
    return span.start


def pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition, through "such as" parsed as a preposition over a preposition."""
    out = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    for c in list(out):
        if c.dep_ == "pcomp" and c.pos_ == "ADP":  # "such as" parsed as prep + prep
            out.extend(pobjs(c))
    return out


def is_member_prep(prep: Token) -> bool:
    """Whether a preposition introduces members of a class: "like", "including", "such as"."""
    if prep.lower_ in WORDS["member-prep"]:
        return True
    return prep.lower_ == "as" and any(c.lower_ == "such" for c in prep.children)


def after_as_well_as(conj: Token) -> bool:
    """Whether a conjunct follows "as well as", which leaves a list's frame."""
    for c in conj.head.children:
        if (
            c.dep_ == "cc"
            and c.lower_ == "as"
            and any(w.lower_ == "well" for w in c.children)
            and c.i < conj.i
        ):
            return True
    return False


def bare_plural(noun: Token) -> bool:
    """ "the receptors" refers back; "the effects of X" or "the cells that ..." says what it is itself."""
    return noun.tag_ == "NNS" and not any(
        c.dep_ in ("prep", "relcl", "acl", "amod", "compound") for c in noun.children
    )


def is_excluded_alternative(conj: Token) -> bool:
    """Whether a conjunct is an alternative the text sets aside: "rather than Y", "instead of Y", "not Y"."""
    for c in conj.head.children:
        if c.i > conj.i or c.dep_ not in ("cc", "prep", "neg", "advmod", "preconj"):
            continue
        words = {t.lower_ for t in c.subtree} | {c.lower_}
        if {"rather", "than"} <= words or "instead" in words or ("but" in words and "not" in words):
            return True
        if c.dep_ == "neg" or c.lower_ == "not":
            return True
    return False


def is_event_relative(which: Token) -> bool:
    """ ", which leads to ..." after a clause: the relative is about the event, not the last noun."""
    verb = which.head
    if which.dep_ != "nsubj" or verb.dep_ != "relcl" or verb.lemma_.lower() not in EVENT_VERBS:
        return False
    return which.i > 0 and which.doc[which.i - 1].text == ","


def is_purpose(verb: Token) -> bool:
    """An infinitival relative on a prepositional object is read as a purpose clause."""
    return is_to_infinitive(verb) and verb.head.dep_ == "pobj"


def is_to_infinitive(verb: Token) -> bool:
    """Whether a verb is a "to" infinitive."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def in_main_clause(subject: Token) -> bool:
    """Whether a subject is its sentence's main clause's (or of a clause coordinated with it), not a
    relative's or an adverbial clause's."""
    clause = subject.head
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    return clause.dep_ == "ROOT"


def is_plural(ent: Span) -> bool:
    """Whether an entity mention is plural (for agreement with "it"/"they")."""
    root = ent.root
    if root.tag_ in ("NNS", "NNPS"):
        return True
    # The small model tags capitalised plurals ("Astrocytes") as singular proper nouns.
    low = root.lower_
    return root.pos_ == "PROPN" and low.endswith("s") and not low.endswith(("ss", "us", "is"))


def unique(spans: Iterable[Span]) -> list[Span]:
    """The spans, each (start, end) once, in first-seen order."""
    out: list[Span] = []
    seen: set[tuple[int, int]] = set()
    for s in spans:
        if (s.start, s.end) not in seen:
            seen.add((s.start, s.end))
            out.append(s)
    return out


def class_compatible(sub: str, sup: str) -> bool:
    """Whether an entity of category `sub` can be a subclass of one of category `sup`."""
    return sup in CLASS_COMPATIBLE.get(sub, set())


def verb_lemma(word: str) -> str:
    """The base form of a third-person verb ("treats" -> "treat", "relieves" -> "relieve"); the word
    itself otherwise."""
    if word.endswith(("shes", "ches", "sses", "xes", "zes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
