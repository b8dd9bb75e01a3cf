"""Writers (ldn_graph.export): RDF formats round-trip and are deterministic; KGX columns and values."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from graph_fixture import (
    ENDORPHIN,
    FIBROMYALGIA,
    GLIAL_ACTIVATION,
    INFLAMMATION,
    LDN_DRUG,
    MU_OPIOID_RECEPTOR,
    NALTREXONE,
    OPIOID_DEPENDENCE,
    make_graph,
    union_graph,
)
from rdflib import RDF, SKOS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import DCTERMS

from ldn_graph.export import FORMATS
from ldn_graph.export.kgx import EDGE_COLUMNS, NODE_COLUMNS, kgx_rows, write_kgx
from ldn_graph.export.rdf import serialize_jsonld, serialize_ntriples, serialize_turtle, write_atomic
from ldn_graph.namespaces import AGGREGATE_GRAPH, BIBO, DOC, ENT, LDN, MESH

# Readable identifiers of the fixture's entities.
CHEBI_NALTREXONE = "CHEBI:7465"
MONDO_FIBROMYALGIA = "MONDO:0005546"
CL_MICROGLIA = "CL:0000129"
GO_INFLAMMATION = "GO:0006954"
MESH_ENDORPHINS = "MESH:D004723"
PR_MU_OPIOID_RECEPTOR = "PR:000001612"
DOID_OPIOID_DEPENDENCE = "DOID:2559"  # MONDO is preferred but this entity has none: DOID next

RDF_FORMATS = {"turtle": ("turtle", "g.ttl"), "nt": ("nt", "g.nt"), "jsonld": ("json-ld", "g.jsonld")}


def _assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(expected, actual)
        pytest.fail(
            "graphs differ:\nonly expected:\n"
            + only_expected.serialize(format="nt")
            + "\nonly written:\n"
            + only_actual.serialize(format="nt")
        )


def _shuffled(ds: Dataset, seed: int) -> Dataset:
    """The same quads, added in another order."""
    quads = list(ds.quads((None, None, None, None)))
    random.Random(seed).shuffle(quads)
    out = Dataset()
    for s, p, o, g in quads:
        out.graph(g).add((s, p, o))
    return out


@pytest.mark.parametrize("name", sorted(RDF_FORMATS))
def test_export_rdf_round_trips(tmp_path, name):
    ds = make_graph()
    parser, filename = RDF_FORMATS[name]
    FORMATS[name](ds, tmp_path / filename)
    back = Graph().parse(tmp_path / filename, format=parser)
    _assert_isomorphic(union_graph(ds), back)


def test_export_trig_keeps_named_graphs(tmp_path):
    ds = make_graph()
    FORMATS["trig"](ds, tmp_path / "g.trig")
    back = Dataset().parse(tmp_path / "g.trig", format="trig")
    names = {g.identifier for g in back.graphs() if len(g)}
    assert names == {AGGREGATE_GRAPH, DOC["ldn-blog-2019"], DOC["ldn-review-2020"]}
    for name in names:
        _assert_isomorphic(ds.graph(name), back.graph(name))


@pytest.mark.parametrize("name", ["turtle", "nt", "jsonld", "trig"])
def test_export_rdf_is_deterministic(tmp_path, name):
    # Same graph, built in another order: same bytes.
    FORMATS[name](make_graph(), tmp_path / "a")
    FORMATS[name](_shuffled(make_graph(), seed=7), tmp_path / "b")
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_export_deterministic_across_processes(tmp_path):
    # Hash randomisation changes set order between processes; the files must not change.
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from graph_fixture import make_graph; from ldn_graph.export import FORMATS;"
        "from pathlib import Path; out = Path(sys.argv[2]);"
        "[FORMATS[f](make_graph(), out / f) for f in ('turtle', 'nt', 'jsonld', 'trig', 'kgx', 'graphml')]"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {"PYTHONHASHSEED": seed, "PATH": ""}
        subprocess.run(
            [sys.executable, "-c", script, str(Path(__file__).parent), str(out)], check=True, env=env
        )
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 7  # four RDF files, nodes.tsv, edges.tsv, GraphML


def test_export_turtle_binds_project_prefixes():
    text = serialize_turtle(make_graph()).decode()
    assert "@prefix ldn: <https://w3id.org/ldn-graph/vocab#> ." in text
    assert "ent:low-dose-naltrexone a ldn:Drug" in text
    assert "ldn:treats ent:fibromyalgia" in text


def test_export_ntriples_lines_sorted():
    lines = serialize_ntriples(make_graph()).decode().splitlines()
    assert lines == sorted(lines) and len(lines) == len(union_graph(make_graph()))


def test_export_jsonld_context_is_the_prefixes():
    doc = json.loads(serialize_jsonld(make_graph()).decode())
    assert doc["@context"]["ldn"] == "https://w3id.org/ldn-graph/vocab#"
    assert doc["@context"]["ent"] == "https://w3id.org/ldn-graph/entity/"
    ids = [node["id"] for node in doc["@graph"]]
    assert ids == sorted(ids)
    assert "ent:fibromyalgia" in ids


def _jsonld_node(doc: dict, node_id: str) -> dict:
    (node,) = [n for n in doc["@graph"] if n["id"] == node_id]
    return node


def test_export_jsonld_reads_as_plain_json():
    # Short keys from the context, IRI values as compact strings: no "@id" objects to unwrap.
    doc = json.loads(serialize_jsonld(make_graph()).decode())
    context = doc["@context"]
    assert context["id"] == "@id" and context["type"] == "@type"
    assert context["treats"] == {"@id": "ldn:treats", "@type": "@id"}  # from the ontology
    assert context["supportCount"] == "ldn:supportCount"  # a datatype property: no coercion
    drug = _jsonld_node(doc, f"ent:{LDN_DRUG}")
    assert drug["type"] == "ldn:Drug"
    assert drug["label"] == "low-dose naltrexone"
    assert drug["treats"] == f"ent:{FIBROMYALGIA}"
    assert sorted(drug["increases"] if isinstance(drug["increases"], list) else [drug["increases"]]) == [
        f"ent:{ENDORPHIN}"
    ]
    assert _jsonld_node(doc, f"ent:{NALTREXONE}")["exactMatch"] == ["mesh:D009271", "obo:CHEBI_7465"]
    treats = _jsonld_node(doc, f"assertion:{LDN_DRUG}.treats.{FIBROMYALGIA}")
    assert treats["subject"] == f"ent:{LDN_DRUG}" and treats["predicate"] == "ldn:treats"
    assert treats["certainty"] == "ldn:Asserted" and treats["negated"] is False
    assert treats["supportCount"] == 2
    # IRIs whose local part holds `/` or `#` are compacted too (rdflib leaves them whole).
    assert f"assertion:{LDN_DRUG}.treats.{FIBROMYALGIA}/year-2010" in treats["hasQualifier"]
    target = _jsonld_node(doc, "doc:ldn-blog-2019#char=2154,2321")
    assert target["hasSource"] == "doc:ldn-blog-2019"
    assert "https://w3id.org/ldn-graph/" not in json.dumps(doc["@graph"])  # project IRIs all compact


def test_export_jsonld_types_whole_number_doubles():
    # JSON-LD reads a bare 30.0 as the integer 30: a whole-number double carries its type.
    doc = json.loads(serialize_jsonld(make_graph()).decode())
    effect = _jsonld_node(doc, f"assertion:{LDN_DRUG}.treats.{FIBROMYALGIA}/effect-30-percent")
    assert effect["value"] == {"@value": "30.0", "type": "xsd:double"}
    dose = _jsonld_node(doc, f"assertion:{LDN_DRUG}.has-active-ingredient.{NALTREXONE}/dose-1.0-4.5-mg")
    assert dose["maxValue"] == 4.5  # not whole: a JSON number reads as a double already

    def floats(value):
        if isinstance(value, dict):
            return [f for v in value.values() for f in floats(v)]
        if isinstance(value, list):
            return [f for v in value for f in floats(v)]
        return [value] if isinstance(value, float) else []

    assert all(not f.is_integer() for f in floats(doc["@graph"]))


@pytest.mark.parametrize("name, parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_rdf_round_trips_the_built_graph(tmp_path, name, parser):
    # The article's graph, with its real sentences (quotes, fused words, non-ASCII), read back whole.
    from ldn_graph.store.catalog import load_graph
    from tests.conftest import ROOT

    built = load_graph(ROOT / "extracted" / "graph.trig")
    FORMATS[name](built, tmp_path / "out")
    _assert_isomorphic(union_graph(built), Graph().parse(tmp_path / "out", format=parser))


def test_export_trig_round_trips_the_built_graph(tmp_path):
    from ldn_graph.store.catalog import load_graph
    from tests.conftest import ROOT

    built = load_graph(ROOT / "extracted" / "graph.trig")
    FORMATS["trig"](built, tmp_path / "out.trig")
    back = Dataset().parse(tmp_path / "out.trig", format="trig")
    names = {g.identifier for g in built.graphs() if len(g)}
    assert names == {g.identifier for g in back.graphs() if len(g)}
    for name in names:
        _assert_isomorphic(built.graph(name), back.graph(name))


def test_export_blank_nodes_are_deterministic_and_round_trip(tmp_path):
    def graph_with_bnodes() -> Graph:
        g = Graph()
        for label in ("a", "b"):
            node = BNode()
            g.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), node))
            g.add((node, URIRef("http://example.org/label"), Literal(label)))
        return g

    first, second = serialize_ntriples(graph_with_bnodes()), serialize_ntriples(graph_with_bnodes())
    assert first == second
    assert isomorphic(Graph().parse(data=first.decode(), format="nt"), graph_with_bnodes())


def test_export_atomic_write_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out" / "g.ttl"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["g.ttl"]


# --- KGX ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kgx(tmp_path_factory):
    out = tmp_path_factory.mktemp("kgx")
    written = write_kgx(make_graph(), out)
    assert written == [out / "nodes.tsv", out / "edges.tsv"]

    def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
        with (out / name).open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            return list(reader.fieldnames or []), list(reader)

    node_columns, nodes = read("nodes.tsv")
    edge_columns, edges = read("edges.tsv")
    return {
        "dir": out,
        "node_columns": node_columns,
        "edge_columns": edge_columns,
        "nodes": {n["id"]: n for n in nodes},
        "node_list": nodes,
        "edges": {e["id"]: e for e in edges},
        "edge_list": edges,
    }


def test_kgx_columns(kgx):
    assert kgx["node_columns"] == list(NODE_COLUMNS)
    assert kgx["edge_columns"] == list(EDGE_COLUMNS)
    for column in ("id", "category", "name", "xref", "synonym"):
        assert column in NODE_COLUMNS
    for column in ("subject", "predicate", "object", "negated", "certainty", "object_direction_qualifier"):
        assert column in EDGE_COLUMNS


def test_kgx_rows_sorted_and_lines_end_with_newline(kgx):
    assert [n["id"] for n in kgx["node_list"]] == sorted(n["id"] for n in kgx["node_list"])
    assert [e["id"] for e in kgx["edge_list"]] == sorted(e["id"] for e in kgx["edge_list"])
    raw = (kgx["dir"] / "edges.tsv").read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")


def test_kgx_nodes_use_preferred_standard_curie(kgx):
    nodes = kgx["nodes"]
    # CHEBI before MESH; naltrexone is LDN's active ingredient, so also a molecular entity (Biolink's range).
    assert nodes[CHEBI_NALTREXONE]["category"] == "biolink:Drug|biolink:MolecularEntity"
    assert nodes[MONDO_FIBROMYALGIA]["category"] == "biolink:Disease"  # MONDO before DOID and MESH
    assert nodes[CL_MICROGLIA]["category"] == "biolink:Cell"
    assert nodes[GO_INFLAMMATION]["category"] == "biolink:BiologicalProcess"
    assert nodes[MESH_ENDORPHINS]["category"] == "biolink:MolecularEntity"
    assert nodes[PR_MU_OPIOID_RECEPTOR]["category"] == "biolink:Protein"  # PR before HGNC (a gene)
    assert nodes[DOID_OPIOID_DEPENDENCE]["category"] == "biolink:Disease"
    fibromyalgia = nodes[MONDO_FIBROMYALGIA]
    # Sorted, as kgx sorts a list cell when it reads it.
    assert fibromyalgia["xref"].split("|") == [
        "DOID:631",
        f"LDN:{FIBROMYALGIA}",
        "MESH:D005356",
        MONDO_FIBROMYALGIA,
    ]
    assert fibromyalgia["normalised"] == "True"
    assert nodes[CL_MICROGLIA]["synonym"] == "microglia"
    assert nodes[CL_MICROGLIA]["name"] == "microglial cell"


def test_kgx_project_curie_for_entities_without_standard_id(kgx):
    glial = kgx["nodes"][f"LDN:{GLIAL_ACTIVATION}"]
    assert glial["normalised"] == ""  # false: kgx reads any text, `False` too, as true
    assert glial["xref"] == f"LDN:{GLIAL_ACTIVATION}"
    drug = kgx["nodes"][f"LDN:{LDN_DRUG}"]
    assert drug["synonym"].split("|") == ["LDN", "low dose naltrexone"]


def test_kgx_publication_nodes(kgx):
    # Neither fixture document has a PMID: no node (a DOI or a project id is no KGX node id kgx accepts).
    assert not [n for n in kgx["node_list"] if n["category"] == "biolink:Publication"]
    assert len(kgx["node_list"]) == 10


def test_kgx_increases_is_affects_increased(kgx):
    edge = kgx["edges"][f"{LDN_DRUG}.increases.{ENDORPHIN}"]
    assert edge["predicate"] == "biolink:affects"
    assert edge["object_direction_qualifier"] == "increased"
    assert edge["object_aspect_qualifier"] == "activity_or_abundance"
    assert edge["ldn_predicate"] == "ldn:increases"
    assert (edge["subject"], edge["object"]) == (f"LDN:{LDN_DRUG}", MESH_ENDORPHINS)
    decreases = kgx["edges"][f"{LDN_DRUG}.decreases.{INFLAMMATION}"]
    assert (decreases["predicate"], decreases["object_direction_qualifier"]) == (
        "biolink:affects",
        "decreased",
    )
    assert decreases["certainty"] == "hedged"
    assert decreases["knowledge_level"] == "prediction"


def test_kgx_negated_edge(kgx):
    edge = kgx["edges"][f"{LDN_DRUG}.causes.{OPIOID_DEPENDENCE}.negated"]
    assert edge["negated"] == "True"
    assert edge["predicate"] == "biolink:causes"
    assert edge["object"] == DOID_OPIOID_DEPENDENCE
    assert {e["negated"] for e in kgx["edge_list"]} == {"True", ""}


def test_kgx_edge_evidence_and_qualifiers(kgx):
    edge = kgx["edges"][f"{LDN_DRUG}.treats.{FIBROMYALGIA}"]
    assert edge["predicate"] == "biolink:treats"
    assert (edge["subject"], edge["object"]) == (f"LDN:{LDN_DRUG}", MONDO_FIBROMYALGIA)
    assert edge["certainty"] == "asserted" and edge["negated"] == ""
    assert edge["support_count"] == "2"
    assert edge["publications"] == f"{DOC['ldn-blog-2019']}|{DOC['ldn-review-2020']}"
    sentences = edge["supporting_text"].split("|")
    # The second sentence had a `|`, a tab and a newline: all became spaces.
    assert sentences == [
        "A 2010 study found a 30% reduction in symptom severity in women with fibromyalgia.",
        "LDN low dose naltrexone treats fibromyalgia.",
    ]
    assert (edge["year"], edge["population"], edge["effect_size"]) == (
        "2010",
        "women",
        "30% reduction in symptom severity",
    )
    assert edge["knowledge_level"] == "knowledge_assertion"
    assert edge["agent_type"] == "text_mining_agent"
    assert edge["primary_knowledge_source"] == "infores:ldn-graph"
    dose = kgx["edges"][f"{LDN_DRUG}.has-active-ingredient.{NALTREXONE}"]
    assert dose["dose"] == "1.0 to 4.5 mg" and dose["predicate"] == "biolink:has_active_ingredient"


def test_kgx_binds_uses_biolink_4_predicate(kgx):
    edge = kgx["edges"][f"{NALTREXONE}.binds.{MU_OPIOID_RECEPTOR}"]
    assert edge["predicate"] == "biolink:directly_physically_interacts_with"


def test_kgx_every_edge_end_is_a_node(kgx):
    ids = set(kgx["nodes"])
    for edge in kgx["edge_list"]:
        assert edge["subject"] in ids and edge["object"] in ids


def test_kgx_round_trips(kgx):
    # Read back, nodes.tsv and edges.tsv give exactly the rows that were written, in the same order.
    nodes, edges = kgx_rows(make_graph())
    assert kgx["node_list"] == nodes
    assert kgx["edge_list"] == edges


def test_kgx_round_trips_the_built_graph(tmp_path):
    from ldn_graph.store.catalog import load_graph
    from tests.conftest import ROOT

    built = load_graph(ROOT / "extracted" / "graph.trig")
    write_kgx(built, tmp_path)
    for name, rows in zip(("nodes.tsv", "edges.tsv"), kgx_rows(built), strict=True):
        with (tmp_path / name).open(newline="", encoding="utf-8") as fh:
            assert list(csv.DictReader(fh, delimiter="\t")) == rows, name


def test_kgx_same_from_turtle_file_as_from_dataset(tmp_path):
    # `export graph.ttl --format kgx` must reproduce what `build` wrote from the Dataset.
    from ldn_graph.store.catalog import load_graph

    FORMATS["turtle"](make_graph(), tmp_path / "graph.ttl")
    assert kgx_rows(load_graph(tmp_path / "graph.ttl")) == kgx_rows(make_graph())


def test_kgx_disputed_curie_goes_to_one_node():
    # Two entities claim the same MeSH id: the first by IRI keeps it, the other falls back to LDN:.
    ds = make_graph()
    g = ds.graph(DOC["ldn-blog-2019"])
    g.add((ENT["endorphin-2"], RDF.type, LDN.MolecularEntity))
    g.add((ENT["endorphin-2"], SKOS.exactMatch, MESH.D004723))
    nodes, _ = kgx_rows(ds)
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))
    assert MESH_ENDORPHINS in ids and "LDN:endorphin-2" in ids


def test_kgx_publications_cite_pmid_else_doi():
    # The blog has a PMID and a DOI: the PMID is cited. The review has a DOI only: the DOI is cited.
    ds = make_graph()
    blog, review = DOC["ldn-blog-2019"], DOC["ldn-review-2020"]
    ds.graph(blog).add((blog, BIBO.doi, Literal("10.0000/blog")))
    ds.graph(blog).add((blog, BIBO.pmid, Literal("90000001")))
    ds.graph(review).add((review, BIBO.doi, Literal("10.0000/review")))
    nodes, edges = kgx_rows(ds)
    (treats,) = [e for e in edges if e["id"] == f"{LDN_DRUG}.treats.{FIBROMYALGIA}"]
    assert treats["publications"] == "PMID:90000001|doi:10.0000/review"
    xrefs = {n["id"]: n["xref"] for n in nodes}
    assert xrefs["PMID:90000001"] == "doi:10.0000/blog"
    assert "doi:10.0000/review" not in xrefs  # a DOI-only document is cited, not a node


def test_kgx_publication_node_per_pmid():
    # Two documents with one PMID give one node (the first by IRI); a PMID that is not digits gives none.
    ds = make_graph()
    blog, review = DOC["ldn-blog-2019"], DOC["ldn-review-2020"]
    ds.graph(blog).add((blog, BIBO.pmid, Literal("90000001")))
    ds.graph(blog).add((blog, DCTERMS.title, Literal("Blog")))
    ds.graph(review).add((review, BIBO.pmid, Literal("90000001")))
    nodes, _ = kgx_rows(ds)
    assert [(n["id"], n["name"]) for n in nodes if n["id"].startswith("PMID:")] == [("PMID:90000001", "Blog")]
    ds = make_graph()
    ds.graph(blog).add((blog, BIBO.pmid, Literal("9000 0001/x")))
    nodes, edges = kgx_rows(ds)
    assert not [n for n in nodes if n["id"].startswith("PMID:")]
    assert any("PMID:9000 0001/x" in e["publications"] for e in edges)


def test_kgx_refuses_a_file_as_folder(tmp_path):
    from ldn_graph.errors import LdnGraphError

    (tmp_path / "f").write_text("x")
    with pytest.raises(LdnGraphError, match="folder"):
        write_kgx(make_graph(), tmp_path / "f")


def test_export_writers_odd_statements(tmp_path):
    """Blank nodes in two graphs, literals with line and paragraph separators, quotes, a language tag."""
    from ldn_graph.export.rdf import serialize_trig

    ex = "https://example.org/"
    ds = Dataset()
    for name in ("g1", "g2"):  # each graph its own blank node, with the same statements
        node = BNode()
        ds.graph(URIRef(ex + name)).add((URIRef(ex + "s"), URIRef(ex + "p"), node))
        ds.graph(URIRef(ex + name)).add((node, URIRef(ex + "q"), Literal("v")))
    odd = Literal('a "quoted"\nline\u2028and\u0085more \\ end', lang="en")
    ds.graph(URIRef(ex + "g1")).add((URIRef(ex + "s"), URIRef(ex + "r"), odd))
    ds.default_graph.add((URIRef(ex + "s"), URIRef(ex + "r"), Literal("in the default graph")))
    back = Dataset()
    back.parse(data=serialize_trig(ds), format="trig")
    for name in ("g1", "g2"):  # each graph's blank node is still its own
        _assert_isomorphic(ds.graph(URIRef(ex + name)), back.graph(URIRef(ex + name)))
    assert len(set(back.graph(URIRef(ex + "g1")).objects(None, URIRef(ex + "q")))) == 1
    assert len({b for _, _, b, _ in back.quads((URIRef(ex + "s"), URIRef(ex + "p"), None, None))}) == 2
    assert (URIRef(ex + "s"), URIRef(ex + "r"), Literal("in the default graph")) in back.default_graph
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    for data, fmt in ((serialize_turtle(ds), "turtle"), (serialize_ntriples(ds), "nt")):
        _assert_isomorphic(union, Graph().parse(data=data, format=fmt))
    assert serialize_trig(ds) == serialize_trig(ds) and serialize_turtle(ds) == serialize_turtle(ds)


def test_export_writers_refuse_a_term_rdf_does_not_allow():
    from ldn_graph.errors import LdnGraphError

    graph = Graph()
    graph.add((URIRef("not an iri"), RDF.type, URIRef("https://example.org/C")))
    with pytest.raises(LdnGraphError, match="cannot write <not an iri>"):
        serialize_turtle(graph)
