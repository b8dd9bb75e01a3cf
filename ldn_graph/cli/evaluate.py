"""`ldn-graph evaluate`: score a KGX export against a gold standard file."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `evaluate` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "evaluate",
        help="score a KGX export against a gold standard",
        description=(
            "Score KGXDIR/nodes.tsv and KGXDIR/edges.tsv against a gold JSON file with the gold "
            "standard's own matching rules: entity and relation precision, recall and F1, certainty "
            "accuracy (the first line, as score.py prints it), then precision and recall per predicate "
            "group and qualifier recall."
        ),
    )
    parser.add_argument("gold", metavar="GOLD", help="gold standard JSON file")
    parser.add_argument("kgx_dir", metavar="KGXDIR", help="folder with nodes.tsv and edges.tsv")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON instead")
    parser.add_argument(
        "--show-misses",
        action="store_true",
        help="also list missed concepts, relations, qualifiers and false edges",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Score and print; returns the exit code."""
    from ldn_graph.evaluate import evaluate, format_report

    result = evaluate(args.gold, args.kgx_dir, show_misses=args.show_misses)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_report(result))
    return 0
