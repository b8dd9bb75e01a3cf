"""The interactive HTML view (ldn_graph.viz.html) and the `viz` command.

The graph is made by hand after docs/data-model.md, so the view is tested against the contract.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV

from ldn_graph.cli import main
from ldn_graph.errors import GraphFileError
from ldn_graph.namespaces import (
    AGGREGATE_GRAPH,
    ASSERTION,
    BIBO,
    DOC,
    ENT,
    EVIDENCE,
    LDN,
    OA,
    SCHEMA,
    curie_to_iri,
)
from ldn_graph.store.catalog import load_graph
from ldn_graph.viz.html import render_html, write_html
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

NALTREXONE = ENT["low-dose-naltrexone"]
FIBROMYALGIA = ENT["fibromyalgia"]
MICROGLIA = ENT["microglial-cell"]
GLIAL_ACTIVATION = ENT["glial-activation"]  # project-local: ldn:normalised false, no exactMatch
BLOG = DOC["ldn-blog-2019"]
BLOG_TITLE = "Low Dose Naltrexone: An Effective Treatment for Chronic Pain & Fatigue"

TREATS = ASSERTION["low-dose-naltrexone.treats.fibromyalgia"]  # asserted, 2 sentences, qualifiers
REDUCES = ASSERTION["low-dose-naltrexone.decreases.glial-activation"]  # hedged
CAUSES_NOT = ASSERTION["low-dose-naltrexone.causes.fibromyalgia.negated"]  # negated
LOCATED = ASSERTION["glial-activation.located-in.microglial-cell"]  # asserted, 1 sentence

INJECTION = '<script>alert(1)</script> & "quotes"'
SENTENCES = {
    # evidence key: (assertion, start, end, sentence, certainty)
    "a": (
        TREATS,
        2154,
        2321,
        "A 2010 study found that LDN reduced fibromyalgia symptoms in women.",
        LDN.Asserted,
    ),
    "b": (TREATS, 3000, 3060, "LDN treats fibromyalgia.", LDN.Asserted),
    "c": (REDUCES, 4100, 4190, f"LDN may reduce glial activation {INJECTION}.", LDN.Hedged),
    "d": (CAUSES_NOT, 5000, 5040, "LDN does not cause fibromyalgia.", LDN.Asserted),
    "e": (LOCATED, 6000, 6070, "Glial activation happens in microglial cells.", LDN.Asserted),
}
ASSERTIONS = {
    # assertion: (subject, predicate, object, negated, certainty)
    TREATS: (NALTREXONE, LDN.treats, FIBROMYALGIA, False, LDN.Asserted),
    REDUCES: (NALTREXONE, LDN.decreases, GLIAL_ACTIVATION, False, LDN.Hedged),
    CAUSES_NOT: (NALTREXONE, LDN.causes, FIBROMYALGIA, True, LDN.Asserted),
    LOCATED: (GLIAL_ACTIVATION, LDN.locatedIn, MICROGLIA, False, LDN.Asserted),
}
ENTITY_LABELS = ["low-dose naltrexone", "fibromyalgia", "microglial cell", "glial activation"]
PREDICATE_LABELS = ["treats", "decreases", "causes", "located in"]


def _quads() -> list[tuple[Any, Any, Any, URIRef]]:
    """Every statement of the fixture graph, with its named graph, as docs/data-model.md lays them out."""
    doc: list[tuple[Any, Any, Any]] = [
        (BLOG, RDF.type, LDN.Document),
        (BLOG, RDF.type, PROV.Entity),
        (BLOG, DCTERMS.title, Literal(BLOG_TITLE)),
        (BLOG, DCTERMS.source, Literal("ldn-blog-2019.txt")),
        (BLOG, LDN.sha256, Literal("e63ee03f")),
    ]
    entities = {
        NALTREXONE: (LDN.Drug, "low-dose naltrexone", ["LDN"], ["MESH:D009271", "CHEBI:7465"], True),
        FIBROMYALGIA: (LDN.Disease, "fibromyalgia", [], ["MESH:D005356", "MONDO:0005546"], True),
        MICROGLIA: (LDN.Cell, "microglial cell", ["microglia"], ["CL:0000129", "MESH:D017628"], True),
        GLIAL_ACTIVATION: (LDN.BiologicalProcess, "glial activation", [], [], False),
    }
    for iri, (cls, label, alt_labels, curies, normalised) in entities.items():
        doc += [
            (iri, RDF.type, cls),
            (iri, RDFS.label, Literal(label)),
            (iri, LDN.normalised, Literal(normalised)),
        ]
        doc += [(iri, SKOS.altLabel, Literal(alt)) for alt in alt_labels]
        doc += [(iri, SKOS.exactMatch, curie_to_iri(curie)) for curie in curies]

    aggregate: list[tuple[Any, Any, Any]] = []
    for assertion, (subject, predicate, obj, negated, certainty) in ASSERTIONS.items():
        evidences = [key for key, value in SENTENCES.items() if value[0] == assertion]
        aggregate += [
            (assertion, RDF.type, LDN.Assertion),
            (assertion, RDF.subject, subject),
            (assertion, RDF.predicate, predicate),
            (assertion, RDF.object, obj),
            (assertion, LDN.negated, Literal(negated)),
            (assertion, LDN.certainty, certainty),
            (assertion, LDN.supportCount, Literal(len(evidences))),
            (assertion, LDN.documentCount, Literal(1)),
        ]
        if not negated:
            doc.append((subject, predicate, obj))
        for key in evidences:
            _, start, end, sentence, ev_certainty = SENTENCES[key]
            evidence = EVIDENCE[f"ldn-blog-2019.{start}-{end}.{assertion.split('/')[-1]}"]
            target = URIRef(f"{BLOG}#char={start},{end}")
            position, quote = URIRef(f"{target}-position"), URIRef(f"{target}-quote")
            aggregate.append((assertion, PROV.wasDerivedFrom, evidence))
            doc += [
                (evidence, RDF.type, LDN.Evidence),
                (evidence, RDF.type, OA.Annotation),
                (evidence, OA.motivatedBy, OA.describing),
                (evidence, OA.hasBody, assertion),
                (evidence, OA.hasTarget, target),
                (evidence, LDN.certainty, ev_certainty),
                (evidence, LDN.negated, Literal(negated)),
                (evidence, LDN.extractionRule, Literal("test-rule")),
                (evidence, PROV.wasGeneratedBy, LDN.DependencyRules),
                (target, RDF.type, OA.SpecificResource),
                (target, OA.hasSource, BLOG),
                (target, OA.hasSelector, position),
                (target, OA.hasSelector, quote),
                (target, LDN.sentenceIndex, Literal(int(key, 16))),
                (position, RDF.type, OA.TextPositionSelector),
                (position, OA.start, Literal(start)),
                (position, OA.end, Literal(end)),
                (quote, RDF.type, OA.TextQuoteSelector),
                (quote, OA.exact, Literal(sentence)),
            ]
    from rdflib.namespace import XSD  # imported here: pytest's collection trips over it as a module global

    year, women = URIRef(f"{TREATS}/year-2010"), URIRef(f"{TREATS}/population-women")
    aggregate += [
        (TREATS, LDN.hasQualifier, year),
        (TREATS, LDN.hasQualifier, women),
        (year, RDF.type, LDN.StudyYear),
        (year, RDFS.label, Literal("2010")),
        (year, SCHEMA.value, Literal("2010", datatype=XSD.gYear)),
        (women, RDF.type, LDN.StudyPopulation),
        (women, RDFS.label, Literal("women")),
    ]
    return [(*t, BLOG) for t in doc] + [(*t, AGGREGATE_GRAPH) for t in aggregate]


def _dataset(quads: list[tuple[Any, Any, Any, URIRef]]) -> Dataset:
    dataset = Dataset()
    for s, p, o, g in quads:
        dataset.graph(g).add((s, p, o))
    return dataset


@pytest.fixture
def graph() -> Dataset:
    """One document graph and the aggregated assertions, as `build` writes them (graph.trig)."""
    return _dataset(_quads())


@pytest.fixture
def page(graph: Dataset) -> str:
    return render_html(graph, title="LDN test graph")


def _vis_data(page: str, name: str) -> list[dict[str, Any]]:
    """The nodes or edges pyvis embeds: `name = new vis.DataSet([...]);`."""
    match = re.search(rf"\b{name} = new vis\.DataSet\((\[.*?\])\);\n", page)
    assert match, f"no {name} DataSet in the page"
    data: list[dict[str, Any]] = json.loads(match.group(1))
    return data


def _edge(page: str, assertion: URIRef) -> dict[str, Any]:
    (edge,) = [e for e in _vis_data(page, "edges") if e["id"] == str(assertion)]
    return edge


def _node(page: str, entity: URIRef) -> dict[str, Any]:
    (node,) = [n for n in _vis_data(page, "nodes") if n["id"] == str(entity)]
    return node


# --- content -----------------------------------------------------------------------------------------


def test_viz_shows_every_entity_and_predicate_label(page: str) -> None:
    nodes, edges = _vis_data(page, "nodes"), _vis_data(page, "edges")
    assert sorted(n["label"] for n in nodes) == sorted(ENTITY_LABELS)
    # One edge per assertion, the negated one included, labelled from the ontology ("located in").
    assert sorted(e["label"] for e in edges) == sorted(PREDICATE_LABELS)
    for label in ENTITY_LABELS + PREDICATE_LABELS:
        assert label in page


def test_viz_colours_and_shapes_nodes_by_class(page: str) -> None:
    styles = {n["id"]: (n["color"], n["shape"]) for n in _vis_data(page, "nodes")}
    # Four classes, four different colour-and-shape pairs.
    assert len(set(styles.values())) == 4
    assert styles[str(NALTREXONE)][1] == "diamond"


def test_viz_legend_lists_the_classes_present(page: str) -> None:
    legend = page[page.index('<div id="ldn-legend"') :]
    legend = legend[: legend.index("</div>\n</div>")]
    keys = re.findall(r'data-key="([^"]+)"', legend)
    assert keys[:4] == ["Drug", "Cell", "BiologicalProcess", "Disease"]  # in the legend's fixed order
    assert "Protein" not in keys  # no protein in this graph
    assert {"asserted", "hedged", "negated", "width"} <= set(keys)
    assert "Drug" in legend and "Biological process" in legend


def test_viz_node_tooltip_has_class_identifiers_and_normalisation(page: str) -> None:
    microglia = _node(page, MICROGLIA)["title"]
    assert microglia.splitlines()[0] == "microglial cell"
    assert "class: cell" in microglia
    assert "identifiers: CL:0000129, MESH:D017628" in microglia
    assert "normalised: yes" in microglia
    local = _node(page, GLIAL_ACTIVATION)["title"]
    assert "identifiers: none" in local
    assert "normalised: no" in local


def test_viz_edge_tooltip_has_evidence_with_document_offsets_and_qualifiers(page: str) -> None:
    title = _edge(page, TREATS)["title"]
    assert "predicate: treats (ldn:treats)" in title
    assert "certainty: asserted" in title
    assert "negated: no" in title
    assert "support: 2 sentences in 1 document" in title
    assert "qualifiers: study population: women; study year: 2010" in title
    assert SENTENCES["a"][3] in title and SENTENCES["b"][3] in title
    assert f"({BLOG_TITLE}, characters 2154-2321)" in title
    # Sentences in document order.
    assert title.index("2154-2321") < title.index("3000-3060")
    negated = _edge(page, CAUSES_NOT)["title"]
    assert "negated: yes" in negated
    assert "low-dose naltrexone NOT causes fibromyalgia" in negated


def test_viz_evidence_is_cited_when_the_document_says_where_it_was_published(graph: Dataset) -> None:
    from rdflib.namespace import XSD  # imported here: pytest's collection trips over it as a module global

    doc = graph.graph(BLOG)
    journal, authors = URIRef(f"{BLOG}#journal"), URIRef(f"{BLOG}#authors")
    doc.add((BLOG, BIBO.pmid, Literal("90000001")))
    doc.add((BLOG, DCTERMS.issued, Literal("2019", datatype=XSD.gYear)))
    doc.add((BLOG, DCTERMS.isPartOf, journal))
    doc.add((journal, DCTERMS.title, Literal("Fixture Journal")))
    doc.add((BLOG, BIBO.authorList, authors))
    for n, name in enumerate(["Zeta A", "Alpha B", "Mu C"], 1):  # list order, not alphabetical order
        agent = URIRef(f"{BLOG}#author-{n}")
        doc.add((authors, RDF[f"_{n}"], agent))
        doc.add((agent, FOAF.name, Literal(name)))
    title = _edge(render_html(graph), TREATS)["title"]
    assert "(Zeta A et al., 2019, Fixture Journal, PMID 90000001, characters 2154-2321)" in title
    assert BLOG_TITLE not in title  # the citation takes the title's place


def test_viz_hedged_edge_is_dashed(page: str) -> None:
    hedged, asserted = _edge(page, REDUCES), _edge(page, TREATS)
    assert hedged["dashes"]
    assert "certainty: hedged" in hedged["title"]
    assert not asserted.get("dashes")


def test_viz_negated_edge_is_red_and_dotted(page: str) -> None:
    negated, hedged = _edge(page, CAUSES_NOT), _edge(page, REDUCES)
    assert negated["color"]["color"] == "#d62728"
    assert negated["dashes"] != hedged["dashes"]
    assert "color" not in hedged  # only negation changes the colour
    # It shares its two nodes with "treats": both bend, to either side, so they do not overlap.
    treats = _edge(page, TREATS)
    assert {negated["smooth"]["type"], treats["smooth"]["type"]} == {"curvedCW", "curvedCCW"}
    assert "smooth" not in hedged  # a lone edge stays straight


def test_viz_contradiction_across_documents_is_told_on_both_edges(graph: Dataset) -> None:
    # Stated in two other documents, negated in the blog: the aggregate links the two (contradictedBy).
    from graph_fixture import add_aggregate_assertion

    stated = ASSERTION["low-dose-naltrexone.causes.fibromyalgia"]
    aggregate = graph.graph(AGGREGATE_GRAPH)
    add_aggregate_assertion(
        aggregate,
        stated,
        ENT["low-dose-naltrexone"],
        LDN.causes,
        ENT["fibromyalgia"],
        negated=False,
        certainty=LDN.Asserted,
        sentences=2,
        documents=2,
    )
    aggregate.add((stated, LDN.contradictedBy, CAUSES_NOT))
    aggregate.add((CAUSES_NOT, LDN.contradictedBy, stated))
    page = render_html(graph)
    assert "contradicted: stated in 2 documents (the other edge)" in _edge(page, CAUSES_NOT)["title"]
    assert "contradicted: negated in 1 document (the other edge)" in _edge(page, stated)["title"]
    assert "1 claim stated in one document and negated in another" in page
    assert "contradicted" not in _edge(page, TREATS)["title"]
    # The side panel leads from each to the other.
    assert _edge(page, CAUSES_NOT)["detail"]["opposite"] == str(stated)
    assert _edge(page, stated)["detail"]["opposite"] == str(CAUSES_NOT)
    assert _edge(page, TREATS)["detail"]["opposite"] is None


def test_viz_without_contradictions_says_nothing_of_them(page: str) -> None:
    assert "negated in another" not in page and "contradicted:" not in page


def test_viz_edge_width_grows_with_support(page: str) -> None:
    assert _edge(page, TREATS)["width"] > _edge(page, LOCATED)["width"]


def test_viz_layout_has_a_fixed_seed_and_settles(page: str) -> None:
    match = re.search(r"var options = (\{.*?\});\n", page)
    assert match
    options = json.loads(match.group(1))
    assert isinstance(options["layout"]["randomSeed"], int)
    assert options["physics"]["stabilization"]["enabled"] is True
    assert options["physics"]["stabilization"]["iterations"] > 0


# --- safety ------------------------------------------------------------------------------------------


def test_viz_page_is_self_contained(page: str) -> None:
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)  # stylesheets are inlined too
    assert "bootstrap" not in page
    assert "new vis.Network(" in page and "vis-network" in page  # the library is there, inline


def test_viz_escapes_document_text(page: str) -> None:
    # The sentence's markup never reaches the page as markup...
    assert "<script>alert(1)" not in page
    assert '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 \\"quotes\\"' in page
    # ...and comes back intact as the plain text of the tooltip (vis-network shows it with innerText).
    assert INJECTION in _edge(page, REDUCES)["title"]


def test_viz_escapes_the_page_title(graph: Dataset) -> None:
    page = render_html(graph, title='<img src=x onerror="alert(1)"> & co')
    assert "<img src=x" not in page
    assert "<title>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co</title>" in page


def test_viz_keeps_plain_text_tooltips_when_a_title_says_href(graph: Dataset) -> None:
    # pyvis's own generate_html switches to an innerHTML popup when a node title contains "href".
    graph.graph(BLOG).add((MICROGLIA, SKOS.altLabel, Literal('<a href="javascript:alert(1)">x</a>')))
    page = render_html(graph)
    assert "innerHTML = nodeData" not in page
    assert '<a href="javascript' not in page


def _union(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def test_viz_reads_a_plain_graph_like_a_dataset(graph: Dataset) -> None:
    assert render_html(_union(graph)) == render_html(graph)


def test_viz_draws_nodes_for_untyped_assertion_ends(graph: Dataset) -> None:
    graph.graph(BLOG).remove((MICROGLIA, RDF.type, LDN.Cell))
    page = render_html(graph)
    assert "not typed as an entity" in _node(page, MICROGLIA)["title"]
    assert _edge(page, LOCATED)["to"] == str(MICROGLIA)
    assert 'data-key="Other"' in page


# --- files -------------------------------------------------------------------------------------------


def test_viz_same_graph_gives_identical_bytes(tmp_path: Path) -> None:
    quads = _quads()
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    write_html(_dataset(quads), first)
    random.Random(4).shuffle(quads)  # the same graph, built in another order
    write_html(_dataset(quads), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 100_000  # vis-network is inside


def test_viz_write_leaves_no_partial_file(
    graph: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.html"
    target.write_text("old page", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_html(graph, target)
    assert target.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]


# --- loading and the command -------------------------------------------------------------------------


@pytest.fixture
def trig_file(graph: Dataset, tmp_path: Path) -> Path:
    path = tmp_path / "graph.trig"
    graph.serialize(path, format="trig")
    return path


def test_viz_command_writes_the_page(
    trig_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "view.html"
    assert main(["viz", str(trig_file), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert sorted(e["label"] for e in _vis_data(page, "edges")) == sorted(PREDICATE_LABELS)
    assert "<title>graph.trig</title>" in page  # the file's name by default
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(
    "fmt, suffix", [("turtle", ".ttl"), ("nt", ".nt"), ("json-ld", ".jsonld"), ("nquads", ".nq")]
)
def test_viz_load_graph_reads_each_format(graph: Dataset, tmp_path: Path, fmt: str, suffix: str) -> None:
    path = tmp_path / f"graph{suffix}"
    # Turtle and N-Triples hold no named graphs: write the union, as graph.ttl is.
    (_union(graph) if fmt in ("turtle", "nt") else graph).serialize(path, format=fmt)
    loaded = load_graph(path)
    # Whatever the format, the same triples (named graphs or not) and so the same page.
    assert render_html(loaded) == render_html(graph)


def test_viz_load_graph_keeps_named_graphs(trig_file: Path) -> None:
    loaded = load_graph(trig_file)
    assert {g.identifier for g in loaded.graphs()} >= {BLOG, AGGREGATE_GRAPH}
    assert (TREATS, RDF.type, LDN.Assertion) in loaded  # default_union: the union answers


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.ttl", None, r"missing\.ttl: no such file"),
        ("empty.ttl", "", r"empty\.ttl: the file is empty"),
        ("blank.nt", "\n  \n", r"blank\.nt: the file is empty"),
        (
            "bad.ttl",
            "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b\n ex:c ex:d .\n",
            r"bad\.ttl: not valid Turtle: line 4: expected",
        ),
        (
            "bad.nt",
            "<http://ex/a> <http://ex/b> <http://ex/c> .\n<http://ex/a> <http://ex/b> oops .\n",
            r"bad\.nt: not valid N-Triples: line 2: ",
        ),
        (
            "bad.jsonld",
            '{"@id": "http://ex/a",\n "http://ex/b": \n}',
            r"bad\.jsonld: not valid JSON-LD: line 3",
        ),
        ("graph.xyz", "anything", r"graph\.xyz: unknown RDF file extension"),
    ],
)
def test_viz_load_graph_reports_bad_files_in_one_line(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphFileError, match=message) as error:
        load_graph(path)
    assert "\n" not in str(error.value)


def test_viz_command_reports_a_bad_graph_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["viz", str(bad), "-o", str(tmp_path / "out.html")]) == 1
    error = capsys.readouterr().err
    assert re.fullmatch(r"ldn-graph: error: .*bad\.ttl: not valid Turtle: line 1: .*\n", error)
    assert not (tmp_path / "out.html").exists()


def test_viz_command_needs_an_output_file(trig_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["viz", str(trig_file)]) == 2
    assert "-o" in capsys.readouterr().err


# --- in a browser ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_viz_renders_in_chromium(graph: Dataset, tmp_path: Path) -> None:
    """Open the page in Debian's chromium: it draws, without a script error, and shows tooltips as text."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: run 'make browser'")
        pytest.skip(f"{CHROMIUM} is not installed (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")

    html_file = tmp_path / "graph.html"
    write_html(graph, html_file, title="ldn-graph: low-dose naltrexone")
    docs = Path(__file__).resolve().parent.parent / "docs"
    screenshot = docs / "graph-view.png" if os.environ.get("LDN_GRAPH_SCREENSHOT") else tmp_path / "view.png"

    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as playwright:
        # Playwright gives the browser a fresh profile of its own (it refuses --user-data-dir in args).
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _watched_page(browser, errors, requests)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html_file.as_uri())
            page.wait_for_selector("body[data-ldn-stabilized=true]", timeout=30_000)

            canvas = page.locator("#mynetwork canvas")
            assert canvas.count() == 1
            box = canvas.bounding_box()
            assert box and box["width"] > 600 and box["height"] > 600
            assert page.locator("#ldn-legend").is_visible()
            assert page.locator('#ldn-legend [data-key="negated"]').is_visible()
            assert page.evaluate("network.body.data.nodes.length") == 4
            assert page.evaluate("network.body.data.edges.length") == 4
            # The picture in the docs, with the evidence of "treats" pinned in the side panel.
            page.evaluate("([id]) => ldnPanel.showEdge(id, true)", [str(TREATS)])
            page.screenshot(path=str(screenshot), full_page=True)

            # Hover the hedged edge, whose sentence holds markup: the tooltip shows it as text.
            point = page.evaluate(
                """([id, at]) => {
                    const p = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(at));
                    return [p.x, p.y];
                }""",
                [str(REDUCES), 0.5],
            )
            page.mouse.move(box["x"] + point[0], box["y"] + point[1])
            tooltip = page.locator("div.vis-tooltip")
            tooltip.wait_for(state="visible", timeout=5_000)
            assert INJECTION in tooltip.inner_text()
            assert tooltip.locator("script").count() == 0
            tooltip_box = tooltip.bounding_box()
            assert tooltip_box and tooltip_box["width"] <= 600  # long sentences wrap
        finally:
            browser.close()

    assert errors == []
    assert dialogs == []  # the sentence's alert(1) never ran
    assert [url for url in requests if not url.startswith("file:")] == []  # nothing fetched
    assert screenshot.stat().st_size > 10_000


