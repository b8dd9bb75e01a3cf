"""The work the server does in its query processes (see engine.py): answer a query, describe an entity.

Each job takes the graph first; the child process has it from the fork. A store folder (StoreSource) is
not inherited: each child opens it read-only for itself. What a job returns travels back
pickled, so it returns plain data: a QueryResult, an EntityView.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from ldn_graph.server.entity import EntityView, describe_entity, labels_of
from ldn_graph.sparql.query import QueryResult, run
from ldn_graph.store.query import StoreSource


@dataclass
class Answer:
    """A query's result, and for the HTML page the labels of the IRIs in it."""

    result: QueryResult
    labels: dict[str, str] = field(default_factory=dict)


def answer_query(
    graph: Graph | StoreSource,
    text: str,
    bindings: Mapping[str, Identifier] | None,
    max_rows: int,
    with_labels: bool = False,
    where: str = "query",
) -> Answer:
    """Check and run one query (`sparql.query.run`); with `with_labels`, also the labels of the IRIs in
    the result. On a store folder (StoreSource), Oxigraph answers, on a handle this process opens."""
    if isinstance(graph, StoreSource):
        from ldn_graph.store.query import labels

        store = graph.open()
        result = run(store, text, where=where, bindings=bindings, max_rows=max_rows, ontology=graph.ontology)
        return Answer(result, labels(store, _iris(result), ontology=graph.ontology) if with_labels else {})
    result = run(graph, text, where=where, bindings=bindings, max_rows=max_rows)
    return Answer(result, labels_of(graph, _iris(result)) if with_labels else {})


def _iris(result: QueryResult) -> set[Node]:
    nodes: set[Node] = {term for row in result.rows for term in row if isinstance(term, URIRef)}
    if result.graph is not None:
        nodes |= {term for triple in result.graph for term in triple if isinstance(term, URIRef)}
    return nodes


def entity(graph: Graph | StoreSource, iri: str, limit: int) -> EntityView:
    """The entity page's data for `iri`."""
    if isinstance(graph, StoreSource):
        from ldn_graph.store.query import rdflib_view

        graph = rdflib_view(graph.open(), ontology=graph.ontology)
    return describe_entity(graph, URIRef(iri), limit=limit)
