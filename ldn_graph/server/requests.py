"""The parts of an HTTP request the server checks before it answers: the Host header, the body, the
parameters, the SPARQL Protocol's query; each fault an `HttpError` with its status and one line."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
import traceback
from collections.abc import Mapping
from email.message import Message
from http import HTTPStatus
from typing import Any, TextIO
from urllib.parse import parse_qs

from ldn_graph.errors import (
    DataError,
    LdnGraphError,
    QueryError,
    QueryRefusedError,
    QueryTimeoutError,
    ReadOnlyError,
    ResultTooLargeError,
    ServerBusyError,
)
from ldn_graph.sparql.syntax import read_only_error

MAX_BODY = 1 << 20  # bytes of a POSTed query
BODY_SECONDS = 10.0  # a POSTed body must arrive within this time (408 otherwise)
_PARAM_PREFIX = "param."
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


class HttpError(Exception):
    """Answer with `status` and `message` (one line)."""

    def __init__(
        self, status: int, message: str, headers: Mapping[str, str] | None = None, *, close: bool = False
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        self.close = close  # the connection cannot be read further (a body left half read)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cost_key(text: str, bindings: Mapping[str, Any] | None) -> str:
    """What the engine remembers a query's cost by: its text and its parameters' values."""
    return text + "\x00" + repr(sorted((bindings or {}).items()))


def first_param(values: Mapping[str, list[str]], key: str) -> str | None:
    found = values.get(key)
    if not found:
        return None
    if len(found) > 1:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"give one '{key}' parameter, not {len(found)}")
    return found[0]


def given_params(values: Mapping[str, list[str]]) -> dict[str, str]:
    return {
        key[len(_PARAM_PREFIX) :]: vals[-1] for key, vals in values.items() if key.startswith(_PARAM_PREFIX)
    }


def parse_params(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise HttpError(HTTPStatus.BAD_REQUEST, "the request's parameters are not UTF-8") from None


UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
# RFC 9110 Host: uri-host [":" port]; a user part, a path or anything else makes it malformed.
_HOST = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::(?P<port>[0-9]{1,5}))?")


def sparql_request(
    query_string: str, content_type: str | None, body: bytes | None
) -> tuple[str | None, dict[str, list[str]]]:
    """The query text (None when there is none) and the parameters of a SPARQL Protocol request: GET
    `?query=`, or a POSTed `body` (None for a GET), form-encoded or `application/sparql-query`. An update
    is refused (403), as are the dataset parameters (the query runs over the whole graph)."""
    values = parse_params(query_string)
    text: str | None = None
    if body is not None:
        media_type = (content_type or "").split(";")[0].strip().lower()
        if media_type == "application/sparql-update":
            raise read_only_error()
        if media_type == "application/x-www-form-urlencoded":
            try:
                form = parse_params(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise HttpError(HTTPStatus.BAD_REQUEST, "the form is not UTF-8") from None
            for key, vals in form.items():
                values.setdefault(key, []).extend(vals)
        elif media_type == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HttpError(HTTPStatus.BAD_REQUEST, "the query is not UTF-8") from None
        else:
            raise HttpError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"POST a query as application/x-www-form-urlencoded or application/sparql-query, "
                f"not {media_type or 'no Content-Type'}",
            )
    if "update" in values:
        raise read_only_error()
    for key in ("default-graph-uri", "named-graph-uri"):
        if values.get(key):
            raise QueryRefusedError(f"{key} is not supported: the query runs over the whole graph")
    if text is None:
        text = first_param(values, "query")
    elif "query" in values:
        raise HttpError(HTTPStatus.BAD_REQUEST, "give the query in the body or as query=, not both")
    return text, values


def check_host(given: list[str], loopback: bool, server_host: str) -> None:
    """The Host headers given: one, well formed, and on a loopback server a local name."""
    # On loopback, a page from elsewhere could reach us through DNS rebinding: such a request
    # carries its own host name, which no local client sends.
    if len(given) > 1:
        raise HttpError(HTTPStatus.BAD_REQUEST, "give one Host header, not several")
    if not given:
        return
    host = given[0].strip()
    match = _HOST.fullmatch(host)
    if match is None or (match.group("port") and int(match.group("port")) > 65535):
        shown = UNPRINTABLE.sub("?", host)[:100]
        raise HttpError(HTTPStatus.BAD_REQUEST, f"malformed Host header {shown!r}")
    if not loopback:
        return
    name = (match.group("v6") or match.group("name")).lower()
    if name not in _LOOPBACK_NAMES and name != server_host.lower():
        message = f"unexpected Host {host.lower()!r}: this server answers local clients only"
        raise HttpError(HTTPStatus.FORBIDDEN, message)


def read_body(headers: Message, rfile: Any, connection: socket.socket, timeout: float | None) -> bytes:
    """Exactly Content-Length bytes of a request: 400 when the body ends short, 408 when it is late (the
    error says whether to close the connection)."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send the request body with a Content-Length", close=True)
    try:
        length = int(headers.get("Content-Length") or 0)
    except ValueError:
        raise HttpError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number", close=True) from None
    if length < 0:
        raise HttpError(HTTPStatus.BAD_REQUEST, "Content-Length is negative", close=True)
    if length > MAX_BODY:
        raise HttpError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {MAX_BODY // 1024} KiB"
        )
    chunks: list[bytes] = []
    got = 0
    deadline = time.monotonic() + BODY_SECONDS
    try:
        while got < length:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            connection.settimeout(remaining)
            chunk = rfile.read1(min(1 << 16, length - got))
            if not chunk:
                raise HttpError(
                    HTTPStatus.BAD_REQUEST,
                    f"the request body ended after {got:,} of its {length:,} bytes (Content-Length)",
                    close=True,
                )
            chunks.append(chunk)
            got += len(chunk)
    except TimeoutError:
        raise HttpError(
            HTTPStatus.REQUEST_TIMEOUT,
            f"the request body did not arrive within {BODY_SECONDS:g} s ({got:,} of {length:,} bytes)",
            close=True,
        ) from None
    finally:
        connection.settimeout(timeout)
    return b"".join(chunks)


def status_of(err: LdnGraphError) -> int:
    """The HTTP status for an expected failure."""
    if isinstance(err, ReadOnlyError):
        return HTTPStatus.FORBIDDEN
    if isinstance(err, QueryTimeoutError | ServerBusyError):
        return HTTPStatus.SERVICE_UNAVAILABLE
    if isinstance(err, QueryRefusedError | ResultTooLargeError | QueryError | DataError):
        return HTTPStatus.BAD_REQUEST
    return HTTPStatus.INTERNAL_SERVER_ERROR


def internal_failure(
    err: Exception, stopping: bool, log: TextIO, log_lock: threading.Lock
) -> tuple[int, str]:
    """The status and one-line message for an unexpected exception: a bug of ours (500, its traceback in
    the log), or, once the server is stopping, whatever a request was doing failing under it (503)."""
    if stopping:
        return HTTPStatus.SERVICE_UNAVAILABLE, "the server is stopping: the query was not finished"
    with log_lock:
        traceback.print_exc(file=log)
    return HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(err).__name__}: {err}"
