"""Plain records that flow between the stages: documents in, concepts, mentions and relations out.

The spaCy components produce these; the RDF builder, the exporters and the tests consume them. They are
frozen so that they hash, sort and compare by value, which is what makes output deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

Certainty = Literal["asserted", "hedged"]
CERTAINTY_RANK: dict[str, int] = {"asserted": 2, "hedged": 1}


def slugify(text: str) -> str:
    """A readable, IRI-safe key: `Crohn's disease` -> `crohns-disease`."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’]", "", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


# The entity categories (ontology/ldn.ttl classes), in precedence order: an entity typed with several is
# drawn and filed under the first one listed.
ENTITY_CATEGORIES: tuple[str, ...] = (
    "Drug",
    "ChemicalEntity",
    "MolecularEntity",
    "ChemicalRole",
    "Protein",
    "ProteinFamily",
    "Cell",
    "AnatomicalEntity",
    "BiologicalProcess",
    "PhenotypicFeature",
    "Disease",
    "Population",
)


@dataclass(frozen=True)
class Concept:
    """One real thing: a drug, a cell type, a disease... with its names and standard identifiers."""

    key: str  # slug, the local part of its IRI in the `ent:` namespace
    label: str
    category: str  # local name of an ontology class, e.g. "Cell"
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()  # matched case-sensitively
    xrefs: tuple[str, ...] = ()  # CURIEs, preferred first
    normalised: bool = True  # False for project-local concepts found only in the text


@dataclass(frozen=True)
class Document:
    """A text to read, with what identifies it and, when the input says, where it was published."""

    key: str  # the local part of the document's IRI: slug of the file name, `pmid-<PMID>`, or of a JSONL id
    text: str
    source: str  # file name as given (never an absolute path: output must not depend on where it ran)
    title: str
    sha256: str  # of the text, UTF-8
    # Bibliographic metadata, from PubMed XML or JSON Lines (None when the input does not say).
    pmid: str | None = None
    doi: str | None = None
    year: int | None = None
    journal: str | None = None
    authors: tuple[str, ...] | None = None  # "Younger J", as PubMed cites them, in order
    url: str | None = None
    # Where each page starts in `text` (a PDF's pages, joined by form feeds); None for a text without pages.
    pages: tuple[int, ...] | None = None

    def page_of(self, offset: int) -> int | None:
        """The page (from 1) that holds the character at `offset`; None for a text without pages."""
        if not self.pages:
            return None
        return max(1, bisect_right(self.pages, offset))


@dataclass(frozen=True, order=True)
class Qualifier:
    """A dose, effect size, year, population or sample size that qualifies an assertion."""

    kind: Literal["dose", "effect_size", "year", "population", "sample_size"]
    label: str  # the words of the text
    value: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    unit: str | None = None  # "mg", "%", ...
    start: int = 0  # character offsets in the document
    end: int = 0


@dataclass(frozen=True, order=True)
class Evidence:
    """One sentence that supports a relation, as read in that sentence."""

    document: str  # Document.key
    start: int  # sentence offsets in the document text, end exclusive
    end: int
    text: str
    sentence_index: int
    certainty: Certainty = "asserted"
    negated: bool = False
    rule: str = ""  # what found it: a rule's name, or "ldn_relation_classifier:<label>"
    score: float | None = None  # the classifier's probability; None for a rule


@dataclass(frozen=True, order=True)
class Relation:
    """A relation read from one sentence: subject and object are Concept keys."""

    subject: str
    predicate: str  # local name of an ontology property, e.g. "treats"
    object: str
    evidence: Evidence
    qualifiers: tuple[Qualifier, ...] = ()

    @property
    def triple(self) -> tuple[str, str, str, bool]:
        return (self.subject, self.predicate, self.object, self.evidence.negated)


@dataclass
class Assertion:
    """All the evidence for one (subject, predicate, object, negated), merged across sentences."""

    subject: str
    predicate: str
    object: str
    negated: bool
    evidences: list[Evidence] = field(default_factory=list)
    qualifiers: list[Qualifier] = field(default_factory=list)

    @property
    def key(self) -> str:
        base = f"{self.subject}.{self.predicate}.{self.object}"
        return base + ".negated" if self.negated else base

    @property
    def certainty(self) -> Certainty:
        """The certainty of the strongest evidence."""
        return max((e.certainty for e in self.evidences), key=CERTAINTY_RANK.__getitem__, default="asserted")

    @property
    def documents(self) -> list[str]:
        return sorted({e.document for e in self.evidences})


@dataclass(frozen=True)
class Mention:
    """A concept found in a document."""

    concept: str
    document: str
    start: int
    end: int
    text: str


@dataclass
class Extraction:
    """Everything read from one document."""

    document: Document
    concepts: dict[str, Concept]
    mentions: list[Mention]
    relations: list[Relation]


def merge_relations(relations: list[Relation]) -> list[Assertion]:
    """Group relations into assertions: one per (subject, predicate, object, negated), sorted."""
    merged: dict[tuple[str, str, str, bool], Assertion] = {}
    for rel in sorted(relations):
        s, p, o, neg = rel.triple
        a = merged.setdefault(rel.triple, Assertion(s, p, o, neg))
        if rel.evidence not in a.evidences:
            a.evidences.append(rel.evidence)
        for q in rel.qualifiers:
            if q not in a.qualifiers:
                a.qualifiers.append(q)
    for a in merged.values():
        a.evidences.sort()
        a.qualifiers.sort()
    return [merged[k] for k in sorted(merged)]
