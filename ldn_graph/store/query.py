"""SPARQL answered by Oxigraph: what `query` runs on a store folder, `serve` on the store's copy in
memory (`StoreSource.in_memory`), and both on a graph file read into memory (`file_source`).

The store is opened read-only, so any number of readers may query it at once (not while a build writes
it: RocksDB does not promise what a reader sees then). The query's default graph is the merge of the
data graphs and the ontology, as a query on graph.trig with the ontology loaded beside it sees (and
`GRAPH ?g` still names each graph); parameters are
bound as RDF terms (SPARQL substitutions), never pasted into the text. Results come back as the same
`QueryResult` the rdflib path gives, so every output format is shared.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from ldn_graph.errors import GraphFileError, QueryError, ReadOnlyError
from ldn_graph.sparql.query import QueryKind, QueryResult, initial_namespaces
from ldn_graph.store.local import find_store as find_store  # where the CLI and the server look it up
from ldn_graph.store.local import open_oxigraph
from ldn_graph.store.terms import nt_term, oxigraph_converter, rdflib_converter, to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

# Strings, IRIs and comments: what may hold a keyword that is not one.
_NOT_KEYWORDS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*"
)
_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.IGNORECASE)
_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _keywords(text: str) -> str:
    return _NOT_KEYWORDS.sub(" ", text)


def query_form(text: str) -> QueryKind:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's form, read past its prologue."""
    match = _FORM.search(_keywords(text))
    return match.group(1).upper() if match else "SELECT"  # type: ignore[return-value]


def refuse_service(text: str, *, where: str = "query") -> None:
    """QueryRefusedError when the query has a SERVICE clause: Oxigraph would fetch it (sparql.sandbox
    decides on the parsed query)."""
    from ldn_graph.sparql.sandbox import refuse_service as refuse

    refuse(text, where=where)


@dataclass(frozen=True)
class StoreSource:
    """A store folder to query: each process opens it for itself (RocksDB handles do not survive a fork),
    or its copy in memory (`in_memory`), which a forked process shares.

    `ontology`: each query's default graph adds the ontology graph to the merged data graph. A copy in
    memory holds the ontology in its default graph already, and says False.
    """

    path: Path
    ontology: bool = True
    memory: pyoxigraph.Store | None = field(default=None, compare=False, repr=False)

    def open(self) -> pyoxigraph.Store:
        """The copy in memory, or a read-only handle of the store, for this process."""
        if self.memory is not None:
            return self.memory
        return open_oxigraph(self.path, read_only=True)

    def in_memory(self) -> StoreSource:
        """The store copied into Oxigraph's in-memory store, for a long-running server.

        Oxigraph answers the library's queries about four times faster there than on disk, where every
        pattern and every string is a RocksDB read; the copy costs seconds at start-up and memory
        (docs/store.md has the figures). Every graph is copied as it is, so `GRAPH ?g` names the same
        graphs; the ontology is also added to the copy's default graph, which makes a query's default
        graph one graph rather than two (Oxigraph reads each pattern once per graph there).
        """
        import pyoxigraph

        from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

        disk = self.open()
        copy = pyoxigraph.Store()
        copy.bulk_extend(disk.quads_for_pattern(None, None, None, None))
        if self.ontology:
            vocabulary = disk.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)))
            copy.bulk_extend(pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in vocabulary)
        return StoreSource(self.path, ontology=False, memory=copy)

    def __len__(self) -> int:
        """The statements a query sees: the merged data graph, and the ontology unless left out."""
        import pyoxigraph

        from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

        graphs: list[Any] = [pyoxigraph.DefaultGraph()]
        if self.ontology:
            graphs.append(pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)))
        answer = self.open().query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graphs)
        assert isinstance(answer, pyoxigraph.QuerySolutions)
        return int(next(answer)["n"].value)


def file_source(path: str | os.PathLike[str], *, ontology: bool = True) -> StoreSource:
    """A graph file (`load_graph` reads it) in Oxigraph's in-memory store, laid out as `in_memory` lays
    out a store folder's copy: each named graph as it is, their merge in the default graph, and the
    ontology in its graph and in the default graph. A query on a file thus runs on the engine, and gets
    the rows, it gets on the store (rdflib's own engine drops rows, e.g. VALUES before OPTIONAL:
    rdflib issue 2332)."""
    import pyoxigraph

    from ldn_graph.rdf.io import read_graph
    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH, load_ontology

    dataset = read_graph(path)
    memory = pyoxigraph.Store()
    converter = oxigraph_converter()

    def convert(term: Node) -> Any:
        try:
            return converter(term)
        except ValueError as err:  # a term rdflib read and Oxigraph refuses, e.g. `<a^b>`
            problem = " ".join(str(err).split())
            raise GraphFileError(
                f"{nt_term(term)[:200]} cannot be queried: {problem}", where=str(path)
            ) from None

    merged = pyoxigraph.DefaultGraph()

    def quads() -> Iterator[pyoxigraph.Quad]:
        for s, p, o, graph in dataset.quads((None, None, None, None)):
            triple = (convert(s), convert(p), convert(o))
            yield pyoxigraph.Quad(*triple, merged)
            if graph is not None:
                yield pyoxigraph.Quad(*triple, convert(graph))

    memory.bulk_extend(quads())
    if ontology:
        vocabulary = pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH))
        for s, p, o in load_ontology():
            triple = (convert(s), convert(p), convert(o))
            memory.bulk_extend([pyoxigraph.Quad(*triple, vocabulary), pyoxigraph.Quad(*triple, merged)])
    return StoreSource(Path(path), ontology=False, memory=memory)


