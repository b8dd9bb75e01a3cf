"""Errors a user can act on, raised from one place.

Every expected failure (bad input file, malformed SPARQL, missing model...) is an `LdnGraphError`: the
command line prints its message on one line and exits with its `exit_code`, without a traceback.
Messages say what is wrong and where (file, line, column).
"""

from __future__ import annotations

import errno


class LdnGraphError(Exception):
    """An expected failure, reported to the user in one line."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class UsageError(LdnGraphError):
    """The command line itself is wrong: unknown option, missing argument."""

    exit_code = 2


class InputError(LdnGraphError):
    """An input file cannot be read as text: missing, empty, binary, not UTF-8, too large."""


class QueryError(LdnGraphError):
    """A SPARQL query is malformed or cannot run."""


class GraphFileError(LdnGraphError):
    """An RDF file cannot be parsed."""


class ModelError(LdnGraphError):
    """No usable spaCy model."""


class DataError(LdnGraphError):
    """A bundled or user-given vocabulary file is malformed."""


class UnknownEntityError(LdnGraphError):
    """A name given on the command line names no entity of the graph, or several."""


class GraphTooLargeError(LdnGraphError):
    """A graph has too many entities to draw whole."""


class ReadOnlyError(QueryError):
    """A SPARQL Update (INSERT, DELETE, LOAD, CLEAR...) sent where only queries are answered."""


class QueryRefusedError(QueryError):
    """A query uses a feature the server refuses, such as SERVICE (it would make outbound requests)."""


class QueryTimeoutError(QueryError):
    """A query ran past the time limit and was stopped."""


class ResultTooLargeError(QueryError):
    """A query's result has more rows than the limit."""


class ServerError(LdnGraphError):
    """The SPARQL server cannot start or cannot answer (port in use, query process died)."""


class ServerBusyError(ServerError):
    """The server cannot take the query now: every query slot is taken, or it is stopping."""


class ClusterError(LdnGraphError):
    """A Dask cluster cannot be reached, or Dask is not installed (the `dask` extra)."""


class StoreError(LdnGraphError):
    """A graph store cannot be opened, read or written: locked, not a store, unreachable server."""


def describe_os_error(err: OSError) -> str:
    """An operating-system error as one line: the file, then what went wrong."""
    reason = err.strerror or " ".join(str(err).split()) or type(err).__name__
    if err.errno == errno.ENOSPC:
        reason += " (free some space, or write the output elsewhere with -o)"
    return f"{err.filename}: {reason}" if err.filename else reason
