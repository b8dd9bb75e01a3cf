"""One HTTP request of `ldn-graph serve`: routed, answered, logged on one line (app.py runs the server).

Routes: `/sparql` (GET `?query=`, POST form-encoded or `application/sparql-query`), `/` (the query
page), `/entity?iri=...` (what the graph says about one IRI), `/static/...` (the page's stylesheet and
script). Queries run in the QueryEngine's processes, so a slow one holds a thread and a process, never
the server.

Read-only: an update (`update=`, `application/sparql-update`, or update syntax as `query=`) gets 403
and PUT, DELETE, PATCH get 405; nothing ever writes to the graph. SERVICE is refused (400). Errors are
one line of text/plain on /sparql and an HTML message on the pages.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ldn_graph import __version__
from ldn_graph.errors import DataError, LdnGraphError, ResultTooLargeError
from ldn_graph.server import jobs, pages, protocol, service
from ldn_graph.server.requests import (
    UNPRINTABLE,
    HttpError,
    check_host,
    cost_key,
    first_param,
    given_params,
    internal_failure,
    parse_params,
    read_body,
    sparql_request,
    status_of,
)
from ldn_graph.sparql.library import LibraryQuery, parse_query
from ldn_graph.sparql.query import QueryResult
from ldn_graph.sparql.sandbox import check_shape

if TYPE_CHECKING:
    from ldn_graph.server.app import SparqlServer

ENTITY_LIMIT = 2000  # relations, and other statements each way, on an entity page
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class Handler(BaseHTTPRequestHandler):
    """One request: route it, answer it, log it on one line."""

    server: SparqlServer
    server_version = f"ldn-graph/{__version__}"
    protocol_version = "HTTP/1.1"  # keep-alive: every answer has a Content-Length
    # Headers and body go out in two writes: with Nagle's algorithm the second waits for the client's
    # delayed ACK of the first (about 40 ms on Linux) on a kept-alive connection.
    disable_nagle_algorithm = True
    timeout = 60  # seconds a client may take to send its request: an idle one does not keep a thread

    def version_string(self) -> str:
        return self.server_version

    # --- logging: exactly one line per request, written after the answer ---------------------------

    def handle_one_request(self) -> None:
        self._started = time.monotonic()
        self._status: int | None = None
        self._size = 0
        self._note = ""
        self._body_read = False
        super().handle_one_request()
        if self._status is not None:
            self._log_line()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self._status = int(code) if str(code).isdigit() else None

    def log_error(self, format: str, *args: Any) -> None:
        self._note = format % args

    def log_message(self, format: str, *args: Any) -> None:
        pass  # everything goes through _log_line

    def _log_line(self) -> None:
        path = UNPRINTABLE.sub("?", getattr(self, "path", "") or "")
        if len(path) > 300:
            path = path[:300] + "..."
        elapsed = (time.monotonic() - self._started) * 1000
        note = f" - {UNPRINTABLE.sub(' ', self._note)}" if self._note else ""
        line = (
            f"{time.strftime('%Y-%m-%d %H:%M:%S')} {self.client_address[0]} {self.command or '-'} {path} "
            f"{self._status} {self._size}B {elapsed:.0f}ms{note}\n"
        )
        with self.server.log_lock:
            self.server.log.write(line)
            self.server.log.flush()

    # --- answering ----------------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if not self._body_read and self._has_body():
            self.close_connection = True  # the unread body would be taken for the next request
        self.send_response(status)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", _CSP)
        for key, value in {**self._cors(), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self._size = len(body)

    def _has_body(self) -> bool:
        headers = getattr(self, "headers", None)
        if headers is None:
            return False
        return bool(headers.get("Transfer-Encoding")) or (headers.get("Content-Length") or "0").strip() != "0"

    def _send_text(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        self._note = message
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _send_html(self, status: int, html: str) -> None:
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8")

    def _send_error_page(self, status: int, message: str) -> None:
        self._note = message
        title = f"{status} {HTTPStatus(status).phrase}"
        self._send_html(status, pages.error_page(self.server.site, title, message))

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _cors(self, preflight: bool = False) -> dict[str, str]:
        headers = getattr(self, "headers", None)
        if headers is None or urlsplit(self.path).path != "/sparql":
            return {}
        return service.cors_headers(self.server.settings.cors, headers, preflight)

    def do_OPTIONS(self) -> None:
        """CORS preflight (answered for the origins --cors allows), or which methods a path takes."""
        try:
            self._check_host()
        except HttpError as err:
            self._send_text(err.status, err.message, err.headers)
            return
        if self._has_body():
            self.close_connection = True
        api = urlsplit(self.path).path == "/sparql"
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, POST, HEAD, OPTIONS" if api else "GET, HEAD, OPTIONS")
        for key, value in self._cors(preflight=True).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _refuse_write(self) -> None:
        self._send_text(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{self.command} is not allowed: this server is read-only",
            {"Allow": "GET, POST, HEAD"},
        )

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        api = url.path == "/sparql"
        try:
            self._check_host()
            if api:
                self._sparql(url.query)
            elif self.command == "POST":
                message = "POST is for queries to /sparql; the pages take GET"
                raise HttpError(HTTPStatus.METHOD_NOT_ALLOWED, message, {"Allow": "GET, HEAD"})
            elif url.path == "/":
                self._query_page(url.query)
            elif url.path == "/entity":
                self._entity_page(url.query)
            elif url.path in pages.STATIC:
                content_type, body = pages.STATIC[url.path]
                self._send(HTTPStatus.OK, body, content_type, {"Cache-Control": "max-age=3600"})
            else:
                raise HttpError(HTTPStatus.NOT_FOUND, f"no page at {url.path}; the query page is at /")
        except HttpError as err:
            if api or url.path.startswith("/static/"):
                self._send_text(err.status, err.message, err.headers)
            else:
                self._send_error_page(err.status, err.message)
        except LdnGraphError as err:
            if api:
                self._send_text(status_of(err), str(err))
            else:
                self._send_error_page(status_of(err), str(err))
        except (BrokenPipeError, ConnectionResetError):
            self._note = "the client went away"
        except Exception as err:  # a bug of ours (500, logged), or a failure as the server stops (503)
            status, message = internal_failure(
                err, self.server.engine.stopping, self.server.log, self.server.log_lock
            )
            if api:
                self._send_text(status, message)
            else:
                self._send_error_page(status, message)

    def _check_host(self) -> None:
        check_host(
            self.headers.get_all("Host") or [], self.server.loopback, str(self.server.server_address[0])
        )

    # --- /sparql ---------------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        """Exactly Content-Length bytes: 400 when the body ends short, 408 when it is late."""
        try:
            body = read_body(self.headers, self.rfile, self.connection, self.timeout)
        except HttpError as err:
            self.close_connection = self.close_connection or err.close
            raise
        self._body_read = True
        return body

    def _sparql(self, query_string: str) -> None:
        body = None
        if self.command == "POST":
            body = self._read_body()
        text, values = sparql_request(query_string, self.headers.get("Content-Type"), body)
        if text is None and not values and self.command in ("GET", "HEAD"):
            self._service_description()
            return
        if text is None or not text.strip():
            raise HttpError(HTTPStatus.BAD_REQUEST, "no query: send ?query=... (the query page is at /)")
        check_shape(text, where="query")
        header = parse_query(text, where="query")
        bindings = header.bindings(given_params(values), where="query")
        settings = self.server.settings
        answer: jobs.Answer = self.server.engine.call(
            jobs.answer_query,
            text,
            bindings,
            settings.max_rows,
            key=cost_key(text, bindings),
            client=self.client_address[0],
        )
        result = answer.result
        if result.truncated:
            noun = "triples" if result.graph is not None else "rows"
            raise ResultTooLargeError(
                f"the result has more than {settings.max_rows:,} {noun} (the server's --max-rows); "
                "add LIMIT and OFFSET to the query to take it in pages",
                where="query",
            )
        format_values = [*values.get("format", []), *values.get("output", [])]
        media_type = protocol.choose_type(result, self.headers.get("Accept"), format_values)
        if media_type is None:
            offered = ", ".join(protocol.offered_types(result))
            raise HttpError(HTTPStatus.NOT_ACCEPTABLE, f"this result can be had as {offered}")
        self._send(HTTPStatus.OK, protocol.serialize(result, media_type), f"{media_type}; charset=utf-8")

    def _service_description(self) -> None:
        site = self.server.site
        graph = service.description(self.server.url + "sparql", site.statements, site.graph_name)
        result = QueryResult("DESCRIBE", graph=graph)
        media_type = protocol.choose_type(result, self.headers.get("Accept"))
        if media_type is None:
            offered = ", ".join(protocol.offered_types(result))
            raise HttpError(HTTPStatus.NOT_ACCEPTABLE, f"the service description can be had as {offered}")
        self._send(HTTPStatus.OK, protocol.serialize(result, media_type), f"{media_type}; charset=utf-8")

    # --- pages -------------------------------------------------------------------------------------------

    def _query_page(self, query_string: str) -> None:
        values = parse_params(query_string)
        examples = self.server.examples
        by_name = {q.name: q for q in examples}
        example = first_param(values, "example")
        text = first_param(values, "query")
        run = text is not None or bool(example)
        if example:
            if example not in by_name:
                raise HttpError(HTTPStatus.NOT_FOUND, f"no example query called {example!r}")
            text = by_name[example].text
        if text is None:
            first = by_name.get("what-treats") or (examples[0] if examples else None)
            text = first.text if first else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
        selected = next((q.name for q in examples if q.text.strip() == text.strip()), None)
        given = given_params(values)

        def render(header: LibraryQuery | None, **outcome: Any) -> str:
            return pages.query_page(
                self.server.site,
                examples,
                query=text,
                selected=selected,
                header=header,
                values=given,
                **outcome,
            )

        try:
            header = parse_query(text, where="query")
        except DataError as err:
            self._note = str(err)
            self._send_html(HTTPStatus.BAD_REQUEST, render(None, error=str(err)))
            return
        if not run:
            self._send_html(HTTPStatus.OK, render(header))
            return
        # The form keeps the fields of the query loaded before; a query typed over it may not declare them.
        given = {key: value for key, value in given.items() if header.param(key) is not None}
        started = time.monotonic()
        try:
            check_shape(text, where="query")
            bindings = header.bindings(given, where="query")
            answer: jobs.Answer = self.server.engine.call(
                jobs.answer_query,
                text,
                bindings,
                self.server.settings.max_rows,
                True,
                key=cost_key(text, bindings),
                client=self.client_address[0],
            )
        except LdnGraphError as err:
            self._note = str(err)
            self._send_html(status_of(err), render(header, error=str(err)))
            return
        result = answer.result
        html = render(
            header,
            result=result,
            labels=answer.labels,
            downloads=pages.download_links(text, given, result),
            elapsed=time.monotonic() - started,
        )
        self._send_html(HTTPStatus.OK, html)

    def _entity_page(self, query_string: str) -> None:
        iri = first_param(parse_params(query_string), "iri")
        if not iri:
            raise HttpError(HTTPStatus.BAD_REQUEST, "which entity? /entity?iri=<the entity's IRI>")
        limit = min(ENTITY_LIMIT, self.server.settings.max_rows)
        view = self.server.engine.call(jobs.entity, iri, limit, client=self.client_address[0])
        status = HTTPStatus.OK if view.found else HTTPStatus.NOT_FOUND
        self._send_html(status, pages.entity_page(self.server.site, view))
