"""Across documents: the aggregate graph of assertion nodes, computed from the evidence of every document.

Each document's graph says which assertions its sentences support (the evidence annotations, with their
certainty) and which qualifiers it read; nothing in it depends on any other document. The aggregate
graph (`AGGREGATE_GRAPH`) says what only all documents together can: for each (subject, predicate,
object, negated), its strongest certainty, how many sentences and documents support it, a confidence, the
evidence it was derived from, its qualifiers, and whether another document says the opposite.

It is a function of `Support` records alone, so the in-memory build and the store (which reads the same
records back from the document graphs with SPARQL) give the same triples. docs/data-model.md explains
the confidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from ldn_graph.namespaces import LDN

Triple = tuple[Node, Node, Node]

# What one document's support is worth: a document that states the relation firmly, and one that only
# hedges it ("may", "is thought to"). Documents count as independent witnesses (noisy-OR).
DOCUMENT_WEIGHT = {False: Decimal("0.6"), True: Decimal("0.3")}  # keyed by "only hedged"
CONFIDENCE_STEP = Decimal("0.001")  # rounded down, so that no amount of text-mined support reaches 1


@dataclass(frozen=True, order=True)
class Support:
    """One sentence supporting one assertion, as the aggregate needs it: every term as an IRI string."""

    assertion: str
    subject: str
    predicate: str
    object: str
    negated: bool
    evidence: str
    document: str
    start: int  # sentence offset: two evidences of one sentence count once
    hedged: bool
    score: str | None = None  # the relation classifier's score (its xsd:decimal text); None for a rule


@dataclass
class _Merged:
    first: Support
    evidences: set[str] = field(default_factory=set)
    sentences: set[tuple[str, int]] = field(default_factory=set)
    firm_documents: set[str] = field(default_factory=set)  # documents with a sentence that asserts it
    documents: set[str] = field(default_factory=set)
    # Per document and kind of evidence (hedged or not), the best classifier score, or 1 for a rule's.
    belief: dict[tuple[str, bool], Decimal] = field(default_factory=dict)
    qualifiers: set[str] = field(default_factory=set)


def confidence(firm_documents: int, hedged_documents: int, beliefs: Iterable[Decimal] = ()) -> Decimal:
    """1 - prod(1 - w) over the supporting documents, w = 0.6 when it states the relation, 0.3 when it
    only hedges it, times the document's belief (`beliefs`, one per document in the order firm documents
    then hedged ones; 1 where a rule read it, the relation classifier's score where only the classifier
    did); rounded down to three decimals. 1 document: 0.6, 2: 0.84, 3: 0.936; hedged: 0.3.
    """
    weights = [DOCUMENT_WEIGHT[False]] * firm_documents + [DOCUMENT_WEIGHT[True]] * hedged_documents
    given = list(beliefs)
    factors = given + [Decimal(1)] * (len(weights) - len(given))
    doubt = Decimal(1)
    for weight, belief in zip(weights, factors, strict=False):
        doubt *= 1 - weight * belief
    return (1 - doubt).quantize(CONFIDENCE_STEP, rounding=ROUND_DOWN)


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in the canonical form stores keep (`0.84`, not `0.840`; `1`, not `1.0`), so that a
    graph written by rdflib and one streamed from the store read the same (Turtle writes the whole number
    `"1"^^xsd:decimal`, its `1` being an integer)."""
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def aggregate_triples(
    supports: Iterable[Support], qualifiers: Iterable[tuple[str, str]] = ()
) -> list[Triple]:
    """The aggregate graph's triples for these supports; `qualifiers` are (assertion, qualifier) links."""
    merged: dict[str, _Merged] = {}
    for support in supports:
        m = merged.get(support.assertion)
        if m is None:
            m = merged[support.assertion] = _Merged(support)
        m.evidences.add(support.evidence)
        m.sentences.add((support.document, support.start))
        m.documents.add(support.document)
        if not support.hedged:
            m.firm_documents.add(support.document)
        belief = Decimal(support.score) if support.score is not None else Decimal(1)
        key = (support.document, support.hedged)
        m.belief[key] = max(belief, m.belief.get(key, Decimal(0)))
    for assertion, qualifier in qualifiers:
        if assertion in merged:
            merged[assertion].qualifiers.add(qualifier)

    triples: list[Triple] = []
    for iri, m in merged.items():
        a, first = URIRef(iri), m.first
        firm, hedged = len(m.firm_documents), len(m.documents - m.firm_documents)
        # A document counts with the evidence that decides its weight: its firm one where it has any.
        beliefs = [m.belief[(d, False)] for d in sorted(m.firm_documents)]
        beliefs += [m.belief[(d, True)] for d in sorted(m.documents - m.firm_documents)]
        triples += [
            (a, RDF.type, LDN.Assertion),
            (a, RDF.subject, URIRef(first.subject)),
            (a, RDF.predicate, URIRef(first.predicate)),
            (a, RDF.object, URIRef(first.object)),
            (a, LDN.negated, Literal(first.negated)),
            (a, LDN.certainty, LDN.Asserted if firm else LDN.Hedged),
            (a, LDN.supportCount, Literal(len(m.sentences))),
            (a, LDN.documentCount, Literal(len(m.documents))),
            (a, LDN.confidence, decimal_literal(confidence(firm, hedged, beliefs))),
        ]
        triples += [(a, PROV.wasDerivedFrom, URIRef(ev)) for ev in sorted(m.evidences)]
        triples += [(a, LDN.hasQualifier, URIRef(q)) for q in sorted(m.qualifiers)]
    triples += _contradictions(merged)
    return triples


def _contradictions(merged: dict[str, _Merged]) -> list[Triple]:
    """`ldn:contradictedBy` both ways between a positive and a negated assertion of the same relation
    when one document states it and another negates it (a document that says both is not a conflict
    between documents)."""
    by_relation: dict[tuple[str, str, str], dict[bool, str]] = defaultdict(dict)
    for iri, m in merged.items():
        by_relation[(m.first.subject, m.first.predicate, m.first.object)][m.first.negated] = iri
    out: list[Triple] = []
    for sides in by_relation.values():
        if len(sides) != 2:
            continue
        positive, negative = merged[sides[False]], merged[sides[True]]
        if any(p != n for p in positive.documents for n in negative.documents):
            out.append((URIRef(sides[False]), LDN.contradictedBy, URIRef(sides[True])))
            out.append((URIRef(sides[True]), LDN.contradictedBy, URIRef(sides[False])))
    return out
