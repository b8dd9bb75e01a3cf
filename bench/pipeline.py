"""The trained pipeline's cost (issue 11): how long it takes to load, and its words/s against a bare
en_core_web_sm parse in the same process. Printed, and written under "pipeline" in bench/out/results.json.
Nothing is asserted; the goals are printed beside the figures: load <= 3 s, words/s >= 0.5x the bare model.

Load time is measured in fresh processes (a module cache would hide the cost otherwise): `spacy.load` of
the shipped pipeline, and the same plus reading one short document (the lexicon matcher is built at first
use, after the pipeline's data is loaded). Throughput: the bench corpus's first SUBSET documents (the
bundled texts' sentences, bench/corpus.py), best of ROUNDS rounds taking turns, for five pipelines: the
bare model as loaded (NER included), the bare model without NER (what our pipelines run on), the
rule-based pipeline (`--model en_core_web_sm`), the shipped pipeline as a build runs it (`graph_only`:
without the parts only the corpora's measures read), and the shipped pipeline whole (as `evaluate` runs
it).
"""

from __future__ import annotations

import subprocess
import sys
import time

from _results import machine, record
from throughput import BATCH_SIZE, default_model, documents, words

SUBSET = 400
ROUNDS = 3
GOAL_LOAD_S = 3.0
GOAL_RATIO = 0.5
LOAD = """
import time
t = time.perf_counter()
from ldn_graph.pipeline import load_pipeline
nlp = load_pipeline(graph_only=True)
loaded = time.perf_counter() - t
nlp("Naloxone-induced hypotension was reversed.")
print(loaded, time.perf_counter() - t)
"""


def load_seconds(runs: int = 3) -> tuple[float, float]:
    """Best of `runs` fresh processes: (pipeline loaded, first document read), in seconds."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True).stdout
        loaded, first = (float(x) for x in out.split())
        best = (min(best[0], loaded), min(best[1], first))
    return best


def rules_only(path):  # type: ignore[no-untyped-def]
    """The rule-based pipeline on the bare model (what `--model en_core_web_sm` builds)."""
    from ldn_graph.pipeline import load_pipeline

    return load_pipeline(str(path))


def main() -> int:
    from ldn_graph.pipeline import load_model, load_pipeline, shipped_model

    if shipped_model() is None:
        print("no trained pipeline installed (make train)")
        return 1
    docs = documents(SUBSET)
    texts = [d.text for d in docs]
    n_words = words(docs)
    base = load_model(shipped=False)
    pipelines = {
        "bare model, as loaded": default_model(),
        "bare model, no NER": base,
        "rules only (the bare model + our rule components)": rules_only(base.path),
        "shipped pipeline": load_pipeline(graph_only=True),
        "shipped pipeline with the corpus-only parts": load_pipeline(),
    }
    wall = dict.fromkeys(pipelines, float("inf"))
    for _ in range(ROUNDS):
        for name, nlp in pipelines.items():
            start = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
                pass
            wall[name] = min(wall[name], time.perf_counter() - start)
    loaded, first = load_seconds()
    bare = wall["bare model, as loaded"]
    figures = {
        "machine": machine(),
        "documents": len(docs),
        "words": n_words,
        **{f"{name} words/s": round(n_words / seconds) for name, seconds in wall.items()},
        "ratio shipped / bare as loaded": round(bare / wall["shipped pipeline"], 3),
        "ratio shipped / bare without NER": round(wall["bare model, no NER"] / wall["shipped pipeline"], 3),
        "ratio shipped with the corpus-only parts / bare as loaded": round(
            bare / wall["shipped pipeline with the corpus-only parts"], 3
        ),
        "load seconds": round(loaded, 2),
        "load and first document seconds": round(first, 2),
    }
    record("pipeline", figures)
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(f"goals: load <= {GOAL_LOAD_S} s; shipped >= {GOAL_RATIO}x the bare model's words/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
