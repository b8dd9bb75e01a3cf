"""SHACL per document, and on the aggregate for the assertions that changed: a build never validates the
whole graph again, and finds what validating it would (docs/scale.md).

The shapes split by what they target (`rdf.shapes.split_shapes`). A document graph describes its own nodes
whole (the document, its evidence, targets and selectors, journal, authors, qualifiers, and the entities
it names, each with its type, label and `ldn:normalised`): it is checked alone with the shapes about
them, as it is written (`DocumentChecks`). Two things span documents. An assertion node's identity is in
every document graph that supports it, its support (counts, evidence, contradictions) in the aggregate:
the assertions whose description changed are checked with the assertion shapes on their description
across the store, with the types of the nodes they point to and their plain triples. And an entity is
described by every document that names it: one with two labels, or two `ldn:normalised`, across
documents is checked on its description across the store.

What was validated is recorded beside the exports (`RECORD`, written once they are published): the
shapes' fingerprint, a hash of each document graph's revision and of each assertion's description in
the aggregate. A build checks what the record does not hold: the documents written or replaced since the
last build that published, every document when the shapes, the ontology or the code changed, and the
assertions whose aggregate description is new. A build that fails its shapes records nothing, so the
next one checks the same again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import BNode, Node

from ldn_graph.atomic import write_atomic
from ldn_graph.namespaces import AGGREGATE_GRAPH, LDN, OA, STORE
from ldn_graph.rdf import shapes as shacl
from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH
from ldn_graph.rdf.shapes import Parts, ResultKey, ShapeSplit, check, split_shapes
from ldn_graph.store.base import GraphStore
from ldn_graph.store.catalog import StoredDocument, stored_documents
from ldn_graph.store.terms import iri_values, nt_term, values_lists

Triple = tuple[Node, Node, Node]
RECORD = ".shacl-validated"
_RECORD_HEADER = "ldn-graph SHACL record 1"
# Document graphs are checked in batches of about this many statements: pyshacl's cost per call (the
# shapes read, the ontology mixed in) is then paid once per batch, not once per document.
BATCH_STATEMENTS = 20_000


def shapes_fingerprint() -> str:
    """A hash of the shapes (as a graph: the same shapes give the same hash however they are written), the
    ontology and the code: a record made under another one holds nothing."""
    from rdflib.compare import to_isomorphic

    from ldn_graph.store.fingerprint import code_fingerprint

    digest = to_isomorphic(shacl.load_shapes()).graph_digest()
    return hashlib.sha256(f"{digest} {code_fingerprint()}".encode()).hexdigest()


def document_revision(document: StoredDocument) -> str:
    """A hash of what a document graph is made from: its IRI, text, extractor and metadata."""
    text = f"{document.iri} {document.sha256} {document.extractor} {document.metadata}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _digest(lines: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()[:32]


class Record:
    """What the last build that published had validated: the shapes' fingerprint, document revisions,
    assertion descriptions (hashes)."""

    def __init__(self, fingerprint: str, documents: set[str], assertions: set[str]) -> None:
        self.fingerprint = fingerprint
        self.documents = documents
        self.assertions = assertions

    @classmethod
    def read(cls, path: Path, fingerprint: str) -> Record:
        """The record at `path`; an empty one when there is none, it cannot be read, or it was made under
        another fingerprint."""
        empty = cls(fingerprint, set(), set())
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return empty
        if lines[:2] != [_RECORD_HEADER, f"shapes {fingerprint}"]:
            return empty
        kept: dict[str, set[str]] = {"d": set(), "a": set()}
        for line in lines[2:]:
            kind, _, digest = line.partition(" ")
            if kind in kept:
                kept[kind].add(digest)
        return cls(fingerprint, kept["d"], kept["a"])

    def write(self, path: Path) -> None:
        """Write the record to `path`, whole or not at all."""
        lines = [_RECORD_HEADER, f"shapes {self.fingerprint}"]
        lines += [f"d {d}" for d in sorted(self.documents)]
        lines += [f"a {a}" for a in sorted(self.assertions)]
        write_atomic(path, "\n".join(lines) + "\n")


class DocumentChecks:
    """Document graphs checked with the shapes about one document's own nodes as they are written, in
    batches (`BATCH_STATEMENTS`); collects the results, the revisions checked, and the assertions and
    entities the graphs describe (what the checks across documents start from)."""

    def __init__(self, shapes: ShapeSplit | None = None, *, background: bool = False) -> None:
        self.shapes = shapes or split_shapes(shacl.load_shapes())
        self.results: dict[ResultKey, str] = {}
        self.revisions: set[str] = set()
        self.assertions: set[URIRef] = set()
        self.entities: set[URIRef] = set()
        self.count = 0  # document graphs checked
        self.read_back = 0  # documents `gather` then read back from the store and checked
        self._batch: list[Triple] = []
        # With `background`, the batches are checked in a process of their own (rdf.shapes.BackgroundChecks)
        # while this one reads and writes the next documents: pyshacl takes ~35 ms a document.
        self._checker = shacl.BackgroundChecks(self.shapes.documents) if background else None

    def add(self, document: StoredDocument, triples: Iterable[Triple]) -> None:
        """Check one document graph (in the next batch); `document` is its catalog entry."""
        for triple in triples:
            self._batch.append(triple)
            if triple[1] in _NOTED:  # a set lookup first: most statements say nothing of the kind
                _note(triple, self.assertions, self.entities)
        self.revisions.add(document_revision(document))
        self.count += 1
        if len(self._batch) >= BATCH_STATEMENTS:
            self.flush()

    def flush(self) -> None:
        """Check the batch gathered so far."""
        if not self._batch:
            return
        if self._checker is not None:
            self._checker.send(self._batch)
        else:
            graph = Graph()
            for triple in self._batch:
                graph.add(triple)
            self.results.update(check(graph, self.shapes.documents, inplace=True))
        self._batch = []

    def finish(self) -> dict[ResultKey, str]:
        """Check what is left and return the results of every document graph checked."""
        self.flush()
        if self._checker is not None:
            self.results.update(self._checker.results())
        return self.results

    def stop(self) -> None:
        """End the checking process, if any (the build failed or was interrupted)."""
        if self._checker is not None:
            self._checker.stop()


# The predicates of the statements `_note` learns something from.
_NOTED = frozenset((OA.hasBody, RDF.type, RDF.subject, RDFS.label, LDN.normalised))


def _note(triple: Triple, assertions: set[URIRef], entities: set[URIRef]) -> None:
    """Add to `assertions` and `entities` the node `triple` says is one (a document graph names an
    assertion as a typed node, a subject, or an evidence's body; an entity has a label)."""
    s, p, o = triple
    if p == OA.hasBody and isinstance(o, URIRef):
        assertions.add(o)
    elif not isinstance(s, URIRef):
        return
    elif (p == RDF.type and o == LDN.Assertion) or p == RDF.subject:
        assertions.add(s)
    elif p in (RDFS.label, LDN.normalised):
        entities.add(s)


def gather(store: GraphStore, record: Record, checks: DocumentChecks) -> tuple[Parts, Record]:
    """What is left to check of `store` after `checks` (the documents written by this build): the parts
    for `rdf.shapes.validate`, and the record to keep once they conform."""
    found = checks.finish()
    documents = stored_documents(store)
    revisions = {document_revision(d): d for d in documents.values()}
    parts = Parts(checks.shapes, found=dict(found))
    assertions, entities = set(checks.assertions), set(checks.entities)
    unchecked = [d for r, d in revisions.items() if r not in record.documents and r not in checks.revisions]
    checks.read_back = len(unchecked)
    if unchecked:
        # Documents this build did not write (another path wrote them, or the shapes changed): read back
        # one at a time and checked as written ones are, in a process of their own; memory holds a batch.
        again = DocumentChecks(checks.shapes, background=True)
        try:
            for document in unchecked:
                again.add(document, list(_statements(store, [document.iri])))
            parts.found.update(again.finish())
        finally:
            again.stop()
        assertions |= again.assertions
        entities |= again.entities
    described = _aggregate_descriptions(store)
    changed = {a for a, digest in described.items() if digest not in record.assertions}
    focus = _with_contradictions(store, assertions | changed)
    parts.assertions = _assertion_neighbourhood(store, focus)
    parts.entity_focus = sorted(_entities_described_twice(store, entities))
    if parts.entity_focus:
        parts.entities = _describe(store, parts.entity_focus)
        parts.entities += _types(store, _objects(parts.entities))
    return parts, Record(record.fingerprint, set(revisions), set(described.values()))


# A term of a SELECT answer, with what the plain string leaves out: kind, datatype, language.
_TERM = "(isIRI(?o) AS ?iri) (isBlank(?o) AS ?blank) (DATATYPE(?o) AS ?dt) (LANG(?o) AS ?lang)"
_DATA = f'FILTER(?g != <{ONTOLOGY_GRAPH}> && !STRSTARTS(STR(?p), "{STORE}"))'


def _term(row: dict[str, str]) -> Node:
    value = row["o"]
    if row.get("iri") in ("true", "1"):
        return URIRef(value)
    if row.get("blank") in ("true", "1"):
        return BNode(value)
    if row.get("lang"):
        return Literal(value, lang=row["lang"])
    datatype = row.get("dt")
    if datatype and datatype != str(XSD.string):
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _describe(store: GraphStore, nodes: Iterable[Node]) -> Graph:
    """Every statement about `nodes` (as subjects) in the store's data graphs: their description in the
    whole graph."""
    graph = Graph()
    view = _local_union(store)
    if view is not None:
        for node in nodes:
            graph.addN((node, p, o, graph) for p, o in view.predicate_objects(node))
        return graph
    for values in iri_values(nodes):
        query = (
            f"SELECT ?s ?p ?o {_TERM} WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {_DATA} }}"
        )
        for row in store.select(query):
            graph.add((URIRef(row["s"]), URIRef(row["p"]), _term(row)))
    return graph


def _types(store: GraphStore, nodes: Iterable[Node]) -> Graph:
    """The rdf:type statements of `nodes` in the store's data graphs."""
    graph = Graph()
    view = _local_union(store)
    if view is not None:
        for node in nodes:
            graph.addN((node, RDF.type, o, graph) for o in view.objects(node, RDF.type))
        return graph
    for values in iri_values(nodes):
        query = (
            f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s <{RDF.type}> ?o }} "
            f"FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"
        )
        for row in store.select(query):
            graph.add((URIRef(row["s"]), RDF.type, URIRef(row["o"])))
    return graph


