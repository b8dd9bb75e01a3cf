"""The store's union graph as an rdflib Graph that reads the store, holding none of it in memory: what the
HTML view and KGX read (rdf/read.py's `GraphReader`), without the rdflib copy of the whole graph that set
a build's peak memory (docs/scale.md).

A local store keeps the union of its data graphs as its default graph (store/local.py), without the
bookkeeping statements and the ontology: exactly what is exported. Each pattern the readers look up is
one lookup in Oxigraph's indexes. A remote store has no such graph to read piece by piece: its union is
gathered into memory from its graphs, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Graph, URIRef
from rdflib.store import Store
from rdflib.term import Node

from ldn_graph.store.base import GraphStore
from ldn_graph.store.catalog import export_dataset
from ldn_graph.store.terms import iri_values, nt_term, oxigraph_converter, to_rdflib, valid_iri

_Pattern = tuple[Node | None, Node | None, Node | None]


class OxigraphUnion(Store):
    """A read-only rdflib Store over the default graph of an open pyoxigraph store."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, native: Any) -> None:
        import pyoxigraph as ox

        super().__init__()
        self._native = native
        self._default = ox.DefaultGraph()
        self._to_oxigraph = oxigraph_converter()
        self._iris: dict[Any, Node] = {}  # an IRI recurs in many lookups: converted once

    def _convert(self, term: Any) -> Node:
        found = self._iris.get(term)
        if found is not None:
            return found
        converted = to_rdflib(term)
        if isinstance(converted, URIRef):
            self._iris[term] = converted
        return converted

    def triples(
        self, triple_pattern: _Pattern, context: Any = None
    ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Any]]]:
        """The statements matching `triple_pattern` (None: any term)."""
        s, p, o = (None if term is None else self._to_oxigraph(term) for term in triple_pattern)
        convert = self._convert
        for quad in self._native.quads_for_pattern(s, p, o, self._default):
            yield (convert(quad.subject), convert(quad.predicate), convert(quad.object)), iter(())

    def predicate_pairs(
        self, predicate: URIRef, subjects: Iterable[URIRef] | None = None
    ) -> Iterator[tuple[Node, Node]]:
        """Every subject and object of `predicate` (of `subjects` only, when given), read with a query (a
        VALUES list of subjects in each), faster than the same patterns through `triples`: rdf/indexed.py
        reads a predicate so. A literal that recurs is converted once."""
        import pyoxigraph as ox

        named = ox.NamedNode
        literals: dict[Any, Node] = {}

        def convert(term: Any) -> Node:
            if type(term) is named:
                return valid_iri(term.value)
            found = literals.get(term)
            if found is None:
                found = literals[term] = to_rdflib(term)
            return found

        pattern = f"?s {nt_term(predicate)} ?o"
        queries = (
            [f"SELECT ?s ?o WHERE {{ {pattern} }}"]
            if subjects is None
            else (
                f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {listed} }} {pattern} }}"
                for listed in iri_values(subjects)
            )
        )
        for query in queries:
            for row in self._native.query(query):
                yield convert(row[0]), convert(row[1])

    def __len__(self, context: Any = None) -> int:
        """How many statements the union holds."""
        solutions = self._native.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(solutions))[0].value)

    def close(self, commit_pending_transaction: bool = False) -> None:
        """Let go of the pyoxigraph store, so that closing it releases its lock (a view kept alive by a
        reference cycle would otherwise keep the store open until the garbage collector runs)."""
        self._native = None
        self._iris.clear()

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        """Refused: the view is read-only."""
        raise TypeError("the store's union view is read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        """Refused: the view is read-only."""
        raise TypeError("the store's union view is read-only")


def union_view(store: GraphStore) -> Graph:
    """The union of `store`'s exported graphs as a Graph: read from the store as it is looked up when the
    store is a local folder, else gathered into memory (a Dataset, read as the union of its graphs)."""
    from ldn_graph.store.local import LocalStore

    if isinstance(store, LocalStore):
        return Graph(store=OxigraphUnion(store.native()), bind_namespaces="none")
    return export_dataset(store)


def is_union_view(graph: Graph) -> bool:
    """True for a graph `union_view` reads from a store: the union already, without blank nodes."""
    return isinstance(graph.store, OxigraphUnion)
