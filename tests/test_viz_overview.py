"""The HTML view of a graph too large to draw whole (ldn_graph/viz/overview.py, static/overview.js): an
overview of the most connected entities, and a search over every entity that opens its neighbourhood.

The graph is made by hand in the shape of docs/data-model.md: a hub drug related to every disease, each
disease to the next, the support falling with the disease's number, so that the ranking is known.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from test_viz import _launch, _needs_chromium, _vis_data, _watched_page

from ldn_graph.cli import main
from ldn_graph.errors import GraphTooLargeError
from ldn_graph.namespaces import ASSERTION, DOC, ENT, EVIDENCE, LDN, OA
from ldn_graph.viz.html import render_html, write_html
from ldn_graph.viz.overview import (
    FOCUS_SENTENCE_CHARS,
    FOCUS_SENTENCES,
    OVERVIEW_LIMIT,
    OVERVIEW_RELATIONS,
    focus_index,
    ranked_entities,
    select_overview,
)
from ldn_graph.viz.read import ViewEdge, ViewNode, nodes_and_edges

HUB = ENT["hub-drug"]
DISEASES = 39  # with the hub: 40 entities
INJECTION = "<script>alert(1)</script>"


def _disease(i: int) -> URIRef:
    return ENT[f"disease-{i:02d}"]


def _claim(g: Graph, subject: URIRef, obj: URIRef, key: str, sentences: int) -> None:
    """An assertion with `sentences` evidence sentences, each from a document of its own."""
    claim = ASSERTION[key]
    g.add((claim, RDF.type, LDN.Assertion))
    g.add((claim, RDF.subject, subject))
    g.add((claim, RDF.predicate, LDN.treats if subject == HUB else LDN.causes))
    g.add((claim, RDF.object, obj))
    g.add((claim, LDN.negated, Literal(False)))
    g.add((claim, LDN.certainty, LDN.Asserted))
    g.add((claim, LDN.supportCount, Literal(sentences)))
    g.add((claim, LDN.documentCount, Literal(sentences)))
    for n in range(sentences):
        document = DOC[f"paper-{key}-{n}"]
        evidence = EVIDENCE[f"{key}.{n}"]
        target = URIRef(f"{document}#char=0,40")
        g.add((document, RDF.type, LDN.Document))
        g.add((document, DCTERMS.title, Literal(f"Paper {n} on {key}")))
        g.add((claim, PROV.wasDerivedFrom, evidence))
        g.add((evidence, RDF.type, LDN.Evidence))
        g.add((evidence, OA.hasBody, claim))
        g.add((evidence, OA.hasTarget, target))
        g.add((evidence, LDN.certainty, LDN.Asserted))
        g.add((target, OA.hasSource, document))
        quote = URIRef(f"{target}-quote")
        g.add((target, OA.hasSelector, quote))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(f"Sentence {n} saying {key}, at some length. " * 20)))


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.add((HUB, RDF.type, LDN.Drug))
    g.add((HUB, RDFS.label, Literal("hub drug")))
    for i in range(DISEASES):
        disease = _disease(i)
        g.add((disease, RDF.type, LDN.Disease))
        g.add((disease, RDFS.label, Literal(f"disease {i:02d}")))
        g.add((disease, SKOS.altLabel, Literal(f"syndrome {i:02d}")))
        # The hub treats each disease, with fewer sentences the further down the list.
        _claim(g, HUB, disease, f"hub.treats.{i:02d}", 1 + (DISEASES - i) // 10)
        if i + 1 < DISEASES:
            _claim(g, disease, _disease(i + 1), f"{i:02d}.causes.{i + 1:02d}", 1)
    g.add((_disease(DISEASES - 1), SKOS.altLabel, Literal(INJECTION)))
    return g


def _index(page: str) -> dict[str, Any]:
    match = re.search(r"var ldnIndex = (\{.*?\});\n", page)
    assert match, "no index in the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


# --- choosing what the overview draws ----------------------------------------------------------------


def _node(name: str) -> ViewNode:
    return ViewNode(iri=f"urn:{name}", label=name, cls=None, tooltip=name, names=(name,))


def _edge(source: str, target: str, documents: int, support: int, key: str = "") -> ViewEdge:
    return ViewEdge(
        iri=f"urn:{source}-{target}{key}",
        source=f"urn:{source}",
        target=f"urn:{target}",
        label="treats",
        negated=False,
        hedged=False,
        support=support,
        tooltip="",
        predicate="ldn:treats",
        documents=documents,
    )


def test_viz_overview_ranks_by_documents_then_sentences_then_relations_then_label() -> None:
    nodes = [_node(name) for name in ("a", "b", "c", "d", "e", "f")]
    edges = [
        _edge("a", "b", documents=1, support=5),  # a and b: 1 document, but b has more through c
        _edge("b", "c", documents=3, support=3),  # b: 4 documents, c: 3
        _edge("d", "e", documents=3, support=4),  # d and e: 3 documents like c, more sentences
        _edge("e", "f", documents=0, support=0),  # e: one relation more than d, the same evidence
    ]
    ranked = [n.label for n in ranked_entities(nodes, edges)]
    # f has nothing behind it; a self-relation would count once (a set of ends).
    assert ranked == ["b", "e", "d", "c", "a", "f"]
    # Ties all the way down fall to the label: the same order however the nodes come.
    assert [n.label for n in ranked_entities(nodes[::-1], edges[::-1])] == ranked


def test_viz_overview_keeps_the_strongest_relations_among_the_chosen() -> None:
    nodes = [_node(name) for name in ("a", "b", "c")]
    cap = OVERVIEW_RELATIONS * 2
    # Between a and b, more relations than two entities may draw, of 1, 2, ... documents; c is weaker.
    between = [_edge("a", "b", n, n, key=f"-{n}") for n in range(1, cap + 3)]
    edges = [*between, _edge("b", "c", 1, 1)]
    overview = select_overview(nodes, edges, limit=2)
    assert [n.label for n in overview.nodes] == ["a", "b"]
    assert (overview.entities, overview.relations, overview.among) == (3, len(edges), len(between))
    assert overview.edges == between[-cap:]  # the strongest, in the graph's order
    # A tie in strength goes to the IRI: the same relations whatever order they come in.
    assert select_overview(nodes[::-1], edges[::-1], limit=2).edges == between[-cap:][::-1]


def test_viz_overview_draws_no_entity_alone_that_has_a_relation_among_the_drawn() -> None:
    nodes = [_node(name) for name in ("a", "b", "c", "d")]
    cap = OVERVIEW_RELATIONS * 3
    between = [_edge("a", "b", 10 + n, 10 + n, key=f"-{n}") for n in range(cap + 1)]
    weak = [_edge("c", "d", 1, 1), _edge("c", "b", 1, 1), _edge("c", "a", 0, 1)]
    overview = select_overview(nodes, [*between, *weak], limit=3)
    assert [n.label for n in overview.nodes] == ["a", "b", "c"]
    # c's relations with a and b are the weakest, but its strongest among the drawn is kept.
    assert "urn:c-b" in {e.iri for e in overview.edges} and "urn:c-a" not in {e.iri for e in overview.edges}
    assert len(overview.edges) == cap and overview.among == len(between) + 2


def test_viz_overview_index_caps_what_it_keeps_of_relations_outside(graph: Graph) -> None:
    nodes, edges = nodes_and_edges(graph)
    overview = select_overview(nodes, edges, 10)
    index = focus_index(nodes, edges, overview)
    entity_prefix, claim_prefix = index["prefixes"]
    assert entity_prefix == str(ENT[""]) and claim_prefix == str(ASSERTION[""])
    assert len(index["entities"]) == 40 and len(index["relations"]) == len(edges)
    drawn = {n.iri for n in overview.nodes}
    for node, row in zip(nodes, index["entities"], strict=True):
        assert entity_prefix + row[0] == node.iri and row[1] == node.label
        assert row[3] == list(node.names[1:])  # the synonyms, searched too
        assert len(row) == (4 if node.iri in drawn else 6)  # the drawn ones are in the DataSet already
    hub_first = next(row for row in index["relations"] if row[0] == "hub.treats.01")
    assert hub_first[5] == 4 and len(hub_first) == 7  # drawn: counts only
    outside = [row for row in index["relations"] if len(row) > 7]
    assert outside and all(len(row[8]) <= FOCUS_SENTENCES for row in outside)
    for row in outside:
        assert row[9] == row[5] - len(row[8])  # how many more sentences the panel says there are
        assert all(len(ev[0]) <= FOCUS_SENTENCE_CHARS and ev[0].endswith("\u2026") for ev in row[8])
        facts = [index["facts"][k] for k in row[7]]
        assert ["certainty", "asserted"] in facts


# --- the page -----------------------------------------------------------------------------------------


def test_viz_overview_draws_the_most_connected_and_says_so(graph: Graph) -> None:
    page = render_html(graph, overview=10)
    labels = [n["label"] for n in _vis_data(page, "nodes")]
    # The hub, then the diseases with the most documents behind them: 01 to 09 (00 has one relation less).
    assert labels == [
        "disease 01",
        "disease 02",
        "disease 03",
        "disease 04",
        "disease 05",
        "disease 06",
        "disease 07",
        "disease 08",
        "disease 09",
        "hub drug",
    ]
    note = re.search(r'<p class="ldn-overview-note" id="ldn-overview-note">(.*?)</p>', page)
    assert note and note.group(1).startswith("An overview of 10 of 40 entities")
    assert "of 77 relations in all" in note.group(1)
    assert '<button type="button" id="ldn-back" hidden>Back to the overview</button>' in page
    assert page.count("var ldnIndex = ") == 1 and "ldnOverview" in page
    assert INJECTION not in page  # in the index as \u003cscript\u003e: text, never markup
    assert render_html(graph, overview=10) == page  # the same bytes every time


def test_viz_overview_not_used_at_or_under_the_limit(graph: Graph) -> None:
    whole = render_html(graph, overview=None)
    assert render_html(graph, overview=40) == whole  # at the limit: drawn whole, as before
    assert "ldnIndex" not in whole and "ldn-back" not in whole and "ldn-overview-note" not in whole
    assert len(_vis_data(whole, "nodes")) == 40
    assert OVERVIEW_LIMIT >= 100  # the article's graph (54 entities) is drawn whole by `build`


def test_viz_overview_by_default_over_the_limit(graph: Graph) -> None:
    # What `build` writes (write_html's defaults): a graph of OVERVIEW_LIMIT + 1 entities is an overview.
    bigger = Graph()
    for triple in graph:
        bigger.add(triple)
    for i in range(OVERVIEW_LIMIT + 1 - 40):
        drug = ENT[f"drug-{i:03d}"]
        bigger.add((drug, RDF.type, LDN.Drug))
        bigger.add((drug, RDFS.label, Literal(f"drug {i:03d}")))
    page = render_html(bigger)
    nodes = _vis_data(page, "nodes")
    assert len(nodes) == OVERVIEW_LIMIT and len(_index(page)["entities"]) == OVERVIEW_LIMIT + 1
    # Every entity with a relation is drawn; of those without, the last by label is left out.
    assert "drug 260" not in {n["label"] for n in nodes}
    # Its layout stops sooner than a whole graph's.
    assert '"iterations": 400' in page and '"iterations": 1000' in render_html(graph)


def test_viz_overview_limit_of_the_command_is_the_module_s() -> None:
    from ldn_graph.cli.viz import OVERVIEW_LIMIT as COMMAND_LIMIT

    assert COMMAND_LIMIT == OVERVIEW_LIMIT


def test_viz_overview_and_max_nodes(graph: Graph) -> None:
    with pytest.raises(GraphTooLargeError, match=r"^an overview of 10 entities is more than the limit of 5"):
        render_html(graph, overview=10, max_nodes=5)
    assert render_html(graph, overview=10, max_nodes=10)


def test_viz_command_overview(graph: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "graph.ttl"
    graph.serialize(source, format="turtle")
    out = tmp_path / "view.html"
    assert main(["viz", str(source), "-o", str(out), "--overview", "12"]) == 0
    assert len(_vis_data(out.read_text(encoding="utf-8"), "nodes")) == 12
    assert main(["viz", str(source), "-o", str(out), "--overview", "0"]) == 2
    assert "--overview must be at least 1" in capsys.readouterr().err


# --- in a browser ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_viz_overview_search_opens_a_focus_view_in_chromium(graph: Graph, tmp_path: Path) -> None:
    """Search by synonym for an entity the overview leaves out: its neighbourhood replaces the overview,
    its panel opens; back returns to the overview where it was laid out."""
    sync_api = _needs_chromium()
    html_file = tmp_path / "graph.html"
    write_html(graph, html_file, overview=10)
    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    last, before = _disease(DISEASES - 1), _disease(DISEASES - 2)
    ids = "nodes.getIds().sort()"
    with sync_api.sync_playwright() as playwright:
        browser = _launch(sync_api, playwright)
        try:
            page = _watched_page(browser, errors, requests)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html_file.as_uri())
            page.wait_for_selector("body[data-ldn-stabilized=true]", timeout=30_000)
            page.wait_for_selector("body[data-ldn-view=overview]")
            overview = page.evaluate(ids)
            positions = page.evaluate("network.getPositions()")
            assert len(overview) == 10 and str(last) not in overview

            # Typing offers the names of entities not drawn; Enter opens the neighbourhood.
            page.locator("#ldn-search-input").press_sequentially("syndrome 38")
            offered = page.evaluate(
                "Array.from(document.querySelectorAll('#ldn-search-names option'), o => o.value)"
            )
            assert offered == ["syndrome 38"]
            page.press("#ldn-search-input", "Enter")
            page.wait_for_selector("body[data-ldn-view=focus]", timeout=30_000)
            assert page.evaluate(ids) == sorted(str(e) for e in (HUB, before, last))
            assert page.evaluate("edges.length") == 3  # its two relations, and the hub's with disease 37
            assert page.locator("#ldn-focus-note").inner_text().startswith("The neighbourhood of disease 38")
            assert page.locator("#ldn-back").is_visible()
            assert page.locator("#ldn-panel h2").inner_text() == "disease 38"
            assert INJECTION in page.locator("#ldn-panel").inner_text()  # its synonym, as text
            # The panel of a relation the overview left out: its sentences as the index keeps them.
            page.evaluate("([id]) => ldnPanel.showEdge(id, true)", [str(ASSERTION["37.causes.38"])])
            assert page.locator("#ldn-panel .ldn-evidence").count() == 1
            assert "Paper 0 on 37.causes.38" in page.locator("#ldn-panel").inner_text()

            page.click("#ldn-back")
            page.wait_for_selector("body[data-ldn-view=overview]", timeout=30_000)
            assert page.evaluate(ids) == overview
            assert page.evaluate("network.getPositions()") == positions  # not laid out again
            assert not page.locator("#ldn-back").is_visible()

            # A double-click on a drawn node opens its neighbourhood.
            box = page.locator("#mynetwork canvas").bounding_box()
            assert box
            point = page.evaluate(
                "([id]) => network.canvasToDOM(network.getPositions([id])[id])", [str(_disease(5))]
            )
            page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
            page.wait_for_selector("body[data-ldn-view=focus]", timeout=30_000)
            assert page.evaluate("document.body.getAttribute('data-ldn-focus')") == str(_disease(5))
            assert page.evaluate(ids) == sorted(str(e) for e in (HUB, _disease(4), _disease(5), _disease(6)))
            page.click("#ldn-back")
            page.wait_for_selector("body[data-ldn-view=overview]", timeout=30_000)

            # A search for a drawn entity opens its neighbourhood too; a miss says so.
            page.fill("#ldn-search-input", "hub")
            page.press("#ldn-search-input", "Enter")
            page.wait_for_selector("body[data-ldn-view=focus]", timeout=30_000)
            assert page.evaluate("nodes.length") == 40
            page.fill("#ldn-search-input", "nothing like it")
            page.press("#ldn-search-input", "Enter")
            assert (
                page.locator("#ldn-search-status").inner_text()
                == "No entity is called \u201cnothing like it\u201d"
            )
        finally:
            browser.close()
    assert errors == []
    assert dialogs == []
    assert [url for url in requests if not url.startswith("file:")] == []
