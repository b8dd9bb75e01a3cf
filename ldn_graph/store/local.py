"""The embedded store: Oxigraph (pyoxigraph) in a folder on disk.

Oxigraph keeps its data in RocksDB, which writes every transaction to its log before applying it: a
process killed at any moment leaves each transaction either whole or absent. Replacing a document's
graph is one SPARQL update (`DROP` then `INSERT DATA`), hence one transaction. One process at a time may
open the folder for writing (RocksDB's lock); readers (`query`, `serve`) open it read-only.

The store's default graph is the merge of every data graph (documents and aggregate), kept up to date in
the same transaction as each change, and queries run on it. Why not Oxigraph's union default graph:
Oxigraph 0.5 counts a triple once per graph that holds it (oxigraph issue #1919), and the same triple is
in many graphs here (an entity in every document that mentions it), so `?d ldn:treats ?x` would
answer once per document. A graph is a set; the merged default graph is one. It doubles the statements
stored, which is cheap next to the queries it keeps right.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from ldn_graph.errors import StoreError
from ldn_graph.store.base import GraphStore, Quad
from ldn_graph.store.terms import to_rdflib

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
        if not self._store.contains_named_graph(pyoxigraph.NamedNode(name)):
            # A new graph (a first build's every document): nothing to take out first, and a load of
            # N-Quads, one transaction too, takes half the time of a SPARQL update that inserts the same.
            quads = _in_graph(data + bookkeeping, name) + (data if union else "")
            self._store.load(input=quads, format=pyoxigraph.RdfFormat.N_QUADS)
            return
        insert = f"INSERT DATA {{ GRAPH <{name}> {{\n{data}{bookkeeping}}} }}"
        if union:
            insert += f" ;\nINSERT DATA {{\n{data}}}"
        self._store.update(f"{_unmerge(name)} ;\nDROP SILENT GRAPH <{name}> ;\n{insert}")

    def drop_graph(self, name: str) -> None:
        self.writes += 1
        self._store.update(f"{_unmerge(name)} ;\nDROP SILENT GRAPH <{name}>")

    can_update = True

    def update(self, sparql: str) -> None:
        self.writes += 1
        self._store.update(sparql)

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
