"""The HTML view's page template (ldn_graph/viz/templates/page.html): a whole document of our own, with
nothing of pyvis's template left in it, installed as package data, and offline by construction.

The graph is test_viz's hand-made one (four entities); the progress bar needs more than 100.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Literal
from test_viz import (
    BLOG,
    ENT,
    LDN,
    MICROGLIA,
    _dataset,
    _launch,
    _needs_chromium,
    _node,
    _quads,
    _vis_data,
    _watched_page,
)

from ldn_graph.viz.html import remote_reference, render_html, write_html

ROOT = Path(__file__).resolve().parent.parent
VIZ = ROOT / "ldn_graph" / "viz"

# What pyvis 0.3.2's own template puts in a page unless something strips it: Bootstrap and vis-network
# from CDNs, tom-select, its empty heading, a commented-out link to node_modules, and any Jinja left
# unrendered.
PYVIS_REMNANTS = (
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "bootstrap",
    "tom-select",
    "TomSelect",
    "<center>",
    "<h1></h1>",
    "node_modules",
    "<!--",
    "{{",
    "{%",
)


@pytest.fixture
def graph() -> Dataset:
    return _dataset(_quads())


def _with_entities(total: int) -> Dataset:
    """test_viz's graph with drugs added until it has `total` entities."""
    graph = _dataset(_quads())
    have = len(_vis_data(render_html(graph), "nodes"))
    for i in range(total - have):
        drug = ENT[f"drug-{i:03d}"]
        graph.graph(BLOG).add((drug, RDF.type, LDN.Drug))
        graph.graph(BLOG).add((drug, RDFS.label, Literal(f"drug {i:03d}")))
    return graph


@pytest.fixture
def big_page() -> str:
    page = render_html(_with_entities(101), title="a large graph")
    assert len(_vis_data(page, "nodes")) == 101
    return page


def test_viz_page_has_nothing_of_pyvis_template(graph: Dataset, big_page: str) -> None:
    for page in (render_html(graph), big_page):
        left = [remnant for remnant in PYVIS_REMNANTS if remnant in page]
        assert left == []


def test_viz_page_is_one_whole_document(graph: Dataset) -> None:
    page = render_html(graph, title="LDN test graph")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n')
    assert page.endswith("</html>")
    lines = [line.strip() for line in page.splitlines()]  # vis-network's script names tags in strings
    for tag in ("<head>", "</head>", "<body>", "</body>", "</html>"):
        assert lines.count(tag) == 1, tag
    for start in ("<title>", '<meta name="viewport"', "<h1>"):
        assert [line.startswith(start) for line in lines].count(True) == 1, start
    assert "<title>LDN test graph</title>" in page and "<h1>LDN test graph</h1>" in page
    # Order: vis-network's style, then ours (which overrides it), in <head>; the header and the panel
    # before the drawing; our scripts right after drawGraph(), in its own <script>.
    head, body = page.split("</head>")
    assert head.index(".vis-overlay{") < head.index(".ldn-header {")
    assert body.index('class="ldn-header"') < body.index('id="ldn-panel"') < body.index('id="mynetwork"')
    script = body[body.index("function drawGraph()") :]
    assert script.index("drawGraph();\n") < script.index('"data-ldn-stabilized"') < script.index("</script>")


def test_viz_page_has_a_progress_bar_over_100_entities(big_page: str) -> None:
    hundred = render_html(_with_entities(100))
    assert len(_vis_data(hundred, "nodes")) == 100
    assert '<div id="loadingBar">' not in hundred and 'network.on("stabilizationProgress"' not in hundred
    assert big_page.count('<div id="loadingBar">') == 1 and "#loadingBar {" in big_page
    assert 'network.on("stabilizationProgress"' in big_page


def test_viz_page_offline_guard_names_what_references_a_remote_resource() -> None:
    texts = {
        "panel.js": 'link("https://pubmed.ncbi.nlm.nih.gov/1/", "PMID")',  # an address as data is fine
        "settle.js": '<script src="settle.js"></script>',  # a local one too
        "page.html": '<link rel="stylesheet" href="https://cdn.example.org/bootstrap.css">',
    }
    assert remote_reference(texts) == "page.html"
    assert remote_reference({**texts, "page.html": "<script src='//cdn.example.org/x.js'></script>"})
    del texts["page.html"]
    assert remote_reference(texts) is None


def test_viz_page_draws_graph_text_that_looks_like_a_remote_reference(graph: Dataset) -> None:
    # The graph's text is data in a JSON string, never an attribute: it does not trip the offline guard
    # (which, run over the whole page, refused to draw this graph).
    name = "loaded by <script src=//cdn.example.org/x.js>"
    graph.graph(BLOG).add((MICROGLIA, SKOS.altLabel, Literal(name)))
    assert name in _node(render_html(graph), MICROGLIA)["names"]


def test_viz_page_template_and_static_files_are_package_data() -> None:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["ldn_graph.viz"]
    files = [p.relative_to(VIZ).as_posix() for d in ("templates", "static") for p in (VIZ / d).iterdir()]
    assert "templates/page.html" in files
    assert [f for f in files if not any(fnmatch(f, glob) for glob in globs)] == []


@pytest.mark.slow
@pytest.mark.browser
def test_viz_page_over_100_entities_settles_in_chromium(tmp_path: Path) -> None:
    """The progress bar of a large graph sits over the drawing, fills and goes; the layout settles."""
    sync_api = _needs_chromium()
    html_file = tmp_path / "graph.html"
    write_html(_with_entities(101), html_file)
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = _launch(sync_api, playwright)
        try:
            page = _watched_page(browser, errors, requests)
            page.goto(html_file.as_uri())
            page.wait_for_selector("body[data-ldn-stabilized=true]", timeout=60_000)
            assert page.evaluate("network.body.data.nodes.length") == 101
            assert page.evaluate("document.getElementById('loadingBar').parentElement.className") == "card"
            page.wait_for_function("document.getElementById('text').textContent === '100%'", timeout=10_000)
        finally:
            browser.close()
    assert errors == []
    assert [url for url in requests if not url.startswith("file:")] == []  # nothing fetched
