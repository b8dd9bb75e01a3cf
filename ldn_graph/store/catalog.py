"""What the store holds and how it changes: document graphs, the aggregate, the ontology, exports.

The store holds one named graph per document, named by the document IRI: exactly the graph the in-memory
build makes for it (rdf/write.py), plus one bookkeeping statement, `<doc> store:extractor "..."`, the
fingerprint of the extractor that read it, and `<doc> store:metadata "..."`, a hash of what the input says
about it besides its text (title, PMID, year, ...). Its `ldn:sha256` is the hash of the text. A document
whose three hashes match is up to date: a build skips it without reading it again; new metadata for the
same text (a corrected year) replaces its graph like a new text does.

The aggregate graph is computed from the evidence in the document graphs (`SUPPORTS` below; whole, or
where documents changed: store/aggregate.py) and written in one transaction with `<aggregate>
store:revision "..."`, a hash of the list of documents it was computed from. A build that was killed
before it wrote the aggregate leaves an old revision behind, so the next run recomputes it even when no
document changed.

Bookkeeping statements (the `store:` namespace) are never exported; neither is the ontology, which the
store holds beside the data (named graph `ONTOLOGY_GRAPH`) so that queries on the store can use its labels.
"""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ldn_graph.errors import StoreError
from ldn_graph.model import Document, Extraction
from ldn_graph.namespaces import AGGREGATE_GRAPH, DOC, LDN, OA, STORE
from ldn_graph.rdf.aggregate import Support
from ldn_graph.rdf.io import read_graph
from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH, load_ontology
from ldn_graph.rdf.write import add_document_graph, document_iri, new_dataset
from ldn_graph.store.base import GraphStore
from ldn_graph.store.terms import ntriples

_PROLOGUE = f"""PREFIX ldn: <{LDN._NS}>
PREFIX oa: <{OA}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX store: <{STORE}>
"""

DOCUMENTS = (
    _PROLOGUE
    + """SELECT ?g ?sha256 ?source ?extractor ?metadata ?model WHERE {
  GRAPH ?g { ?g a ldn:Document ; ldn:sha256 ?sha256 ; dcterms:source ?source .
             OPTIONAL { ?g store:extractor ?extractor } OPTIONAL { ?g store:metadata ?metadata }
             OPTIONAL { ?g store:model ?model } }
}"""
)


# Which extractor (and model, when the build was given one) read how many documents.
EXTRACTORS = (
    _PROLOGUE
    + """SELECT ?extractor ?model (COUNT(?g) AS ?documents) WHERE {
  GRAPH ?g { ?g store:extractor ?extractor OPTIONAL { ?g store:model ?model } }
} GROUP BY ?extractor ?model"""
)


def _revision_query(graph: URIRef) -> str:
    return (
        _PROLOGUE + f"SELECT ?revision WHERE {{ GRAPH <{graph}> {{ <{graph}> store:revision ?revision }} }}"
    )


AGGREGATE_REVISION = _revision_query(AGGREGATE_GRAPH)

# Everything the aggregate is computed from: each evidence of each document graph, with its assertion.
SUPPORTS = (
    _PROLOGUE
    + """SELECT ?a ?s ?p ?o ?negated ?ev ?doc ?start ?certainty ?score WHERE {
  GRAPH ?g {
    ?ev oa:hasBody ?a ; ldn:certainty ?certainty ; oa:hasTarget ?t .
    ?t oa:hasSource ?doc ; oa:hasSelector ?selector .
    ?selector oa:start ?start .
    ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ldn:negated ?negated .
    OPTIONAL { ?ev ldn:extractionScore ?score }
  }
}"""
)

QUALIFIER_LINKS = (
    _PROLOGUE
    + f"""SELECT DISTINCT ?a ?q WHERE {{
  GRAPH ?g {{ ?a ldn:hasQualifier ?q }} FILTER(?g != <{AGGREGATE_GRAPH}>)
}}"""
)


def metadata_hash(document: Document) -> str:
    """A hash of what the input says about a document besides its text. Not the file it came from: the
    same abstracts in next year's PubMed file are not read again."""
    d = document
    fields = [d.title, d.pmid, d.doi, d.year, d.journal, d.authors, d.url]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredDocument:
    """A document graph of the store, as its catalog entry: IRI, key, text hash, file name, extractor,
    metadata hash, and the spaCy model the build was given (empty: the default one)."""

    iri: str
    key: str
    sha256: str
    source: str
    extractor: str
    metadata: str = ""
    model: str = ""

    def matches(self, document: Document, extractor: str) -> bool:
        """True when the same text with the same metadata was read by the same extractor: nothing to do."""
        return self.is_current(document.sha256, metadata_hash(document), extractor)

    def is_current(self, sha256: str, metadata: str, extractor: str) -> bool:
        """`matches` for a document known by its text hash and `metadata_hash` alone."""
        return self.sha256 == sha256 and self.extractor == extractor and self.metadata == metadata


