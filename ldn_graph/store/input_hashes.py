"""What a build knows of its inputs without reading them: each file's documents (keys, text and metadata
hashes), kept with the file's stat in OUTDIR/.input-hashes.

A build's first pass lists every input document to find those the store lacks. Reading and hashing every
file was most of a rerun with nothing to do (3.3 of 4.8 s at 20,000 files). Each file's listing is now
kept with what `os.stat` said of it when it was read: size, modification and change times in
nanoseconds, inode and device. A file whose stat is the same is not read again (docs/scale.md, "An
unchanged rerun").

- The text hash stays a document's identity: the store still decides what is read again; this file only
  saves reading a file that has not changed since it was hashed.
- The change time (ctime) is set by the system on every write and on every change of the modification
  time, and cannot be set back: an edit that keeps the size and puts the modification time back
  (`touch -d`) is still seen.
- A file changed within the timestamps' granularity of its reading (a few ms locally, 2 s on FAT) could be
  changed again without its stat changing: its listing is kept only when both times are `SETTLED_NS`
  older than the reading (git's "racily clean" files), else it is read again next time.
- The listing is made by the code that reads inputs, keys documents and hashes their metadata: it is
  kept for one version of the package (`code_fingerprint`), and another reads every file again.
- The file is written whole or not at all (atomic.py), once the build succeeded (one that fails leaves
  OUTDIR as it was; one that made no OUTDIR, `--no-export` with the store elsewhere, keeps none), only
  when it changed; it holds the files of the last build. Its bytes depend on the inputs' state only
  (sorted, no times of its own). A file that cannot be read as this format is set aside with a warning
  and made again: it only saves time, and a build without it reads every input.

What it cannot see: a file changed with its size, both times, inode and device as they were (a clock set
back; a file server whose clock lags the reader's by more than `SETTLED_NS`). `build --rehash` reads every
input again whatever this file says.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ldn_graph.atomic import write_atomic
from ldn_graph.inputs.documents import DocumentKeys, find_inputs, read_with_origin, warn
from ldn_graph.store.catalog import metadata_hash

CACHE_FILE = ".input-hashes"
FORMAT = "ldn-graph input hashes 1"
SETTLED_NS = 2_000_000_000  # both times of a file kept must be this much older than its reading

Stat = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device
# One document of a file: its key as read, where it was read (after the file's path: ": line 3"), whether
# the key comes from an identifier, its text hash and its metadata hash.
Entry = tuple[str, str, bool, str, str]

_HASHES = re.compile(r"[0-9a-f]{128}")  # a text hash and a metadata hash
_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")


class CorruptCache(ValueError):
    """The cache file is not one this code wrote."""


def file_stat(path: Path) -> Stat | None:
    """What the cache compares of a file; None when it cannot be stat'ed (reading it will say why)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class InputHashes:
    """The listings of input files kept by their stat (`documents`), loaded from `path` and written back
    by `save`; `hits` files known by their stat, `read` files read."""

    def __init__(
        self,
        path: Path | None,
        *,
        fingerprint: str,
        rehash: bool = False,
        on_warning: Callable[[str], None] = warn,
    ) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.known: dict[str, tuple[Stat, tuple[Entry, ...]]] = {}
        self.rewrite = rehash  # written even when nothing new was kept: what it held is not to be used
        if path is not None and not rehash:
            try:
                self.known = _load(path, fingerprint)
            except CorruptCache as err:
                on_warning(f"{path}: {err}; every input is read again and the file made anew")
                self.rewrite = True
        self.kept: dict[str, tuple[Stat, tuple[Entry, ...]]] = {}
        self.hits = self.read = 0
        self._cwd = os.getcwd()

    def documents(self, path: Path) -> tuple[Entry, ...]:
        """The documents of one input file: from the cache when its stat is the one kept, else read (an
        InputError when it cannot be) and kept when its stat has settled."""
        # Kept by its absolute path (not resolved: a link is an entry of its own, its target's stat).
        name = str(path) if path.is_absolute() else os.path.join(self._cwd, path)
        started = time.time_ns()
        before = file_stat(path)
        known = self.known.get(name)
        if known is not None and before is not None and known[0] == before:
            self.hits += 1
            self.kept[name] = known
            return known[1]
        self.read += 1
        prefix = str(path)
        entries = tuple(
            (doc.key, where.removeprefix(prefix), from_id, doc.sha256, metadata_hash(doc))
            for doc, where, from_id in read_with_origin(path)
        )
        # Kept only when the file did not change while it was read and its times are old enough that a
        # later change must move them (module docstring).
        if (
            before is not None
            and file_stat(path) == before
            and max(before[1], before[2]) < started - SETTLED_NS
        ):
            self.kept[name] = (before, entries)
        return entries

    def save(self) -> None:
        """Write the files listed in this run (those whose listing may be kept) when that changed."""
        if self.path is None or (self.kept == self.known and not self.rewrite):
            return
        files = {name: [*stat, [list(e) for e in entries]] for name, (stat, entries) in self.kept.items()}
        text = json.dumps(
            {"format": FORMAT, "code": self.fingerprint, "files": files},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        write_atomic(self.path, text + "\n")


# An input file and its documents' keys, as read and as the listing made them distinct, in order.
Listed = tuple[Path, tuple[tuple[str, str], ...]]


def list_documents(
    inputs: Iterable[Path], hashes: InputHashes, files: list[Listed] | None = None
) -> list[tuple[str, str, str]]:
    """(key, text hash, metadata hash) of every input document, in order, keys made distinct as
    `iter_documents` makes them; each file read only when `hashes` does not know it. Each file with its
    documents' keys is appended to `files` when given (what `build` reads again: cli/build.py)."""
    keys = DocumentKeys()
    listed = []
    for path in find_inputs(inputs):
        named = []
        for key, where, from_id, sha256, metadata in hashes.documents(path):
            named.append((key, keys.name(key, f"{path}{where}", from_id)))
            listed.append((named[-1][1], sha256, metadata))
        if files is not None:
            files.append((path, tuple(named)))
    return listed


def _load(path: Path, fingerprint: str) -> dict[str, tuple[Stat, tuple[Entry, ...]]]:
    """The cache in `path`: empty when there is none or another code wrote it; CorruptCache when it is
    not in this format."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no build yet; OUTDIR a file is said later
        return {}
    except OSError as err:
        raise CorruptCache(f"cannot be read ({err.strerror})") from None
    try:
        top = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        raise CorruptCache("not a JSON file") from None
    if not isinstance(top, dict) or top.get("format") != FORMAT or not isinstance(top.get("files"), dict):
        raise CorruptCache(f"not an {FORMAT!r} file")
    if top.get("code") != fingerprint:
        return {}  # listed by another version of the code: read again
    known = {}
    for name, value in top["files"].items():
        known[name] = _entry(name, value)
    return known


def _entry(name: str, value: Any) -> tuple[Stat, tuple[Entry, ...]]:
    """One file's stat and documents, checked field by field (a few microseconds: 20,000 files take a
    tenth of a second)."""
    try:
        size, mtime, ctime, inode, device, docs = value
        stat = (size, mtime, ctime, inode, device)
        if not all(type(n) is int for n in stat) or type(docs) is not list:
            raise TypeError
        entries = []
        for key, where, from_id, sha256, metadata in docs:
            if not (
                type(key) is str
                and type(where) is str
                and type(from_id) is bool
                and type(sha256) is str
                and type(metadata) is str
                and _KEY.fullmatch(key)
                and _HASHES.fullmatch(sha256 + metadata)
            ):
                raise TypeError
            entries.append((key, where, from_id, sha256, metadata))
    except (TypeError, ValueError):  # not a list, or not of that length
        raise CorruptCache(f"the entry of {name} is malformed") from None
    return stat, tuple(entries)
