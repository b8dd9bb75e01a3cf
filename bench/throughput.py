"""Extraction throughput on the bench corpus (bench/corpus.py): our full pipeline against a bare
en_core_web_sm `nlp.pipe` in the same process, one process against two, and the peak resident memory of
extracting all 2,000 documents. Printed as a table and written under "throughput" in
bench/out/results.json. Nothing is asserted; the goals of issue 6 are printed beside the figures:
full/bare >= 0.8 (our components add at most 25% to the parse), two processes >= 1.7x one.

The bare baseline is the same model with the same components our pipeline runs (tok2vec, tagger, parser,
attribute ruler, lemmatizer: the model's NER is excluded in both), so the ratio is what our components cost.
The timed runs use the first SUBSET documents, each measure the best of ROUNDS runs (the machine may be
shared); the memory run reads all of them in a fresh process, as `ldn-graph build` would.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from corpus import CORPUS, DOCUMENTS, write_corpus

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "results.json"
SUBSET = 400  # documents of the timed runs (~72,000 words); the memory run reads all 2,000
ROUNDS = 3
BATCH_SIZE = 16
GOAL_RATIO = 0.8
GOAL_SCALING = 1.7


def documents(limit: int | None = None) -> list:
    from ldn_graph.documents import iter_documents

    if len(list(CORPUS.glob("*.txt"))) != DOCUMENTS:
        write_corpus()
    docs = list(iter_documents([CORPUS]))
    return docs[:limit] if limit else docs


def words(docs: list) -> int:
    return sum(len(d.text.split()) for d in docs)


def timed(run) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU: this process only, so not for the two-process run)."""
    start, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - start, time.process_time() - cpu


def measure_throughput() -> dict:
    from ldn_graph.extract import extract
    from ldn_graph.pipeline import load_model, load_pipeline

    docs = documents(SUBSET)
    texts = [d.text for d in docs]
    n_words = words(docs)
    bare = load_model()
    nlp = load_pipeline()
    list(bare.pipe(texts[:8]))  # warm up both
    serial = list(extract(nlp, docs[:8]))

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=BATCH_SIZE):
            pass

    def run_full() -> None:
        nonlocal serial
        serial = list(extract(nlp, docs, batch_size=BATCH_SIZE))

    parallel: list = []

    def run_two() -> None:
        nonlocal parallel
        parallel = list(extract(nlp, docs, jobs=2, batch_size=BATCH_SIZE))

    bare_s = full_s = two_s = bare_cpu = full_cpu = float("inf")
    for _ in range(ROUNDS):  # interleaved, so that a busy moment of the machine hits all three alike
        wall, cpu = timed(run_bare)
        bare_s, bare_cpu = min(bare_s, wall), min(bare_cpu, cpu)
        wall, cpu = timed(run_full)
        full_s, full_cpu = min(full_s, wall), min(full_cpu, cpu)
        two_s = min(two_s, timed(run_two)[0])
    return {
        "documents": len(docs),
        "words": n_words,
        "bare_words_per_s": round(n_words / bare_s),
        "full_words_per_s": round(n_words / full_s),
        "two_process_words_per_s": round(n_words / two_s),
        "full_bare_ratio": round(bare_s / full_s, 3),
        "full_bare_ratio_cpu": round(bare_cpu / full_cpu, 3),  # less sensitive to other processes
        "two_process_scaling": round(full_s / two_s, 3),
        "two_process_identical": parallel == serial,
        "bare_seconds": round(bare_s, 2),
        "full_seconds": round(full_s, 2),
        "two_process_seconds": round(two_s, 2),
    }


def measure_memory() -> dict:
    """In this (fresh) process: load the pipeline, extract every document of the corpus, keep the records."""
    from ldn_graph.extract import extract
    from ldn_graph.pipeline import load_pipeline

    docs = documents()
    nlp = load_pipeline()
    loaded, load_peak = rss_mb(), peak_rss_mb()
    start = time.perf_counter()
    extractions = list(extract(nlp, docs, batch_size=BATCH_SIZE))
    seconds = time.perf_counter() - start
    return {
        "documents": len(extractions),
        "words": words(docs),
        "seconds": round(seconds, 1),
        "words_per_s": round(words(docs) / seconds),
        "relations": sum(len(x.relations) for x in extractions),
        "rss_after_load_mb": round(loaded),
        "peak_rss_load_mb": round(load_peak),  # reached while the lexicon is indexed
        "rss_at_end_mb": round(rss_mb()),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
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
        memory = ""
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def main() -> int:
    if "--memory" in sys.argv:  # the child of the memory run
        print(json.dumps(measure_memory()))
        return 0
    load = os.getloadavg()[0]
    results = measure_throughput()
    child = subprocess.run(
        [sys.executable, __file__, "--memory"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    results["memory"] = json.loads(child.stdout.strip().splitlines()[-1])
    results["machine"] = machine()
    results["load_average_at_start"] = round(load, 2)
    mem = results["memory"]
    ratio_ok = "ok" if results["full_bare_ratio"] >= GOAL_RATIO else "BELOW GOAL"
    scaling_ok = "ok" if results["two_process_scaling"] >= GOAL_SCALING else "BELOW GOAL"
    rows = [
        ("bare en_core_web_sm nlp.pipe", f"{results['bare_words_per_s']:,}", "", ""),
        (
            "ldn-graph pipeline, 1 process",
            f"{results['full_words_per_s']:,}",
            f"{results['full_bare_ratio']:.2f} of bare (CPU {results['full_bare_ratio_cpu']:.2f})",
            f">= {GOAL_RATIO} {ratio_ok}",
        ),
        (
            "ldn-graph pipeline, 2 processes",
            f"{results['two_process_words_per_s']:,}",
            f"{results['two_process_scaling']:.2f}x 1 process",
            f">= {GOAL_SCALING}x {scaling_ok}",
        ),
    ]
    print(
        f"extraction throughput: {results['documents']} documents, {results['words']:,} words, best of "
        f"{ROUNDS}; {results['machine']}; load average {load:.2f} at start"
    )
    print(f"{'':34}{'words/s':>10}  {'ratio':<28}goal")
    for name, wps, ratio, goal in rows:
        print(f"{name:34}{wps:>10}  {ratio:<28}{goal}")
    print(f"2 processes give the same records as 1: {results['two_process_identical']}")
    print(
        f"peak RSS extracting all {mem['documents']:,} documents ({mem['words']:,} words) in one process: "
        f"{mem['peak_rss_mb']:,} MB (pipeline loaded: {mem['rss_after_load_mb']:,} MB, after a peak of "
        f"{mem['peak_rss_load_mb']:,} MB while indexing the lexicon; at the end, with every record held: "
        f"{mem['rss_at_end_mb']:,} MB); {mem['seconds']} s, {mem['words_per_s']:,} words/s, "
        f"{mem['relations']:,} relations"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    data["throughput"] = results
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
