"""The 2,000-document corpus through `ldn-graph build`, as a user runs it (`make bench`).

Four runs of the command line on the corpus of bench/corpus.py, into a fresh folder: the first build
(`--jobs 2`), the same command again (nothing to do), again after one document changed (it alone is read
again; the aggregate and the exports follow), and a build of the same corpus in one process with
`--no-export` (the store alone, for the share of the time the exports take). Each run's wall time, peak
resident memory of its largest process (the command, a worker, the SHACL check) and peak of the memory
summed over all of them are printed and recorded under "build" in bench/out/results.json.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _results import machine, record, rss_mb  # noqa: E402

from corpus import CORPUS, write_corpus  # noqa: E402


def run(args: list[str]) -> tuple[float, int, int, str]:
    """Run `ldn-graph ARGS` in a fresh process: wall seconds, peak RSS of its largest process in MB, peak
    of the RSS summed over it and its children (workers, the SHACL check) in MB, its stderr's last line.

    The sum is sampled every 0.2 s from /proc and counts pages that forked processes share once in each:
    an upper bound of what the machine must hold."""
    # `python -m ldn_graph` from the project folder: the checkout's own code, whatever the venv installed.
    command = [sys.executable, "-m", "ldn_graph", *args]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "CI": "1"}
        )
        summed = 0
        while process.poll() is None:
            summed = max(summed, _tree_rss_mb(process.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        err.seek(0)
        stderr = err.read()
    if process.returncode != 0:
        raise SystemExit(f"ldn-graph {' '.join(args)} failed: {stderr.strip()}")
    # The children's peak so far: this process waits for one command at a time, and the maximum only grows,
    # so each run is measured in a process of its own (see main).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    lines = stderr.strip().splitlines()
    return seconds, peak, round(summed), lines[-1] if lines else ""


def _tree_rss_mb(root: int) -> float:
    """The resident memory of process `root` and all its descendants, in MB (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:  # the process ended meanwhile
                continue
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += rss_mb(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def measured(args: list[str]) -> dict[str, object]:
    """`run` in a child Python, so each run's peak memory is its own."""
    code = (
        "import json, sys; sys.path.insert(0, 'bench'); from build import run; "
        f"print(json.dumps(run({args!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip().splitlines()[-1])
    seconds, peak, summed, said = json.loads(done.stdout)
    return {"seconds": round(seconds, 1), "peak_rss_mb": peak, "peak_tree_rss_mb": summed, "said": said}


def main() -> int:
    if not CORPUS.is_dir() or len(list(CORPUS.glob("*.txt"))) < 2000:
        write_corpus()
    documents = sorted(CORPUS.glob("*.txt"))
    work = Path(tempfile.mkdtemp(prefix="ldn-bench-build-"))
    try:
        corpus = work / "corpus"
        shutil.copytree(CORPUS, corpus)
        out, store_only = work / "out", work / "store-only"
        runs = {
            "first build, --jobs 2": ["build", str(corpus), "-o", str(out), "--jobs", "2"],
            "again, nothing changed": ["build", str(corpus), "-o", str(out)],
        }
        results: dict[str, dict[str, object]] = {}
        for name, args in runs.items():
            results[name] = measured(args)
        changed = corpus / documents[len(documents) // 2].name
        changed.write_text(changed.read_text(encoding="utf-8") + "\nNaltrexone may reduce fatigue.\n")
        results["one document changed"] = measured(["build", str(corpus), "-o", str(out), "--jobs", "2"])
        results["store only, 1 process, --no-export"] = measured(
            ["build", str(corpus), "-o", str(store_only), "--no-export"]
        )
        store_mb = sum(p.stat().st_size for p in (out / "store").rglob("*") if p.is_file()) // 2**20
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{len(documents)} documents; machine load {os.getloadavg()[0]:.1f} at the end")
    print(f"{'run':<40}{'wall s':>9}{'peak MB':>9}{'tree MB':>9}  what it said")
    for name, r in results.items():
        figures = f"{r['seconds']:>9}{r['peak_rss_mb']:>9}{r['peak_tree_rss_mb']:>9}"
        print(f"{name:<40}{figures}  {str(r['said'])[:80]}")
    print(
        "peak MB: the largest process; tree MB: summed over the command and its children (shared pages twice)"
    )
    first = float(results["first build, --jobs 2"]["seconds"])  # type: ignore[arg-type]
    again = float(results["again, nothing changed"]["seconds"])  # type: ignore[arg-type]
    print(f"store on disk: {store_mb} MB; a re-run takes {again / first:.3f} of the first build")

    record(
        "build",
        {
            "documents": len(documents),
            "runs": results,
            "store_mb": store_mb,
            "machine": machine(),
            "load_average_end": os.getloadavg(),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
