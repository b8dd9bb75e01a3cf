"""`ldn-graph viz`: draw a built graph, or the neighbourhood of one entity, as an offline HTML page."""

from __future__ import annotations

import argparse
from pathlib import Path

from ldn_graph.cli import GRAPH_HELP
from ldn_graph.errors import GraphTooLargeError, LdnGraphError, UsageError

MAX_NODES = 500  # beyond this a drawing is a hairball: draw a neighbourhood instead
OVERVIEW_LIMIT = 300  # viz/overview.py's, repeated so that `--help` imports nothing heavy (a test checks)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `viz` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "viz",
        help="draw a graph as an interactive HTML page",
        description=(
            "Draw a built graph as one self-contained HTML page: entities coloured and shaped by class, "
            "one edge per assertion (hedged dashed, negated red and dotted), a side panel where a click "
            "pins an entity (identifiers, relations) or a relation (confidence, support, evidence "
            "sentences with offsets, the document linked to PubMed or its DOI), a search box, and "
            "checkboxes that filter by category and predicate. The page "
            "needs no network. --focus draws only the entities within --depth relations of one entity. "
            f"A graph of more than --overview entities (default {OVERVIEW_LIMIT}) is drawn as an overview "
            "of that many, the most connected, whose search box finds any entity and opens its "
            f"neighbourhood in the page; a drawing of more than --max-nodes entities (default {MAX_NODES}) "
            "is refused rather than drawn as a hairball."
        ),
        epilog='example: ldn-graph viz graph.ttl --focus "low-dose naltrexone" --depth 2 -o ldn.html',
    )
    parser.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE.html",
        required=True,
        help="HTML file to write (replaced if it exists)",
    )
    parser.add_argument("--title", help="page title (default: the name of GRAPH's file or folder)")
    parser.add_argument(
        "--focus",
        metavar="NAME",
        help="draw only the neighbourhood of this entity (a label, synonym, IRI or CURIE)",
    )
    parser.add_argument(
        "--depth",
        type=int,
        metavar="N",
        help="with --focus: entities within N relations of it, either direction (default: 1)",
    )
    parser.add_argument(
        "--overview",
        type=int,
        default=OVERVIEW_LIMIT,
        metavar="N",
        help=(
            "without --focus, draw a graph of more than N entities as an overview of its N most connected "
            f"(default: {OVERVIEW_LIMIT})"
        ),
    )
    parser.add_argument(
        "--max-nodes",
        type=int,
        default=MAX_NODES,
        metavar="N",
        help=f"refuse to draw more than N entities (default: {MAX_NODES})",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Load GRAPH and write the page; returns the exit code."""
    from ldn_graph.store.catalog import load_graph
    from ldn_graph.viz.html import write_html

    if args.depth is not None and args.focus is None:
        raise UsageError("viz: --depth needs --focus")
    depth = 1 if args.depth is None else args.depth
    if depth < 1:
        raise UsageError("viz: --depth must be at least 1")
    if args.max_nodes < 1:
        raise UsageError("viz: --max-nodes must be at least 1")
    if args.overview < 1:
        raise UsageError("viz: --overview must be at least 1")
    graph = load_graph(args.graph)
    focus, title = None, Path(args.graph).name
    if args.focus is not None:
        from ldn_graph.analytics import find_entity, to_networkx
        from ldn_graph.errors import UnknownEntityError

        entities = to_networkx(graph)
        try:
            focus = find_entity(entities, args.focus)
        except UnknownEntityError as err:
            raise UnknownEntityError(f"--focus: {err}", where=args.graph) from None
        title += f": {entities.nodes[focus]['label']}"
    output = Path(args.output)
    try:
        write_html(
            graph,
            output,
            title=args.title or title,
            focus=focus,
            depth=depth,
            max_nodes=args.max_nodes,
            overview=args.overview,
        )
    except OSError as err:
        raise LdnGraphError(f"cannot write: {err.strerror or err}", where=str(output)) from None
    except GraphTooLargeError as err:
        raise GraphTooLargeError(str(err), where=args.graph) from None
    print(f"wrote {output}")
    return 0
