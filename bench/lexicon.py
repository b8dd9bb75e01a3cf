"""Benchmark of the lexicon: load time, memory, surface forms, and recognition + linking time against the
spaCy parse of the same text, in the same process. Figures are printed and written to
bench/out/results.json under "lexicon". Nothing is asserted: the budgets of issue 4 are printed beside them
(load <= 3 s and <= 1 GB with >= 200,000 forms; recognition + linking <= 25% of the parse).
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

from _results import record, rss_mb

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 12  # copies of the texts, for a few tens of thousands of tokens


def texts() -> list[str]:
    paths = [
        ROOT / "corpus" / "ldn-blog-2019.txt",
        *sorted((ROOT / "tests" / "data" / "unseen").glob("*.txt")),
    ]
    return [p.read_text(encoding="utf-8") for p in paths] * REPEAT


def measure_load() -> dict[str, float | int]:
    """Hand-made + built lexicon read and indexed, before spaCy is imported."""
    before = rss_mb()
    start = time.perf_counter()
    from ldn_graph.lexicon import default_lexicon

    lexicon = default_lexicon()
    forms, symbols = lexicon.ontology_index()
    seconds = time.perf_counter() - start
    hand_forms = sum(1 + len(c.synonyms) + len(c.abbreviations) for c in lexicon.hand.values())
    return {
        "load_seconds": round(seconds, 3),
        "load_rss_mb": round(rss_mb() - before, 1),
        "concepts": len(lexicon),
        "surface_forms": len(forms) + len(symbols) + hand_forms,
        "ontology_forms": len(forms),
        "ontology_symbols": len(symbols),
    }


def measure_pipeline() -> dict[str, float | int]:
    """Time of each component over the same texts; the model's components are the parse."""
    from ldn_graph.pipeline import load_pipeline

    start = time.perf_counter()
    nlp = load_pipeline()
    pipeline_seconds = time.perf_counter() - start
    docs = [nlp.make_doc(t) for t in texts()]
    for doc in docs[:5]:  # warm up
        nlp(doc.text)
    times = dict.fromkeys(nlp.pipe_names, 0.0)
    gc.disable()
    for doc in docs:
        for name, proc in nlp.pipeline:
            start = time.perf_counter()
            doc = proc(doc)
            times[name] += time.perf_counter() - start
    gc.enable()
    ours = {"ldn_text_cleanup", "ldn_abbreviations", "ldn_entity_linker", "ldn_relation_extractor"}
    parse = sum(t for name, t in times.items() if name not in ours)
    linking = times["ldn_entity_linker"]
    return {
        "pipeline_load_seconds": round(pipeline_seconds, 3),
        "tokens": sum(len(d) for d in docs),
        "parse_seconds": round(parse, 3),
        "recognition_linking_seconds": round(linking, 3),
        "linking_parse_ratio": round(linking / parse, 3),
        "component_seconds": {name: round(t, 3) for name, t in times.items()},
        "peak_rss_mb": round(rss_mb(), 1),
    }


def main() -> int:
    results = measure_load()
    results.update(measure_pipeline())
    print(
        f"lexicon: {results['surface_forms']:,} surface forms ({results['concepts']:,} concepts) "
        f"loaded in {results['load_seconds']:.2f} s, +{results['load_rss_mb']:.0f} MB RSS "
        f"(budget: >= 200,000 forms, <= 3 s, <= 1024 MB)"
    )
    print(
        f"recognition + linking {results['recognition_linking_seconds']:.3f} s vs spaCy parse "
        f"{results['parse_seconds']:.3f} s on {results['tokens']:,} tokens: "
        f"ratio {results['linking_parse_ratio']:.1%} (budget: <= 25%)"
    )
    print(f"process peak RSS with the pipeline: {results['peak_rss_mb']:.0f} MB")
    record("lexicon", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
