"""No way out: SERVICE found on the parsed query, a query's nesting depth checked before any engine sees
it, and a process cut off from every network before it runs queries.

`service_clause(text)` is False at once for a query without the letters `service` (escapes decoded);
otherwise it parses the query with rdflib's SPARQL parser and looks for a ServiceGraphPattern
anywhere in its algebra: the decision is made on what the query means, not on how its text looks. A
query rdflib cannot parse is checked on its words instead, after SPARQL's \\u escapes are decoded:
any `SERVICE` there refuses it (a query neither reading is sure of does not get the benefit of the doubt).

`deny_network()` moves the calling process (thread, on Linux) into a network namespace of its own with
no interface up, not even loopback (unshare(CLONE_NEWNET), which needs root or CAP_SYS_ADMIN): whatever
an engine's HTTP client tries then fails with "network is unreachable". Where the kernel does not
permit it, it says why, and the caller logs that the parse check is the only guard.

`nesting_depth(text)` is the deepest nesting of brackets, counted twice: on every bracket character,
and on the brackets outside strings, IRIs and comments; the larger count is kept, so neither text that
hides closing brackets in strings nor text that makes a reader mistake code for an IRI lowers it.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

from ldn_graph.errors import QueryError, QueryRefusedError

T = TypeVar("T")
CLONE_NEWNET = 0x40000000
MAX_DEPTH = 128  # brackets deep: the library's queries nest under 10; Oxigraph's parser crashes near 10,000

SERVICE_REFUSED = (
    "SERVICE is refused: a query here reads only its own graph and never makes outbound requests"
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE_WORD = re.compile(r"(?<![A-Za-z0-9_])service(?![A-Za-z0-9_])", re.IGNORECASE)
_OPENERS = {"{": "}", "(": ")", "[": "]"}
_CLOSERS = frozenset("})]")
# What a reader skips: long strings, strings, IRIs, comments (sparql/oxigraph.py reads past them too).
NOT_CODE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*"
)


def _walk(node: Any) -> Iterator[str]:
    """The names of every algebra node under `node` (rdflib CompValues are dicts with a name)."""
    name = getattr(node, "name", None)
    if isinstance(name, str):
        yield name
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def unescape(text: str) -> str:
    """`text` with SPARQL's codepoint escapes (\\uXXXX, \\UXXXXXXXX) decoded, as a parser first does."""

    def decode(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _ESCAPE.sub(decode, text)


def service_clause(text: str) -> bool:
    """True when the query (or update) has a SERVICE clause at any depth."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from ldn_graph.sparql.syntax import initial_namespaces

    if "service" not in unescape(text).lower():  # the keyword has to be spelled out: nothing to parse
        return False
    for parse, translate in ((parseQuery, translateQuery), (parseUpdate, translateUpdate)):
        try:
            parsed = parse(text)
        except Exception:  # not this kind of request, or not SPARQL rdflib reads
            continue
        if "ServiceGraphPattern" in set(_walk(parsed)):
            return True
        try:
            algebra = translate(cast(Any, parsed), initNs=initial_namespaces())
        except Exception:  # e.g. an unknown prefix: the parse tree above was walked already
            return False
        return "ServiceGraphPattern" in set(_walk(getattr(algebra, "algebra", algebra)))
    return _SERVICE_WORD.search(unescape(text)) is not None


def refuse_service(text: str, *, where: str = "query") -> None:
    """QueryRefusedError when the query has a SERVICE clause (see `service_clause`)."""
    if service_clause(text):
        raise QueryRefusedError(SERVICE_REFUSED, where=where)


def _depth(text: str) -> int:
    deepest = depth = 0
    for char in text:
        if char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSERS and depth:
            depth -= 1
    return deepest


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of `text`, the larger of a count on every bracket and one on code."""
    text = unescape(text)
    return max(_depth(text), _depth(NOT_CODE.sub(" ", text)))


def check_depth(text: str, *, where: str = "query", limit: int = MAX_DEPTH) -> None:
    """QueryError when the query nests brackets deeper than `limit`: no engine is given it."""
    depth = nesting_depth(text)
    if depth > limit:
        raise QueryError(
            f"the query nests brackets {depth:,} deep; at most {limit} are accepted", where=where
        )


_LIMIT = re.compile(r"(?<![\w:?$])(LIMIT|OFFSET)\s+(\d+)", re.IGNORECASE)
MAX_COUNT = (1 << 63) - 1  # the largest LIMIT or OFFSET: both engines count in signed 64 bits


def check_limits(text: str, *, where: str = "query") -> None:
    """QueryError when a LIMIT or OFFSET is past what the engines count to (instead of their own words)."""
    for match in _LIMIT.finditer(NOT_CODE.sub(" ", unescape(text))):
        if int(match.group(2)) > MAX_COUNT:
            raise QueryError(
                f"{match.group(1).upper()} {match.group(2)[:30]} is too large: at most {MAX_COUNT} "
                "(or leave it out)",
                where=where,
            )


def check_shape(text: str, *, where: str = "query") -> None:
    """The checks made before any engine sees a query: its nesting depth, its LIMIT and OFFSET."""
    check_depth(text, where=where)
    check_limits(text, where=where)


def run_offline(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` on a thread of its own cut off every network (where permitted): the
    namespace is the thread's, so the caller's own threads keep theirs (a test runner, a server)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        deny_network()
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as err:  # handed to the caller as it is
            outcome["error"] = err

    thread = threading.Thread(target=run, name="ldn-graph-offline")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return cast(T, outcome["value"])


def deny_network() -> str | None:
    """Cut this process (its calling thread) off every network; None when done, else why it was not."""
    if not hasattr(os, "unshare") and not os.path.exists("/proc/self/ns/net"):
        return "network namespaces are a Linux feature"
    unshare = getattr(os, "unshare", None)  # Python 3.12+
    if unshare is not None:
        try:
            unshare(CLONE_NEWNET)
            return None
        except OSError as err:
            return f"unshare(CLONE_NEWNET) was refused: {err.strerror or err}"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWNET) == 0:
            return None
        errno = ctypes.get_errno()
        return f"unshare(CLONE_NEWNET) was refused: {os.strerror(errno)}"
    except (OSError, AttributeError) as err:
        return f"unshare is not available: {err}"
