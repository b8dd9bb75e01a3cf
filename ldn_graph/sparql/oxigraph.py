"""Oxigraph's engine for `sparql.query.run`: a query on a pyoxigraph Store (a store folder opened
read-only, its copy in memory, or a graph file read into memory: `store.query` opens each).

The query's default graph is the merge of the data graphs and the ontology, as a query on graph.trig with
the ontology loaded beside it sees (and `GRAPH ?g` still names each graph). Parameters are bound as RDF
terms (SPARQL substitutions), never pasted into the text as text. Results come back as the same
`QueryResult` rdflib's engine gives, so every output format is shared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rdflib.term import Identifier

from ldn_graph.sparql.query import QueryKind, QueryResult, graph_result, rows_result
from ldn_graph.sparql.sandbox import NOT_CODE
from ldn_graph.sparql.syntax import initial_namespaces, query_error, run_error
from ldn_graph.store.terms import nt_term, rdflib_converter, to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.IGNORECASE)
_NOT_PROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")


def _keywords(text: str) -> str:
    return NOT_CODE.sub(" ", text)


def query_form(text: str) -> QueryKind:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's form, read past its prologue."""
    match = _FORM.search(_keywords(text))
    return match.group(1).upper() if match else "SELECT"  # type: ignore[return-value]


def substitute(text: str, values: Mapping[str, Identifier]) -> str:
    """`text` with each variable of `values` replaced by its term in SPARQL syntax, escaped (SEP-0007
    substitution): a value is one RDF term wherever it lands, and never changes the query around it."""
    out: list[str] = []
    position = 0
    for match in NOT_CODE.finditer(text):
        out.append(_substitute_variables(text[position : match.start()], values))
        out.append(match.group(0))
        position = match.end()
    out.append(_substitute_variables(text[position:], values))
    return "".join(out)


def _substitute_variables(code: str, values: Mapping[str, Identifier]) -> str:
    def term(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else f" {nt_term(value)} "

    return _VARIABLE.sub(term, code)


def _query(
    store: pyoxigraph.Store, text: str, bindings: dict[str, Identifier], options: dict[str, Any]
) -> Any:
    """Oxigraph binds a variable it projects (`substitutions`); the others are substituted in the text."""
    import pyoxigraph

    native = dict(bindings)
    while True:
        query = substitute(text, {k: v for k, v in bindings.items() if k not in native})
        substitutions: dict[pyoxigraph.Variable, Any] = {
            pyoxigraph.Variable(k): to_oxigraph(v) for k, v in native.items()
        }
        try:
            return store.query(query, substitutions=substitutions, **options)
        except Exception as err:
            unbound = _NOT_PROJECTED.search(str(err))
            if unbound is None or unbound.group(1) not in native:
                raise
            del native[unbound.group(1)]


def run_oxigraph(
    store: pyoxigraph.Store,
    text: str,
    *,
    where: str = "query",
    bindings: Mapping[str, Identifier] | None = None,
    max_rows: int | None = None,
    ontology: bool = True,
) -> QueryResult:
    """Run `text` on the store with the project prefixes pre-bound (`run` checks it first).

    Without `ontology`, the default graph is every graph but the ontology's.
    """
    import pyoxigraph

    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

    options: dict[str, Any] = {"prefixes": initial_namespaces()}
    # The default graph holds the merge of the data graphs (store/local.py says why); the ontology is
    # apart. A query with FROM names its own dataset.
    if not _FROM.search(_keywords(text)):
        options["default_graph"] = [pyoxigraph.DefaultGraph()]
        if ontology:
            options["default_graph"].append(pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)))
    to_rdflib = rdflib_converter()
    try:
        answer = _query(store, text, dict(bindings or {}), options)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult("ASK", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QuerySolutions):
            rows = (tuple(None if t is None else to_rdflib(t) for t in solution) for solution in answer)
            return rows_result([v.value for v in answer.variables], rows, max_rows)
        kind = query_form(text)
        triples = ((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in answer)
        return graph_result(kind if kind in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", triples, max_rows)
    except SyntaxError as err:
        raise query_error(text, err, where=where) from None
    except Exception as err:  # Oxigraph raises OSError and others while evaluating
        raise run_error(err, where=where) from None
