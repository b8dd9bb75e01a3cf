"""Files written whole or not at all: the one atomic writer every output goes through.

A reader (a browser reloading `graph.html`, a loader picking up `graph.ttl`) never sees half a file: the
data goes to a temporary file in the target's folder, which is then renamed over the target.
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8, line ends as given) to `path` through a temporary file in the same
    folder, then rename it into place. A file replaced keeps its permissions; a new one gets 0644."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with no name or time stamp: the same data gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buffer.getvalue()


def write_gzip(path: Path, data: bytes) -> None:
    """`data` gzipped (`gzip_bytes`) and written atomically (`write_atomic`)."""
    write_atomic(path, gzip_bytes(data))
