"""Benchmark of the graph store: Oxigraph (the store `ldn-graph build` writes) against rdflib's in-memory
graph, in the same process, on 1,000,000 synthetic triples in the shape of docs/data-model.md.

Measured for each engine: load rate (triples/s, from the same N-Triples file), peak resident memory above
what the process held before loading (Linux VmHWM, reset between engines), and the median latency of each
query of the library (ontology/queries/*.rq, parameters bound to values the synthetic data holds) plus the
typed two-hop GROUP BY of issue 6. rdflib queries run in a forked process that is killed at the time limit
(`--cap`, default 30 s): those report '> 30 s'. Goal (issue 6): Oxigraph >= 50x faster, each under 0.5 s.
Oxigraph is measured on disk (what `build` writes and `ldn-graph query` reads) and on the store's copy in
memory (what `ldn-graph serve` queries), with the time and memory the copy takes.

Figures are printed as a table and written to bench/out/results.json under "store". Nothing is asserted.
Usage: python bench/store.py [--triples N] [--cap SECONDS]
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _results import machine, peak_rss_mb, record, reset_peak, rss_mb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE = "https://w3id.org/ldn-graph/"
LDN = BASE + "vocab#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

TWO_HOP = """# (issue 6) Typed two-hop GROUP BY: what drugs reach in two relations, counted by category.
SELECT ?category (COUNT(*) AS ?n) WHERE {
  ?d a ldn:Drug ; ?p1 ?t .
  ?t ?p2 ?x .
  ?x a ?category .
  FILTER(STRSTARTS(STR(?p1), STR(ldn:)) && STRSTARTS(STR(?p2), STR(ldn:)))
}
GROUP BY ?category ORDER BY DESC(?n)
"""

# (predicate, subject categories, object categories, share of assertions)
FRAMES = [
    ("treats", ["Drug"], ["Disease", "PhenotypicFeature"], 0.16),
    ("hasSideEffect", ["Drug"], ["PhenotypicFeature"], 0.06),
    ("contraindicatedWith", ["Drug"], ["Drug", "Disease"], 0.03),
    ("binds", ["Drug", "MolecularEntity"], ["Protein"], 0.12),
    (
        "increases",
        ["Drug", "MolecularEntity", "Cell", "Protein"],
        ["BiologicalProcess", "Protein", "MolecularEntity"],
        0.16,
    ),
    (
        "decreases",
        ["Drug", "MolecularEntity", "Cell", "Protein"],
        ["BiologicalProcess", "Protein", "MolecularEntity"],
        0.16,
    ),
    ("regulates", ["Protein", "MolecularEntity"], ["BiologicalProcess", "Protein"], 0.12),
    ("produces", ["Cell"], ["MolecularEntity", "Protein"], 0.09),
    ("partOf", ["AnatomicalEntity", "Cell"], ["AnatomicalEntity"], 0.05),
    ("causes", ["Disease", "BiologicalProcess"], ["PhenotypicFeature", "Disease"], 0.05),
]
CATEGORIES = {
    "Drug": 1500, "MolecularEntity": 2500, "Protein": 4000, "Cell": 1200, "AnatomicalEntity": 1200,
    "BiologicalProcess": 3000, "Disease": 2500, "PhenotypicFeature": 2100,
}  # fmt: skip


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: object, datatype: str | None = None) -> str:
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    text = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{text}^^<{datatype}>" if datatype else text


def generate(path: Path, target: int, seed: int = 7) -> tuple[int, dict[str, str]]:
    """Write about `target` triples of synthetic ldn-graph data to `path` (N-Triples); returns the count
    and the parameter values of the library's queries that the data holds."""
    rng = random.Random(seed)
    lines: list[str] = []
    count = 0

    def add(s: str, p: str, o: str) -> None:
        nonlocal count
        lines.append(f"{s} {p} {o} .\n")
        count += 1

    entities: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    special = {"Drug": ["low-dose naltrexone", "naltrexone"], "Disease": ["fibromyalgia"]}
    for category, n in CATEGORIES.items():
        for i in range(n):
            label = special[category][i] if i < len(special.get(category, [])) else f"{category.lower()} {i}"
            key = label.replace(" ", "-")
            e = BASE + "entity/" + key
            entities[category].append(e)
            add(iri(e), iri(RDF + "type"), iri(LDN + category))
            add(iri(e), iri(RDFS + "label"), lit(label))
            if label == "low-dose naltrexone":
                add(iri(e), iri(SKOS + "altLabel"), lit("LDN"))
            elif rng.random() < 0.5:
                add(iri(e), iri(SKOS + "altLabel"), lit(label.upper()))
            normalised = rng.random() > 0.05
            if normalised and rng.random() < 0.85:
                add(
                    iri(e),
                    iri(SKOS + "exactMatch"),
                    iri(f"http://purl.obolibrary.org/obo/X_{rng.randrange(10**7):07d}"),
                )
            add(iri(e), iri(LDN + "normalised"), lit(normalised))
    documents = [BASE + f"doc/pmid-{30000000 + i}" for i in range(3000)]
    for d in documents:
        add(iri(d), iri(RDF + "type"), iri(LDN + "Document"))
        add(iri(d), iri(DCTERMS + "title"), lit(f"A study {d[-4:]}"))
        add(iri(d), iri(LDN + "sha256"), lit(f"{rng.getrandbits(256):064x}"))

    ldn, fibro = entities["Drug"][0], entities["Disease"][0]
    # The edge of the library's examples, and contradictions: relations some documents state and one
    # other document negates.
    pairs = [(rng.choice(entities["Drug"]), rng.choice(entities["Disease"])) for _ in range(500)]
    planned = [(ldn, "treats", fibro, False)] + [
        (drug, "treats", disease, negated) for drug, disease in pairs for negated in (False, True)
    ]
    weights = [f[3] for f in FRAMES]
    seen: set[tuple[str, str, str, bool]] = set()
    sides: dict[tuple[str, str, str], dict[bool, tuple[str, list[str]]]] = {}  # for ldn:contradictedBy
    while count < target:
        if planned:
            s, predicate, o, negated = planned.pop(0)
        else:
            predicate, subjects, objects, _ = rng.choices(FRAMES, weights)[0]
            s = rng.choice(entities[rng.choice(subjects)])
            o = rng.choice(entities[rng.choice(objects)])
            if (
                predicate in ("treats", "hasSideEffect", "contraindicatedWith", "binds")
                and rng.random() < 0.04
            ):
                s = ldn  # the drug of the library's examples has many claims
            if predicate == "treats" and rng.random() < 0.01:
                o = fibro
            negated = rng.random() < 0.05
        if (s, predicate, o, negated) in seen or s == o:
            continue
        seen.add((s, predicate, o, negated))
        key = f"{s.rsplit('/', 1)[1]}.{predicate}.{o.rsplit('/', 1)[1]}" + (".negated" if negated else "")
        a = BASE + "assertion/" + key
        hedged_all = rng.random() < 0.2 and s != ldn
        evidences = []
        docs = rng.sample(documents, rng.choice([1, 1, 1, 2, 2, 3]))
        for d in docs:
            start = rng.randrange(0, 20000)
            end = start + rng.randrange(40, 300)
            ev = BASE + f"evidence/{d.rsplit('/', 1)[1]}.{start}-{end}.{key}"
            target_iri = f"{d}#char={start},{end}"
            evidences.append(ev)
            for p, o2 in (
                (RDF + "type", iri(LDN + "Evidence")),
                (RDF + "type", iri(OA + "Annotation")),
                (OA + "motivatedBy", iri(OA + "describing")),
                (OA + "hasBody", iri(a)),
                (OA + "hasTarget", iri(target_iri)),
                (LDN + "certainty", iri(LDN + ("Hedged" if hedged_all else "Asserted"))),
                (LDN + "negated", lit(negated)),
                (LDN + "extractionRule", lit("synthetic")),
            ):
                add(iri(ev), iri(p), o2)
            add(iri(target_iri), iri(RDF + "type"), iri(OA + "SpecificResource"))
            add(iri(target_iri), iri(OA + "hasSource"), iri(d))
            add(iri(target_iri), iri(OA + "hasSelector"), iri(target_iri + "-position"))
            add(iri(target_iri), iri(OA + "hasSelector"), iri(target_iri + "-quote"))
            add(iri(target_iri + "-position"), iri(RDF + "type"), iri(OA + "TextPositionSelector"))
            add(iri(target_iri + "-position"), iri(OA + "start"), lit(start))
            add(iri(target_iri + "-position"), iri(OA + "end"), lit(end))
            add(iri(target_iri + "-quote"), iri(RDF + "type"), iri(OA + "TextQuoteSelector"))
            add(
                iri(target_iri + "-quote"),
                iri(OA + "exact"),
                lit(f"Sentence {start} of {d[-4:]} about {key}."),
            )
        if not negated:
            add(iri(s), iri(LDN + predicate), iri(o))
        for p, o2 in (
            (RDF + "type", iri(LDN + "Assertion")),
            (RDF + "subject", iri(s)),
            (RDF + "predicate", iri(LDN + predicate)),
            (RDF + "object", iri(o)),
            (LDN + "negated", lit(negated)),
            (LDN + "certainty", iri(LDN + ("Hedged" if hedged_all else "Asserted"))),
            (LDN + "supportCount", lit(len(evidences))),
            (LDN + "documentCount", lit(len(docs))),
            (LDN + "confidence", lit(f"{1 - 0.4 ** len(docs):.3f}", XSD + "decimal")),
        ):
            add(iri(a), iri(p), o2)
        for ev in evidences:
            add(iri(a), iri(PROV + "wasDerivedFrom"), iri(ev))
        sides.setdefault((s, predicate, o), {})[negated] = (a, docs)
        if rng.random() < 0.1:
            q = f"{a}/year-{2000 + rng.randrange(24)}"
            add(iri(a), iri(LDN + "hasQualifier"), iri(q))
            add(iri(q), iri(RDF + "type"), iri(LDN + "StudyYear"))
            add(iri(q), iri(RDFS + "label"), lit(q[-4:]))
            add(iri(q), iri(SCHEMA + "value"), lit(q[-4:], XSD + "gYear"))
    # As the aggregate flags them: stated in one document and negated in another.
    for both in sides.values():
        if len(both) == 2 and any(y != n for y in both[False][1] for n in both[True][1]):
            add(iri(both[False][0]), iri(LDN + "contradictedBy"), iri(both[True][0]))
            add(iri(both[True][0]), iri(LDN + "contradictedBy"), iri(both[False][0]))
    path.write_text("".join(lines), encoding="utf-8")
    return count, {"condition": "fibromyalgia", "drug": "low-dose naltrexone"}


