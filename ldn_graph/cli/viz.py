"""`ldn-graph viz`: draw a built graph as one interactive HTML page that works offline."""

from __future__ import annotations

import argparse
from pathlib import Path

from ldn_graph.errors import LdnGraphError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `viz` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "viz",
        help="draw a graph as an interactive HTML page",
        description=(
            "Draw a built graph as one self-contained HTML page: entities coloured and shaped by class, "
            "one edge per assertion (hedged dashed, negated red and dotted), evidence sentences in the "
            "tooltips. The page needs no network."
        ),
    )
    parser.add_argument("graph", metavar="GRAPH", help="graph file: .ttl, .trig, .nt, .nq or .jsonld")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE.html",
        required=True,
        help="HTML file to write (replaced if it exists)",
    )
    parser.add_argument("--title", help="page title (default: the graph file's name)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Load GRAPH and write the page; returns the exit code."""
    from ldn_graph.rdf.io import load_graph
    from ldn_graph.viz.html import write_html

    graph = load_graph(args.graph)
    output = Path(args.output)
    try:
        write_html(graph, output, title=args.title or Path(args.graph).name)
    except OSError as err:
        raise LdnGraphError(f"cannot write: {err.strerror or err}", where=str(output)) from None
    print(f"wrote {output}")
    return 0