def _local_union(store: GraphStore) -> Graph | None:
    """The union of a local store's data graphs, looked up in place (store/view.py); None for a remote
    store, which is asked with SPARQL."""
    from ldn_graph.store.local import LocalStore
    from ldn_graph.store.view import union_view

    return union_view(store) if isinstance(store, LocalStore) else None


def _objects(graph: Graph) -> set[Node]:
    return {o for o in graph.objects() if isinstance(o, URIRef)}


def _statements(store: GraphStore, names: list[str]) -> Iterator[Triple]:
    store_ns = str(STORE)
    for s, p, o, _ in store.quads(names):
        if not str(p).startswith(store_ns):
            yield s, p, o


def _aggregate_descriptions(store: GraphStore) -> dict[URIRef, str]:
    """Each node the aggregate graph describes, with a hash of its statements there."""
    from ldn_graph.store.local import LocalStore

    lines: dict[URIRef, list[str]] = defaultdict(list)
    if isinstance(store, LocalStore):  # Oxigraph's own N-Triples text: no rdflib term made
        import pyoxigraph as ox

        store_ns = str(STORE)
        for q in store.native().quads_for_pattern(None, None, None, ox.NamedNode(str(AGGREGATE_GRAPH))):
            if isinstance(q.subject, ox.NamedNode) and not q.predicate.value.startswith(store_ns):
                lines[URIRef(q.subject.value)].append(f"{q.subject} {q.predicate} {q.object}")
        return {s: _digest(found) for s, found in lines.items()}
    for s, p, o in _statements(store, [str(AGGREGATE_GRAPH)]):
        if isinstance(s, URIRef):
            lines[s].append(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}")
    return {s: _digest(found) for s, found in lines.items()}


