"""The embedded store: Oxigraph (pyoxigraph) in a folder on disk.

Oxigraph keeps its data in RocksDB, which writes every transaction to its log before applying it: a
process killed at any moment leaves each transaction either whole or absent. A new graph is one load of
N-Quads; replacing a graph is one SPARQL update that takes out and puts in the statements that differ
(`DELETE DATA`, `INSERT DATA`), hence one transaction either way. What the transactions write is held in
memory until flushed to disk (`FLUSH_AFTER`). One process at a time may open the folder for writing
(RocksDB's lock); readers (`query`, `serve`) open it read-only.

The store's default graph is the merge of every data graph (documents and aggregate), kept up to date in
the same transaction as each change, and queries run on it. Why not Oxigraph's union default graph:
Oxigraph 0.5 counts a triple once per graph that holds it (oxigraph issue #1919), and the same triple is
in many graphs here (an entity in every document that mentions it), so `?d ldn:treats ?x` would
answer once per document. A graph is a set; the merged default graph is one. It doubles the statements
stored, which is cheap next to the queries it keeps right.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from ldn_graph.errors import StoreError
from ldn_graph.store.base import GraphStore, Quad
from ldn_graph.store.terms import to_rdflib, values_lists

if TYPE_CHECKING:
    import pyoxigraph


def is_store_folder(path: str | os.PathLike[str]) -> bool:
    """True when `path` is a folder that holds an Oxigraph (RocksDB) store."""
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def find_store(path: str | os.PathLike[str]) -> Path | None:
    """The store folder that `path` names: the folder itself, or the `store` folder a build left in it."""
    path = Path(path)
    for candidate in (path, path / "store"):
        if is_store_folder(candidate):
            return candidate
    return None


def open_oxigraph(path: str | os.PathLike[str], *, read_only: bool) -> pyoxigraph.Store:
    """Open the store in `path` (created when absent, unless read-only); StoreError saying why not."""
    import pyoxigraph

    path = Path(path)
    where = str(path)
    if read_only and not is_store_folder(path):
        raise StoreError("not an ldn-graph store (no Oxigraph database in this folder)", where=where)
    if not read_only:
        if path.exists() and not path.is_dir():
            raise StoreError("exists and is not a folder", where=where)
        if path.is_dir() and any(path.iterdir()) and not is_store_folder(path):
            raise StoreError(
                "folder is not empty and holds no Oxigraph store: refusing to write in it", where=where
            )
    try:
        if not read_only:
            path.mkdir(parents=True, exist_ok=True)
        return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))
    except OSError as err:
        message = " ".join(str(err).split())
        if "lock" in message.lower():
            raise StoreError(
                "the store is open for writing in another process (a build or a remove?); wait for it",
                where=where,
            ) from None
        raise StoreError(f"cannot open the store: {message}", where=where) from None


def _unmerge(name: str) -> str:
    """The update that takes the statements of graph `name` out of the merged default graph, except
    those another data graph also holds."""
    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }}\n"
        f"    FILTER(?g != <{name}> && ?g != <{ONTOLOGY_GRAPH}>) }}\n"
        "}"
    )


def _unmerge_rows(rows: str) -> str:
    """The update that takes the statements `rows` (a VALUES list of "(s p o)") out of the merged default
    graph, except those a data graph holds."""
    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p ?o) {{ {rows} }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}\n"
        "}"
    )


# RocksDB keeps what a transaction writes in memory (its write buffers, one per index) until a buffer
# reaches its size: Oxigraph gives each of its dozen indexes 128 MB, so a build's store grew by about 1 MB
# a document and let go of nothing before 2,000 documents (a replaced graph writes its deletions too).
# The buffers are flushed to disk after this many characters of statements written, which keeps them at
# about 70 MB whatever the corpus (docs/scale.md); what is flushed was in the log already.
FLUSH_AFTER = 8 << 20
# What a dropped graph counts for: about one document's statements.
_DROPPED = 100_000


def _replacement(
    store: pyoxigraph.Store, graph: pyoxigraph.NamedNode, data: str, bookkeeping: str, *, union: bool
) -> str | None:
    """The SPARQL update that makes the stored `graph` hold `data` and `bookkeeping` (N-Triples) and keeps
    the merged default graph the union of the data graphs, taking out and putting in only the statements
    that differ: a document read again by other code, or the aggregate after a change, is mostly the same
    statements. One update, one transaction; empty when nothing differs, None when the graph holds blank
    nodes (it is then written whole)."""
    import pyoxigraph as ox

    def parsed(text: str) -> set[ox.Triple]:
        return {quad.triple for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}

    name = graph.value
    old = {quad.triple for quad in store.quads_for_pattern(None, None, None, graph)}
    new_data = parsed(data)
    new = new_data | parsed(bookkeeping)
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in old | new):
        return None  # a blank node read back is not the one written, and DELETE DATA cannot name one
    # Compared as Oxigraph stores them: "30.0"^^xsd:double is kept as the double 30, read back as "30".
    before, after = {_stored(t): t for t in old}, {_stored(t): t for t in new}
    removed = {t for key, t in before.items() if key not in after}
    added = {t for key, t in after.items() if key not in before}
    steps = []
    if removed:
        steps.append(f"DELETE DATA {{ GRAPH <{name}> {{\n{_lines(removed)}}} }}")
        if union:  # bookkeeping was never merged: taking it out of the merged graph does nothing
            rows = values_lists(f"({t.subject} {t.predicate} {t.object})" for t in removed)
            steps += map(_unmerge_rows, rows)
    if added:
        steps.append(f"INSERT DATA {{ GRAPH <{name}> {{\n{_lines(added)}}} }}")
        merged = added & new_data
        if union and merged:
            steps.append(f"INSERT DATA {{\n{_lines(merged)}}}")
    return " ;\n".join(steps)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
# The numeric datatypes Oxigraph keeps as values: a valid lexical form, and how Python tells that two such
# forms are one value ("30.0"^^xsd:double is kept as the double 30, read back as "30").
_VALUES: dict[str, tuple[re.Pattern[str], Callable[[str], object]]] = {
    _XSD + "double": (re.compile(f"{_NUMBER}(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"), lambda t: repr(float(t))),
    _XSD + "float": (re.compile(f"{_NUMBER}(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"), lambda t: repr(float(t))),
    _XSD + "decimal": (re.compile(_NUMBER), Decimal),
    _XSD + "integer": (re.compile(r"[+-]?[0-9]+"), int),
}


def _stored(triple: pyoxigraph.Triple) -> object:
    """What tells `triple` from others once stored: itself, or with a number for object, its value."""
    import pyoxigraph as ox

    o = triple.object
    if not isinstance(o, ox.Literal) or o.datatype.value not in _VALUES:
        return triple
    pattern, value = _VALUES[o.datatype.value]
    if not pattern.fullmatch(o.value):  # not a number: stored as written
        return triple
    return triple.subject, triple.predicate, o.datatype.value, value(o.value)


def _lines(triples: set[pyoxigraph.Triple]) -> str:
    """N-Triples lines of `triples`, sorted (Oxigraph writes each term as N-Triples, which SPARQL reads)."""
    return "".join(sorted(f"{t} .\n" for t in triples))


def _in_graph(ntriples: str, name: str) -> str:
    """N-Triples lines (`store.terms.ntriples`: one statement per line, ending " .") as N-Quads in `name`."""
    return "".join(f"{line[:-1]}<{name}> .\n" for line in ntriples.split("\n") if line)


class LocalStore(GraphStore):
    """An Oxigraph store in a folder, opened for writing (or read-only, for export)."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        self.oxigraph: pyoxigraph.Store | None = open_oxigraph(self.path, read_only=read_only)
        self._unflushed = 0  # characters of statements written since the write buffers were last flushed

    @property
    def _store(self) -> pyoxigraph.Store:
        if self.oxigraph is None:
            raise StoreError("the store is closed", where=self.location)
        return self.oxigraph

    def native(self) -> pyoxigraph.Store:
        """The open pyoxigraph store, for readers that stream its statements (store/export.py)."""
        return self._store

    def select(self, query: str) -> list[dict[str, str]]:
        import pyoxigraph

        solutions = self._store.query(query)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [
            {name: term.value for name, term in zip(names, solution, strict=True) if term is not None}
            for solution in solutions
        ]

    def replace_graph(self, name: str, data: str, *, bookkeeping: str = "", union: bool = True) -> None:
        import pyoxigraph

        self.writes += 1
        graph = pyoxigraph.NamedNode(name)
        if self._store.contains_named_graph(graph):
            # Only the statements that differ are written, in one update (one transaction).
            update = _replacement(self._store, graph, data, bookkeeping, union=union)
            if update is not None:
                if update:
                    self._store.update(update)
                    self._wrote(len(update))
                return
            # Blank nodes: the graph is dropped, then loaded as a new one. A process killed in between
            # leaves no such graph, which the next build writes again (a document, the aggregate, the
            # ontology: each is written when absent).
            self._store.update(f"{_unmerge(name)} ;\nDROP SILENT GRAPH <{name}>")
        # A new graph (a first build's every document): nothing to take out first, and a load of N-Quads,
        # one transaction too, takes half the time of a SPARQL update that inserts the same.
        quads = _in_graph(data + bookkeeping, name) + (data if union else "")
        self._store.load(input=quads, format=pyoxigraph.RdfFormat.N_QUADS)
        self._wrote(len(quads))

    def drop_graph(self, name: str) -> None:
        self.writes += 1
        self._store.update(f"{_unmerge(name)} ;\nDROP SILENT GRAPH <{name}>")
        self._wrote(_DROPPED)

    def _wrote(self, size: int) -> None:
        """Count `size` characters of statements written, and flush the store's write buffers to disk once
        `FLUSH_AFTER` have been written since the last flush."""
        self._unflushed += size
        if self._unflushed >= FLUSH_AFTER:
            self._store.flush()
            self._unflushed = 0

    can_update = True

    def update(self, sparql: str) -> None:
        self.writes += 1
        self._store.update(sparql)
        self._wrote(len(sparql))

    def quads(self, names: Iterable[str]) -> Iterator[Quad]:
        import pyoxigraph

        cache: dict[str, Node] = {}  # an IRI recurs in many statements: convert it once

        def term(value: Any) -> Node:
            if isinstance(value, pyoxigraph.NamedNode):
                found = cache.get(value.value)
                if found is None:
                    found = cache[value.value] = to_rdflib(value)
                return found
            return to_rdflib(value)

        for name in names:
            graph = URIRef(name)
            for quad in self._store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(name)):
                yield term(quad.subject), term(quad.predicate), term(quad.object), graph

    def close(self) -> None:
        if self.oxigraph is not None and not self.read_only:
            self.oxigraph.flush()
        self.oxigraph = None  # the last reference: RocksDB closes and lets go of its lock
