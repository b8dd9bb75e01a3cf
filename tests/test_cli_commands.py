"""The `query`, `export` and `evaluate` commands through the real entry point, `ldn_graph.cli.main`."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from graph_fixture import LDN_DRUG, make_graph, union_graph
from rdflib import Graph
from rdflib.compare import isomorphic

from ldn_graph.cli import main
from ldn_graph.export import FORMATS
from ldn_graph.namespaces import ENT
from tests.conftest import one_line_error

GOLD = Path(__file__).parent / "data" / "gold" / "ldn-blog-2019.gold.json"
SCORE_LINE = re.compile(
    r"^entities P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3} \| relations P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3} \| "
    r"certainty=(None|[\d.]+)$"
)
TREATS = "SELECT ?drug WHERE { ?drug ldn:treats ent:fibromyalgia }"


# --- query ----------------------------------------------------------------------------------------


def test_cli_query_csv(graph_file, capsys):
    assert main(["query", str(graph_file), TREATS, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["drug"], [str(ENT[LDN_DRUG])]]


def test_cli_query_table_by_default(graph_file, capsys):
    assert main(["query", str(graph_file), TREATS]) == 0
    out = capsys.readouterr().out
    assert f"ent:{LDN_DRUG}" in out and out.endswith("(1 row)\n")


def test_cli_query_from_file_as_json(graph_file, tmp_path, capsys):
    rq = tmp_path / "treats.rq"
    rq.write_text(TREATS)
    assert main(["query", str(graph_file), "-f", str(rq), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"]["bindings"] == [{"drug": {"type": "uri", "value": str(ENT[LDN_DRUG])}}]


def test_cli_query_construct_prints_turtle(graph_file, capsys):
    assert main(["query", str(graph_file), "CONSTRUCT { ?s ldn:treats ?o } WHERE { ?s ldn:treats ?o }"]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == 1


def test_cli_query_malformed_sparql_is_one_line(graph_file, capsys):
    code = main(["query", str(graph_file), "SELECT ?x WHERE {\n ?x ?y }"])
    assert code != 0
    err = one_line_error(capsys)
    assert "line 2" in err and "column" in err


def test_cli_query_malformed_file_names_the_file(graph_file, tmp_path, capsys):
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?x WHERE { ?x ?y }")
    assert main(["query", str(graph_file), "-f", str(rq)]) == 1
    assert f"{rq}: syntax error at line 1, column" in one_line_error(capsys)


def test_cli_query_missing_graph_is_one_line(tmp_path, capsys):
    assert main(["query", str(tmp_path / "nope.ttl"), TREATS]) == 1
    assert "nope.ttl" in one_line_error(capsys)


def test_cli_query_needs_exactly_one_query(graph_file, tmp_path, capsys):
    assert main(["query", str(graph_file)]) == 2
    one_line_error(capsys)
    rq = tmp_path / "q.rq"
    rq.write_text(TREATS)
    assert main(["query", str(graph_file), TREATS, "-f", str(rq)]) == 2
    one_line_error(capsys)


def test_cli_query_missing_query_file(graph_file, tmp_path, capsys):
    assert main(["query", str(graph_file), "-f", str(tmp_path / "none.rq")]) == 1
    assert "none.rq" in one_line_error(capsys)


@pytest.mark.parametrize(
    "argv",
    [["query", "g.ttl", TREATS], ["export", "g.ttl", "-o", "g.nt"], ["evaluate", "gold.json", "kgx"]],
)
def test_cli_unknown_option_exits_2_on_one_line(argv, capsys):
    assert main([*argv, "--no-such-option"]) == 2
    assert "--no-such-option" in one_line_error(capsys)


def test_cli_query_bad_format_choice(graph_file, capsys):
    assert main(["query", str(graph_file), TREATS, "--format", "yaml"]) == 2
    one_line_error(capsys)
    assert main(["query", str(graph_file), TREATS, "--format", "turtle"]) != 0  # a graph format, for rows
    assert "no result format 'turtle' for SELECT and ASK results" in one_line_error(capsys)


def test_cli_query_serves_every_format_the_endpoint_serves(graph_file, capsys):
    assert main(["query", str(graph_file), TREATS, "--format", "xml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>') and "<variable name=" in out


# --- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, name, parser",
    [("turtle", "g.ttl", "turtle"), ("nt", "g.nt", "nt"), ("jsonld", "g.jsonld", "json-ld")],
)
def test_cli_export_rdf(graph_file, tmp_path, capsys, fmt, name, parser):
    out = tmp_path / name
    assert main(["export", str(graph_file), "--format", fmt, "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert isomorphic(Graph().parse(out, format=parser), union_graph(make_graph()))


def test_cli_export_format_from_suffix(graph_file, tmp_path):
    assert main(["export", str(graph_file), "-o", str(tmp_path / "g.nt")]) == 0
    assert (tmp_path / "g.nt").read_text().startswith("<https://")


def test_cli_export_unknown_suffix_needs_format(graph_file, tmp_path, capsys):
    assert main(["export", str(graph_file), "-o", str(tmp_path / "g.xyz")]) == 2
    assert "--format" in one_line_error(capsys)


def test_cli_export_kgx_matches_writer(graph_file, tmp_path):
    assert main(["export", str(graph_file), "--format", "kgx", "-o", str(tmp_path / "kgx")]) == 0
    FORMATS["kgx"](make_graph(), tmp_path / "direct")
    for name in ("nodes.tsv", "edges.tsv"):
        assert (tmp_path / "kgx" / name).read_bytes() == (tmp_path / "direct" / name).read_bytes()


def test_cli_export_standard_ids_only_kgx(graph_file, tmp_path, capsys):
    # The fixture's two local entities and the edges touching them are left out, and the count said.
    out = tmp_path / "kgx"
    assert main(["export", str(graph_file), "--format", "kgx", "--standard-ids-only", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("left out 2 entities with no identifier Biolink registers and ")
    with (out / "edges.tsv").open(newline="", encoding="utf-8") as fh:
        ends = [v for row in csv.DictReader(fh, delimiter="\t") for v in (row["subject"], row["object"])]
    with (out / "nodes.tsv").open(newline="", encoding="utf-8") as fh:
        ids = [row["id"] for row in csv.DictReader(fh, delimiter="\t")]
    assert ends and ids and not [i for i in ends + ids if i.startswith("LDN:")]


def test_cli_export_standard_ids_only_needs_kgx(graph_file, tmp_path, capsys):
    args = ["export", str(graph_file), "--format", "nt", "--standard-ids-only", "-o", str(tmp_path / "g.nt")]
    assert main(args) == 2
    assert "--standard-ids-only" in one_line_error(capsys)
    assert not (tmp_path / "g.nt").exists()


def test_cli_export_missing_graph_is_one_line(tmp_path, capsys):
    assert (
        main(["export", str(tmp_path / "missing.ttl"), "--format", "nt", "-o", str(tmp_path / "x.nt")]) == 1
    )
    assert "missing.ttl" in one_line_error(capsys)


def test_cli_export_unwritable_output_is_one_line(graph_file, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", str(graph_file), "--format", "nt", "-o", str(blocker / "g.nt")]) == 1
    one_line_error(capsys)


# --- evaluate -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kgx_dir(graph_file, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kgx")
    FORMATS["kgx"](make_graph(), out)
    return out


def test_cli_evaluate_report(kgx_dir, capsys):
    assert main(["evaluate", str(GOLD), str(kgx_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert SCORE_LINE.match(lines[0]), lines[0]
    assert any(line.startswith("group") for line in lines)
    assert any(line.startswith("qualifiers: ") for line in lines)


def test_cli_evaluate_json_and_misses(kgx_dir, capsys):
    assert main(["evaluate", str(GOLD), str(kgx_dir), "--json", "--show-misses"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"entities", "relations", "certainty_accuracy", "groups", "qualifiers", "missed_relations"} <= set(
        result
    )


def test_cli_evaluate_show_misses(kgx_dir, capsys):
    assert main(["evaluate", str(GOLD), str(kgx_dir), "--show-misses"]) == 0
    assert "missed relations (" in capsys.readouterr().out


def test_cli_evaluate_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["evaluate", str(GOLD), str(tmp_path / "none")]) == 1
    assert "none" in one_line_error(capsys)


def test_cli_evaluate_missing_gold_is_one_line(kgx_dir, tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "gold.json"), str(kgx_dir)]) == 1
    assert "gold.json: not found" in one_line_error(capsys)


def test_cli_query_as_a_user_runs_it(graph_file):
    # Once as a subprocess, the way a user runs it.
    run = subprocess.run(
        [sys.executable, "-m", "ldn_graph", "query", str(graph_file), "ASK { ?s ldn:treats ?o }"],
        capture_output=True,
        text=True,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "true\n", "")
    bad = subprocess.run(
        [sys.executable, "-m", "ldn_graph", "query", str(graph_file), "ASK {"], capture_output=True, text=True
    )
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "column" in bad.stderr
