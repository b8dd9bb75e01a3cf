"""Input bytes read within limits, checked while they stream in, never after.

A document is at most `MAX_BYTES` (20 MiB): a larger one is almost surely not prose. A file that holds one
document is read with at most that many bytes in memory; a collection (PubMed XML, JSON Lines) is read
piece by piece, and each of its records is held to the same limit as it arrives. A gzipped file may not
decompress to more than `MAX_RATIO` times its size (plus one document): text compresses some 3 to 10
times, a decompression bomb a thousand times, and it is stopped at the limit, not after it has filled
memory. Identifiers (a JSON Lines id, a PMID, a DOI) are at most `MAX_ID_CHARS` characters: they become
IRIs and file names.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, cast

from ldn_graph.errors import InputError

MAX_BYTES = 20 * 1024 * 1024  # one document, in bytes as read (and in characters once decoded)
MAX_RATIO = 100  # decompressed bytes per compressed byte, beyond the first MAX_BYTES
MAX_ID_CHARS = 256  # a JSON Lines id, a PMID, a DOI
MAX_URL_CHARS = 2048  # a JSON Lines url
CHUNK = 1024 * 1024  # bytes read at a time from a collection


def read_bounded(path: Path, limit: int) -> bytes:
    """The whole file, refused (one line) when it holds more than `limit` bytes; never more in memory."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"file is {size:,} bytes, over the {limit:,}-byte limit", where=where)
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # a file that grew since stat() is still held to the limit
    except OSError as err:
        raise InputError(err.strerror or "cannot read file", where=where) from None
    if len(data) > limit:
        raise InputError(f"file is over the {limit:,}-byte limit", where=where)
    return data


class BoundedStream:
    """A file's bytes, decompressed when its name ends in .gz, refused as soon as they pass the
    decompression limit. `read` and `readline` as a binary file has them; `read_bytes` counts what was
    handed out."""

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        self.read_bytes = 0
        try:
            if path.name.lower().endswith(".gz"):
                self.limit: int | None = MAX_RATIO * path.stat().st_size + MAX_BYTES
                self._stream = cast(IO[bytes], gzip.open(path, "rb"))  # noqa: SIM115 (closed by __exit__)
            else:
                self.limit = None  # an uncompressed file is as large as it says: read in pieces
                self._stream = path.open("rb")
        except OSError as err:
            raise InputError(err.strerror or "cannot read file", where=self.where) from None

    def _count(self, data: bytes) -> bytes:
        self.read_bytes += len(data)
        if self.limit is not None and self.read_bytes > self.limit:
            raise InputError(
                f"decompresses to over {self.limit:,} bytes, more than {MAX_RATIO} times its size: "
                "refused as a likely decompression bomb",
                where=self.where,
            )
        return data

    def read(self, size: int = CHUNK) -> bytes:
        """At most `size` bytes; b"" at the end."""
        return self._count(self._read(lambda: self._stream.read(size)))

    def readline(self, limit: int) -> bytes:
        """One line with its end, at most `limit` bytes of it (a longer line is cut there)."""
        return self._count(self._read(lambda: self._stream.readline(limit)))

    def _read(self, reader: Callable[[], bytes]) -> bytes:
        try:
            return reader()
        except (OSError, EOFError, zlib.error) as err:  # a truncated or corrupt .gz
            raise InputError(f"cannot read: {err}", where=self.where) from None

    def __enter__(self) -> BoundedStream:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stream.close()
