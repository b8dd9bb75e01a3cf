"""`ldn-graph query`: run a SPARQL query on a graph file and print the result."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ldn_graph.errors import InputError, UsageError

RESULT_FORMATS = ("table", "csv", "tsv", "json")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `query` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "query",
        help="run a SPARQL query on a graph",
        description=(
            "Run a SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query on a graph file. The prefixes "
            "ldn, ent, assertion, evidence, doc, rdf, rdfs, skos, oa, prov, dcterms, schema, biolink, xsd "
            "(and more) are declared already. Over a TriG file the query sees the union of the named "
            "graphs. The bundled ontology is loaded beside the graph (named graph "
            "https://w3id.org/ldn-graph/vocab), so labels of predicates and certainty levels are there to "
            "query; --no-ontology leaves it out. CONSTRUCT and DESCRIBE results print as Turtle."
        ),
        epilog="example: ldn-graph query graph.ttl 'SELECT ?d WHERE { ?d ldn:treats ent:fibromyalgia }'",
    )
    parser.add_argument("graph", metavar="GRAPH", help="graph file: .ttl, .trig, .nt, .nq or .jsonld")
    parser.add_argument(
        "query", metavar="QUERY", nargs="?", help="the SPARQL query text ('-' reads it from stdin)"
    )
    parser.add_argument("-f", "--file", metavar="FILE.rq", help="read the query from this file instead")
    parser.add_argument(
        "--format",
        choices=RESULT_FORMATS,
        default="table",
        help="result format for SELECT and ASK (default: table; csv, tsv and json follow SPARQL 1.1)",
    )
    parser.add_argument(
        "--no-ontology", action="store_true", help="do not load the bundled ontology beside GRAPH"
    )
    return parser


def _query_text(args: argparse.Namespace) -> tuple[str, str]:
    """The query and the name errors give it: `query`, the file name, or `stdin`."""
    if (args.query is None) == (args.file is None):
        raise UsageError("query: give either a QUERY or -f FILE.rq, not both or neither")
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


def run(args: argparse.Namespace) -> int:
    """Load GRAPH, run the query, print the result; returns the exit code."""
    from ldn_graph.query import format_result, run_query
    from ldn_graph.rdf.io import load_graph

    text, where = _query_text(args)
    if not text.strip():
        raise InputError("the query is empty", where=where)
    graph = load_graph(args.graph)
    if not args.no_ontology:
        from ldn_graph.rdf.ontology import add_ontology

        add_ontology(graph)
    result = run_query(graph, text, where=where)
    sys.stdout.write(format_result(result, args.format))
    return 0
