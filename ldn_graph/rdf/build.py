"""Extractions -> an RDF Dataset, per docs/data-model.md.

Each document's statements go into a named graph named by the document IRI; the assertion nodes,
merged over all documents, into `AGGREGATE_GRAPH`. IRIs derive from content (concept keys, predicate
names, character offsets), so the same input gives the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ldn_graph.model import Assertion, Concept, Evidence, Extraction, Qualifier, merge_relations, slugify
from ldn_graph.namespaces import (
    AGGREGATE_GRAPH,
    ASSERTION,
    DOC,
    ENT,
    EVIDENCE,
    LDN,
    OA,
    PREFIXES,
    SCHEMA,
    UNIT,
    curie_to_iri,
)

CERTAINTY = {"asserted": LDN.Asserted, "hedged": LDN.Hedged}
QUALIFIER_CLASS = {
    "dose": LDN.Dose,
    "effect_size": LDN.EffectSize,
    "year": LDN.StudyYear,
    "population": LDN.StudyPopulation,
    "sample_size": LDN.SampleSize,
}
UNITS = {
    "mg": UNIT.MilliGM,
    "g": UNIT.GM,
    "µg": UNIT.MicroGM,
    "ng": UNIT.NanoGM,
    "mL": UNIT.MilliL,
    "%": UNIT.PERCENT,
    "mg/kg": UNIT["MilliGM-PER-KiloGM"],
    "mg/day": UNIT["MilliGM-PER-DAY"],
}


def entity_iri(key: str) -> URIRef:
    return ENT[key]


def document_iri(key: str) -> URIRef:
    return DOC[key]


def assertion_iri(assertion: Assertion) -> URIRef:
    return ASSERTION[assertion.key]


def target_iri(evidence: Evidence) -> URIRef:
    return URIRef(f"{DOC[evidence.document]}#char={evidence.start},{evidence.end}")


def evidence_iri(evidence: Evidence, assertion: Assertion) -> URIRef:
    return EVIDENCE[f"{evidence.document}.{evidence.start}-{evidence.end}.{assertion.key}"]


def qualifier_iri(assertion: Assertion, q: Qualifier) -> URIRef:
    return URIRef(f"{ASSERTION[assertion.key]}/{q.kind.replace('_', '-')}-{slugify(q.label)}")


def new_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def add_concept(g: Graph, concept: Concept) -> None:
    iri = entity_iri(concept.key)
    g.add((iri, RDF.type, LDN[concept.category]))
    g.add((iri, RDFS.label, Literal(concept.label)))
    for alt in sorted(set(concept.synonyms) | set(concept.abbreviations)):
        if alt != concept.label:
            g.add((iri, SKOS.altLabel, Literal(alt)))
    for curie in concept.xrefs:
        g.add((iri, SKOS.exactMatch, curie_to_iri(curie)))
    g.add((iri, LDN.normalised, Literal(concept.normalised)))


def add_document(g: Graph, extraction: Extraction) -> None:
    d = extraction.document
    iri = document_iri(d.key)
    g.add((iri, RDF.type, LDN.Document))
    g.add((iri, RDF.type, PROV.Entity))
    g.add((iri, DCTERMS.title, Literal(d.title)))
    g.add((iri, DCTERMS.source, Literal(d.source)))
    g.add((iri, LDN.sha256, Literal(d.sha256)))


def add_evidence(g: Graph, evidence: Evidence, assertion: Assertion) -> URIRef:
    ev = evidence_iri(evidence, assertion)
    target = target_iri(evidence)
    position, quote = URIRef(f"{target}-position"), URIRef(f"{target}-quote")
    g.add((ev, RDF.type, LDN.Evidence))
    g.add((ev, RDF.type, OA.Annotation))
    g.add((ev, OA.motivatedBy, OA.describing))
    g.add((ev, OA.hasBody, assertion_iri(assertion)))
    g.add((ev, OA.hasTarget, target))
    g.add((ev, LDN.certainty, CERTAINTY[evidence.certainty]))
    g.add((ev, LDN.negated, Literal(evidence.negated)))
    g.add((ev, LDN.extractionRule, Literal(evidence.rule)))
    g.add((ev, PROV.wasGeneratedBy, LDN.DependencyRules))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, document_iri(evidence.document)))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((target, LDN.sentenceIndex, Literal(evidence.sentence_index)))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(evidence.start)))
    g.add((position, OA.end, Literal(evidence.end)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(evidence.text)))
    return ev


def add_qualifier(g: Graph, assertion: Assertion, q: Qualifier) -> URIRef:
    iri = qualifier_iri(assertion, q)
    g.add((iri, RDF.type, QUALIFIER_CLASS[q.kind]))
    g.add((iri, RDFS.label, Literal(q.label)))
    if q.kind == "year" and q.value is not None:
        g.add((iri, SCHEMA.value, Literal(str(int(q.value)), datatype=XSD.gYear)))
    else:
        for prop, value in (
            (SCHEMA.value, q.value),
            (SCHEMA.minValue, q.min_value),
            (SCHEMA.maxValue, q.max_value),
        ):
            if value is not None:
                g.add((iri, prop, Literal(value)))
    if q.unit in UNITS:
        g.add((iri, SCHEMA.unitCode, UNITS[q.unit]))
    return iri


def add_assertion(g: Graph, a: Assertion) -> None:
    iri = assertion_iri(a)
    g.add((iri, RDF.type, LDN.Assertion))
    g.add((iri, RDF.subject, entity_iri(a.subject)))
    g.add((iri, RDF.predicate, LDN[a.predicate]))
    g.add((iri, RDF.object, entity_iri(a.object)))
    g.add((iri, LDN.negated, Literal(a.negated)))
    g.add((iri, LDN.certainty, CERTAINTY[a.certainty]))
    g.add((iri, LDN.supportCount, Literal(len({(e.document, e.start) for e in a.evidences}))))
    g.add((iri, LDN.documentCount, Literal(len(a.documents))))
    for ev in a.evidences:
        g.add((iri, PROV.wasDerivedFrom, evidence_iri(ev, a)))
    for q in a.qualifiers:
        g.add((iri, LDN.hasQualifier, qualifier_iri(a, q)))


def build_dataset(extractions: Iterable[Extraction]) -> Dataset:
    """The whole graph: one named graph per document plus the aggregated assertions."""
    ds = new_dataset()
    extractions = list(extractions)
    assertions = merge_relations([r for x in extractions for r in x.relations])
    by_doc: dict[str, list[tuple[Assertion, Evidence]]] = {}
    for a in assertions:
        for ev in a.evidences:
            by_doc.setdefault(ev.document, []).append((a, ev))
    concepts: dict[str, Concept] = {}
    for x in extractions:
        concepts.update(x.concepts)
        g = ds.graph(document_iri(x.document.key))
        add_document(g, x)
        for concept in x.concepts.values():
            add_concept(g, concept)
        for a, ev in by_doc.get(x.document.key, []):
            add_evidence(g, ev, a)
            if not a.negated:
                g.add((entity_iri(a.subject), LDN[a.predicate], entity_iri(a.object)))
    agg = ds.graph(AGGREGATE_GRAPH)
    for a in assertions:
        add_assertion(agg, a)
        for q in a.qualifiers:
            add_qualifier(agg, a, q)
    return ds
