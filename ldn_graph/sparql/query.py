"""A SPARQL query over a graph: `run`, on rdflib's engine or on Oxigraph's, with the same checks, errors
and result either way.

`run` answers SELECT, ASK, CONSTRUCT and DESCRIBE queries with the project prefixes pre-bound, so a query
may leave out its PREFIX lines. On an rdflib Graph or Dataset rdflib's engine runs it (over a Dataset the
default graph is the union of the named graphs, and `GRAPH ?g` still names them); on an Oxigraph store,
Oxigraph's (`sparql.oxigraph`). Before either sees it, a query's nesting and LIMIT are checked and a SERVICE
clause is refused (`sparql.sandbox`); a malformed query raises QueryError with the line and column of the
fault, in the same words on both engines (`sparql.syntax`). `sparql.formats` writes the QueryResult.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from typing import Literal as TypingLiteral

from rdflib import Dataset, Graph
from rdflib.term import Identifier, Node

from ldn_graph.errors import QueryError
from ldn_graph.sparql.sandbox import check_shape, refuse_service
from ldn_graph.sparql.syntax import initial_namespaces, query_error, run_error

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib.plugins.sparql.sparql import Query

QueryKind = TypingLiteral["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]


@dataclass
class QueryResult:
    """What a query returned: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT and DESCRIBE.

    `truncated` is true when `run` stopped at its `max_rows` (rows, or triples of the graph).
    """

    kind: QueryKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False


T = TypeVar("T")


def _at_most(items: Iterable[T], max_rows: int | None) -> tuple[list[T], bool]:
    """The first `max_rows` of `items` (all without a limit), read lazily: one more says there are more."""
    kept = list(itertools.islice(items, None if max_rows is None else max_rows + 1))
    return kept[:max_rows], max_rows is not None and len(kept) > max_rows


def rows_result(
    variables: list[str], rows: Iterable[tuple[Node | None, ...]], max_rows: int | None
) -> QueryResult:
    """A SELECT result of at most `max_rows` of `rows`."""
    kept, truncated = _at_most(rows, max_rows)
    return QueryResult("SELECT", variables=variables, rows=kept, truncated=truncated)


def graph_result(
    kind: QueryKind, triples: Iterable[tuple[Node, Node, Node]], max_rows: int | None
) -> QueryResult:
    """A CONSTRUCT or DESCRIBE result of at most `max_rows` of `triples`."""
    kept, truncated = _at_most(triples, max_rows)
    graph = Graph(bind_namespaces="none")
    for triple in kept:
        graph.add(triple)
    return QueryResult(kind, graph=graph, truncated=truncated)


def prepare_query(sparql: str, *, where: str = "query") -> Query:
    """Parse `sparql` for rdflib with the project prefixes pre-bound; QueryError (`syntax.query_error`)
    when it does not parse."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(sparql, initNs=initial_namespaces())
    except Exception as err:  # pyparsing's errors, and a plain Exception for an unknown prefix
        raise query_error(sparql, err, where=where) from None


def run(
    target: Graph | pyoxigraph.Store,
    sparql: str,
    *,
    where: str = "query",
    bindings: Mapping[str, Identifier] | None = None,
    max_rows: int | None = None,
    ontology: bool = True,
    allow_service: bool = False,
) -> QueryResult:
    """Run `sparql` on `target`: an rdflib Graph or Dataset, or an Oxigraph store; `where` names the
    query in error messages.

    `bindings` pre-binds variables to RDF terms (values never become query text). With `max_rows`, at most
    that many rows (or triples) are kept and `truncated` says whether more came. On a store, the default
    graph is the merge of the data graphs, with the ontology's graph unless `ontology` is false. A query
    with SERVICE is refused unless `allow_service`.
    """
    check_shape(sparql, where=where)
    if not allow_service:
        refuse_service(sparql, where=where)
    if isinstance(target, Graph):
        return _run_rdflib(target, sparql, where=where, bindings=bindings, max_rows=max_rows)
    from ldn_graph.sparql.oxigraph import run_oxigraph

    return run_oxigraph(target, sparql, where=where, bindings=bindings, max_rows=max_rows, ontology=ontology)


def _run_rdflib(
    graph: Graph,
    sparql: str,
    *,
    where: str,
    bindings: Mapping[str, Identifier] | None,
    max_rows: int | None,
) -> QueryResult:
    import rdflib.plugins.sparql

    # FROM <iri> of a graph the dataset lacks would make rdflib fetch it: never load anything.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    prepared = prepare_query(sparql, where=where)
    # Over a Dataset, let the default graph be the union of the named graphs, as graph.ttl is.
    restore = None
    if isinstance(graph, Dataset) and not graph.default_union:
        restore, graph.default_union = False, True
    try:
        result: Any = graph.query(prepared, initBindings=dict(bindings) if bindings else None)
        kind = str(result.type)
        if kind == "SELECT":  # solutions come lazily: stopping at max_rows + 1 spares the rest
            return rows_result([str(v) for v in result.vars or []], (tuple(r) for r in result), max_rows)
        if kind == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        return graph_result("CONSTRUCT" if kind == "CONSTRUCT" else "DESCRIBE", result, max_rows)
    except QueryError:
        raise
    except Exception as err:
        raise run_error(err, where=where) from None
    finally:
        if restore is not None and isinstance(graph, Dataset):
            graph.default_union = restore