# --- search, filters and focus views ---------------------------------------------------------------


def test_viz_page_has_a_search_box_and_filters(page: str) -> None:
    assert '<input id="ldn-search-input" type="search" list="ldn-search-names"' in page
    assert '<datalist id="ldn-search-names"></datalist>' in page  # filled from the DataSet by the script
    filters = re.findall(r'<input type="checkbox" checked data-ldn-filter="(\w+)" value="([^"]+)">', page)
    assert sorted(v for k, v in filters if k == "category") == [
        "BiologicalProcess",
        "Cell",
        "Disease",
        "Drug",
    ]
    assert sorted(v for k, v in filters if k == "predicate") == [
        "ldn:causes",
        "ldn:decreases",
        "ldn:locatedIn",
        "ldn:treats",
    ]
    # What the filters and the search read: a category and the names on each node, a predicate on each edge.
    naltrexone = _node(page, NALTREXONE)
    assert naltrexone["category"] == "Drug"
    assert naltrexone["names"] == ["low-dose naltrexone", "LDN"]
    assert _edge(page, LOCATED)["predicate"] == "ldn:locatedIn"
    assert "innerHTML" not in page.split("drawGraph();\n", 1)[1]  # our script writes text only


def test_viz_legend_counts_what_each_filter_hides(page: str) -> None:
    legend = page[page.index('<div id="ldn-legend"') :]
    drug = re.search(r'data-key="Drug">.*?<span class="ldn-count">(\d+)</span>', legend)
    treats = re.search(r'data-key="predicate:ldn:treats">.*?<span class="ldn-count">(\d+)</span>', legend)
    assert drug and drug.group(1) == "1"
    assert treats and treats.group(1) == "1"


