"""Bibliographic metadata (PubMed XML, JSON Lines) into the document graphs, and from there into every
evidence: the KGX `publications` column and the HTML citations (docs/data-model.md, "Documents")."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from ldn_graph.cli import main
from ldn_graph.model import Document, Extraction
from ldn_graph.namespaces import ASSERTION, BIBO, DOC
from ldn_graph.rdf.shapes import validate
from ldn_graph.rdf.write import add_document
from ldn_graph.sparql import query as sparql
from ldn_graph.store.catalog import load_graph
from tests.conftest import ROOT

INPUTS = ROOT / "tests" / "data" / "inputs"
PUBMED = INPUTS / "pubmed-sample.xml"
JSONL = INPUTS / "abstracts.jsonl"

# The first PubMed fixture article, and what its XML says.
ARTICLE = DOC["pmid-90000001"]
ARTICLE_AUTHORS = ["Fixture AB", "LDN Fixture Study Group"]  # the withdrawn author is left out
ARTICLE_JOURNAL = "Journal of Pain Research Fixtures"
# A sentence the tests' own inputs repeat in four documents, so that one edge cites them all.
SHARED = "Naloxone blocks opioid receptors.\n"
SHARED_EDGE = "naloxone.decreases.opioid-receptor"
DOI_ONLY_AUTHORS = ["Zeta A", "Alpha B", "Mu C"]  # not in alphabetical order, on purpose
EXTRA_RECORDS = [
    # A DOI but no PMID, three authors, no url.
    {
        "id": "doi-only",
        "text": SHARED,
        "doi": "10.0000/fixture.0099",
        "authors": DOI_ONLY_AUTHORS,
        "journal": "Fixture Letters",
    },
    # A PMID and nothing else.
    {"id": "pmid-only", "text": SHARED, "pmid": "90000077"},
]
PLAIN = "plain-note"  # a .txt document: no bibliographic metadata at all
METADATA = {
    "bibo:pmid": BIBO.pmid,
    "bibo:doi": BIBO.doi,
    "dcterms:issued": DCTERMS.issued,
    "dcterms:isPartOf": DCTERMS.isPartOf,
    "dcterms:creator": DCTERMS.creator,
    "bibo:authorList": BIBO.authorList,
    "foaf:page": FOAF.page,
}

# Evidence sentences with their PMID and year: the example of docs/data-model.md, read from there.
DOCS_QUERY = re.search(
    r"Evidence sentences with their PMID and year:\n```sparql\n(.*?)```",
    (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8"),
    re.DOTALL,
)


def _build(out: Path, inputs: list[Path]) -> Path:
    assert main(["build", "-q", "-o", str(out), *map(str, inputs)]) == 0
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("inputs")
    extra = folder / "extra.jsonl"
    extra.write_text("".join(json.dumps(r) + "\n" for r in EXTRA_RECORDS), encoding="utf-8")
    plain = folder / f"{PLAIN}.txt"
    plain.write_text(SHARED, encoding="utf-8")
    return [PUBMED, JSONL, extra, plain]


@pytest.fixture(scope="module")
def built(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("built"), inputs)


@pytest.fixture(scope="module")
def graph(built: Path) -> Graph:
    return load_graph(built / "graph.trig")


def _edges(built: Path) -> dict[str, dict[str, str]]:
    with (built / "kgx" / "edges.tsv").open(newline="", encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh, delimiter="\t")}


def _nodes(built: Path) -> dict[str, dict[str, str]]:
    with (built / "kgx" / "nodes.tsv").open(newline="", encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh, delimiter="\t")}


# --- the document graphs ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_bibliographic_pubmed_metadata_is_in_the_document_graph(graph: Graph) -> None:
    from rdflib.namespace import XSD  # imported here: pytest's collection trips over it as a module global

    # Everything is in the document's own named graph, so it goes and comes with the document.
    rows = sparql.run(
        graph,
        f"""SELECT ?pmid ?doi ?year ?journal ?page WHERE {{ GRAPH <{ARTICLE}> {{
            <{ARTICLE}> bibo:pmid ?pmid ; bibo:doi ?doi ; dcterms:issued ?year ; foaf:page ?page ;
                dcterms:isPartOf [ a bibo:Journal ; dcterms:title ?journal ] }} }}""",
    ).rows
    assert rows == [
        (
            Literal("90000001"),
            Literal("10.0000/fixture.0001"),
            Literal("2021", datatype=XSD.gYear),
            Literal(ARTICLE_JOURNAL),
            URIRef("https://pubmed.ncbi.nlm.nih.gov/90000001/"),
        )
    ]


@pytest.mark.slow
def test_bibliographic_authors_in_order(graph: Graph) -> None:
    def authors(document: URIRef) -> list[str]:
        rows = sparql.run(
            graph,
            f"""SELECT ?n ?name WHERE {{
                <{document}> bibo:authorList ?list ; dcterms:creator ?agent .
                ?list a rdf:Seq ; ?n ?agent . ?agent a foaf:Agent ; foaf:name ?name .
                FILTER(STRSTARTS(STR(?n), STR(rdf:_))) }}""",
        ).rows
        return [str(name) for _, name in sorted(rows, key=lambda row: int(str(row[0]).rsplit("_", 1)[1]))]

    assert authors(ARTICLE) == ARTICLE_AUTHORS
    assert authors(DOC["doi-only"]) == DOI_ONLY_AUTHORS


@pytest.mark.slow
def test_bibliographic_only_what_the_input_says(graph: Graph) -> None:
    def said(document: URIRef) -> set[str]:
        return {name for name, p in METADATA.items() if graph.value(document, p) is not None}

    assert said(ARTICLE) == set(METADATA)
    # No authors nor DOI in the XML; the JSON Lines record gives a year only; no url for "doi-only".
    assert said(DOC["pmid-90000002"]) == {"bibo:pmid", "dcterms:issued", "dcterms:isPartOf", "foaf:page"}
    assert said(DOC["12"]) == {"dcterms:issued"}
    assert said(DOC["doi-only"]) == {"bibo:doi", "dcterms:isPartOf", "dcterms:creator", "bibo:authorList"}
    # A plain text file and a record without metadata have none of it.
    assert said(DOC[PLAIN]) == set()
    assert said(DOC["note-3"]) == set()


@pytest.mark.slow
def test_bibliographic_graph_passes_shacl(graph: Graph) -> None:
    result = validate(graph)
    assert result.conforms, result.text


@pytest.mark.slow
def test_bibliographic_build_is_deterministic(built: Path, inputs: list[Path], tmp_path: Path) -> None:
    # Every node has an IRI (no blank nodes), so two builds from scratch give the same bytes.
    again = _build(tmp_path, inputs)
    for name in ("graph.ttl", "graph.trig", "graph.html", "kgx/nodes.tsv", "kgx/edges.tsv"):
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


@pytest.mark.slow
def test_bibliographic_docs_query_runs_on_the_graph_and_the_store(built: Path, capsys) -> None:
    assert DOCS_QUERY, "the SPARQL example is missing from docs/data-model.md"
    for where in (built / "graph.trig", built / "store"):
        assert main(["query", str(where), DOCS_QUERY.group(1), "--format", "csv"]) == 0
        rows = list(csv.reader(capsys.readouterr().out.splitlines()))
        assert rows[0] == ["pmid", "year", "relation", "sentence"]
        # One row per evidence of a document with a PMID; the PMID-only record has no year.
        assert ["90000077", "", str(ASSERTION[SHARED_EDGE]), SHARED.strip()] in [
            [*row[:3], row[3].strip()] for row in rows
        ]
        assert {row[0] for row in rows[1:]} == {"90000001", "90000002", "90000011", "90000077"}
        assert all(row[1] == "2021" for row in rows if row[0] == "90000001")


# --- into every evidence: KGX and HTML -------------------------------------------------------------------


@pytest.mark.slow
def test_bibliographic_kgx_publications(built: Path) -> None:
    edges = _edges(built)
    # One identifier per document, the best it has (PMID, DOI, else the document's IRI), sorted.
    assert edges[SHARED_EDGE]["publications"] == (
        f"PMID:90000077|doi:10.0000/fixture.0099|{DOC['12']}|{DOC['plain-note']}"
    )
    for edge in edges.values():
        ids = edge["publications"].split("|")
        assert ids == sorted(ids)
        assert not any(i.startswith(str(DOC["pmid-"])) for i in ids), edge["id"]
    # A document with a PMID is a node with that id and its DOI as xref; the others are only cited.
    nodes = _nodes(built)
    assert nodes["PMID:90000001"]["xref"] == "doi:10.0000/fixture.0001"
    assert not [key for key in nodes if key.startswith(("LDN.DOC:", "doi:"))]


@pytest.mark.slow
def test_bibliographic_gold_scorer_reads_the_kgx(built: Path) -> None:
    # The scorer of tests/data/gold skips publication nodes and reads the new publications column as before.
    gold = ROOT / "tests" / "data" / "gold"
    proc = subprocess.run(
        [sys.executable, str(gold / "score.py"), str(gold / "ldn-blog-2019.gold.json"), str(built / "kgx")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("entities P="), proc.stdout


@pytest.mark.slow
def test_bibliographic_html_cites_each_sentence(built: Path) -> None:
    page = (built / "graph.html").read_text(encoding="utf-8")
    match = re.search(r"\bedges = new vis\.DataSet\((\[.*?\])\);\n", page)
    assert match
    titles = {edge["id"].rsplit("/", 1)[1]: edge["title"] for edge in json.loads(match.group(1))}
    shared = titles[SHARED_EDGE]
    # Three authors or more: the first et al.; no authors: the title; no metadata: the title alone.
    assert "(Zeta A et al., Fixture Letters, doi:10.0000/fixture.0099, characters 0-" in shared
    assert "(pmid-only, PMID 90000077, characters 0-" in shared
    assert "(12, 2018, characters 0-" in shared
    assert f"({PLAIN}, characters 0-" in shared
    treats = titles["low-dose-naltrexone.treats.fibromyalgia"]
    assert f"({' and '.join(ARTICLE_AUTHORS)}, 2021, {ARTICLE_JOURNAL}, PMID 90000001, characters" in treats


# --- the shapes ------------------------------------------------------------------------------------------


def _document_graph() -> Graph:
    """The graph `add_document` writes for a document with every bibliographic property."""
    document = Document(
        key="pmid-1",
        text="Naloxone blocks opioid receptors.\n",
        source="pubmed.xml",
        title="Naloxone",
        sha256="0" * 64,
        pmid="1",
        doi="10.0000/x.1",
        year=1999,
        journal="Fixture Letters",
        authors=("Fixture AB", "Example C"),
        url="https://pubmed.ncbi.nlm.nih.gov/1/",
    )
    graph = Graph()
    add_document(graph, Extraction(document=document, concepts={}, mentions=[], relations=[]))
    return graph


DOCUMENT = DOC["pmid-1"]
FIRST_AUTHOR = URIRef(f"{DOCUMENT}#author-1")
JOURNAL = URIRef(f"{DOCUMENT}#journal")


def test_bibliographic_document_graph_conforms() -> None:
    result = validate(_document_graph())
    assert result.conforms, result.text


def _set(subject: URIRef, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    return lambda g: g.set((subject, predicate, value))  # type: ignore[arg-type]


def _add(subject: URIRef, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    return lambda g: g.add((subject, predicate, value))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        # two PMIDs
        (_add(DOCUMENT, BIBO.pmid, Literal("2")), "bibo:pmid"),
        # a PMID that is not digits
        (_set(DOCUMENT, BIBO.pmid, Literal("PMID:1")), "bibo:pmid"),
        # a DOI given as a URL
        (_set(DOCUMENT, BIBO.doi, Literal("https://doi.org/10.0000/x.1")), "bibo:doi"),
        # the year as a plain string
        (_set(DOCUMENT, DCTERMS.issued, Literal("1999")), "dcterms:issued"),
        # a journal without its title
        (lambda g: g.remove((JOURNAL, DCTERMS.title, None)), "journal"),
        # an author without a name
        (lambda g: g.remove((FIRST_AUTHOR, FOAF.name, None)), "foaf:name"),
        # an author list that is not an rdf:Seq
        (lambda g: g.remove((None, RDF.type, RDF.Seq)), "bibo:authorList"),
        # a web page that is a string, not an IRI
        (_set(DOCUMENT, FOAF.page, Literal("https://example.org")), "foaf:page"),
    ],
)
def test_bibliographic_shapes_catch(mutate: Callable[[Graph], None], message: str) -> None:
    graph = _document_graph()
    mutate(graph)
    result = validate(graph)
    assert not result.conforms
    assert message in result.text, result.text
