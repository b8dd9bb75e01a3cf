"""`ldn-graph serve`: answer SPARQL over HTTP, with a query page, until interrupted."""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from typing import Any

from ldn_graph.cli import positive_float, positive_int
from ldn_graph.errors import UsageError

# What copying a store into memory costs and gains, as bench/store.py measures it (docs/store.md); the
# README says the same (a test holds them together).
COPY_COST = "about 7 s and 450 MB per million statements"
COPY_GAIN = "queries then run 1-5x faster"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `serve` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve a graph over HTTP: a SPARQL endpoint and a query page",
        description=(
            "Serve GRAPH read-only: the SPARQL 1.1 Protocol at /sparql (GET ?query=, POST form or "
            "application/sparql-query; SELECT and ASK as JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE as "
            "Turtle, N-Triples, JSON-LD or RDF/XML, by the Accept header), a query page with the library's "
            "example queries at /, and a page per entity at /entity?iri=... . Updates and SERVICE are "
            "refused; queries run in worker processes with no network, stopped at the time limit. The "
            "bundled ontology is loaded beside the graph, as for the query command."
        ),
        epilog="example: ldn-graph serve extracted/graph.ttl, then open http://127.0.0.1:8000/",
    )
    parser.add_argument(
        "graph",
        metavar="GRAPH",
        help="graph file (.ttl, .trig, .nt, .nq or .jsonld) or store folder (a build's OUTDIR/store, or "
        "OUTDIR itself): a store is queried by Oxigraph, never parsed",
    )
    parser.add_argument(
        "--on-disk",
        action="store_true",
        help=f"query a store in place rather than copy it into memory at start-up ({COPY_COST}; {COPY_GAIN})",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 opens it to the network)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=10.0,
        metavar="S",
        help="time limit of a query in seconds; a query past it is stopped and answered 503 (default: 10)",
    )
    parser.add_argument(
        "--max-rows",
        type=positive_int,
        default=10_000,
        metavar="N",
        help="most rows (or triples) a result may have; /sparql refuses larger ones, the page shows the "
        "first N (default: 10000)",
    )
    parser.add_argument(
        "--parallel",
        type=positive_int,
        default=4,
        metavar="N",
        help="long queries run at once (half as many more workers each take quick queries and every "
        "query's first 0.5 s); more wait for a free worker within the time limit (default: 4)",
    )
    parser.add_argument(
        "--no-ontology", action="store_true", help="do not load the bundled ontology beside GRAPH"
    )
    parser.add_argument(
        "--cors",
        metavar="ORIGIN",
        action="append",
        default=[],
        help="let pages from ORIGIN (e.g. https://yasgui.example.org; '*' for any) query /sparql from a "
        "browser (CORS; repeatable); none may by default",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Load GRAPH, start the query processes, serve until Ctrl-C or SIGTERM; returns the exit code."""
    from pathlib import Path

    from ldn_graph.server.app import Settings, close_server, make_server

    if not 0 <= args.port <= 65535:
        raise UsageError(f"serve: --port must be between 0 and 65535, not {args.port}")
    from ldn_graph.store.query import StoreSource, find_store, stale_documents_warning

    folder = find_store(args.graph)
    graph: Any
    if folder is not None:
        stale = stale_documents_warning(folder)
        if stale:
            print(f"ldn-graph: warning: {stale}", file=sys.stderr, flush=True)
        graph = StoreSource(folder, ontology=not args.no_ontology)
        name = f"{folder.name} (store)" if folder.name != "store" else f"{folder.parent.name}/store"
        if not args.on_disk:
            started = time.monotonic()
            graph = graph.in_memory()
            print(
                f"ldn-graph: copied the store into memory in {time.monotonic() - started:.1f} s "
                "(--on-disk queries it in place)",
                file=sys.stderr,
                flush=True,
            )
    else:  # a file is read into Oxigraph in memory: the engine, and the answers, of a store
        from ldn_graph.store.query import file_source

        graph = file_source(args.graph, ontology=not args.no_ontology)
        name = Path(args.graph).name
    for origin in args.cors:
        if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
            raise UsageError(
                f"serve: --cors takes an origin such as https://example.org (no path), not {origin!r}"
            )
    settings = Settings(
        timeout=args.timeout,
        max_rows=args.max_rows,
        parallel=args.parallel,
        cors=tuple(args.cors),
    )
    server = make_server(graph, graph_name=name, host=args.host, port=args.port, settings=settings)
    # SIGTERM stops the server as Ctrl-C does, so the query processes are stopped with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if server.engine.network_note:
            print(
                f"ldn-graph: note: the query processes keep network access ({server.engine.network_note}); "
                "SERVICE is still refused on the parsed query",
                file=sys.stderr,
            )
        if not server.loopback:
            print(
                f"ldn-graph: warning: listening on {args.host}: anyone who can reach this machine can "
                "query the graph",
                file=sys.stderr,
            )
        print(
            f"ldn-graph: serving {args.graph} ({len(graph):,} statements) at {server.url} "
            f"(SPARQL endpoint {server.url}sparql); Ctrl-C stops",
            file=sys.stderr,
            flush=True,
        )
        server.serve_forever()
    finally:
        close_server(server)
    return 0
