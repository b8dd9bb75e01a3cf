"""`ldn-graph stats`: what a graph holds, by category and predicate, and its hubs."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ldn_graph.cli import GRAPH_HELP


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `stats` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "stats",
        help="counts, shares and hubs of a graph",
        description=(
            "Summarise a graph: documents, entities by category, assertions by predicate (with how many "
            "are hedged or negated), the share of entities with a standard identifier, and the hubs: the "
            "top 10 entities by degree and by betweenness centrality, computed over the positive "
            "assertions taken without direction."
        ),
    )
    parser.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default: table)"
    )
    parser.add_argument("--top", type=int, default=10, metavar="N", help="hubs to list (default: 10)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Load GRAPH and print its statistics; returns the exit code."""
    from ldn_graph.analytics import graph_stats, to_networkx
    from ldn_graph.errors import UsageError
    from ldn_graph.store.catalog import load_graph

    if args.top < 1:
        raise UsageError("stats: --top must be at least 1")
    stats = graph_stats(to_networkx(load_graph(args.graph)), top=args.top)
    if args.format == "json":
        sys.stdout.write(json.dumps(stats, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_stats(stats, name=args.graph))
    return 0


def _percent(share: dict[str, Any]) -> str:
    return f"{share['count']} of {share['of']} ({100 * share['share']:.1f}%)"


def _table(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    """Aligned columns under a dashed rule; numeric columns right-aligned."""
    widths = [max(len(str(v)) for v in column) for column in zip(header, *rows, strict=True)]

    def line(values: list[str]) -> str:
        cells = [
            str(v).rjust(w) if i in numeric else str(v).ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def format_stats(stats: dict[str, Any], *, name: str) -> str:
    """The `table` report of `stats`."""
    plural = {1: ""}
    lines = [
        f"{name}: {stats['documents']} document{plural.get(stats['documents'], 's')}, "
        f"{stats['entities']} entities, {stats['assertions']} assertions "
        f"({stats['supporting_sentences']} supporting sentences)",
        "",
        f"entities with a standard identifier  {_percent(stats['standard_identifiers'])}",
        f"hedged assertions                    {_percent(stats['hedged'])}",
        f"negated assertions                   {_percent(stats['negated'])}",
        "",
        "Entities by category",
    ]
    lines += _table(
        ["category", "entities"], [[c, str(n)] for c, n in stats["categories"].items()], numeric={1}
    )
    lines += ["", "Assertions by predicate"]
    rows = [
        [row["label"], p, str(row["assertions"]), str(row["hedged"]), str(row["negated"])]
        for p, row in stats["predicates"].items()
    ]
    lines += _table(["predicate", "term", "assertions", "hedged", "negated"], rows, numeric={2, 3, 4})
    for key, title, score in (
        ("degree", "Hubs by degree (share of the other entities related to it)", "degree_centrality"),
        ("betweenness", "Hubs by betweenness (share of shortest paths through it)", "betweenness"),
    ):
        lines += ["", title]
        hubs = stats["hubs"][key]
        if not hubs:
            lines.append("(none)")
            continue
        rows = [
            [str(i), h["label"], h["category"], f"{h[score]:.3f}", str(h["neighbours"]), str(h["relations"])]
            for i, h in enumerate(hubs, start=1)
        ]
        lines += _table(
            ["#", "entity", "category", key, "neighbours", "relations"], rows, numeric={0, 3, 4, 5}
        )
    return "\n".join(lines) + "\n"
