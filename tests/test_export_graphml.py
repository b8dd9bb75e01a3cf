"""GraphML export (ldn_graph.export.graphml): typed keys, round trip through networkx, determinism."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from graph_fixture import (
    FIBROMYALGIA,
    GLIAL_ACTIVATION,
    INSOMNIA,
    LDN_DRUG,
    OPIOID_DEPENDENCE,
    assertion_key,
    make_graph,
    make_library_graph,
)
from rdflib import Dataset, Literal, URIRef

from ldn_graph.analytics import to_networkx
from ldn_graph.cli import main
from ldn_graph.export import FORMATS, SUFFIXES
from ldn_graph.export.graphml import (
    EDGE_ATTRIBUTES,
    NODE_ATTRIBUTES,
    edge_attributes,
    node_attributes,
    serialize_graphml,
    write_graphml,
)
from ldn_graph.namespaces import ASSERTION, DOC, ENT, OA

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
TREATS = str(ASSERTION[assertion_key(LDN_DRUG, "treats", FIBROMYALGIA, False)])
NOT_DEPENDENCE = str(ASSERTION[assertion_key(LDN_DRUG, "causes", OPIOID_DEPENDENCE, True)])


def _read(path: Path) -> nx.MultiDiGraph:
    return nx.read_graphml(path, force_multigraph=True)


def _assert_same(expected: nx.MultiDiGraph, back: nx.MultiDiGraph) -> None:
    """`back` (read from GraphML) has the nodes, edges, keys and attributes that were written."""
    assert sorted(back.nodes) == sorted(expected.nodes)
    assert sorted(back.edges(keys=True)) == sorted(expected.edges(keys=True))
    for node, data in expected.nodes(data=True):
        assert back.nodes[node] == node_attributes(data), node
    for u, v, key, data in expected.edges(keys=True, data=True):
        assert back.edges[u, v, key] == edge_attributes(data, key), key


@pytest.fixture
def written(tmp_path: Path) -> tuple[nx.MultiDiGraph, Path]:
    graph = make_graph()
    path = tmp_path / "graph.graphml"
    assert write_graphml(graph, path) == [path]
    return to_networkx(graph), path


def test_graphml_round_trips_through_networkx(written):
    expected, path = written
    back = _read(path)
    _assert_same(expected, back)
    # Scalar attributes come back identical to the MultiDiGraph's, types included.
    for node, data in expected.nodes(data=True):
        for name in ("label", "category", "biolink_category", "normalised"):
            assert back.nodes[node][name] == data[name]
            assert type(back.nodes[node][name]) is type(data[name])
    for u, v, key, data in expected.edges(keys=True, data=True):
        for name in ("predicate", "label", "certainty", "negated", "support_count", "document_count"):
            assert back.edges[u, v, key][name] == data[name]
            assert type(back.edges[u, v, key][name]) is type(data[name])


def test_graphml_round_trips_the_built_graph(tmp_path):
    # The article's graph: real sentences, quotes, non-ASCII, every category.
    from ldn_graph.store.catalog import load_graph
    from tests.conftest import ROOT

    built = load_graph(ROOT / "extracted" / "graph.trig")
    write_graphml(built, tmp_path / "built.graphml")
    _assert_same(to_networkx(built), _read(tmp_path / "built.graphml"))


def test_graphml_keys_are_typed(written):
    _, path = written
    root = ET.parse(path).getroot()
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", NS)}
    assert keys == {
        **{("node", name): kind for name, kind in NODE_ATTRIBUTES},
        **{("edge", name): kind for name, kind in EDGE_ATTRIBUTES},
    }
    assert keys[("node", "normalised")] == "boolean"
    assert keys[("edge", "support_count")] == "int"
    assert keys[("edge", "negated")] == "boolean"
    ids = [k.get("id") for k in root.findall("g:key", NS)]
    assert len(ids) == len(set(ids))  # node and edge `label` have keys of their own
    (graph,) = root.findall("g:graph", NS)
    assert graph.get("edgedefault") == "directed"


def test_graphml_node_and_edge_values(written):
    _, path = written
    back = _read(path)
    microglia = back.nodes[str(ENT["microglial-cell"])]
    assert microglia["label"] == "microglial cell"
    assert microglia["category"] == "Cell"
    assert microglia["biolink_category"] == "biolink:Cell"
    assert microglia["identifiers"] == "CL:0000129|MESH:D017628"
    assert microglia["synonyms"] == "microglia"
    assert microglia["normalised"] is True
    local = back.nodes[str(ENT[GLIAL_ACTIVATION])]
    assert local["identifiers"] == "" and local["normalised"] is False

    treats = back.edges[str(ENT[LDN_DRUG]), str(ENT[FIBROMYALGIA]), TREATS]
    assert treats["predicate"] == "ldn:treats" and treats["label"] == "treats"
    assert treats["certainty"] == "asserted" and treats["negated"] is False
    assert treats["support_count"] == 2 and treats["document_count"] == 2
    assert treats["documents"] == "doc:ldn-blog-2019|doc:ldn-review-2020"
    # The first sentence in document order, and where it is.
    assert treats["evidence"].startswith("A 2010 study found a 30% reduction")
    assert treats["evidence_location"] == "ldn-blog-2019.txt, characters 2154-2321"
    negated = back.edges[str(ENT[LDN_DRUG]), str(ENT[OPIOID_DEPENDENCE]), NOT_DEPENDENCE]
    assert negated["negated"] is True and negated["label"] == "causes"


def test_graphml_edges_name_the_edge_that_contradicts_them(tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(make_library_graph(), path)
    back = _read(path)
    stated, negated = (ASSERTION[f"{LDN_DRUG}.has-side-effect.{INSOMNIA}{end}"] for end in ("", ".negated"))
    edges = {key: data for _, _, key, data in back.edges(keys=True, data=True)}
    assert edges[str(stated)]["contradicted_by"] == str(negated)
    assert edges[str(negated)]["contradicted_by"] == str(stated)
    assert edges[TREATS]["contradicted_by"] == ""


def test_graphml_keeps_awkward_text(tmp_path):
    # Markup, quotes, a tab, line breaks and a carriage return survive; XML-invalid characters are dropped.
    graph = make_graph()
    quote = URIRef(f"{DOC['ldn-blog-2019']}#char=2154,2321-quote")
    (context,) = [c for c in graph.graphs() if (quote, OA.exact, None) in c]
    context.remove((quote, OA.exact, None))
    context.add((quote, OA.exact, Literal("A <b>\"bold\"</b> & 'odd'\tclaim\r\nover two lines\x0b.")))
    write_graphml(graph, tmp_path / "g.graphml")
    treats = _read(tmp_path / "g.graphml").edges[str(ENT[LDN_DRUG]), str(ENT[FIBROMYALGIA]), TREATS]
    assert treats["evidence"] == "A <b>\"bold\"</b> & 'odd'\tclaim\r\nover two lines."


def _shuffled(ds: Dataset, seed: int) -> Dataset:
    quads = list(ds.quads((None, None, None, None)))
    random.Random(seed).shuffle(quads)
    out = Dataset()
    for s, p, o, g in quads:
        out.graph(g).add((s, p, o))
    return out


def test_graphml_is_deterministic_and_sorted():
    first = serialize_graphml(make_graph())
    assert serialize_graphml(_shuffled(make_graph(), seed=3)) == first
    root = ET.fromstring(first)
    (graph,) = root.findall("g:graph", NS)
    node_ids = [n.get("id") for n in graph.findall("g:node", NS)]
    edges = [(e.get("source"), e.get("target"), e.get("id")) for e in graph.findall("g:edge", NS)]
    assert node_ids == sorted(node_ids) and edges == sorted(edges)
    # Every node has every node attribute, every edge every edge attribute: the same columns throughout.
    for element, attributes in [(n, NODE_ATTRIBUTES) for n in graph.findall("g:node", NS)] + [
        (e, EDGE_ATTRIBUTES) for e in graph.findall("g:edge", NS)
    ]:
        assert len(element.findall("g:data", NS)) == len(attributes)


def test_graphml_is_registered_for_export(tmp_path, capsys):
    assert FORMATS["graphml"].write is write_graphml
    assert SUFFIXES[".graphml"] == "graphml"
    source = tmp_path / "graph.trig"
    FORMATS["trig"](make_graph(), source)
    # By --format, and from the file's extension.
    assert main(["export", str(source), "--format", "graphml", "-o", str(tmp_path / "a.xml")]) == 0
    assert main(["export", str(source), "-o", str(tmp_path / "b.graphml")]) == 0
    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.graphml").read_bytes()
    assert (tmp_path / "b.graphml").read_bytes() == serialize_graphml(make_graph())
    assert "wrote" in capsys.readouterr().out
