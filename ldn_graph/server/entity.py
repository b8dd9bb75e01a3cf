"""What the server's entity page shows about one IRI, gathered from the graph (no HTML here).

For an entity: its labels, standard identifiers, types, and its relations in both directions, each with
its certainty, negation, support and the evidence sentences behind it. For any other IRI (an assertion,
a document, a class) the same page lists the statements it takes part in; a document's also gives its
links on the web (PubMed, doi.org, its page) and the text read, which its evidence offsets index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from ldn_graph.namespaces import LDN, iri_to_curie, shorten
from ldn_graph.rdf.read import Document, Evidence, GraphReader
from ldn_graph.rdf.values import label_of, one

_SHOWN_APART = {
    RDFS.label,
    SKOS.altLabel,
    SKOS.prefLabel,
    SKOS.exactMatch,
    RDF.type,
    LDN.normalised,
    LDN.text,
    FOAF.page,
}
_DEFINITION = SKOS.definition


@dataclass
class Relation:
    """An assertion the IRI takes part in, seen from the IRI: `out` (it is the subject) or `in`."""

    assertion: URIRef
    direction: str
    predicate: Node
    predicate_label: str
    other: Node
    other_label: str
    negated: bool
    certainty: str
    support: int | None
    documents: int | None
    qualifiers: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)  # as `rdf.read` reads it
    contradicted: bool = False  # another document says the opposite (ldn:contradictedBy)
    evidence_certainty: dict[str, str] = field(default_factory=dict)  # certainty IRI -> its label


@dataclass
class EntityView:
    """Everything the entity page shows; `found` is false when the graph never mentions the IRI."""

    iri: URIRef
    found: bool
    label: str
    labels: list[str] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, URIRef]] = field(default_factory=list)
    types: list[tuple[Node, str]] = field(default_factory=list)
    normalised: bool | None = None
    relations: list[Relation] = field(default_factory=list)
    statements: list[tuple[Node, str, Node, str]] = field(default_factory=list)  # as subject
    mentions: list[tuple[Node, str, Node, str]] = field(default_factory=list)  # as object
    truncated: bool = False
    limit: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)  # (what, web address) of a document
    text: str | None = None  # a document's text as read (`ldn:text`)


def labels_of(graph: Graph, nodes: set[Node]) -> dict[str, str]:
    """`label_of` for every IRI among `nodes` that has a label, by IRI string."""
    out = {}
    for node in nodes:
        if isinstance(node, URIRef) and (node, RDFS.label, None) in graph:
            out[str(node)] = label_of(graph, node)
    return out


def _literals(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    return sorted({str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)})


def _relation(reader: GraphReader, assertion: URIRef, direction: str) -> Relation:
    graph = reader.g
    read = reader.assertion(assertion)
    other = read.object if direction == "out" else read.subject
    evidence = sorted(
        read.evidence,
        key=lambda e: (str(e.document.iri if e.document else None), e.start if e.start is not None else -1),
    )
    return Relation(
        assertion=assertion,
        direction=direction,
        predicate=read.predicate if read.predicate is not None else Literal(""),
        predicate_label=label_of(graph, read.predicate),
        other=other if other is not None else Literal(""),
        other_label=label_of(graph, other),
        negated=read.negated,
        certainty=label_of(graph, read.certainty),
        support=read.support,
        documents=read.documents,
        qualifiers=sorted(label_of(graph, q.iri) for q in read.qualifiers),
        evidence=evidence,
        contradicted=read.contradicted_by is not None,
        evidence_certainty={str(e.certainty): label_of(graph, e.certainty) for e in evidence},
    )


def document_title(evidence: Evidence) -> str:
    """What the page calls an evidence's document: its title, else its short IRI."""
    document = evidence.document
    if document is None:
        return ""
    return document.title or (shorten(str(document.iri)) if isinstance(document.iri, URIRef) else "")


def document_links(document: Document) -> list[tuple[str, str]]:
    """Where a document can be read on the web: PubMed by its PMID, doi.org by its DOI, its own page."""
    links = [
        (f"PubMed {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
        for pmid in document.pmids
        if pmid.isascii() and pmid.isdigit()
    ]
    links += [(f"DOI {doi}", "https://doi.org/" + quote(doi, safe="/")) for doi in document.dois]
    for page in document.pages:
        if all(page != url for _, url in links):
            links.append(("web page", page))
    return links


def describe_entity(graph: Graph, iri: URIRef, *, limit: int = 1000) -> EntityView:
    """What the graph says about `iri`; at most `limit` relations and `limit` other statements each way."""
    found = (iri, None, None) in graph or (None, None, iri) in graph
    view = EntityView(iri=iri, found=found, label=label_of(graph, iri), limit=limit)
    if not found:
        return view
    reader = GraphReader(graph)
    entity = reader.entity(iri)
    view.labels = list(entity.labels)
    view.alt_labels = sorted(set(entity.alt_labels) - set(entity.labels))
    view.definitions = _literals(graph, iri, _DEFINITION)
    view.identifiers = sorted(
        ((iri_to_curie(str(m)) or shorten(str(m)), m) for m in entity.matches), key=lambda pair: pair[0]
    )
    view.types = sorted(
        ((t, label_of(graph, t)) for t in set(graph.objects(iri, RDF.type))), key=lambda pair: pair[1]
    )
    view.normalised = entity.normalised
    view.links = document_links(reader.document(iri))
    text = one(graph, iri, LDN.text)
    view.text = str(text) if isinstance(text, Literal) else None

    assertions: list[tuple[URIRef, str]] = []
    for direction, role in (("out", RDF.subject), ("in", RDF.object)):
        assertions += [(a, direction) for a in set(graph.subjects(role, iri)) if isinstance(a, URIRef)]
    if len(assertions) > limit:
        view.truncated = True
    view.relations = [_relation(reader, a, d) for a, d in sorted(assertions, key=lambda x: str(x[0]))[:limit]]
    view.relations.sort(key=lambda r: (r.direction != "out", r.predicate_label, r.other_label, r.negated))

    # Plain relation triples repeat what the relations show: leave them out of the other statements.
    shown = {(r.predicate, r.other) for r in view.relations if r.direction == "out"}
    shown_in = {(r.predicate, r.other) for r in view.relations if r.direction == "in"}
    statements = [
        (p, label_of(graph, p), o, label_of(graph, o))
        for p, o in graph.predicate_objects(iri)
        if p not in _SHOWN_APART and p != _DEFINITION and (p, o) not in shown
    ]
    mentions = [
        (s, label_of(graph, s), p, label_of(graph, p))
        for s, p in graph.subject_predicates(iri)
        if p not in (RDF.subject, RDF.object) and (p, s) not in shown_in
    ]
    if len(statements) > limit or len(mentions) > limit:
        view.truncated = True
    view.statements = sorted(set(statements), key=lambda t: (t[1], str(t[2])))[:limit]
    view.mentions = sorted(set(mentions), key=lambda t: (t[3], t[1]))[:limit]
    return view