def stored_documents(store: GraphStore) -> dict[str, StoredDocument]:
    """The store's documents by key (the local part of the document IRI). Read once for each state of
    `store` (`GraphStore.writes`): a build asks at each step, and 2,000 documents take a second."""
    kept = _CATALOGS.get(store)
    if kept is not None and kept[0] == store.writes:
        return dict(kept[1])
    found: dict[str, StoredDocument] = {}
    for row in store.select(DOCUMENTS):
        iri = row["g"]
        key = iri[len(str(DOC)) :] if iri.startswith(str(DOC)) else iri
        found[key] = StoredDocument(
            iri,
            key,
            row["sha256"],
            row["source"],
            row.get("extractor", ""),
            row.get("metadata", ""),
            row.get("model", ""),
        )
    listed = dict(sorted(found.items()))
    _CATALOGS[store] = (store.writes, listed)
    return dict(listed)


# Each open store's catalog as last read, with the number of writes it was read after.
_CATALOGS: weakref.WeakKeyDictionary[GraphStore, tuple[int, dict[str, StoredDocument]]] = (
    weakref.WeakKeyDictionary()
)


def coverage_line(document: StoredDocument) -> str:
    """What the aggregate records of a document it was computed from: IRI, text hash, extractor, metadata
    hash (store/aggregate.py)."""
    return f"{document.iri} {document.sha256} {document.extractor} {document.metadata}"


def revision(documents: Iterable[StoredDocument]) -> str:
    """A hash of which documents, read by which extractor, the store holds."""
    lines = sorted(map(coverage_line, documents))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


class _Collected(Graph):
    """A Graph that only collects the triples added to it, for `put_document`: the builder writes a
    document graph with `add` alone, and the store needs its triples, not rdflib's indexes over them
    (a third of the time writing a document took)."""

    def __init__(self) -> None:
        super().__init__(bind_namespaces="none")
        self.added: list[tuple[Node, Node, Node]] = []

    def add(self, triple: tuple[Node, Node, Node]) -> _Collected:
        self.added.append(triple)
        return self


def put_document(
    store: GraphStore,
    extraction: Extraction,
    extractor: str,
    model: str | None = None,
    *,
    written: Callable[[StoredDocument, list[tuple[Node, Node, Node]]], None] | None = None,
) -> StoredDocument:
    """Write (or replace) one document's graph, in one transaction. `model`: the spaCy model the build
    was given, when not the default, so that `query` can tell whether the store is up to date.
    `written` is then given the document's catalog entry and its graph's statements (a build checks
    them against the shapes: store/validation.py)."""
    iri = document_iri(extraction.document.key)
    graph = _Collected()
    add_document_graph(graph, extraction)
    d = extraction.document
    metadata = metadata_hash(d)
    marks = [(iri, STORE.extractor, Literal(extractor)), (iri, STORE.metadata, Literal(metadata))]
    if model:
        marks.append((iri, STORE.model, Literal(model)))
    store.replace_graph(str(iri), ntriples(graph.added), bookkeeping=ntriples(marks))
    stored = StoredDocument(str(iri), d.key, d.sha256, d.source, extractor, metadata, model or "")
    if written is not None:
        written(stored, graph.added)
    return stored


def count_out_of_date(store: GraphStore) -> tuple[int, int]:
    """How many documents of the store this installation would read again (another version of the
    extraction code, vocabulary, spaCy or model read them), and how many it holds. A build with the same
    `--model` brings them up to date. Documents read by a model this installation does not have are not
    counted: nothing can be told of them (a store queried where it was not built)."""
    from ldn_graph.store.fingerprint import extractor_fingerprint, find_model

    stale = total = 0
    for row in store.select(EXTRACTORS):
        model = row.get("model") or None
        documents = int(row["documents"])
        total += documents
        if find_model(model) is not None and row["extractor"] != extractor_fingerprint(model):
            stale += documents
    return stale, total


