"""`ldn-graph export`: write a graph file in another RDF format, or as KGX TSV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.cli import GRAPH_HELP
from ldn_graph.errors import LdnGraphError, UsageError
from ldn_graph.export import EXPORT_FORMATS, SUFFIXES

if TYPE_CHECKING:
    from rdflib import Graph


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `export` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="write a graph as Turtle, N-Triples, JSON-LD, TriG, KGX TSV or GraphML",
        description=(
            "Write a graph (a file or a store) in another format. turtle, nt and jsonld hold the union of "
            "the named graphs, trig keeps them, kgx writes nodes.tsv and edges.tsv (Biolink categories and "
            "predicates) into the folder PATH, graphml writes entities as nodes and assertions as edges "
            "with typed attributes (label, category, identifiers, predicate, certainty, negated, support "
            "count, first evidence sentence) for Gephi or Cytoscape. The same graph always gives the "
            "same bytes."
        ),
    )
    parser.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    parser.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help=f"output format (default: from PATH's extension: {', '.join(SUFFIXES)})",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        required=True,
        help="file to write, or folder for kgx (replaced files)",
    )
    parser.add_argument(
        "--standard-ids-only",
        action="store_true",
        help=(
            "kgx: leave out the entities with no identifier Biolink registers (project ids, LDN:...) and the "
            "edges that touch them, so that `kgx validate` accepts the files; says how many were left out"
        ),
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Load GRAPH and write it to PATH; returns the exit code."""
    from ldn_graph.export import FORMATS
    from ldn_graph.store.catalog import load_graph

    output = Path(args.output)
    fmt = args.format or SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        raise UsageError(f"export: cannot tell the format from {output.name!r}; give --format")
    if fmt != "kgx" and output.is_dir():
        raise LdnGraphError(f"is a folder; --format {fmt} writes a file", where=str(output))
    if args.standard_ids_only and fmt != "kgx":
        raise UsageError(f"export: --standard-ids-only is for --format kgx, not {fmt}")
    try:
        streamed = None if args.standard_ids_only else _from_store(args.graph, fmt, output)
        if streamed is not None:
            written = streamed
        elif args.standard_ids_only:
            written = _write_standard_kgx(load_graph(args.graph), output)
        else:
            written = FORMATS[fmt].write(load_graph(args.graph), output)
    except OSError as err:
        raise LdnGraphError(
            f"cannot write: {err.strerror or err}", where=str(err.filename or output)
        ) from None
    for path in written:
        print(f"wrote {path}")
    return 0


def _write_standard_kgx(graph: Graph, output: Path) -> list[Path]:
    """KGX with standard identifiers only; prints what was left out."""
    from ldn_graph.export.kgx import kgx_rows, standard_only, write_tables

    nodes, edges = kgx_rows(graph)
    kept_nodes, kept_edges = standard_only(nodes, edges)
    print(
        f"left out {len(nodes) - len(kept_nodes)} entities with no identifier Biolink registers and "
        f"{len(edges) - len(kept_edges)} of {len(edges)} edges that touch them"
    )
    return write_tables(output, kept_nodes, kept_edges)


def _from_store(graph: str, fmt: str, output: Path) -> list[Path] | None:
    """Turtle, TriG and N-Triples of a store folder, streamed from it (store/export.py), and KGX read from
    its union in place (store/view.py), as `build` writes them: the same bytes, without reading the graph
    into memory; None for a graph file or another format."""
    import os

    from ldn_graph.store.export import STREAMED as writers
    from ldn_graph.store.local import LocalStore, find_store

    folder = find_store(graph) if (fmt in writers or fmt == "kgx") and os.path.isdir(graph) else None
    if folder is None:
        return None
    with LocalStore(folder, read_only=True) as store:
        if fmt != "kgx":
            return writers[fmt](store, output)
        from ldn_graph.export.kgx import write_kgx
        from ldn_graph.store.view import union_view

        view = union_view(store)
        try:
            return write_kgx(view, output, in_place=True)
        finally:
            view.close()  # the view lets go of the store, which is then closed
