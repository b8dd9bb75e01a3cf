"""How a build's cost grows with the corpus (issue 15): `python bench/scale.py [N ...] [--jobs J]`.

For each N (default 200), N abstracts of the bench generator (bench/corpus.py, the same seed) are written
into a fresh folder and `ldn-graph build` runs on them as a user runs it, each run in a process of its
own: the first build (`--jobs J`), one document changed, and the same command again with nothing to do.
Each run prints its wall time, the peak resident memory of its largest process (the command, a worker, the
SHACL check: getrusage of the children) and the wall time of each phase the build reports (`--timings`:
reading inputs, loading the pipeline, extracting, storing, aggregate, each export, validation). In the
same run, a process does nothing but extract the same N documents with the same pipeline and jobs (the
pipeline loaded, records dropped): the "extraction only" time issue 15's bar compares the build with.

The ratios of the bar: first build / extraction only (goal <= 1.15), peak RSS (goal <= 1,500 MB), and,
between two sizes run together, the peak RSS of the larger over the smaller (goal <= 1.2 from 2,000 to
20,000). Recorded under "scale" in bench/out/results.json, one entry per N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _results import RESULTS, machine, record  # noqa: E402

from corpus import write_corpus  # noqa: E402

BUILD_RATIO_GOAL = 1.15
PEAK_GOAL_MB = 1500
GROWTH_GOAL = 1.2

# Extraction alone, as `build` does it, in a fresh process: the same pipeline, the same jobs.
EXTRACT_ONLY = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from ldn_graph.inputs.documents import iter_documents
from ldn_graph.extract.local import extract
from ldn_graph.pipeline import load_pipeline
nlp = load_pipeline(None)
loaded = time.perf_counter()
count = sum(1 for _ in extract(nlp, list(iter_documents([Path(sys.argv[1])])), jobs=int(sys.argv[2])))
done = time.perf_counter()
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"documents": count, "seconds": done - start, "loading": loaded - start,
                  "peak_rss_mb": peak // 1024}))
"""


def child(code: str, *args: str) -> dict[str, object]:
    """Run Python `code` with `args` in a fresh process from the project folder; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1"},
    )
    if done.returncode != 0:
        raise SystemExit((done.stderr.strip().splitlines() or ["failed"])[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(args: list[str], timings: Path) -> dict[str, object]:
    """`ldn-graph build ARGS --timings FILE` measured by bench/build.py's `run` in a process of its own:
    wall seconds, peak RSS of the largest process, of the process tree summed, and the phases."""
    code = (
        "import json, sys; sys.path.insert(0, 'bench'); from build import run; "
        "print(json.dumps(run(sys.argv[1:])))"
    )
    seconds, peak, summed, said = child(code, *args, "--timings", str(timings))  # type: ignore[misc]
    phases = json.loads(timings.read_text(encoding="utf-8"))
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak,
        "peak_tree_rss_mb": summed,
        "phases": phases,
        "said": said,
    }


def measure(n: int, jobs: int, work: Path) -> dict[str, object]:
    """The three runs and extraction alone on N documents, in `work`."""
    corpus, out = work / "corpus", work / "out"
    paths = write_corpus(corpus, n)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    only = child(EXTRACT_ONLY, str(corpus), str(jobs))
    command = ["build", str(corpus), "-o", str(out), "--jobs", str(jobs)]
    runs = {"first build": build(command, work / "first.json")}
    changed = paths[len(paths) // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nNaltrexone may reduce fatigue.\n", "utf-8")
    runs["one document changed"] = build(command, work / "changed.json")
    runs["unchanged rerun"] = build(command, work / "rerun.json")
    store_mb = sum(p.stat().st_size for p in (out / "store").rglob("*") if p.is_file()) / 2**20
    first = runs["first build"]
    return {
        "documents": n,
        "words": words,
        "jobs": jobs,
        "extraction_only": only,
        "runs": runs,
        "store_mb": round(store_mb, 1),
        "outputs_mb": {
            rel: round((out / rel).stat().st_size / 2**20, 2)
            for rel in ("graph.ttl", "graph.trig", "graph.html", "kgx/nodes.tsv", "kgx/edges.tsv")
            if (out / rel).is_file()
        },
        "first_build_over_extraction_only": round(float(first["seconds"]) / float(only["seconds"]), 3),  # type: ignore[arg-type]
        "machine": machine(),
        "load_average_end": os.getloadavg(),
    }


def show(figures: dict[str, object]) -> None:
    """Print one size's figures as a table."""
    only = figures["extraction_only"]
    assert isinstance(only, dict)
    print(f"\n{figures['documents']:,} documents, {figures['words']:,} words, --jobs {figures['jobs']}")
    print(
        f"  extraction only: {only['seconds']:.1f} s (pipeline load {only['loading']:.1f} s), "
        f"{only['peak_rss_mb']} MB"
    )
    runs = figures["runs"]
    assert isinstance(runs, dict)
    for name, run in runs.items():
        print(
            f"  {name}: {run['seconds']} s, peak {run['peak_rss_mb']} MB (tree {run['peak_tree_rss_mb']} MB)"
        )
        for phase, seconds in run["phases"].items():
            print(f"      {phase:<32}{seconds:>9.2f} s")
    first = runs["first build"]
    print(
        f"  first build / extraction only: {figures['first_build_over_extraction_only']} (goal <= "
        f"{BUILD_RATIO_GOAL}); peak {first['peak_rss_mb']} MB (goal <= {PEAK_GOAL_MB}); one document "
        f"changed {runs['one document changed']['seconds']} s; unchanged "
        f"{runs['unchanged rerun']['seconds']} s; store {figures['store_mb']} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[200], metavar="N")
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    results: dict[str, object] = {}
    if RESULTS.exists():
        results = json.loads(RESULTS.read_text(encoding="utf-8")).get("scale", {})
    for n in options.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"ldn-bench-scale-{n}-"))
        try:
            figures = measure(n, options.jobs, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        show(figures)
        results[str(n)] = figures
        record("scale", results)
    peaks = {int(n): f["runs"]["first build"]["peak_rss_mb"] for n, f in results.items()}  # type: ignore[index]
    if len(peaks) > 1:
        small, large = min(peaks), max(peaks)
        print(
            f"peak RSS at {large:,} / at {small:,}: {peaks[large] / peaks[small]:.2f} "
            f"(goal <= {GROWTH_GOAL} for 20,000 / 2,000)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
