"""The first pass of a build, listing its inputs, with and without the stat cache (issue 15):
`python bench/listing.py [N ...]` (default 20000).

For each N, N abstracts of the bench generator (bench/corpus.py, the same seed as bench/scale.py) are
written into a fresh folder, left to settle (the cache keeps a file only once its times are
`SETTLED_NS` old), then listed as `build` lists them, in one process, the files in the page cache:

- the old way: every file read and hashed (`iter_documents`, then `metadata_hash`), as before the cache;
- with the cache, cold: every file read, hashed and its stat kept, the cache file written;
- with the cache, warm: every file stat'ed, none read (the unchanged rerun); also the folder walk alone
  (`find_inputs`) and the cache file's load alone, the parts of it that remain.

Each timing is the best of `REPEATS`. Prints the figures and the old way's time over the warm one;
recorded under "listing" in bench/out/results.json.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's ldn_graph, not the one installed
sys.path.insert(0, str(ROOT / "bench"))  # before it: bench/corpus.py, not the corpus folder

from _results import machine, record  # noqa: E402

from corpus import write_corpus  # noqa: E402

REPEATS = 3


def best(work: Callable[[], object], repeats: int = REPEATS) -> float:
    """The shortest wall time of `repeats` calls of `work`, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(n: int, work: Path) -> dict[str, object]:
    """The listing of N generated inputs, the old way and with the cache (cold, warm)."""
    from ldn_graph.inputs.documents import find_inputs, iter_documents
    from ldn_graph.store.catalog import metadata_hash
    from ldn_graph.store.fingerprint import code_fingerprint
    from ldn_graph.store.input_hashes import SETTLED_NS, InputHashes, _load, list_documents

    corpus, cache = work / "corpus", work / ".input-hashes"
    write_corpus(corpus, n)
    time.sleep(SETTLED_NS / 1e9 + 0.5)  # the files' times settle: the cache keeps them from now on
    code = code_fingerprint()

    def old() -> object:
        return [(d.key, d.sha256, metadata_hash(d)) for d in iter_documents([corpus])]

    def cold() -> object:
        cache.unlink(missing_ok=True)
        hashes = InputHashes(cache, fingerprint=code)
        listed = list_documents([corpus], hashes)
        hashes.save()
        assert hashes.read == n, hashes.read
        return listed

    def warm() -> object:
        hashes = InputHashes(cache, fingerprint=code)
        listed = list_documents([corpus], hashes)
        hashes.save()
        assert hashes.hits == n and hashes.read == 0, (hashes.hits, hashes.read)
        return listed

    assert old() == cold() == warm()  # the same listing all three ways
    figures = {
        "documents": n,
        "old_way_s": best(old),
        "cache_cold_s": best(cold),
        "cache_warm_s": best(warm),
        "folder_walk_s": best(lambda: find_inputs([corpus])),
        "cache_load_s": best(lambda: _load(cache, code)),
        "cache_file_mb": round(cache.stat().st_size / 2**20, 2),
    }
    figures = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
    figures["old_over_warm"] = round(float(figures["old_way_s"]) / float(figures["cache_warm_s"]), 1)
    figures["machine"] = machine()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20000], metavar="N")
    options = parser.parse_args()
    results: dict[str, object] = {}
    for n in options.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"ldn-bench-listing-{n}-"))
        try:
            figures = measure(n, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(
            f"{n:,} inputs: the old way {figures['old_way_s']} s; with the cache, cold "
            f"{figures['cache_cold_s']} s, warm {figures['cache_warm_s']} s (folder walk "
            f"{figures['folder_walk_s']} s, cache load {figures['cache_load_s']} s, "
            f"{figures['cache_file_mb']} MB); old / warm {figures['old_over_warm']}x"
        )
        results[str(n)] = figures
        record("listing", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
