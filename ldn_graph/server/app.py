"""The HTTP server of `ldn-graph serve`: listening, its settings, the query engine it starts and stops.

The standard library's ThreadingHTTPServer serves; each request is a `handler.Handler` (routes, the SPARQL
1.1 Protocol, pages, one log line per request), and queries run in the QueryEngine's processes.
"""

from __future__ import annotations

import socket
import sys
import threading
import traceback
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any, TextIO

from rdflib import Dataset

from ldn_graph.errors import ServerError
from ldn_graph.server import jobs, pages
from ldn_graph.server.engine import QueryEngine
from ldn_graph.server.handler import Handler
from ldn_graph.server.requests import is_loopback
from ldn_graph.sparql.library import LibraryQuery, library
from ldn_graph.store.query import StoreSource

BACKLOG = 1024  # connections the kernel queues before the server accepts them (the kernel may cap it)


@dataclass(frozen=True)
class Settings:
    """How the server answers: the time limit in seconds, the row limit, queries run at once."""

    timeout: float = 10.0
    max_rows: int = 10_000
    parallel: int = 4
    cors: tuple[str, ...] = ()  # origins whose pages may query /sparql ('*': any)


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its graph's query engine and settings."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        engine: QueryEngine,
        site: pages.Site,
        settings: Settings,
        log: TextIO | None = None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.engine = engine
        self.site = site
        self.settings = settings
        self.log = log or sys.stderr
        self.log_lock = threading.Lock()
        self.examples: list[LibraryQuery] = library()
        self.loopback = is_loopback(address[0])
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that left or stalled is no error of ours: no traceback; anything else is logged."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        with self.log_lock:
            traceback.print_exc(file=self.log)

    @property
    def url(self) -> str:
        """The base URL the server answers at."""
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


def make_server(
    graph: Dataset | StoreSource,
    *,
    graph_name: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: Settings | None = None,
    log: TextIO | None = None,
) -> SparqlServer:
    """A server for `graph`, listening but not yet serving; call `serve_forever`, then `close_server`.

    Starts the query engine first, so call it before starting any thread of your own. `graph` is an
    rdflib Dataset, or a store folder (StoreSource) that each query process opens read-only.
    """
    settings = settings or Settings()
    # Run one query here first: the query processes are forked from this one, so they start with
    # rdflib's SPARQL parser and evaluator imported and built instead of building them per query.
    jobs.answer_query(graph, "ASK { ?s ?p ?o }", None, 1)
    engine = QueryEngine(graph, timeout=settings.timeout, parallel=settings.parallel).start()
    site = pages.Site(graph_name, len(graph), settings.timeout, settings.max_rows)
    try:
        return SparqlServer((host, port), engine, site, settings, log)
    except OSError as err:
        engine.close()
        raise ServerError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def close_server(server: SparqlServer) -> None:
    """Stop the query processes, then listening: a request still running is answered 'stopping' (503)."""
    server.engine.close()
    server.server_close()
