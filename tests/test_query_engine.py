"""One engine for files and stores: `ldn-graph query` reads a graph file into Oxigraph in memory
(ldn_graph.store.query.file_source), so a file and the store it was exported from give the same rows,
byte for byte in every output format; and a malformed query is one line saying where and what was expected.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graph_fixture import GLIAL_ACTIVATION, LDN_DRUG, make_library_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ldn_graph.cli import main
from ldn_graph.export import FORMATS
from ldn_graph.namespaces import ENT
from ldn_graph.sparql.library import library
from ldn_graph.store.catalog import put_ontology
from ldn_graph.store.local import LocalStore
from ldn_graph.store.terms import ntriples

# rdflib's own engine answers this with no row (rdflib issue 2332): VALUES, then an OPTIONAL that
# matches neither value (neither entity has an identifier) but matches other entities.
VALUES_THEN_OPTIONAL = (
    "SELECT ?entity ?id WHERE {\n"
    f"  VALUES ?entity {{ <{ENT[LDN_DRUG]}> <{ENT[GLIAL_ACTIVATION]}> }}\n"
    "  OPTIONAL { ?entity skos:exactMatch ?id }\n"
    "} ORDER BY ?entity"
)
FILE_SUFFIXES = {"trig": ".trig", "turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The library graph as a store folder (each graph written as a build writes it, with the
    ontology) and as each kind of graph file."""
    folder = tmp_path_factory.mktemp("engine")
    dataset = make_library_graph()
    with LocalStore(folder / "store") as store:
        for graph in dataset.graphs():
            if graph.identifier != DATASET_DEFAULT_GRAPH_ID:
                store.replace_graph(str(graph.identifier), ntriples(graph))
        put_ontology(store)
    found = {"store": folder / "store"}
    for name, suffix in FILE_SUFFIXES.items():
        FORMATS[name](dataset, folder / f"graph{suffix}")
        found[name] = folder / f"graph{suffix}"
    return found


