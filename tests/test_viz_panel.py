"""The HTML view's side panel (ldn_graph/viz/static/panel.js), its links and counts, and the re-fit after
a filter changes: in the raw page, and clicked through in Debian's headless chromium.

The graph is test_viz's hand-made one; here its document has a PMID and "treats" a confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Literal
from test_viz import (
    AGGREGATE_GRAPH,
    BLOG,
    BLOG_TITLE,
    CAUSES_NOT,
    FIBROMYALGIA,
    INJECTION,
    LDN,
    NALTREXONE,
    REDUCES,
    SENTENCES,
    TREATS,
    VISIBLE_NODES,
    _dataset,
    _edge,
    _launch,
    _needs_chromium,
    _node,
    _quads,
)

from ldn_graph.analytics import graph_stats, to_networkx
from ldn_graph.namespaces import BIBO
from ldn_graph.viz.html import render_html, write_html

PMID = "90000001"
PUBMED = f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/"
CONFIDENCE = "0.84"


@pytest.fixture
def graph() -> Dataset:
    from rdflib.namespace import XSD  # imported here: pytest's collection trips over it as a module global

    graph = _dataset(_quads())
    graph.graph(BLOG).add((BLOG, BIBO.pmid, Literal(PMID)))
    graph.graph(AGGREGATE_GRAPH).add((TREATS, LDN.confidence, Literal(CONFIDENCE, datatype=XSD.decimal)))
    return graph


# --- in the page -------------------------------------------------------------------------------------


def test_viz_panel_data_of_an_edge(graph: Dataset) -> None:
    detail = _edge(render_html(graph), TREATS)["detail"]
    assert detail["phrase"] == "treats" and detail["confidence"] == CONFIDENCE
    assert ["confidence", CONFIDENCE] in detail["facts"]
    assert ["support", "2 sentences in 1 document"] in detail["facts"]
    first, second = detail["evidence"]
    assert (first["sentence"], first["start"], first["end"]) == (SENTENCES["a"][3], 2154, 2321)
    assert second["sentence"] == SENTENCES["b"][3]
    assert first["document"] == BLOG_TITLE
    assert (first["url"], first["link"]) == (PUBMED, "PubMed")


@pytest.mark.parametrize(
    ("statements", "url", "link"),
    [
        # A DOI without a PMID leads to doi.org, the DOI name escaped as a URL path.
        ([(BIBO.doi, Literal("10.1000/x y"))], "https://doi.org/10.1000/x%20y", "DOI"),
        # A PMID wins over a DOI; a PMID that is not digits is no PubMed address.
        (
            [(BIBO.pmid, Literal("1")), (BIBO.doi, Literal("10.1/a"))],
            "https://pubmed.ncbi.nlm.nih.gov/1/",
            "PubMed",
        ),
        ([(BIBO.pmid, Literal("javascript:alert(1)"))], None, None),
        # A local file gives no link at all.
        ([], None, None),
    ],
)
def test_viz_panel_document_links(
    statements: list[tuple[Any, Any]], url: str | None, link: str | None
) -> None:
    graph = _dataset(_quads())
    for predicate, value in statements:
        graph.graph(BLOG).add((BLOG, predicate, value))
    (evidence, *_) = _edge(render_html(graph), TREATS)["detail"]["evidence"]
    assert (evidence["url"], evidence["link"]) == (url, link)


def test_viz_panel_data_of_a_node(graph: Dataset) -> None:
    detail = _node(render_html(graph), NALTREXONE)["detail"]
    assert detail["title"] == "low-dose naltrexone"
    assert ["also called", "LDN"] in detail["facts"]
    assert [i["text"] for i in detail["identifiers"]] == ["CHEBI:7465", "MESH:D009271"]
    assert all(i["url"].startswith("http") for i in detail["identifiers"])


def test_viz_counts_agree_with_stats(graph: Dataset) -> None:
    # A hedged negation counts as hedged and as negated, as `ldn-graph stats` counts it.
    aggregate = graph.graph(AGGREGATE_GRAPH)
    aggregate.remove((CAUSES_NOT, LDN.certainty, None))
    aggregate.add((CAUSES_NOT, LDN.certainty, LDN.Hedged))
    stats = graph_stats(to_networkx(graph))
    summary = re.search(r'<p class="ldn-summary">([^<]*)</p>', render_html(graph))
    assert summary
    expected = (
        f"{stats['entities']} entities, {stats['assertions']} relations "
        f"({stats['hedged']['count']} hedged, {stats['negated']['count']} negated)"
    )
    assert summary.group(1).startswith(expected)
    assert stats["hedged"]["count"] == 2  # the negation is among them


def test_viz_static_files_are_inlined_once(graph: Dataset) -> None:
    page = render_html(graph)
    script = page.split("drawGraph();\n", 1)[1]
    for marker in (
        'network.once("stabilizationIterationsDone"',
        "function applyFilters",
        "window.ldnPanel = {",
    ):
        assert script.count(marker) == 1, marker
    assert page.count('<aside id="ldn-panel"') == 1
    assert "#ldn-panel" in page[: page.index("</head>")]


# --- in a browser ------------------------------------------------------------------------------------


def _point(page: Any, kind: str, item: str) -> tuple[float, float]:
    """Where an edge's middle or a node's centre is, in page coordinates."""
    box = page.locator("#mynetwork canvas").bounding_box()
    script = (
        "([id]) => { const p = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5));"
        " return [p.x, p.y]; }"
        if kind == "edge"
        else "([id]) => { const p = network.canvasToDOM(network.getPositions([id])[id]); return [p.x, p.y]; }"
    )
    x, y = page.evaluate(script, [item])
    return box["x"] + x, box["y"] + y


@contextmanager
def _opened(graph: Dataset, tmp_path: Path) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    """The view of `graph` in chromium (the clipboard allowed), laid out; what it logged, by kind."""
    sync_api = _needs_chromium()
    html_file = tmp_path / "graph.html"
    write_html(graph, html_file)
    log: dict[str, list[str]] = {"errors": [], "requests": [], "dialogs": []}
    with sync_api.sync_playwright() as playwright:
        browser = _launch(sync_api, playwright)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            page = context.new_page()
            page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: log["errors"].append(str(e)))
            page.on("request", lambda r: log["requests"].append(r.url))
            page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
            page.goto(html_file.as_uri())
            page.wait_for_selector("body[data-ldn-stabilized=true]", timeout=30_000)
            yield page, log
        finally:
            browser.close()


def _quiet(log: dict[str, list[str]]) -> None:
    """No script error, no dialog (a sentence's alert() never ran), nothing fetched."""
    assert log["errors"] == [] and log["dialogs"] == []
    assert [url for url in log["requests"] if not url.startswith("file:")] == []


@pytest.mark.slow
@pytest.mark.browser
def test_viz_panel_pins_evidence_on_click_in_chromium(graph: Dataset, tmp_path: Path) -> None:
    """Click an edge: its evidence stays in the panel, as text to select and copy, linked to PubMed."""
    with _opened(graph, tmp_path) as (page, log):
        panel = page.locator("#ldn-panel")
        assert panel.is_visible() and page.locator("#ldn-panel-hint").is_visible()

        # A real click on the middle of the "treats" edge pins it.
        page.mouse.click(*_point(page, "edge", str(TREATS)))
        assert panel.get_attribute("data-ldn-id") == str(TREATS)
        # The pointer leaves the edge (what closed the tooltip): the panel keeps it.
        page.mouse.move(5, 5)
        page.wait_for_timeout(300)
        sentences = page.locator("#ldn-panel .ldn-sentence")
        assert sentences.all_inner_texts() == [SENTENCES["a"][3], SENTENCES["b"][3]]
        assert "characters 2154\u20132321" in panel.inner_text()
        assert "confidence" in panel.inner_text() and CONFIDENCE in panel.inner_text()
        assert page.evaluate(
            "getComputedStyle(document.querySelector('#ldn-panel .ldn-sentence')).userSelect"
        ) not in ("none", "")
        # The document's title leads to PubMed, in a new tab.
        pubmed = page.locator(f'#ldn-panel a[href="{PUBMED}"]')
        assert pubmed.count() == 2 and pubmed.first.inner_text() == BLOG_TITLE
        assert pubmed.first.get_attribute("rel") == "noopener noreferrer"

        # Selecting the sentence (a triple click) selects its text, and Copy puts it on the clipboard.
        sentences.first.click(click_count=3)
        assert page.evaluate("window.getSelection().toString().trim()") == SENTENCES["a"][3]
        page.locator("#ldn-panel button.ldn-copy").first.click()
        page.wait_for_function("document.querySelector('#ldn-panel button.ldn-copy').textContent !== 'Copy'")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(f"\u201c{SENTENCES['a'][3]}\u201d (") and PUBMED in copied

        # A sentence holding markup is shown as text and runs nothing.
        page.mouse.click(*_point(page, "edge", str(REDUCES)))
        assert INJECTION in panel.inner_text()
        assert panel.locator("script").count() == 0

        # A node: its identifiers and relations; a relation there opens that relation.
        page.mouse.click(*_point(page, "node", str(FIBROMYALGIA)))
        assert panel.get_attribute("data-ldn-kind") == "entity"
        assert panel.locator("h2").inner_text() == "fibromyalgia"
        assert panel.locator(".ldn-identifiers a").count() == 2
        panel.locator(".ldn-relations button", has_text="treats").click()
        assert panel.get_attribute("data-ldn-id") == str(TREATS)
        assert page.evaluate("network.getSelectedEdges()") == [str(TREATS)]
        page.locator("#ldn-panel-close").click()
        assert panel.get_attribute("data-ldn-id") is None and page.locator("#ldn-panel-hint").is_visible()
        page.screenshot(path=str(tmp_path / "panel.png"))
    _quiet(log)


@pytest.mark.slow
@pytest.mark.browser
def test_viz_filters_refit_the_view_in_chromium(graph: Dataset, tmp_path: Path) -> None:
    """Unticking a category fits the view to what is left: centred on it, every node in view."""
    with _opened(graph, tmp_path) as (page, log):
        # Fitting a drawing this small keeps the scale (vis-network's fit zooms in no further than 1)
        # and centres what is shown: the middle of the nodes left in view.
        middle = """() => {
            const ids = nodes.get({filter: n => !n.hidden}).map(n => n.id);
            const p = Object.values(network.getPositions(ids));
            const xs = p.map(q => q.x), ys = p.map(q => q.y);
            return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
        }"""
        before = page.evaluate("network.getViewPosition()")
        page.locator('#ldn-legend [data-key="Cell"]').click()
        page.wait_for_timeout(800)  # the fit is animated over 400 ms
        after = page.evaluate("network.getViewPosition()")
        x, y = page.evaluate(middle)
        assert abs(after["x"] - before["x"]) + abs(after["y"] - before["y"]) > 20
        assert abs(after["x"] - x) < 40 and abs(after["y"] - y) < 40
        box = page.locator("#mynetwork canvas").bounding_box()
        for node in page.evaluate(VISIBLE_NODES):
            x, y = _point(page, "node", node)
            assert box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]
    _quiet(log)