def test_viz_focus_draws_the_neighbourhood_only(graph: Dataset) -> None:
    page = render_html(graph, focus=str(GLIAL_ACTIVATION), depth=1)
    nodes = {n["id"] for n in _vis_data(page, "nodes")}
    # Glial activation's neighbours; fibromyalgia is two steps away.
    assert nodes == {str(GLIAL_ACTIVATION), str(NALTREXONE), str(MICROGLIA)}
    assert {e["id"] for e in _vis_data(page, "edges")} == {str(REDUCES), str(LOCATED)}
    focused = _node(page, GLIAL_ACTIVATION)
    assert focused["borderWidth"] > 1.5 and focused["size"] > 16  # the focus stands out
    assert "The neighbourhood of glial activation (what is within 1 relation of it): 3 of 4 entities" in page
    # Two steps reach fibromyalgia and both edges to it, the negated one included.
    page = render_html(graph, focus=str(GLIAL_ACTIVATION), depth=2)
    assert len(_vis_data(page, "nodes")) == 4 and len(_vis_data(page, "edges")) == 4


def test_viz_focus_on_an_unknown_entity_fails(graph: Dataset) -> None:
    with pytest.raises(KeyError):
        render_html(graph, focus=str(ENT["no-such-entity"]))


def test_viz_refuses_a_graph_too_large_to_draw(graph: Dataset) -> None:
    from ldn_graph.errors import GraphTooLargeError

    with pytest.raises(
        GraphTooLargeError, match=r"^4 entities are too many to draw whole .*--focus"
    ) as error:
        render_html(graph, max_nodes=3)
    assert "\n" not in str(error.value)
    assert render_html(graph, max_nodes=4)  # at the limit is fine
    render_html(graph, focus=str(GLIAL_ACTIVATION), max_nodes=3)  # a neighbourhood small enough