def queries(params: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, bindings) of every library query, and the two-hop query of the issue."""
    from ldn_graph.sparql.library import library

    out = []
    for q in library():
        given = {k: v for k, v in params.items() if q.param(k) is not None}
        out.append((q.name, q.text, q.bindings(given)))
    out.append(("two-hop-group-by (issue 6)", TWO_HOP, {}))
    return out


def measure_oxigraph(data: Path, folder: Path, todo: list, repeat: int) -> dict[str, Any]:
    """On disk (`folder`), as `ldn-graph build` keeps it and `ldn-graph query` reads it.

    `bulk_load` writes its files as they come; a store that `build` wrote document by document has been
    compacted by RocksDB as it grew. The load ends with `optimize()` (counted in the load time) so that
    the queries read the layout a build leaves: written as a build writes (one transaction per 500
    statements), the store answers as fast as this one, and about a quarter faster than bulk_load's files.
    """
    import pyoxigraph

    gc.collect()
    before = rss_mb()
    reset_peak()
    started = time.perf_counter()
    store = pyoxigraph.Store(str(folder))
    store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.optimize()
    seconds = time.perf_counter() - started
    triples = len(store)
    result: dict[str, Any] = {"load_seconds": round(seconds, 2), "triples": triples}
    result["queries"] = time_queries(store, todo, repeat)
    result["peak_rss_mb"] = round(peak_rss_mb() - before, 1)
    result["load_triples_per_second"] = round(triples / seconds)
    del store
    gc.collect()
    return result


def time_queries(store: Any, todo: list, repeat: int) -> dict[str, Any]:
    """The median latency and row count of each query on `store`."""
    from ldn_graph.sparql import query as sparql

    out = {}
    for name, text, bindings in todo:
        times, rows = [], 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = len(sparql.run(store, text, bindings=bindings, ontology=False).rows)
            times.append(time.perf_counter() - t0)
        out[name] = {"median_seconds": round(statistics.median(times), 4), "rows": rows}
    return out


def measure_copy(folder: Path, todo: list, repeat: int) -> dict[str, Any]:
    """The store on disk copied into memory as `ldn-graph serve` does (StoreSource.in_memory), and the
    queries on the copy."""
    from ldn_graph.store.query import StoreSource

    gc.collect()
    before = rss_mb()
    reset_peak()
    started = time.perf_counter()
    copy = StoreSource(folder, ontology=False).in_memory()
    seconds = time.perf_counter() - started
    store = copy.open()
    triples = len(store)
    result: dict[str, Any] = {"load_seconds": round(seconds, 2), "triples": triples}
    result["queries"] = time_queries(store, todo, repeat)
    result["peak_rss_mb"] = round(peak_rss_mb() - before, 1)
    result["load_triples_per_second"] = round(triples / seconds)
    del store, copy
    gc.collect()
    return result


_GRAPH: Any = None


def _rdflib_job(text: str, bindings: dict[str, Any], conn: Any) -> None:
    from ldn_graph.sparql import query as sparql

    t0 = time.perf_counter()
    rows = len(sparql.run(_GRAPH, text, bindings=bindings).rows)
    conn.send((time.perf_counter() - t0, rows))
    conn.close()


def measure_rdflib(data: Path, todo: list, cap: float, repeat: int) -> dict[str, Any]:
    global _GRAPH
    from rdflib import Graph

    from ldn_graph.sparql.query import prepare_query

    gc.collect()
    before = rss_mb()
    reset_peak()
    started = time.perf_counter()
    _GRAPH = Graph()
    _GRAPH.parse(str(data), format="nt")
    seconds = time.perf_counter() - started
    triples = len(_GRAPH)
    peak = peak_rss_mb() - before  # the load: queries run in forked processes, measured apart
    prepare_query("ASK { ?s ?p ?o }")  # the SPARQL machinery built before forking
    result: dict[str, Any] = {"load_seconds": round(seconds, 2), "triples": triples, "queries": {}}
    context = multiprocessing.get_context("fork")
    for name, text, bindings in todo:
        times, rows, timed_out = [], None, False
        for _ in range(repeat):
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_rdflib_job, args=(text, bindings, writer))
            child.start()
            writer.close()
            if reader.poll(cap):
                elapsed, rows = reader.recv()
                times.append(elapsed)
            else:
                timed_out = True
            child.kill()
            child.join()
            if timed_out or sum(times) > cap:
                break
        entry: dict[str, Any] = {"rows": rows}
        if timed_out:
            entry["timed_out_after_seconds"] = cap
        else:
            entry["median_seconds"] = round(statistics.median(times), 4)
        result["queries"][name] = entry
    result["peak_rss_mb"] = round(peak, 1)
    result["load_triples_per_second"] = round(triples / seconds)
    _GRAPH = None
    gc.collect()
    return result


def _versus(fast: float, r: dict[str, Any], cap: float) -> tuple[float, str, str]:
    """The ratio of rdflib's time to `fast`, shown, and whether the goal is met."""
    ratio = r.get("median_seconds", cap) / max(fast, 1e-6)
    shown = f"{ratio:.0f}x" if "median_seconds" in r else f"> {ratio:.0f}x"
    return ratio, shown, "ok" if fast < 0.5 and ratio >= 50 else "missed"


