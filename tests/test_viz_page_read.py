"""The HTML view read for its page only (ldn_graph/viz/page_read.py, ldn_graph/rdf/indexed.py): the page is
byte for byte the one made by reading everything (`nodes_and_edges`, as `render_html` did before), on a
graph of more than OVERVIEW_LIMIT entities whose relations have more evidence sentences than the overview's
index keeps, read in place from an Oxigraph store (as `build` reads it) and from memory.

The graph is made by hand in the shape of docs/data-model.md, with what the page shows of a relation in
every form: several documents with and without bibliographic metadata, hedged sentences, two selectors per
target, a relation with more sentences than the panel lists, one without its counts, a qualifier, a
contradiction, an end that is not typed as an entity.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, XSD

import ldn_graph.viz.html as html
from ldn_graph.namespaces import ASSERTION, BIBO, DOC, ENT, EVIDENCE, LDN, OA
from ldn_graph.rdf.indexed import indexed_graph
from ldn_graph.store.terms import ntriples, valid_iri
from ldn_graph.store.view import OxigraphUnion
from ldn_graph.viz.overview import FOCUS_SENTENCES, OVERVIEW_LIMIT, focus_index, select_overview
from ldn_graph.viz.page_read import SCANNED, ViewPage
from ldn_graph.viz.read import MAX_PANEL_SENTENCES, nodes_and_edges

HUB = ENT["hub-drug"]
DISEASES = OVERVIEW_LIMIT + 20  # with the hub and an untyped end: more entities than an overview draws
PAPERS = 60
MOST = MAX_PANEL_SENTENCES + 15  # the hub's strongest relation: more sentences than the panel lists
UNTYPED = URIRef("http://example.org/not-an-entity")


def _disease(i: int) -> URIRef:
    return ENT[f"disease-{i:03d}"]


def _paper(g: Graph, n: int) -> URIRef:
    """Paper n: with a PMID, authors and journal; a DOI; a web page; or a file name only."""
    paper = DOC[f"paper-{n:02d}"]
    g.add((paper, RDF.type, LDN.Document))
    if n % 4 == 3:
        g.add((paper, DCTERMS.source, Literal(f"notes-{n}.txt")))
        return paper
    g.add((paper, DCTERMS.title, Literal(f"Paper {n} on the hub drug")))
    if n % 4 == 0:
        g.add((paper, BIBO.pmid, Literal(str(90000000 + n))))
        g.add((paper, DCTERMS.issued, Literal("2021")))
        journal = URIRef(f"{paper}-journal")
        g.add((paper, DCTERMS.isPartOf, journal))
        g.add((journal, DCTERMS.title, Literal("Journal of Fixtures")))
        authors = URIRef(f"{paper}-authors")
        g.add((paper, BIBO.authorList, authors))
        for k, name in enumerate(("Fixture AB", "Sample CD", "Example EF")[: 1 + n % 3]):
            agent = URIRef(f"{paper}-author-{k}")
            g.add((authors, RDF[f"_{k + 1}"], agent))
            g.add((agent, FOAF.name, Literal(name)))
    elif n % 4 == 1:
        g.add((paper, BIBO.doi, Literal(f"10.1234/fixture.{n}")))
    else:
        g.add((paper, FOAF.page, URIRef(f"https://example.org/paper/{n}")))
    return paper


def _claim(
    g: Graph, subject: URIRef, predicate: URIRef, obj: URIRef, key: str, sentences: int, counts: bool = True
) -> URIRef:
    """An assertion with `sentences` evidence sentences from the papers, every third hedged."""
    claim = ASSERTION[key]
    g.add((claim, RDF.type, LDN.Assertion))
    g.add((claim, RDF.subject, subject))
    g.add((claim, RDF.predicate, predicate))
    g.add((claim, RDF.object, obj))
    g.add((claim, LDN.negated, Literal(False)))
    g.add((claim, LDN.certainty, LDN.Asserted))
    g.add((claim, LDN.confidence, Literal("0.75", datatype=XSD.decimal)))
    papers = {(len(key) * 7 + n * 13) % PAPERS for n in range(sentences)}
    if counts:
        g.add((claim, LDN.supportCount, Literal(sentences)))
        g.add((claim, LDN.documentCount, Literal(len(papers))))
    for n in range(sentences):
        paper = DOC[f"paper-{(len(key) * 7 + n * 13) % PAPERS:02d}"]
        start = 40 * n + len(key)
        evidence = EVIDENCE[f"{key}.{n}"]
        target = URIRef(f"{paper}#char={start},{start + 30}")
        g.add((claim, PROV.wasDerivedFrom, evidence))
        g.add((evidence, RDF.type, LDN.Evidence))
        g.add((evidence, OA.hasBody, claim))
        g.add((evidence, OA.hasTarget, target))
        g.add((evidence, LDN.certainty, LDN.Hedged if n % 3 == 2 else LDN.Asserted))
        g.add((evidence, LDN.negated, Literal(False)))
        g.add((evidence, LDN.extractionRule, Literal("fixture")))
        g.add((target, OA.hasSource, paper))
        position, quote = URIRef(f"{target}-position"), URIRef(f"{target}-quote")
        g.add((target, OA.hasSelector, position))
        g.add((target, OA.hasSelector, quote))
        g.add((position, OA.start, Literal(start)))
        g.add((position, OA.end, Literal(start + 30)))
        g.add(
            (
                quote,
                OA.exact,
                Literal(f"Sentence {n} of {key}: the hub drug, at   some length." * (1 + n % 9)),
            )
        )
    return claim


@pytest.fixture(scope="module")
def large() -> Graph:
    g = Graph()
    for n in range(PAPERS):
        _paper(g, n)
    g.add((HUB, RDF.type, LDN.Drug))
    g.add((HUB, RDFS.label, Literal("hub drug")))
    for i in range(DISEASES):
        disease = _disease(i)
        g.add((disease, RDF.type, LDN.Disease))
        g.add((disease, RDFS.label, Literal(f"disease {i:03d}")))
        if i % 5 == 0:
            g.add((disease, RDFS.label, Literal(f"maladie {i:03d}", lang="fr")))
            g.add((disease, LDN.normalised, Literal(True)))
        # Every relation has more sentences than the index keeps of one the overview leaves out.
        sentences = MOST if i == 0 else FOCUS_SENTENCES + 1 + i % 6
        _claim(g, HUB, LDN.treats, disease, f"hub.treats.{i:03d}", sentences, counts=i != 7)
        if i + 1 < DISEASES and i % 3 == 0:
            _claim(g, disease, LDN.causes, _disease(i + 1), f"{i:03d}.causes.{i + 1:03d}", 4)
    qualified = ASSERTION["hub.treats.004"]
    year = URIRef(f"{qualified}-year")
    g.add((qualified, LDN.hasQualifier, year))
    g.add((year, RDF.type, LDN.Qualifier))
    g.add((year, RDFS.label, Literal("2021")))
    negated = _claim(g, _disease(9), LDN.causes, _disease(10), "009.causes.010.negated", 3)
    g.set((negated, LDN.negated, Literal(True)))
    stated = ASSERTION["009.causes.010"]
    g.add((negated, LDN.contradictedBy, stated))
    g.add((stated, LDN.contradictedBy, negated))
    _claim(g, _disease(3), LDN.treats, UNTYPED, "003.treats.untyped", 5)
    return g


@pytest.fixture(scope="module")
def in_place(large: Graph) -> Graph:
    """`large` in an Oxigraph store, read in place as `build` reads the store's union."""
    native = pyoxigraph.Store()
    native.load(ntriples(large).encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph(store=OxigraphUnion(native), bind_namespaces="none")


def _read_in_full(g: Graph, limit: int | None) -> ViewPage:
    """The page as `render_html` read it before: every relation with all of its detail, then the
    overview and its index chosen among them."""
    nodes, edges = nodes_and_edges(g)
    whole = (len(nodes), len(edges))
    if limit is None or len(nodes) <= limit:
        return ViewPage(nodes=nodes, edges=edges, whole=whole)
    overview = select_overview(nodes, edges, limit)
    index = focus_index(nodes, edges, overview)
    return ViewPage(nodes=overview.nodes, edges=overview.edges, whole=whole, overview=overview, index=index)


def _index(page: str) -> dict[str, Any]:
    match = re.search(r"var ldnIndex = (\{.*?\});\n", page)
    assert match, "no index in the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


# An overview as `build` draws it (most relations drawn: the sentences are read with one query), one of 10
# entities (most left out: those shown are read ahead), the graph drawn whole.
@pytest.mark.parametrize("limit", [OVERVIEW_LIMIT, 10, None], ids=["overview", "overview-10", "whole"])
def test_viz_page_read_same_page_as_reading_everything(
    large: Graph, in_place: Graph, limit: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = {
        source: html.render_html(g, overview=limit) for source, g in (("store", in_place), ("memory", large))
    }
    monkeypatch.setattr(html, "read_page", _read_in_full)
    before = html.render_html(large, overview=limit)
    assert pages["store"] == before
    assert pages["memory"] == before
    if limit is None:
        assert "ldnIndex" not in before and f'"more": {MOST - MAX_PANEL_SENTENCES}' in before
        return
    # What the test is about: an overview, whose index keeps 2 sentences of relations that have more.
    index = _index(before)
    left_out = [row for row in index["relations"] if len(row) > 7]
    assert len(index["entities"]) == DISEASES + 2 and len(left_out) >= (300 if limit == 10 else 20)
    assert all(len(row[8]) == FOCUS_SENTENCES and row[9] > 0 for row in left_out if row[5] > FOCUS_SENTENCES)
    assert f'"more": {MOST - MAX_PANEL_SENTENCES}' in before  # the hub's strongest relation, drawn


def test_viz_page_read_indexed_graph_answers_as_the_graph(large: Graph) -> None:
    indexed = indexed_graph(large, SCANNED)
    claim, evidence = ASSERTION["hub.treats.001"], EVIDENCE["hub.treats.001.0"]
    for predicate in (RDF.subject, LDN.certainty, PROV.wasDerivedFrom, RDF.type, RDFS.label):
        for node in (claim, evidence, HUB, _disease(1)):
            assert set(indexed.objects(node, predicate)) == set(large.objects(node, predicate))
            assert set(indexed.subjects(predicate, node)) == set(large.subjects(predicate, node))
    assert set(indexed.subjects(OA.hasBody, claim)) == set(large.subjects(OA.hasBody, claim)) != set()
    assert (claim, RDF.subject, HUB) in indexed and (claim, RDF.subject, _disease(1)) not in indexed
    # Read ahead: what a predicate says of the nodes asked for, the same as looked up.
    quotes = [URIRef(f"{DOC['paper-00']}#char=0,30-quote"), *indexed.objects(None, OA.exact)][:1]
    indexed.indexed.read_ahead(OA.exact, quotes)
    assert [list(indexed.objects(q, OA.exact)) for q in quotes] == [
        list(large.objects(q, OA.exact)) for q in quotes
    ]
    # Indexes let go of: the same statements, looked up in the graph.
    indexed.indexed.keep_only([OA.hasTarget])
    for predicate in (RDF.subject, OA.hasTarget, OA.exact):
        assert set(indexed.objects(claim, predicate)) == set(large.objects(claim, predicate))
        assert set(indexed.objects(evidence, predicate)) == set(large.objects(evidence, predicate))
    assert set(indexed.subjects(OA.hasBody, claim)) == set(large.subjects(OA.hasBody, claim)) != set()
    with pytest.raises(TypeError, match="read-only"):
        indexed.add((HUB, RDFS.label, Literal("changed")))


def test_viz_page_read_valid_iri_is_a_uriref() -> None:
    made = valid_iri("https://w3id.org/ldn-graph/entity/x")
    assert made == URIRef("https://w3id.org/ldn-graph/entity/x") and type(made) is URIRef
    assert {made: 1}[URIRef("https://w3id.org/ldn-graph/entity/x")] == 1