def test_viz_command_focus(trig_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "focus.html"
    assert main(["viz", str(trig_file), "-o", str(out), "--focus", "Glial Activation", "--depth", "1"]) == 0
    page = out.read_text(encoding="utf-8")
    assert {n["label"] for n in _vis_data(page, "nodes")} == {
        "glial activation",
        "low-dose naltrexone",
        "microglial cell",
    }
    assert "<title>graph.trig: glial activation</title>" in page


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (
            ["--max-nodes", "3"],
            1,
            r"graph\.trig: 4 entities are too many to draw whole \(the limit is 3\): "
            r"draw the neighbourhood of one with --focus NAME --depth 1, or raise --max-nodes",
        ),
        (
            ["--focus", "LDN", "--depth", "2", "--max-nodes", "3"],
            1,
            r"neighbourhood of low-dose naltrexone "
            r"within 2 relations has 4 entities, too many to draw \(the limit is 3\): lower --depth",
        ),
        (
            ["--focus", "fibromyalga"],
            1,
            r"--focus: no entity named 'fibromyalga'; close matches: fibromyalgia",
        ),
        (["--depth", "2"], 2, r"--depth needs --focus"),
        (["--focus", "LDN", "--depth", "0"], 2, r"--depth must be at least 1"),
    ],
)
def test_viz_command_errors_are_one_line_and_write_nothing(
    trig_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    code: int,
    message: str,
) -> None:
    out = tmp_path / "view.html"
    assert main(["viz", str(trig_file), "-o", str(out), *argv]) == code
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("ldn-graph: error: ")
    assert re.search(message, error), error
    assert not out.exists()


