"""`ldn-graph query`: run a SPARQL query, or one of the library's, on a graph file or store; print it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from ldn_graph.errors import InputError, UsageError


class _FormatNames:
    """The result formats' names (`sparql.formats.NAMES`) for `--format`'s choices, read when argparse
    first checks or lists them: that module needs rdflib, which building the parser must not load
    (`ldn-graph build --help` answers without it)."""

    def __contains__(self, name: object) -> bool:
        return name in _names()

    def __iter__(self) -> Iterator[str]:
        return iter(_names())


def _names() -> tuple[str, ...]:
    from ldn_graph.sparql.formats import NAMES

    return tuple(NAMES)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `query` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "query",
        help="run a SPARQL query on a graph",
        description=(
            "Run a SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query on a graph file or a store. "
            "The prefixes ldn, ent, assertion, evidence, doc, rdf, rdfs, skos, oa, prov, dcterms, schema, "
            "biolink, xsd "
            "(and more) are declared already. Over a TriG file the query sees the union of the named "
            "graphs. The bundled ontology is loaded beside the graph (named graph "
            "https://w3id.org/ldn-graph/vocab), so labels of predicates and certainty levels are there to "
            "query; --no-ontology leaves it out. CONSTRUCT and DESCRIBE results print as Turtle unless "
            "--format names a graph format."
        ),
        epilog=(
            "examples: ldn-graph query graph.ttl 'SELECT ?d WHERE { ?d ldn:treats ent:fibromyalgia }'; "
            "ldn-graph query --list; ldn-graph query graph.ttl -n what-treats --param condition=fibromyalgia"
        ),
    )
    parser.add_argument(
        "graph",
        metavar="GRAPH",
        nargs="?",
        help="graph file (.ttl, .trig, .nt, .nq or .jsonld), read into Oxigraph in memory, or store folder "
        "(a build's OUTDIR/store, or OUTDIR itself), which Oxigraph queries in place: the same engine, so "
        "the same rows",
    )
    parser.add_argument(
        "query", metavar="QUERY", nargs="?", help="the SPARQL query text ('-' reads it from stdin)"
    )
    parser.add_argument("-f", "--file", metavar="FILE.rq", help="read the query from this file instead")
    parser.add_argument(
        "-n", "--name", metavar="NAME", help="run the library query NAME instead (see --list)"
    )
    parser.add_argument(
        "--param",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help=(
            "give a parameter of the query (repeatable); parameters are declared in the query's "
            "'# param:' comment lines and bound as RDF terms, never pasted into the query"
        ),
    )
    parser.add_argument(
        "--list", action="store_true", help="list the library's queries and their parameters, then exit"
    )
    parser.add_argument(
        "--format",
        choices=_FormatNames(),
        metavar="FORMAT",
        default="table",
        help="result format (default: table; json, xml, csv and tsv follow SPARQL 1.1; turtle, nt, json-ld "
        "and rdfxml are for CONSTRUCT and DESCRIBE, which a format for rows prints as Turtle)",
    )
    parser.add_argument(
        "--no-ontology", action="store_true", help="do not load the bundled ontology beside GRAPH"
    )
    parser.add_argument(
        "--allow-service",
        action="store_true",
        help="let SERVICE clauses query the endpoints they name (outbound requests); without it a query "
        "with SERVICE is refused and the query runs cut off from the network where the system allows",
    )
    return parser


def _query_text(args: argparse.Namespace) -> tuple[str, str]:
    """The query and the name errors give it: `query`, the file name, the library name, or `stdin`."""
    given = sum(value is not None for value in (args.query, args.file, args.name))
    if given != 1:
        raise UsageError("query: give one of QUERY, -f FILE.rq or -n NAME, not several or none")
    if args.name is not None:
        from ldn_graph.sparql.library import get_query

        return get_query(args.name).text, f"{args.name}.rq"
    if args.file is not None:
        path = Path(args.file)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except FileNotFoundError:
            raise InputError("no such file", where=str(path)) from None
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read the query: {err}", where=str(path)) from None
    if args.query == "-":
        return sys.stdin.read(), "stdin"
    return args.query, "query"


def _params(pairs: list[str]) -> dict[str, str]:
    """`["condition=fibromyalgia"]` -> `{"condition": "fibromyalgia"}`; UsageError for a malformed pair."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"query: --param takes KEY=VALUE, not {pair!r}")
        if key in params:
            raise UsageError(f"query: --param {key} given twice")
        params[key] = value
    return params


def run(args: argparse.Namespace) -> int:
    """Load GRAPH, run the query, print the result; returns the exit code."""
    from ldn_graph.errors import DataError, QueryError
    from ldn_graph.sparql.formats import format_result
    from ldn_graph.sparql.library import format_list, parse_query

    if args.list:
        if args.graph is not None or args.query is not None or args.file or args.name or args.param:
            raise UsageError("query: --list takes no GRAPH, query or parameters")
        sys.stdout.write(format_list())
        return 0
    if args.graph is None:
        raise UsageError("query: the following arguments are required: GRAPH")
    params = _params(args.param)
    text, where = _query_text(args)
    if not text.strip():
        raise InputError("the query is empty", where=where)
    try:
        header = parse_query(text, where=where)
    except DataError as err:  # a malformed '# param:' line in the user's own query
        raise QueryError(str(err)) from None
    bindings = header.bindings(params, where=where)
    from ldn_graph.sparql.query import run as sparql_run
    from ldn_graph.sparql.sandbox import check_shape, refuse_service
    from ldn_graph.store.query import StoreSource, file_source, find_store

    check_shape(text, where=where)  # before the graph is read: Oxigraph would crash on deep nesting
    if not args.allow_service:
        refuse_service(text, where=where)  # Oxigraph would fetch it: nothing here reaches the network
    folder = find_store(args.graph)
    if folder is not None:  # Oxigraph answers on the store itself: nothing is parsed or loaded
        from ldn_graph.store.query import stale_documents_warning

        stale = stale_documents_warning(folder)
        if stale:
            print(f"ldn-graph: warning: {stale}", file=sys.stderr)
        source = StoreSource(folder, ontology=not args.no_ontology)
    else:  # a file is read into Oxigraph in memory: the same engine, the same rows, as on its store
        source = file_source(args.graph, ontology=not args.no_ontology)
    store = source.open()
    if args.allow_service:
        result = sparql_run(
            store, text, where=where, bindings=bindings, ontology=source.ontology, allow_service=True
        )
    else:  # where permitted, whatever the parse check missed cannot leave either
        from ldn_graph.sparql.sandbox import run_offline

        result = run_offline(
            sparql_run, store, text, where=where, bindings=bindings, ontology=source.ontology
        )
    sys.stdout.write(format_result(result, args.format))
    return 0
