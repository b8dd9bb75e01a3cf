"""The work the server does in its query processes (see engine.py): answer a query, describe an entity.

Each job takes the graph first; the child process has it from the fork. What a job returns travels back
pickled, so it returns plain data: a QueryResult, an EntityView.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from ldn_graph.errors import QueryError, QueryRefusedError, ReadOnlyError
from ldn_graph.query import QueryResult, prepare_query, run_query
from ldn_graph.server.entity import EntityView, describe_entity, labels_of

# Update operations as rdflib's parser names them, and as SPARQL spells them.
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


@dataclass
class Answer:
    """A query's result, and for the HTML page the labels of the IRIs in it."""

    result: QueryResult
    labels: dict[str, str] = field(default_factory=dict)


def _update_operation(text: str) -> str | None:
    """The first operation's name when `text` parses as SPARQL Update, else None."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:
        return None
    requests = getattr(parsed, "request", None) or []
    name = getattr(requests[0], "name", "") if requests else ""
    return _UPDATE_NAMES.get(name, name or "an update")


def _walk(node: Any) -> Iterator[str]:
    """The names of every algebra node under `node` (rdflib CompValues are dicts with a name)."""
    name = getattr(node, "name", None)
    if isinstance(name, str):
        yield name
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def check_query(text: str, *, where: str = "query") -> Any:
    """Parse a query for the server: a prepared query, or ReadOnlyError / QueryRefusedError / QueryError."""
    try:
        prepared = prepare_query(text, where=where)
    except QueryError:
        operation = _update_operation(text)
        if operation is not None:
            message = f"this endpoint is read-only: {operation} (a SPARQL Update) is refused"
            raise ReadOnlyError(f"{message}; the graph is unchanged", where=where) from None
        raise
    if "ServiceGraphPattern" in set(_walk(prepared.algebra)):
        raise QueryRefusedError(
            "SERVICE is refused: this endpoint queries its own graph and never makes outbound requests",
            where=where,
        )
    return prepared


def answer_query(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Identifier] | None,
    max_rows: int,
    with_labels: bool = False,
    where: str = "query",
) -> Answer:
    """Check and run one query; with `with_labels`, also the labels of the IRIs in the result."""
    import rdflib.plugins.sparql

    # FROM <iri> of a graph the dataset lacks would make rdflib fetch it: never load anything.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    prepared = check_query(text, where=where)
    result = run_query(graph, prepared, where=where, bindings=bindings, max_rows=max_rows)
    labels: dict[str, str] = {}
    if with_labels:
        nodes: set[Node] = {term for row in result.rows for term in row if isinstance(term, URIRef)}
        if result.graph is not None:
            nodes |= {term for triple in result.graph for term in triple if isinstance(term, URIRef)}
        labels = labels_of(graph, nodes)
    return Answer(result, labels)


def entity(graph: Graph, iri: str, limit: int) -> EntityView:
    """The entity page's data for `iri`."""
    return describe_entity(graph, URIRef(iri), limit=limit)
