"""The exports read by the Biolink ecosystem's own tools: kgx 2.6 (`transform`, `validate`), the Biolink
Model Toolkit (domain and range of each predicate), igraph and networkx (GraphML).

kgx and igraph run as subprocesses in their own venv, `.venv-kgx` (`make kgx`, a prerequisite of
`make test`), through `tests/tools/kgx_offline.py`, which points kgx at the Biolink model installed beside
it instead of GitHub. Without that venv the tests skip with the reason, except in CI, where they fail.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from graph_fixture import BLOG, GLIAL_ACTIVATION, LDN_DRUG, make_graph
from rdflib import RDFS, Literal

from ldn_graph.cli import main
from ldn_graph.export.graphml import write_graphml
from ldn_graph.export.kgx import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    STANDARD_PREFIXES,
    is_standard_id,
    kgx_rows,
    standard_only,
    write_kgx,
)
from ldn_graph.export.text import MAX_ID_LENGTH, bounded_id
from ldn_graph.namespaces import ASSERTION, DOC, ENT, LDN

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tests" / "tools"
ARTICLE_KGX = ROOT / "extracted" / "kgx"
ARTICLE_GRAPH = ROOT / "extracted" / "graph.trig"
UNSEEN = sorted((ROOT / "tests" / "data" / "unseen").glob("*.txt"))
CONTROL = "\x00\x07\x1b\x7f\x85"  # NUL, bell, escape, DEL, a C1 code


@pytest.fixture(scope="session")
def tool_python() -> Path:
    """The tool venv's python; skipped when it is missing, except in CI, where `make test` installs it."""
    python = ROOT / ".venv-kgx" / "bin" / "python"
    if not python.exists():
        if os.environ.get("CI"):
            pytest.fail("the kgx tool venv is missing (make kgx installs it)")
        pytest.skip("no .venv-kgx: run `make kgx` for the kgx, bmt and igraph tests")
    return python


