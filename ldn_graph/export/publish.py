"""What `build` writes into OUTDIR, and how: every output or none.

The outputs are formats of the export table (`FORMATS`), named by `BUILD_FORMATS`: a file format is
written as `graph` plus its first file ending, a folder format as a folder of its name. They are written
into a staging folder (`OUTDIR/.ldn-graph-XXXX`, locked by the build writing there) and moved into OUTDIR
once all are written; a marker file, moved last, says which state of which store they were made from
(store/publish.py writes and reads it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from rdflib import Graph

from ldn_graph.errors import LdnGraphError, describe_os_error
from ldn_graph.export import FORMATS
from ldn_graph.extract.progress import phase

BUILD_FORMATS = ("turtle", "trig", "html", "kgx")
# Says which state of which store the exports in a folder were made from (ignored by git).
EXPORT_MARKER = ".store-revision"
# Exports are written into OUTDIR/.ldn-graph-XXXX first; the build writing there holds a lock on its file.
STAGING_PREFIX = ".ldn-graph-"
STAGING_LOCK = ".lock"


def output_path(name: str) -> Path:
    """Where `build` writes format `name`, relative to OUTDIR."""
    fmt = FORMATS[name]
    return Path(name) if fmt.folder else Path("graph" + fmt.suffixes[0])


def output_files(name: str) -> list[Path]:
    """The files format `name` gives in OUTDIR."""
    path = output_path(name)
    return [path / file for file in FORMATS[name].folder] or [path]


OUTPUTS = tuple(file for name in BUILD_FORMATS for file in output_files(name))


def read_marker(outdir: Path) -> str | None:
    """The marker of the exports in OUTDIR; None when there is none (or it cannot be read)."""
    try:
        return (outdir / EXPORT_MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_outputs(
    graph: Graph,
    outdir: Path,
    *,
    marker: str | None = None,
    before_publishing: Callable[[], None] | None = None,
    writers: Mapping[str, Callable[[Path], list[Path]]] | None = None,
    after_moving: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write every output into a staging folder, then move them into OUTDIR: all or nothing. The marker,
    moved last, says which store state they were made from. `before_publishing` runs between the two
    and may raise to publish nothing. `writers` write some formats from elsewhere than `graph` (the same
    bytes: store/publish.py streams Turtle and TriG from the store), into the staging folder given as
    their path's parent; `after_moving(staging)` runs once the outputs are in OUTDIR, before the marker."""
    outdir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(outdir)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outdir))
    lock = _hold(staging)
    try:
        for name in BUILD_FORMATS:
            with phase(f"export: {name}"):
                if writers and name in writers:
                    writers[name](staging / output_path(name))
                else:
                    FORMATS[name].write(graph, staging / output_path(name))
        if before_publishing is not None:
            before_publishing()
        # From here until the marker is written, the exports are not current.
        (outdir / EXPORT_MARKER).unlink(missing_ok=True)
        for name in BUILD_FORMATS:
            if FORMATS[name].folder:
                (outdir / output_path(name)).mkdir(exist_ok=True)
        for rel in OUTPUTS:
            os.replace(staging / rel, outdir / rel)
        if after_moving is not None:
            after_moving(staging)
        if marker is not None:
            (staging / EXPORT_MARKER).write_text(marker, encoding="utf-8")
            os.replace(staging / EXPORT_MARKER, outdir / EXPORT_MARKER)
        return [outdir / rel for rel in OUTPUTS]
    except OSError as err:  # a full disk: nothing is published, the staging folder goes
        raise LdnGraphError(
            f"cannot write the exports: {describe_os_error(err)}", where=str(outdir)
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            lock.close()


def _hold(staging: Path) -> IO[bytes] | None:
    """Lock a staging folder for as long as this process writes into it (the lock ends with the process,
    however it ends); None where the platform has no file locks."""
    try:
        import fcntl
    except ImportError:  # Windows: stale folders are then left for the user
        return None
    handle = (staging / STAGING_LOCK).open("wb")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def remove_stale_staging(outdir: Path) -> list[Path]:
    """Remove the staging folders (`OUTDIR/.ldn-graph-*`) that a build killed while exporting left behind;
    a folder whose build still runs (it holds the lock) is left alone. Returns the folders removed."""
    try:
        import fcntl
    except ImportError:
        return []
    removed = []
    for folder in sorted(outdir.glob(STAGING_PREFIX + "*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            with (folder / STAGING_LOCK).open("ab") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)  # the lock is ours: nobody writes there
        except BlockingIOError:
            continue  # another build is exporting into it right now
        except OSError:
            continue  # vanished meanwhile, or not ours to remove
        removed.append(folder)
    return removed
