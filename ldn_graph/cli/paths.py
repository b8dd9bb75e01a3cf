"""`ldn-graph paths`: chains of relations between two concepts, each step with its evidence."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING

from ldn_graph.cli import GRAPH_HELP
from ldn_graph.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

    from ldn_graph.analytics import Chain, Step


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `paths` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "paths",
        help="chains of relations between two concepts, with their evidence",
        description=(
            "Find chains of relations from SOURCE to TARGET (mechanisms: A decreases X, X is associated "
            "with B) and print each step with its predicate, certainty and a supporting sentence with its "
            "document and character offsets. Shortest chains first, then the best supported (the sum of "
            "the steps' supporting sentences). Relations are followed in the direction the text states "
            "them; --any-direction also follows them backwards (A \u2192 X \u2190 B: both act on X), "
            "drawing such a step with a backward arrow, 'X \u2190binds\u2500 B'. Negated relations are "
            "left out unless --include-negated."
        ),
        epilog='example: ldn-graph paths graph.ttl "low-dose naltrexone" fibromyalgia --max-length 2',
    )
    parser.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="where chains start: a label, synonym, IRI or CURIE (ent:fibromyalgia, MONDO:0005546)",
    )
    parser.add_argument("target", metavar="TARGET", help="where chains end, named the same way")
    parser.add_argument(
        "--max-length", type=int, default=3, metavar="N", help="at most N relations per chain (default: 3)"
    )
    parser.add_argument(
        "--limit", type=int, default=10, metavar="K", help="print the K best chains (default: 10)"
    )
    parser.add_argument(
        "--include-negated",
        action="store_true",
        help="also follow negated relations ('X does not cause Y'), marked NOT",
    )
    parser.add_argument(
        "--any-direction",
        action="store_true",
        help="also follow relations against their written direction",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Load GRAPH, find the chains and print them; returns the exit code."""
    from ldn_graph.analytics import find_entity, find_paths, to_networkx
    from ldn_graph.errors import UnknownEntityError
    from ldn_graph.store.catalog import load_graph

    if args.max_length < 1:
        raise UsageError("paths: --max-length must be at least 1")
    if args.limit < 1:
        raise UsageError("paths: --limit must be at least 1")
    g = to_networkx(load_graph(args.graph))
    ends = []
    for role, name in (("SOURCE", args.source), ("TARGET", args.target)):
        try:
            ends.append(find_entity(g, name))
        except UnknownEntityError as err:
            raise UnknownEntityError(f"{role}: {err}", where=args.graph) from None
    source, target = ends
    if source == target:
        raise UsageError(f"paths: SOURCE and TARGET are the same entity ({g.nodes[source]['label']})")
    options = {"include_negated": args.include_negated, "any_direction": args.any_direction}
    chains = find_paths(g, source, target, max_length=args.max_length, limit=args.limit, **options)
    width = min(max(shutil.get_terminal_size((100, 24)).columns, 60), 120)
    text = format_chains(g, source, target, chains, limit=args.limit, max_length=args.max_length, **options)
    if not chains:
        text += _hints(g, source, target, max_length=args.max_length, **options)
    sys.stdout.write(_wrap_sentences(text, width))
    return 0


ARROW_HEAD, BACK_HEAD = "\u2192", "\u2190"  # → ←
DASH = "\u2500"  # ─


def _arrow(g: nx.MultiDiGraph, step: Step) -> str:
    """`─treats→` for a step as written, `←treats─` for one followed backwards."""
    from ldn_graph.analytics import edge_data

    data = edge_data(g, step)
    label = ("NOT " if data["negated"] else "") + data["label"]
    return f"{DASH}{label}{ARROW_HEAD}" if step.forward else f"{BACK_HEAD}{label}{DASH}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def format_chains(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    chains: list[Chain],
    *,
    limit: int,
    max_length: int,
    include_negated: bool,
    any_direction: bool,
) -> str:
    """The report `paths` prints: a heading, then each chain and, under it, each step's evidence.

    Sentences are on lines of their own starting with a quotation mark, so that they can be wrapped
    to the terminal.
    """
    from ldn_graph.analytics import curie, edge_data

    name = g.nodes[source]["label"], g.nodes[target]["label"]
    how = [
        "relations followed in any direction" if any_direction else "relations followed as written",
        f"at most {_plural(max_length, 'step')}",
        "negated relations included" if include_negated else "negated relations left out",
    ]
    if not chains:
        return f"No chain from {name[0]} to {name[1]} ({'; '.join(how)}).\n"
    count = _plural(len(chains), "chain")
    if len(chains) == limit:
        count = f"The {limit} best chains" if limit > 1 else "The best chain"
    lines = [
        f"{count} from {name[0]} ({curie(source)}) to {name[1]} ({curie(target)})",
        f"{'; '.join(how)}; shortest first, then best supported.",
    ]
    for number, chain in enumerate(chains, start=1):
        drawn = g.nodes[source]["label"] + "".join(
            f" {_arrow(g, step)} {g.nodes[step.target]['label']}" for step in chain.steps
        )
        summary = f"{_plural(chain.length, 'step')}, {_plural(chain.support, 'supporting sentence')}"
        lines += ["", f"{number}. {drawn}", f"   {summary}"]
        for step in chain.steps:
            data = edge_data(g, step)
            subject, obj = (step.source, step.target) if step.forward else (step.target, step.source)
            stated = f"{g.nodes[subject]['label']} {'NOT ' if data['negated'] else ''}{data['label']} "
            stated += g.nodes[obj]["label"]
            facts = [data["certainty"], _plural(data["support_count"], "sentence")]
            if not step.forward:
                facts.append("followed backwards")
            lines.append(f"   \u2022 {stated}  [{', '.join(facts)}]")
            if data["evidence"]:
                first = data["evidence"][0]
                more = len(data["evidence"]) - 1
                where = first.where() + (f" (+{_plural(more, 'more sentence')})" if more else "")
                sentence = " ".join(first.sentence.split()) or "(the sentence is not in the graph)"
                lines.append(f"     \u201c{sentence}\u201d")
                lines.append(f"     {where}")
    return "\n".join(lines) + "\n"


def _hints(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_length: int,
    include_negated: bool,
    any_direction: bool,
) -> str:
    """What would find a chain when none was found: swapping the ends, or one option more."""
    from ldn_graph.analytics import find_paths

    def found(a: str, b: str, length: int, negated: bool, anyway: bool) -> bool:
        return bool(
            find_paths(g, a, b, max_length=length, limit=1, include_negated=negated, any_direction=anyway)
        )

    tries = []
    if found(target, source, max_length, include_negated, any_direction):
        tries.append("swap SOURCE and TARGET (the relations run the other way)")
    if not any_direction and found(source, target, max_length, include_negated, True):
        tries.append("add --any-direction")
    if not include_negated and found(source, target, max_length, True, any_direction):
        tries.append("add --include-negated")
    if found(source, target, max_length + 3, include_negated, any_direction):
        tries.append(f"raise --max-length above {max_length}")
    if not tries:
        return "The two are not connected in this graph.\n"
    return "To find one: " + "; or ".join(tries) + ".\n"


def _wrap_sentences(text: str, width: int) -> str:
    """Wrap the quoted sentence lines to `width`, indented under their opening quotation mark."""
    out = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("\u201c") and len(line) > width:
            indent = " " * (len(line) - len(stripped))
            out.append(textwrap.fill(stripped, width, initial_indent=indent, subsequent_indent=indent + " "))
        else:
            out.append(line)
    return "\n".join(out) + "\n"
