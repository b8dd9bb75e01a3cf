"""A progress bar for long runs: documents/s and ETA on a terminal, nothing in a pipe, a log or CI; and the
wall time of each phase of a build."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm


def wanted(enabled: bool) -> bool:
    """Whether to draw a bar: asked for, stderr is a terminal, and not in CI (which sets CI=true)."""
    return enabled and sys.stderr.isatty() and not os.environ.get("CI")


def progress_bar(total: int | None, *, enabled: bool, desc: str = "extracting") -> tqdm:
    """A tqdm bar counting documents on stderr; a silent one unless `wanted(enabled)`."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit="doc",
        file=sys.stderr,
        disable=not wanted(enabled),
        dynamic_ncols=True,
        smoothing=0.1,  # the rate follows the recent documents, which vary in length
        leave=True,
    )


# Wall seconds per phase of a build (`build --timings`): summed over a phase's parts (extracting is the time
# spent waiting for the next document's records, storing the time spent writing them, each export its own).
PHASES: dict[str, float] = {}


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """Add the wall time of the block to `PHASES[name]`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        PHASES[name] = PHASES.get(name, 0.0) + time.perf_counter() - start
