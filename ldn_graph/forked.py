"""Work handed to a forked process while this one goes on: the SHACL checks of a build (rdf/shapes.py) and
the reading of its documents (extract/local.py).

On Linux only (macOS lists fork but it is unsafe there), and only if the fork succeeds; callers do the
work in this process otherwise. The forking process may hold an open store, whose native threads the
child does not have: the child must never free a store object. Garbage is collected before the fork and
what is left is frozen, so the child's collector never looks at it (nor writes to the pages it shares
with this process), and the child ends without finalisation (multiprocessing's `os._exit`). It ignores
Ctrl-C (the parent stops it) and dies with its parent (PR_SET_PDEATHSIG): a build killed at any moment
leaves no process behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import signal
import sys
from typing import Any

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def fork_child(target: Any, argument: Any, *, duplex: bool = False) -> tuple[Any, Any] | None:
    """`target(argument, connection)` in a forked process; the process and this end of its connection
    (one way unless `duplex`: this end reads, the child's writes), or None where no process can be
    forked. `target` calls `become_child` first."""
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe(duplex=duplex)
    process = context.Process(target=target, args=(argument, theirs), daemon=True)
    gc.collect()
    gc.freeze()
    try:
        process.start()
    except OSError:  # no memory or process left for a fork: the work is done here instead
        mine.close()
        return None
    finally:
        gc.unfreeze()
        theirs.close()
    return process, mine


def become_child() -> None:
    """In a process `fork_child` started: ignore Ctrl-C and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