def _with_contradictions(store: GraphStore, assertions: set[URIRef]) -> set[URIRef]:
    """`assertions` and the assertions that contradict them or that they contradict: checked together,
    since each one's shapes read the other's description."""
    found = set(assertions)
    for values in iri_values(assertions):
        query = (
            f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} GRAPH ?g {{ {{ ?a <{LDN.contradictedBy}> ?b }} "
            f"UNION {{ ?b <{LDN.contradictedBy}> ?a }} }} }}"
        )
        found |= {URIRef(row["b"]) for row in store.select(query)}
    return found


def _assertion_neighbourhood(store: GraphStore, assertions: set[URIRef]) -> Graph:
    """The assertions' description in the whole graph, the types of the nodes they point to, and their
    plain triples where the store holds them: all that the assertion shapes read."""
    graph = _describe(store, assertions)
    graph += _types(store, _objects(graph))
    triples = [
        (s, p, o)
        for a in assertions
        for s in graph.objects(a, RDF.subject)
        for p in graph.objects(a, RDF.predicate)
        for o in graph.objects(a, RDF.object)
    ]
    view = _local_union(store)
    if view is not None:
        graph.addN((*triple, graph) for triple in triples if triple in view)
        return graph
    for values in values_lists(f"({nt_term(s)} {nt_term(p)} {nt_term(o)})" for s, p, o in triples):
        query = (
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        for row in store.select(query):
            graph.add((URIRef(row["s"]), URIRef(row["p"]), URIRef(row["o"])))
    return graph


def _entities_described_twice(store: GraphStore, entities: set[URIRef]) -> set[URIRef]:
    """Of `entities`, those with more than one rdfs:label or ldn:normalised across the store's graphs:
    the shapes' sh:maxCount on them spans documents."""
    found: set[URIRef] = set()
    for values in iri_values(entities):
        query = (
            f"SELECT ?s WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ <{RDFS.label}> <{LDN.normalised}> }} "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }} GROUP BY ?s ?p "
            "HAVING (COUNT(DISTINCT ?o) > 1)"
        )
        found |= {URIRef(row["s"]) for row in store.select(query)}
    return found