def stale_documents_warning(folder: Path) -> str | None:
    """A line saying how many documents of the store in `folder` this installation would read again
    (`catalog.count_out_of_date`), or None when none: a query on such a store answers from an older
    reading."""
    from ldn_graph.store.catalog import count_out_of_date
    from ldn_graph.store.local import LocalStore

    with LocalStore(folder, read_only=True) as store:
        stale, total = count_out_of_date(store)
    if not stale:
        return None
    return (
        f"{folder}: {stale:,} of {total:,} documents were read by other extraction code, "
        "vocabulary or model than this installation's: answers reflect that reading until "
        "`ldn-graph build` reads them again"
    )


def rdflib_view(store: pyoxigraph.Store, *, ontology: bool = True) -> Graph:
    """What queries see (the merged data graph, and the ontology) through rdflib's Graph API (oxrdflib),
    for the code that walks a graph."""
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ReadOnlyGraphAggregate

    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

    backend = OxigraphStore(store=store)
    graphs = [Graph(store=backend, identifier=DATASET_DEFAULT_GRAPH_ID)]
    if ontology:
        graphs.append(Graph(store=backend, identifier=ONTOLOGY_GRAPH))
    return ReadOnlyGraphAggregate(graphs)


def _syntax_error(err: SyntaxError, text: str, where: str) -> QueryError:
    from ldn_graph.sparql.query import update_operation
    from ldn_graph.sparql.syntax import describe

    operation = update_operation(text)
    if operation is not None:
        return ReadOnlyError(
            f"queries on a store are read-only: {operation} (a SPARQL Update) is refused; "
            "the store is unchanged",
            where=where,
        )
    message = " ".join(str(err).split())
    match = _SYNTAX.fullmatch(message)
    if match:
        line, column, detail = match.groups()
        if "Prefix not found" in detail:
            before = text.splitlines()[int(line) - 1][: int(column) - 1] if text else ""
            prefix = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
            if prefix:
                name = prefix.group(1) or ""
                return QueryError(
                    f"unknown prefix '{name}:'; declare it with PREFIX {name}: <...>", where=where
                )
        fault = describe(message, text)
        if fault is not None:
            return QueryError(fault.message(), where=where)
        return QueryError(f"syntax error at line {line}, column {column}: {detail}", where=where)
    return QueryError(f"syntax error: {message}", where=where)


_NOT_PROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")


def substitute(text: str, values: Mapping[str, Identifier]) -> str:
    """`text` with each variable of `values` replaced by its term in SPARQL syntax, escaped (SEP-0007
    substitution): a value is one RDF term wherever it lands, and never changes the query around it."""
    out: list[str] = []
    position = 0
    for match in _NOT_KEYWORDS.finditer(text):
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


def run_store_query(
    store: pyoxigraph.Store,
    text: str,
    *,
    where: str = "query",
    bindings: Mapping[str, Identifier] | None = None,
    max_rows: int | None = None,
    ontology: bool = True,
) -> QueryResult:
    """Run `text` on the store with the project prefixes pre-bound; the same QueryResult as `run_query`.

    Without `ontology`, the default graph is every graph but the ontology's.
    """
    import pyoxigraph

    from ldn_graph.rdf.ontology import ONTOLOGY_GRAPH

    options: dict[str, Any] = {"prefixes": initial_namespaces()}
    # The default graph holds the merge of the data graphs (local.py says why); the ontology is apart.
    # A query with FROM names its own dataset.
    if not _FROM.search(_keywords(text)):
        options["default_graph"] = [pyoxigraph.DefaultGraph()]
        if ontology:
            options["default_graph"].append(pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)))
    limit = None if max_rows is None else max_rows + 1
    to_rdflib = rdflib_converter()
    try:
        answer = _query(store, text, dict(bindings or {}), options)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult("ASK", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows: list[tuple[Node | None, ...]] = [
                tuple(None if term is None else to_rdflib(term) for term in solution)
                for solution in itertools.islice(answer, limit)
            ]
            truncated = max_rows is not None and len(rows) > max_rows
            return QueryResult("SELECT", variables=variables, rows=rows[:max_rows], truncated=truncated)
        triples = list(itertools.islice(answer, limit))
    except SyntaxError as err:
        raise _syntax_error(err, text, where) from None
    except Exception as err:  # Oxigraph raises OSError and others while evaluating
        raise QueryError(
            f"cannot run: {' '.join(str(err).split()) or type(err).__name__}", where=where
        ) from None
    truncated = max_rows is not None and len(triples) > max_rows
    graph = Graph(bind_namespaces="none")
    for triple in triples[:max_rows]:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    kind = query_form(text)
    return QueryResult(
        kind if kind in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", graph=graph, truncated=truncated
    )


def labels(store: pyoxigraph.Store, nodes: set[Node], *, ontology: bool = True) -> dict[str, str]:
    """The label of each IRI among `nodes` that has one (English or plain first), by IRI string."""
    from ldn_graph.rdf.values import label_of

    iris = sorted(str(n) for n in nodes if isinstance(n, URIRef))
    if not iris:
        return {}
    from rdflib.namespace import RDFS

    view = rdflib_view(store, ontology=ontology)
    return {iri: label_of(view, URIRef(iri)) for iri in iris if (URIRef(iri), RDFS.label, None) in view}
