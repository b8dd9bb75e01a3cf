"""The work the server does in its query processes (see engine.py): answer a query, describe an entity.

Each job takes the graph first; the child process has it from the fork. A store folder (StoreSource) is
not inherited: each child opens it read-only for itself. What a job returns travels back
pickled, so it returns plain data: a QueryResult, an EntityView.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from ldn_graph.errors import QueryError, ReadOnlyError
from ldn_graph.server.entity import EntityView, describe_entity, labels_of
from ldn_graph.sparql.query import QueryResult, prepare_query, run_query, update_operation
from ldn_graph.sparql.sandbox import check_shape, refuse_service
from ldn_graph.store.query import StoreSource


@dataclass
class Answer:
    """A query's result, and for the HTML page the labels of the IRIs in it."""

    result: QueryResult
    labels: dict[str, str] = field(default_factory=dict)


def check_query(text: str, *, where: str = "query") -> Any:
    """Parse a query for the server: a prepared query, or ReadOnlyError / QueryRefusedError / QueryError."""
    check_shape(text, where=where)
    try:
        prepared = prepare_query(text, where=where)
    except QueryError:
        operation = update_operation(text)
        if operation is not None:
            message = f"this endpoint is read-only: {operation} (a SPARQL Update) is refused"
            raise ReadOnlyError(f"{message}; the graph is unchanged", where=where) from None
        raise
    refuse_service(text, where=where)
    return prepared


def answer_query(
    graph: Graph | StoreSource,
    text: str,
    bindings: Mapping[str, Identifier] | None,
    max_rows: int,
    with_labels: bool = False,
    where: str = "query",
) -> Answer:
    """Check and run one query; with `with_labels`, also the labels of the IRIs in the result.

    On a store folder (StoreSource), Oxigraph answers, on a read-only handle this process opens.
    """
    check_shape(text, where=where)
    if isinstance(graph, StoreSource):
        from ldn_graph.store.query import labels, run_store_query

        refuse_service(text, where=where)
        store = graph.open()
        try:
            result = run_store_query(
                store, text, where=where, bindings=bindings, max_rows=max_rows, ontology=graph.ontology
            )
        except ReadOnlyError:
            message = f"this endpoint is read-only: {update_operation(text)} (a SPARQL Update) is refused"
            raise ReadOnlyError(f"{message}; the graph is unchanged", where=where) from None
        found = labels(store, _iris(result), ontology=graph.ontology) if with_labels else {}
        return Answer(result, found)

    import rdflib.plugins.sparql

    # FROM <iri> of a graph the dataset lacks would make rdflib fetch it: never load anything.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    prepared = check_query(text, where=where)
    result = run_query(graph, prepared, where=where, bindings=bindings, max_rows=max_rows)
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