def find_document(documents: dict[str, StoredDocument], name: str) -> StoredDocument:
    """The stored document that `name` names: its key, IRI, `doc:` name or source file name."""
    key = name[len("doc:") :] if name.startswith("doc:") else name
    if key in documents:
        return documents[key]
    matches = [d for d in documents.values() if name in (d.iri, d.source)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        keys = ", ".join(d.key for d in matches)
        raise StoreError(f"{name!r} names several documents ({keys}): give the key instead")
    raise StoreError(f"no document {name!r} in the store (it holds {len(documents)})")


def aggregate_revision(store: GraphStore) -> str | None:
    """The revision the aggregate graph was computed for, or None when there is none."""
    rows = store.select(AGGREGATE_REVISION)
    return rows[0]["revision"] if rows else None


def read_supports(store: GraphStore, query: str = SUPPORTS) -> list[Support]:
    """Every evidence of every document graph, as the aggregate reads it (`query`: `SUPPORTS`, or the same
    restricted to some assertions)."""
    hedged = str(LDN.Hedged)
    return [
        Support(
            assertion=row["a"],
            subject=row["s"],
            predicate=row["p"],
            object=row["o"],
            negated=row["negated"] in ("true", "1"),
            evidence=row["ev"],
            document=row["doc"],
            start=int(row["start"]),
            hedged=row["certainty"] == hedged,
            score=row.get("score") or None,
        )
        for row in store.select(query)
    ]


ONTOLOGY_REVISION = _revision_query(ONTOLOGY_GRAPH)


def ontology_revision() -> str:
    """What the ontology graph the store holds is made from: the package with its data files, ldn.ttl
    among them (`code_fingerprint`), read by this rdflib. Not a hash of the graph's N-Triples: its blank
    nodes get new labels each time the file is parsed, and the graph would be written again by every
    build, the catalogue read again after it."""
    import rdflib

    from ldn_graph.store.fingerprint import code_fingerprint

    return hashlib.sha256(f"{code_fingerprint()} rdflib {rdflib.__version__}".encode()).hexdigest()


def ontology_current(store: GraphStore) -> bool:
    """True when the store holds the bundled ontology as it is now."""
    rows = store.select(ONTOLOGY_REVISION)
    return bool(rows) and rows[0]["revision"] == ontology_revision()


def put_ontology(store: GraphStore) -> None:
    """Write the bundled ontology into the store, so that queries on it can use its labels."""
    text, digest = ntriples(load_ontology()), ontology_revision()
    mark = ntriples([(ONTOLOGY_GRAPH, STORE.revision, Literal(digest))])
    store.replace_graph(str(ONTOLOGY_GRAPH), text, bookkeeping=mark, union=False)


def refresh_store(store: GraphStore) -> tuple[bool, int]:
    """Recompute the aggregate when the documents changed since it was made, and write the ontology
    when it changed; returns whether the aggregate was written and how many documents the store holds."""
    from ldn_graph.store.aggregate import refresh_aggregate  # it reads the catalog: imported when used

    held = len(stored_documents(store))  # counted before the writes below, which add no document
    aggregated = refresh_aggregate(store)
    if not ontology_current(store):
        put_ontology(store)
    return aggregated, held


def remove_document(store: GraphStore, document: StoredDocument) -> None:
    """Drop one document's graph (the aggregate is recomputed separately)."""
    store.drop_graph(document.iri)


def export_dataset(store: GraphStore) -> Dataset:
    """The store's document graphs and aggregate as an rdflib Dataset, without bookkeeping: what the
    in-memory build makes for the same documents, for the file writers."""
    dataset = new_dataset()
    names = [d.iri for d in stored_documents(store).values()] + [str(AGGREGATE_GRAPH)]
    graphs: dict[URIRef, Graph] = {}
    store_ns = str(STORE)
    batch = []
    for s, p, o, g in store.quads(names):
        if str(p).startswith(store_ns):
            continue
        context = graphs.get(g)
        if context is None:
            context = graphs[g] = dataset.graph(g)
        batch.append((s, p, o, context))
        if len(batch) >= 50_000:
            dataset.addN(batch)
            batch = []
    dataset.addN(batch)
    return dataset


def load_graph(path: str | os.PathLike[str]) -> Dataset:
    """A graph file (`rdf.io.read_graph`), or a store folder (or a build's OUTDIR holding one) as its
    document graphs and aggregate (`export_dataset`): what the commands that read a built graph take."""
    from ldn_graph.store.local import LocalStore, find_store

    folder = find_store(path) if os.path.isdir(path) else None
    if folder is None:
        return read_graph(path)
    with LocalStore(folder, read_only=True) as store:  # read, not parsed
        return export_dataset(store)
