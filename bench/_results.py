"""What the benchmark scripts share: where their figures go (`record`), what machine made them, and the
resident memory of a process (Linux /proc; elsewhere the peak so far, from getrusage).

`bench/run.py` runs every script of this folder but those whose name starts with "_", like this one.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "out" / "results.json"


def record(section: str, figures: dict[str, Any]) -> None:
    """Put `figures` under `section` in bench/out/results.json, keeping the other scripts' sections."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    data[section] = figures
    RESULTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def machine() -> str:
    """Cores, CPU model, memory and Python version, as the README quotes them."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1]) / 1024**2
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f", {mem:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def _status_mb(field: str, pid: int | str = "self") -> float | None:
    """A memory line of /proc/PID/status (`VmRSS`, `VmHWM`) in MB; None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:  # not Linux, or the process ended meanwhile
        return None
    return None


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far (VmHWM, which `reset_peak` restarts)."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int | str = "self") -> float:
    """The resident memory of a process now (this one by default), else this one's peak so far; 0 for
    another process that has ended."""
    now = _status_mb("VmRSS", pid)
    if now is not None:
        return now
    return peak_rss_mb() if pid == "self" else 0.0


def reset_peak() -> None:
    """Make VmHWM start again from the current RSS (Linux), so that each measurement's peak is its own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
