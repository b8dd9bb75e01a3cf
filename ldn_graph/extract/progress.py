"""A progress bar for long runs: documents/s and ETA on a terminal, nothing in a pipe, a log or CI."""

from __future__ import annotations

import os
import sys
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