def run_tool(python: Path, script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A script of tests/tools run in the tool venv (its own folder on the import path)."""
    return subprocess.run(
        [str(python), str(TOOLS / script), *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def read_tsv(path: Path, *, raw: bool = False) -> dict[str, dict[str, str]]:
    """Rows by id. kgx writes cells unquoted (`raw`); ours are quoted where csv needs it, as pandas reads."""
    with path.open(newline="", encoding="utf-8") as fh:
        quoting = csv.QUOTE_NONE if raw else csv.QUOTE_MINIMAL
        return {row["id"]: row for row in csv.DictReader(fh, delimiter="\t", quoting=quoting)}


def kgx_round_trip(python: Path, folder: Path, out: Path) -> int:
    """`kgx transform` TSV to TSV; every row and every column we wrote comes back equal. kgx keys an edge by
    its subject, predicate and object, so edges that share all three (a statement and its negation, an
    increase and a decrease, both biolink:affects) come back as one: those are checked to be one row each,
    and their number returned. (`--stream` would keep them but drops every column kgx does not know.)"""
    out.mkdir()
    args = ["transform", "-i", "tsv", "-f", "tsv", "-o", str(out / "back")]
    proc = run_tool(
        python, "kgx_offline.py", *args, str(folder / "nodes.tsv"), str(folder / "edges.tsv"), cwd=out
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ours = read_tsv(folder / "edges.tsv")
    triples = [(r["subject"], r["predicate"], r["object"]) for r in ours.values()]
    shared = {
        key
        for key, row in ours.items()
        if triples.count((row["subject"], row["predicate"], row["object"])) > 1
    }
    for name, columns in (("nodes", NODE_COLUMNS), ("edges", EDGE_COLUMNS)):
        ours = read_tsv(folder / f"{name}.tsv")
        back = read_tsv(out / f"back_{name}.tsv", raw=True)
        assert sorted(set(back) - shared) == sorted(set(ours) - shared), name
        for key, row in ours.items():
            if key not in shared:
                assert {c: back[key].get(c, "") for c in columns} == row, (name, key)
    assert len(read_tsv(out / "back_edges.tsv", raw=True)) == len(set(triples))
    return len(shared)


def kgx_errors(python: Path, folder: Path, work: Path) -> dict[str, dict[str, list[str]]]:
    """The ERROR part of `kgx validate`'s report: error type -> message -> entities. (kgx 2.6 logs the report
    as JSON on stderr, `-o` or not, and exits 1 when it has errors.)"""
    proc = run_tool(
        python,
        "kgx_offline.py",
        "validate",
        "-i",
        "tsv",
        str(folder / "nodes.tsv"),
        str(folder / "edges.tsv"),
        cwd=work,
    )
    start, end = proc.stderr.find("{"), proc.stderr.rfind("}")
    report = json.loads(proc.stderr[start : end + 1]) if start >= 0 else {}
    assert proc.returncode == (1 if report.get("ERROR") else 0), proc.stderr[-2000:]
    return report.get("ERROR", {})


def only_project_prefix(errors: dict[str, dict[str, list[str]]], folder: Path) -> None:
    """kgx reports nothing but the `LDN:` ids of project-local entities (Biolink registers no prefix for a
    project's own entities: docs/data-model.md, KGX), and those are the nodes with no standard id."""
    nodes = read_tsv(folder / "nodes.tsv")
    local = {key for key in nodes if key.startswith("LDN:")}
    reported = {e.split("->")[0] for m in errors.get("INVALID_NODE_PROPERTY_VALUE", {}).values() for e in m}
    assert reported == local
    for kind, messages in errors.items():
        assert kind in {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE"}, (kind, messages)
        for message, entities in messages.items():
            assert "CURIE prefix 'LDN'" in message, message
            assert all("LDN:" in entity for entity in entities), entities
    assert all(row["xref"] == key for key, row in nodes.items() if key.startswith("LDN:"))


def standard_export(graph: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """`ldn-graph export GRAPH --format kgx --standard-ids-only`, as a user runs it; the folder written."""
    assert main(["export", str(graph), "--format", "kgx", "--standard-ids-only", "-o", str(out)]) == 0
    assert "left out" in capsys.readouterr().out
    return out


def only_local_left_out(full: Path, standard: Path) -> None:
    """The standard-ids-only files are the full export's rows but the `LDN:` nodes and the edges touching
    them, each row unchanged; there are such nodes, so the check can fail."""
    for name, local in (
        ("nodes", lambda row: row["id"].startswith("LDN:")),
        ("edges", lambda row: row["subject"].startswith("LDN:") or row["object"].startswith("LDN:")),
    ):
        ours, kept = read_tsv(full / f"{name}.tsv"), read_tsv(standard / f"{name}.tsv")
        assert any(local(row) for row in ours.values()), name
        assert kept == {key: row for key, row in ours.items() if not local(row)}, name


def biolink_mismatches(python: Path, folder: Path) -> list[dict[str, object]]:
    proc = run_tool(python, "biolink_check.py", str(folder), cwd=folder)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def five_built(tmp_path_factory) -> Path:
    """The build folder of the five held-out texts, built by the real pipeline."""
    out = tmp_path_factory.mktemp("five")
    assert main(["build", *map(str, UNSEEN), "-o", str(out), "-q", "--no-validate"]) == 0
    return out


@pytest.fixture(scope="module")
def five_documents(five_built) -> Path:
    """The KGX export of the five held-out texts."""
    return five_built / "kgx"


def tricky_graph():
    """The fixture graph with control characters in a name and a sentence, and a 1 MB entity key."""
    graph = make_graph()
    for g in graph.graphs():
        for s, p, _o in list(g.triples((ENT[LDN_DRUG], RDFS.label, None))):
            g.add((s, p, Literal(f"low{CONTROL}-dose naltrexone")))
        for s, p, _o in list(g.triples((None, LDN.extractionRule, None))):
            g.add((s, p, Literal(f"rule{CONTROL}name")))
    huge = ENT["x" * 1_000_000]
    graph.graph(DOC[BLOG]).add((huge, RDFS.label, Literal("an entity with a megabyte key")))
    graph.graph(DOC[BLOG]).add((huge, LDN.normalised, Literal(False)))
    from rdflib import RDF

    graph.graph(DOC[BLOG]).add((huge, RDF.type, LDN.Disease))
    return graph


# --- kgx transform reads every cell back ---------------------------------------------------------------


def test_kgx_tool_round_trip_article(tool_python, tmp_path):
    # The article's export, in kgx's default (graph) mode: 61 edges, none read back as negated.
    assert kgx_round_trip(tool_python, ARTICLE_KGX, tmp_path / "rt") == 0
    back = read_tsv(tmp_path / "rt" / "back_edges.tsv", raw=True)
    assert len(back) == len(read_tsv(ARTICLE_KGX / "edges.tsv")) > 0
    assert not any(row["negated"] for row in back.values())


def test_kgx_tool_round_trip_negated_and_control_characters(tool_python, tmp_path):
    # The fixture holds a negated assertion: it alone comes back negated. Control characters never reach
    # the files, and the 1 MB key is cut to the length limit.
    write_kgx(tricky_graph(), tmp_path / "kgx")
    data = b"".join((tmp_path / "kgx" / n).read_bytes() for n in ("nodes.tsv", "edges.tsv"))
    assert not any(ch.encode("utf-8") in data for ch in CONTROL)
    assert kgx_round_trip(tool_python, tmp_path / "kgx", tmp_path / "rt") == 0
    edges = read_tsv(tmp_path / "kgx" / "edges.tsv")
    negated = {key for key, row in edges.items() if row["negated"]}
    assert negated and all(key.endswith(".negated") for key in negated)
    assert all(len(key) <= MAX_ID_LENGTH for key in read_tsv(tmp_path / "kgx" / "nodes.tsv"))


@pytest.mark.slow
def test_kgx_tool_round_trip_five_documents(tool_python, five_documents, tmp_path):
    # Every edge but the pairs kgx merges (same subject, predicate and object) comes back equal.
    assert kgx_round_trip(tool_python, five_documents, tmp_path / "rt") <= 2


# --- kgx validate and the Biolink domains and ranges ---------------------------------------------------


def test_kgx_tool_validate_article(tool_python, tmp_path):
    # The full export: kgx reports the project's own ids and nothing else.
    only_project_prefix(kgx_errors(tool_python, ARTICLE_KGX, tmp_path), ARTICLE_KGX)


def test_kgx_tool_validate_article_standard_ids_only(tool_python, tmp_path, capsys):
    # The article's export with standard ids only: no error, and only the local entities' rows left out.
    standard = standard_export(ARTICLE_GRAPH, tmp_path / "standard", capsys)
    assert kgx_errors(tool_python, standard, tmp_path) == {}
    only_local_left_out(ARTICLE_KGX, standard)
    assert kgx_round_trip(tool_python, standard, tmp_path / "rt") == 0


@pytest.mark.slow
def test_kgx_tool_validate_five_documents(tool_python, five_documents, tmp_path):
    only_project_prefix(kgx_errors(tool_python, five_documents, tmp_path), five_documents)


@pytest.mark.slow
def test_kgx_tool_validate_five_documents_standard_ids_only(tool_python, five_built, tmp_path, capsys):
    standard = standard_export(five_built / "graph.trig", tmp_path / "standard", capsys)
    assert kgx_errors(tool_python, standard, tmp_path) == {}
    only_local_left_out(five_built / "kgx", standard)


def test_kgx_tool_standard_prefixes_in_biolink_prefix_map(tool_python, tmp_path):
    # Every prefix the writer counts as standard is one kgx validate accepts: a key of the Biolink prefix
    # map that tests/tools/kgx_offline.py gives kgx (the biolink-model package beside it); LDN is not.
    script = (
        "import json; from importlib.resources import files; "
        "m = files('biolink_model').joinpath('prefixmaps').joinpath('biolink-model-prefix-map.json'); "
        "print(json.dumps(sorted(json.loads(m.read_text('utf-8')))))"
    )
    proc = subprocess.run([str(tool_python), "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    biolink = set(json.loads(proc.stdout))
    assert not STANDARD_PREFIXES - biolink, sorted(STANDARD_PREFIXES - biolink)
    assert "LDN" not in biolink


def test_kgx_tool_biolink_domain_and_range_article(tool_python):
    # contraindicated_in to a drug, has_active_ingredient to a Drug: both were mismatches.
    assert biolink_mismatches(tool_python, ARTICLE_KGX) == []
    edges = read_tsv(ARTICLE_KGX / "edges.tsv")
    ingredient = edges[f"{LDN_DRUG}.hasActiveIngredient.naltrexone"]
    assert ingredient["predicate"] == "biolink:has_active_ingredient"
    assert "biolink:MolecularEntity" in read_tsv(ARTICLE_KGX / "nodes.tsv")[ingredient["object"]]["category"]


@pytest.mark.slow
def test_kgx_tool_biolink_domain_and_range_five_documents(tool_python, five_documents):
    # Five texts add a protein said to be a kind of cytokine (subclass_of from a Protein).
    assert biolink_mismatches(tool_python, five_documents) == []


# --- GraphML: the assertion IRI survives readers that drop edge ids --------------------------------------


def test_kgx_tool_graphml_edge_iri_networkx_and_igraph(tool_python, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(tricky_graph(), path)
    data = path.read_bytes()
    assert not any(ch.encode("utf-8") in data for ch in CONTROL)
    back = nx.read_graphml(path, force_multigraph=True)
    iris = {d["assertion"] for _, _, d in back.edges(data=True)}
    assert iris and all(i.startswith(str(ASSERTION)) for i in iris)
    assert all(len(n) <= MAX_ID_LENGTH for n in back.nodes)
    script = (
        "import igraph, json, sys; g = igraph.Graph.Read_GraphML(sys.argv[1]); "
        "print(json.dumps(sorted(g.es['assertion'])))"
    )
    proc = subprocess.run(
        [str(tool_python), "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == sorted(iris)


# --- identifiers: the length rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "expected_length"),
    [
        ("low-dose-naltrexone", 19),  # short: unchanged
        ("x" * MAX_ID_LENGTH, MAX_ID_LENGTH),  # at the limit: unchanged
        ("x" * 1_000_000, MAX_ID_LENGTH),  # a megabyte: cut to the limit
    ],
)
def test_export_text_bounded_id_length(identifier, expected_length):
    assert len(bounded_id(identifier)) == expected_length


def test_export_text_bounded_id_keeps_long_ids_apart():
    # Two long ids that share their first characters stay different; the same id gives the same result.
    a, b = "x" * 500 + "a", "x" * 500 + "b"
    assert bounded_id(a) != bounded_id(b)
    assert bounded_id(a) == bounded_id(a)
    assert bounded_id(a).startswith("x" * 100)
    assert bounded_id("a\x00b") == "ab"


# --- identifiers: standard ids only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "standard"),
    [
        ("CHEBI:7465", True),  # an ontology's CURIE
        ("PMID:90000001", True),  # a document node
        (f"LDN:{LDN_DRUG}", False),  # the project's own id: no prefix Biolink registers
        (f"{ENT}{LDN_DRUG}", False),  # an IRI: kgx takes it for no CURIE
        ("doi:10.1000/xyz", False),  # a `/` after the colon: no CURIE to kgx either
        ("CHEBI:", False),  # nothing after the prefix
    ],
)
def test_export_kgx_is_standard_id(identifier, standard):
    assert is_standard_id(identifier) is standard


def test_export_kgx_standard_only_fixture():
    # The fixture's local entities (low-dose naltrexone, glial activation) and every edge touching them go;
    # every other row stays as it was.
    nodes, edges = kgx_rows(make_graph())
    kept_nodes, kept_edges = standard_only(nodes, edges)
    assert {n["id"] for n in nodes} - {n["id"] for n in kept_nodes} == {
        f"LDN:{LDN_DRUG}",
        f"LDN:{GLIAL_ACTIVATION}",
    }
    assert kept_nodes == [n for n in nodes if not n["id"].startswith("LDN:")]
    assert kept_edges == [e for e in edges if "LDN:" not in e["subject"] + e["object"]]
    assert 0 < len(kept_edges) < len(edges)
