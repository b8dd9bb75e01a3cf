"""Extractions -> an RDF Dataset, per docs/data-model.md.

Each document's statements go into a named graph named by the document IRI, and depend on that document
alone; the assertion nodes, merged over all documents, into `AGGREGATE_GRAPH` (rdf/aggregate.py). IRIs
derive from content (concept keys, predicate names, character offsets), so the same input gives the same
graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from ldn_graph.model import (
    Assertion,
    Concept,
    Document,
    Evidence,
    Extraction,
    Qualifier,
    merge_relations,
    slugify,
)
from ldn_graph.namespaces import (
    AGGREGATE_GRAPH,
    ASSERTION,
    BIBO,
    DOC,
    ENT,
    EVIDENCE,
    LDN,
    OA,
    PREFIXES,
    SCHEMA,
    UNIT,
    curie_to_iri,
    is_web_iri,
)
from ldn_graph.rdf.aggregate import Support, aggregate_triples, decimal_literal

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
    # The text read, which every evidence offset indexes: an offset resolves from the graph alone, whatever
    # the input was (the visible text of an HTML page, the text layer of a PDF, not its bytes).
    g.add((iri, LDN.text, Literal(d.text)))
    add_bibliographic_metadata(g, d)


def add_bibliographic_metadata(g: Graph, d: Document) -> None:
    """Where the document was published, as PubMed XML or JSON Lines said, in BIBO and DCMI terms.

    The journal and the authors are nodes of this document (`<doc>#journal`, `<doc>#author-1`): the input
    names them but does not identify them, so two documents never share one. The authors are also listed
    in order (`bibo:authorList`, an `rdf:Seq`); every node has an IRI, so the same input always serialises
    to the same bytes, in Turtle as in N-Triples.
    """
    iri = document_iri(d.key)
    if d.pmid is not None:
        g.add((iri, BIBO.pmid, Literal(d.pmid)))
    if d.doi is not None:
        g.add((iri, BIBO.doi, Literal(d.doi)))
    if d.year is not None:
        g.add((iri, DCTERMS.issued, Literal(f"{d.year:04d}", datatype=XSD.gYear)))
    if d.journal is not None:
        journal = URIRef(f"{iri}#journal")
        g.add((iri, DCTERMS.isPartOf, journal))
        g.add((journal, RDF.type, BIBO.Journal))
        g.add((journal, DCTERMS.title, Literal(d.journal)))
    if d.authors:
        authors = URIRef(f"{iri}#authors")
        g.add((iri, BIBO.authorList, authors))
        g.add((authors, RDF.type, RDF.Seq))
        for n, name in enumerate(d.authors, 1):
            agent = URIRef(f"{iri}#author-{n}")
            g.add((iri, DCTERMS.creator, agent))
            g.add((authors, RDF[f"_{n}"], agent))
            g.add((agent, RDF.type, FOAF.Agent))  # PubMed lists study groups as authors too
            g.add((agent, FOAF.name, Literal(name)))
    if d.url is not None and is_web_iri(d.url):  # inputs/documents.py checks it; the API may not
        g.add((iri, FOAF.page, URIRef(d.url)))


def add_evidence(g: Graph, evidence: Evidence, assertion: Assertion, page: int | None = None) -> URIRef:
    """One evidence sentence of an assertion; `page` is the page it starts on, for a paged document."""
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
    if evidence.score is None:
        g.add((ev, PROV.wasGeneratedBy, LDN.DependencyRules))
    else:
        g.add((ev, PROV.wasGeneratedBy, LDN.LearnedClassifier))
        g.add((ev, LDN.extractionScore, decimal_literal(Decimal(str(evidence.score)))))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, document_iri(evidence.document)))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((target, LDN.sentenceIndex, Literal(evidence.sentence_index)))
    if page is not None:
        g.add((target, LDN.page, Literal(page)))
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


def add_assertion_identity(g: Graph, a: Assertion) -> None:
    """What the assertion node is, without anything that depends on other documents."""
    iri = assertion_iri(a)
    g.add((iri, RDF.type, LDN.Assertion))
    g.add((iri, RDF.subject, entity_iri(a.subject)))
    g.add((iri, RDF.predicate, LDN[a.predicate]))
    g.add((iri, RDF.object, entity_iri(a.object)))
    g.add((iri, LDN.negated, Literal(a.negated)))


def supports(a: Assertion) -> list[Support]:
    """The assertion's evidences as the aggregate reads them (the same terms the document graphs hold)."""
    iri = str(assertion_iri(a))
    return [
        Support(
            assertion=iri,
            subject=str(entity_iri(a.subject)),
            predicate=str(LDN[a.predicate]),
            object=str(entity_iri(a.object)),
            negated=a.negated,
            evidence=str(evidence_iri(ev, a)),
            document=str(document_iri(ev.document)),
            start=ev.start,
            hedged=ev.certainty == "hedged",
            score=None if ev.score is None else str(decimal_literal(Decimal(str(ev.score)))),
        )
        for ev in a.evidences
    ]


def add_document_graph(g: Graph, extraction: Extraction) -> tuple[list[Support], list[tuple[str, str]]]:
    """Everything read from one document into `g`, its named graph: its metadata, the entities it
    mentions, its evidence, the plain triples it supports, and for each assertion it supports the
    assertion's identity and the qualifiers read here. Nothing depends on any other document.

    Returns what the aggregate needs from it: the supports and the (assertion, qualifier) links.
    """
    add_document(g, extraction)
    for concept in extraction.concepts.values():
        add_concept(g, concept)
    found: list[Support] = []
    links: list[tuple[str, str]] = []
    for a in merge_relations(extraction.relations):
        add_assertion_identity(g, a)
        for ev in a.evidences:
            add_evidence(g, ev, a, extraction.document.page_of(ev.start))
        if not a.negated:
            g.add((entity_iri(a.subject), LDN[a.predicate], entity_iri(a.object)))
        for q in a.qualifiers:
            qualifier = add_qualifier(g, a, q)
            g.add((assertion_iri(a), LDN.hasQualifier, qualifier))
            links.append((str(assertion_iri(a)), str(qualifier)))
        found += supports(a)
    return found, links


def build_dataset(extractions: Iterable[Extraction]) -> Dataset:
    """The whole graph: one named graph per document plus the aggregated assertions."""
    ds = new_dataset()
    found: list[Support] = []
    links: list[tuple[str, str]] = []
    for x in extractions:
        more, more_links = add_document_graph(ds.graph(document_iri(x.document.key)), x)
        found += more
        links += more_links
    agg = ds.graph(AGGREGATE_GRAPH)
    for triple in aggregate_triples(found, links):
        agg.add(triple)
    return ds