def _launch(sync_api: Any, playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _watched_page(browser: Any, errors: list[str], requests: list[str] | None = None) -> Any:
    """A 1280x900 page whose script errors go to `errors` and, given a list, whose requests to `requests`."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    return page


def _needs_chromium() -> Any:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: run 'make browser'")
        pytest.skip(f"{CHROMIUM} is not installed (make browser installs it)")
    return pytest.importorskip("playwright.sync_api")


VISIBLE_NODES = "nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; })"
VISIBLE_EDGES = "edges.get({filter: function (e) { return !e.hidden; }}).map(function (e) { return e.id; })"


@pytest.mark.slow
@pytest.mark.browser
def test_viz_search_and_filters_work_in_chromium(graph: Dataset, tmp_path: Path) -> None:
    """Tick and untick filters, search by name: the page's DataSets show and hide what they should."""
    sync_api = _needs_chromium()
    html_file = tmp_path / "graph.html"
    write_html(graph, html_file)
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = _launch(sync_api, playwright)
        try:
            page = _watched_page(browser, errors, requests)
            page.goto(html_file.as_uri())
            page.wait_for_selector("body[data-ldn-stabilized=true]", timeout=30_000)
            assert len(page.evaluate(VISIBLE_NODES)) == 4

            # Untick "Disease": fibromyalgia goes, with its two edges.
            page.locator('#ldn-legend [data-key="Disease"]').click()
            assert sorted(page.evaluate(VISIBLE_NODES)) == sorted(
                str(n) for n in (NALTREXONE, GLIAL_ACTIVATION, MICROGLIA)
            )
            assert sorted(page.evaluate(VISIBLE_EDGES)) == sorted([str(REDUCES), str(LOCATED)])
            assert page.locator("#ldn-shown").inner_text() == "Showing 3 of 4 entities, 2 of 4 relations"
            page.locator('#ldn-legend [data-key="Disease"]').click()
            assert len(page.evaluate(VISIBLE_NODES)) == 4
            assert page.locator("#ldn-shown").inner_text() == ""

            # Untick "located in": its edge goes, and microglia, which has no other relation, with it.
            page.locator('#ldn-legend input[value="ldn:locatedIn"]').uncheck()
            assert str(MICROGLIA) not in page.evaluate(VISIBLE_NODES)
            assert str(LOCATED) not in page.evaluate(VISIBLE_EDGES)
            assert len(page.evaluate(VISIBLE_NODES)) == 3

            # Search by synonym: the hidden node is shown again, selected and centred.
            page.fill("#ldn-search-input", "Microglia")
            page.press("#ldn-search-input", "Enter")
            assert page.evaluate("network.getSelectedNodes()") == [str(MICROGLIA)]
            assert str(MICROGLIA) in page.evaluate(VISIBLE_NODES)
            status = page.locator("#ldn-search-status").inner_text()
            assert status.startswith("microglial cell") and "filters cleared" in status
            # A part of a name finds it too; a name that matches nothing says so.
            page.fill("#ldn-search-input", "fibro")
            page.click("#ldn-tools button[type=submit]")
            assert page.evaluate("network.getSelectedNodes()") == [str(FIBROMYALGIA)]
            page.fill("#ldn-search-input", "<b>nothing</b>")
            page.press("#ldn-search-input", "Enter")
            assert (
                page.locator("#ldn-search-status").inner_text()
                == "No entity is called \u201c<b>nothing</b>\u201d"
            )
            assert page.locator("#ldn-search-status b").count() == 0  # shown as text
            # Every name and synonym is offered.
            options = page.evaluate(
                "Array.from(document.querySelectorAll('#ldn-search-names option')).map(o => o.value)"
            )
            assert set(options) >= {*ENTITY_LABELS, "LDN", "microglia"}
            page.click("#ldn-reset")
            assert page.evaluate("network.getSelectedNodes()") == []
        finally:
            browser.close()
    assert errors == []
    assert [url for url in requests if not url.startswith("file:")] == []


@pytest.mark.slow
@pytest.mark.browser
def test_viz_focus_view_of_the_article_in_chromium(tmp_path: Path) -> None:
    """The neighbourhood of low-dose naltrexone in the built graph: it draws, and only that neighbourhood.

    With LDN_GRAPH_SCREENSHOT set, the screenshot is docs/graph-view-focus.png (the README's second picture).
    """
    import networkx as nx

    from ldn_graph.analytics import find_entity, to_networkx

    sync_api = _needs_chromium()
    root = Path(__file__).resolve().parent.parent
    built = load_graph(root / "extracted" / "graph.ttl")
    entities = to_networkx(built)
    focus = find_entity(entities, "low-dose naltrexone")
    expected = set(nx.ego_graph(entities.to_undirected(as_view=True), focus, radius=1).nodes)
    html_file = tmp_path / "focus.html"
    write_html(built, html_file, title="graph.ttl: low-dose naltrexone", focus=focus, depth=1, max_nodes=500)
    shot = (
        root / "docs" / "graph-view-focus.png"
        if os.environ.get("LDN_GRAPH_SCREENSHOT")
        else tmp_path / "f.png"
    )
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = _launch(sync_api, playwright)
        try:
            page = _watched_page(browser, errors)
            page.goto(html_file.as_uri())
            page.wait_for_selector("body[data-ldn-stabilized=true]", timeout=30_000)
            assert set(page.evaluate(VISIBLE_NODES)) == expected
            assert len(expected) < entities.number_of_nodes()
            page.evaluate("([id]) => ldnPanel.showNode(id, true)", [focus])  # its relations in the panel
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert shot.stat().st_size > 10_000


def test_viz_styles_every_entity_class_in_precedence_order():
    from ldn_graph.viz.legend import ENTITY_STYLES
    from ldn_graph.viz.read import ENTITY_CLASSES

    assert list(ENTITY_STYLES) == list(ENTITY_CLASSES)