def table(
    ox: dict[str, Any], mem: dict[str, Any], rl: dict[str, Any], cap: float
) -> tuple[str, dict[str, Any]]:
    """rdflib, Oxigraph on disk (`ldn-graph query` on a store) and the store copied into memory
    (`ldn-graph serve`), each Oxigraph against rdflib with the goal."""
    lines = [
        f"{'':30} {'rdflib':>10} {'on disk':>10} {'ratio':>7}  {'goal':6} "
        f"{'in memory':>10} {'ratio':>7}  goal",
        f"{'load (triples/s)':30} {rl['load_triples_per_second']:>10,} {ox['load_triples_per_second']:>10,} "
        f"{ox['load_triples_per_second'] / rl['load_triples_per_second']:>6.1f}x  {'':6} "
        f"{mem['load_triples_per_second']:>10,}  (copied from the store, {mem['load_seconds']:.1f} s)",
        f"{'peak RSS of the load (MB)':30} {rl['peak_rss_mb']:>10,.0f} {ox['peak_rss_mb']:>10,.0f} "
        f"{'':7}  {'':6} {mem['peak_rss_mb']:>10,.0f}",
    ]
    ratios: dict[str, Any] = {}
    for name, o in ox["queries"].items():
        r = rl["queries"][name]
        shown = f"{r['median_seconds']:.3f} s" if "median_seconds" in r else f"> {cap:g} s"
        disk, in_memory = o["median_seconds"], mem["queries"][name]["median_seconds"]
        ratio, ratio_text, goal = _versus(disk, r, cap)
        memory_ratio, memory_text, memory_goal = _versus(in_memory, r, cap)
        ratios[name] = {
            "ratio": round(ratio, 1),
            "goal": goal,
            "in_memory_ratio": round(memory_ratio, 1),
            "in_memory_goal": memory_goal,
            "at_least": "median_seconds" not in r,
        }
        lines.append(
            f"{name[:30]:30} {shown:>10} {disk:>8.3f} s {ratio_text:>7}  {goal:6} "
            f"{in_memory:>8.3f} s {memory_text:>7}  {memory_goal}"
        )
    return "\n".join(lines), ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--cap", type=float, default=30.0, help="time limit of one rdflib query (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ldn-bench-store-") as tmp:
        work = Path(tmp)
        data = work / "synthetic.nt"
        t0 = time.perf_counter()
        count, params = generate(data, args.triples)
        print(f"generated {count:,} triples in {time.perf_counter() - t0:.1f} s", flush=True)
        todo = queries(params)
        ox = measure_oxigraph(data, work / "oxigraph", todo, repeat=5)
        print(f"Oxigraph (disk) loaded in {ox['load_seconds']} s", flush=True)
        mem = measure_copy(work / "oxigraph", todo, repeat=5)
        print(f"Oxigraph (memory) copied from the store in {mem['load_seconds']} s", flush=True)
        rl = measure_rdflib(data, todo, args.cap, repeat=3)
        print(f"rdflib loaded in {rl['load_seconds']} s", flush=True)
    text, ratios = table(ox, mem, rl, args.cap)
    print(f"\n{count:,} synthetic triples, {os.cpu_count()} cores; query times are medians\n" + text)
    for name, o in ox["queries"].items():
        r = rl["queries"][name]
        if r.get("rows") is not None and r["rows"] != o["rows"]:
            print(f"warning: {name}: Oxigraph {o['rows']} rows, rdflib {r['rows']}", file=sys.stderr)
        if mem["queries"][name]["rows"] != o["rows"]:
            print(f"warning: {name}: the copy in memory gave other rows than the store", file=sys.stderr)
    record(
        "store",
        {
            "triples": count,
            "machine": machine(),
            "rdflib_query_cap_seconds": args.cap,
            "oxigraph": ox,
            "oxigraph_in_memory": mem,
            "rdflib": rl,
            "ratios": ratios,
            "goal": "Oxigraph >= 50x faster than rdflib on every query, each under 0.5 s",
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
