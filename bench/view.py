"""Benchmark of the HTML view at corpus scale (issue 15): a synthetic graph in the shape of
docs/data-model.md, as large as a 20,000-document build (8,000 entities, 40,000 relations by default), its
page made from an Oxigraph store read in place (as `build` makes graph.html), then opened in headless
Chromium as the browser tests open it.

Entities are picked with a heavy tail (a few are in thousands of relations, most in a handful), as in the
literature; each relation has one to three evidence sentences from the 20,000 documents. Printed and
recorded under "view" in bench/out/results.json: the page's size, the time to make it, and in the browser
the time to load and lay out the overview, to open a focus view from the search box, and to come back.
The page and screenshots of the overview and of a focus view are left in bench/out/. Nothing is asserted.
Usage: python bench/view.py [--entities N] [--relations N] [--documents N] [--keep]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _results import machine, peak_rss_mb, record, reset_peak
from store import BASE, DCTERMS, FRAMES, LDN, OA, PROV, RDF, RDFS, SKOS, XSD, iri, lit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent / "out"

WORDS = (
    "patients treated with the compound showed reduced expression in the cohort while controls did not "
    "differ significantly after twelve weeks of follow up in this randomised trial of adults"
)


def generate(path: Path, entities: int, relations: int, documents: int, seed: int = 15) -> dict[str, Any]:
    """Write the graph as N-Triples to `path`; returns what was made and the label of an entity that the
    overview leaves out (for the search to find)."""
    rng = random.Random(seed)
    lines: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(f"{s} {p} {o} .\n")

    categories = sorted({c for frame in FRAMES for side in frame[1:3] for c in side})
    members: dict[str, list[str]] = {c: [] for c in categories}
    labels: dict[str, str] = {}
    for i in range(entities):
        category = categories[i % len(categories)]
        label = f"{category.lower()} {len(members[category])}"
        e = BASE + "entity/" + label.replace(" ", "-")
        members[category].append(e)
        labels[e] = label
        add(iri(e), iri(RDF + "type"), iri(LDN + category))
        add(iri(e), iri(RDFS + "label"), lit(label))
        add(iri(e), iri(LDN + "normalised"), lit(True))
        if rng.random() < 0.5:
            add(iri(e), iri(SKOS + "altLabel"), lit(f"{label[:3].upper()}-{rng.randrange(10**4)}"))
        add(
            iri(e),
            iri(SKOS + "exactMatch"),
            iri(f"http://purl.obolibrary.org/obo/X_{rng.randrange(10**7):07d}"),
        )
    # A heavy tail: the k-th entity of a category is picked with weight 1 / (k + 3).
    weights = {c: [1 / (k + 3) for k in range(len(m))] for c, m in members.items()}
    docs = [BASE + f"doc/pmid-{30000000 + i}" for i in range(documents)]
    for d in docs:
        add(iri(d), iri(RDF + "type"), iri(LDN + "Document"))
        add(iri(d), iri(DCTERMS + "title"), lit(f"A study of {rng.choice(WORDS.split())} {d[-5:]}"))

    seen: set[tuple[str, str, str]] = set()
    frame_weights = [f[3] for f in FRAMES]
    while len(seen) < relations:
        predicate, subjects, objects, _ = rng.choices(FRAMES, frame_weights)[0]
        sc, oc = rng.choice(subjects), rng.choice(objects)
        s = rng.choices(members[sc], weights[sc])[0]
        o = rng.choices(members[oc], weights[oc])[0]
        if s == o or (s, predicate, o) in seen:
            continue
        seen.add((s, predicate, o))
        negated = rng.random() < 0.05
        hedged = rng.random() < 0.2
        key = f"{s.rsplit('/', 1)[1]}.{predicate}.{o.rsplit('/', 1)[1]}" + (".negated" if negated else "")
        a = BASE + "assertion/" + key
        sources = rng.sample(docs, rng.choice([1, 1, 1, 2, 2, 3]))
        certainty = iri(LDN + ("Hedged" if hedged else "Asserted"))
        for d in sources:
            start = rng.randrange(0, 20000)
            words = " ".join(rng.choice(WORDS.split()) for _ in range(rng.randrange(8, 30)))
            sentence = f"In {labels[s]}, {words}, {predicate} {labels[o]}."
            end = start + len(sentence)
            ev = BASE + f"evidence/{d.rsplit('/', 1)[1]}.{start}-{end}.{key}"
            target = f"{d}#char={start},{end}"
            for p, o2 in (
                (RDF + "type", iri(LDN + "Evidence")),
                (RDF + "type", iri(OA + "Annotation")),
                (OA + "hasBody", iri(a)),
                (OA + "hasTarget", iri(target)),
                (LDN + "certainty", certainty),
                (LDN + "negated", lit(negated)),
            ):
                add(iri(ev), iri(p), o2)
            add(iri(target), iri(OA + "hasSource"), iri(d))
            add(iri(target), iri(OA + "hasSelector"), iri(target + "-position"))
            add(iri(target), iri(OA + "hasSelector"), iri(target + "-quote"))
            add(iri(target + "-position"), iri(RDF + "type"), iri(OA + "TextPositionSelector"))
            add(iri(target + "-position"), iri(OA + "start"), lit(start))
            add(iri(target + "-position"), iri(OA + "end"), lit(end))
            add(iri(target + "-quote"), iri(RDF + "type"), iri(OA + "TextQuoteSelector"))
            add(iri(target + "-quote"), iri(OA + "exact"), lit(sentence))
            add(iri(a), iri(PROV + "wasDerivedFrom"), iri(ev))
        if not negated:
            add(iri(s), iri(LDN + predicate), iri(o))
        for p, o2 in (
            (RDF + "type", iri(LDN + "Assertion")),
            (RDF + "subject", iri(s)),
            (RDF + "predicate", iri(LDN + predicate)),
            (RDF + "object", iri(o)),
            (LDN + "negated", lit(negated)),
            (LDN + "certainty", certainty),
            (LDN + "supportCount", lit(len(sources))),
            (LDN + "documentCount", lit(len(sources))),
            (LDN + "confidence", lit(f"{1 - 0.4 ** len(sources):.3f}", XSD + "decimal")),
        ):
            add(iri(a), iri(p), o2)
    path.write_text("".join(lines), encoding="utf-8")
    # A disease of middling weight: in a few dozen relations, not among the overview's entities.
    middling = members["Disease"][min(100, len(members["Disease"]) - 1)]
    return {"statements": len(lines), "search": labels[middling], "search_iri": middling}


def browse(page_file: Path, query: str) -> dict[str, Any]:
    """Open the page in headless Chromium: the overview's layout, a search opening a focus view, back."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    errors: list[str] = []
    figures: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            started = time.perf_counter()
            page.goto(page_file.as_uri(), timeout=300_000)
            figures["load_seconds"] = round(time.perf_counter() - started, 2)
            page.wait_for_selector("body[data-ldn-stabilized=true]", timeout=300_000)
            figures["overview_settled_seconds"] = round(time.perf_counter() - started, 2)
            figures["overview_nodes"] = page.evaluate("nodes.length")
            figures["overview_edges"] = page.evaluate("edges.length")
            page.wait_for_selector("#loadingBar", state="hidden", timeout=10_000)  # pyvis's bar fades out
            page.screenshot(path=str(OUT / "view-overview.png"))

            figures["searched_in_overview"] = page.evaluate(
                "([q]) => nodes.get().some(n => n.label === q)", [query]
            )
            page.fill("#ldn-search-input", query)
            started = time.perf_counter()
            page.press("#ldn-search-input", "Enter")
            page.wait_for_selector("body[data-ldn-view=focus]", timeout=120_000)
            figures["focus_seconds"] = round(time.perf_counter() - started, 2)
            figures["focus_nodes"] = page.evaluate("nodes.length")
            figures["focus_edges"] = page.evaluate("edges.length")
            figures["focus_note"] = page.locator("#ldn-focus-note").inner_text()
            page.wait_for_selector("#loadingBar", state="hidden", timeout=10_000)
            page.screenshot(path=str(OUT / "view-focus.png"))

            started = time.perf_counter()
            page.click("#ldn-back")
            page.wait_for_selector("body[data-ldn-view=overview]", timeout=120_000)
            figures["back_seconds"] = round(time.perf_counter() - started, 2)
            figures["back_nodes"] = page.evaluate("nodes.length")
            # The most connected entity's neighbourhood: the largest a focus view draws (capped).
            hub = page.evaluate(
                "ldnIndex.prefixes[0] + ldnIndex.entities[ldnIndex.relations.reduce((c, r) => "
                "(c[r[1]] = (c[r[1]] || 0) + 1, c[r[2]] = (c[r[2]] || 0) + 1, c), [])"
                ".reduce((best, n, i, all) => (n > (all[best] || 0) ? i : best), 0)][0]"
            )
            started = time.perf_counter()
            page.evaluate("([id]) => ldnOverview.open(id)", [hub])
            page.wait_for_selector("body[data-ldn-view=focus]", timeout=120_000)
            figures["hub_focus_seconds"] = round(time.perf_counter() - started, 2)
            figures["hub_focus_nodes"] = page.evaluate("nodes.length")
            figures["hub_focus_edges"] = page.evaluate("edges.length")
            figures["hub_focus_note"] = page.locator("#ldn-focus-note").inner_text()
            page.wait_for_selector("#loadingBar", state="hidden", timeout=10_000)
            page.screenshot(path=str(OUT / "view-hub.png"))
            heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
            figures["js_heap_mb"] = round(heap / 2**20, 1) if heap else None
        finally:
            browser.close()
    figures["script_errors"] = errors
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=8000)
    parser.add_argument("--relations", type=int, default=40000)
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--no-browser", action="store_true", help="make the page only")
    args = parser.parse_args()

    import pyoxigraph
    from rdflib import Graph

    from ldn_graph.store.view import OxigraphUnion
    from ldn_graph.viz.html import write_html

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "graph.nt"
        started = time.perf_counter()
        made = generate(data, args.entities, args.relations, args.documents)
        print(f"generated {made['statements']:,} statements in {time.perf_counter() - started:.1f} s")
        store = pyoxigraph.Store(str(Path(tmp) / "store"))
        store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_TRIPLES)
        graph = Graph(store=OxigraphUnion(store), bind_namespaces="none")
        page_file = OUT / "view.html"
        reset_peak()  # the peak of making the page, not of generating the graph
        started, cpu = time.perf_counter(), time.process_time()
        write_html(
            graph, page_file, title=f"synthetic: {args.entities:,} entities, {args.relations:,} relations"
        )
        make_seconds, make_cpu = time.perf_counter() - started, time.process_time() - cpu
        make_peak = peak_rss_mb()
        graph.close()
        del store
    size = page_file.stat().st_size
    figures: dict[str, Any] = {
        "machine": machine(),
        "entities": args.entities,
        "relations": args.relations,
        "documents": args.documents,
        "statements": made["statements"],
        "page_bytes": size,
        "make_seconds": round(make_seconds, 2),
        "make_cpu_seconds": round(make_cpu, 2),
        "make_peak_rss_mb": round(make_peak, 1),
    }
    print(
        f"page {page_file}: {size / 2**20:.1f} MiB, made in {make_seconds:.1f} s "
        f"({make_cpu:.1f} s of CPU), peak RSS {make_peak:.0f} MB"
    )
    import shutil

    from tests.conftest import CHROMIUM

    if not args.no_browser and not shutil.which(CHROMIUM):
        print(f"{CHROMIUM} is not installed (make browser installs it): the page is not opened")
    elif not args.no_browser:
        figures["browser"] = browse(page_file, made["search"])
        for name, value in figures["browser"].items():
            print(f"  {name}: {value}")
    record("view", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