def _outputs(capsys: pytest.CaptureFixture[str], targets: dict[str, Path], argv: list[str]) -> dict[str, str]:
    outputs = {}
    for name, path in targets.items():
        assert main(["query", str(path), *argv]) == 0, name
        captured = capsys.readouterr()
        assert captured.err == "", (name, captured.err)
        outputs[name] = captured.out
    return outputs


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_query_engine_library_gives_the_same_rows_on_a_file_and_its_store(
    targets: dict[str, Path], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    with_rows = 0
    for query in library():
        outputs = _outputs(capsys, targets, ["-n", query.name, "--format", fmt])
        on_store = outputs.pop("store")
        for name, output in outputs.items():
            assert output == on_store, (query.name, name)
        with_rows += on_store.count("\n") > (1 if fmt == "csv" else 3)
    # The comparison means something: most of the library finds rows in this graph.
    assert with_rows >= len(library()) - 1


def test_query_engine_values_then_optional_keeps_its_rows(
    targets: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    query = tmp_path / "values.rq"
    query.write_text(VALUES_THEN_OPTIONAL, encoding="utf-8")
    outputs = _outputs(capsys, targets, ["-f", str(query), "--format", "tsv"])
    expected = f"?entity\t?id\n<{ENT[GLIAL_ACTIVATION]}>\t\n<{ENT[LDN_DRUG]}>\t\n"
    assert set(outputs.values()) == {expected}


def test_query_engine_without_the_ontology_on_a_file(
    targets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    label = "SELECT ?l WHERE { ldn:treats rdfs:label ?l }"
    assert main(["query", str(targets["turtle"]), label, "--format", "csv"]) == 0
    assert capsys.readouterr().out == "l\r\ntreats\r\n"
    assert main(["query", str(targets["turtle"]), label, "--format", "csv", "--no-ontology"]) == 0
    assert capsys.readouterr().out == "l\r\n"


def test_query_engine_refuses_service_on_a_file(
    targets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Oxigraph would send the request: nothing here reaches the network.
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    assert main(["query", str(targets["turtle"]), text]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SERVICE is refused" in err


@pytest.mark.parametrize(
    ("query", "where"),
    [
        # A keyword is placed where it was wanted, not where Oxigraph's parser stopped reading.
        ("SELECT ?x WHERE { ?x ?y ?z }\nORDER ?x", "line 2, column 7: expected BY, found '?x'"),
        # A group left open: the bracket that closes it, and where it was opened.
        (
            "SELECT ?x WHERE {\n  ?x ?y ?z ",
            "line 2, column 12: expected '}' to close the '{' at line 1, column 17, found the end",
        ),
        # What may come in words: kinds of term, then punctuation.
        (
            "SELECT ?x WHERE { ?x ?y ?z } ORDER BY",
            "line 1, column 38: expected a variable, an IRI or '(', found the end of the query",
        ),
        (
            "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }",
            "line 1, column 19: expected a variable or an RDF term, '(' or '.', found '}'",
        ),
        # An expression missing its right-hand side.
        (
            "SELECT ?x WHERE { ?x ?y ?z FILTER(?z = ) }",
            "line 1, column 40: expected an expression, found ')'",
        ),
        # A FILTER left open before the group closes.
        (
            'SELECT ?x {\n  ?x rdfs:label ?l\n  FILTER(lang(?l) = "en"\n}',
            "line 4, column 1: expected ')' to close the '(' at line 3, column 9, found '}'",
        ),
        # A string never closed: its opening quote.
        ('SELECT ?x WHERE { ?x ?y "abc }', "line 1, column 25: expected a closing quote for the string"),
        # An IRI with a space in it.
        ("SELECT * WHERE { ?x <a b> ?z }", "line 1, column 21: expected an IRI without spaces"),
        # A number where LIMIT wants one.
        ("SELECT ?x WHERE { ?x ?y ?z } LIMIT ten", "line 1, column 36: expected a number, found 'ten'"),
        # One brace too many.
        ("SELECT ?x WHERE { ?x ?y ?z } }", "line 1, column 30: unexpected '}': no '{' is open here"),
        # Nothing in particular was expected: what was found is named, where rdflib's parser stopped.
        ("SELECT * WHERE { ?x ?y ?z . . }", "line 1, column 29: unexpected '.'"),
        # A pattern that is no triple: the start of it.
        ("SELECT ?x WHERE { ?x , ?y }", "line 1, column 19: expected a triple (subject, predicate, object)"),
        # AS without a variable: where rdflib's parser stopped is past Oxigraph's guess (DISTINCT).
        ("SELECT (COUNT(*) AS n) WHERE { ?s ?p ?o }", "line 1, column 21: unexpected 'n'"),
        # A keyword misspelt at the start.
        ("SELEC ?x WHERE { ?x ?y ?z }", "line 1, column 1: expected SELECT, CONSTRUCT, ASK or DESCRIBE"),
    ],
)
def test_query_engine_syntax_error_in_words(
    targets: dict[str, Path], capsys: pytest.CaptureFixture[str], query: str, where: str
) -> None:
    for target in (targets["turtle"], targets["store"]):
        assert main(["query", str(target), query]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert err.startswith(f"ldn-graph: error: query: syntax error at {where}"), err
        assert len(err) < 200  # not Oxigraph's list of every token it tried


def test_query_engine_a_term_oxigraph_refuses_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rdflib reads this IRI (with a warning of its own); Oxigraph does not take it: the file and the
    # term are named, no traceback.
    path = tmp_path / "odd.ttl"
    path.write_text('<http://example.org/a^b> <http://example.org/p> "x" .\n', encoding="utf-8")
    assert main(["query", str(path), "SELECT * WHERE { ?s ?p ?o }"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"ldn-graph: error: {path}: <http://example.org/a^b> cannot be queried: " in captured.err
    assert "Traceback" not in captured.err
