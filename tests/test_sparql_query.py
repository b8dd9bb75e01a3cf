"""SPARQL over the graph (ldn_graph.sparql.query): query kinds, result formats, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from graph_fixture import FIBROMYALGIA, LDN_DRUG, make_graph
from rdflib import Graph, Literal

from ldn_graph.errors import QueryError
from ldn_graph.namespaces import ENT, LDN, shorten
from ldn_graph.sparql import query as sparql
from ldn_graph.sparql.formats import FORMATS, format_result

# What treats fibromyalgia, with no PREFIX lines: the standard prefixes are pre-bound.
TREATS_FIBROMYALGIA = """
SELECT ?drug ?label ?sentences WHERE {
  ?a rdf:subject ?drug ; rdf:predicate ldn:treats ; rdf:object ent:fibromyalgia ;
     ldn:negated false ; ldn:supportCount ?sentences .
  ?drug rdfs:label ?label .
}
"""
ALL_ASSERTIONS = "SELECT ?a ?n WHERE { ?a a ldn:Assertion ; ldn:supportCount ?n } ORDER BY ?a"


@pytest.fixture(scope="module")
def graph():
    return make_graph()


def test_query_select_without_prefix_lines(graph):
    result = sparql.run(graph, TREATS_FIBROMYALGIA)
    assert result.kind == "SELECT"
    assert result.variables == ["drug", "label", "sentences"]
    assert result.rows == [(ENT[LDN_DRUG], Literal("low-dose naltrexone"), Literal(2))]


def test_query_sees_union_of_named_graphs_and_graph_keyword(graph):
    # The assertion nodes and the entities' labels live in different named graphs.
    assert sparql.run(graph, TREATS_FIBROMYALGIA).rows
    # GRAPH ?g still names each graph; the union flag is restored afterwards.
    result = sparql.run(graph, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(result.rows) == 3
    assert graph.default_union is False


def test_query_ask(graph):
    assert sparql.run(graph, f"ASK {{ ent:{LDN_DRUG} ldn:treats ent:{FIBROMYALGIA} }}").boolean is True
    # Negated relations have no plain triple.
    assert sparql.run(graph, f"ASK {{ ent:{LDN_DRUG} ldn:causes ?x }}").boolean is False


def test_query_construct_gives_graph_printed_as_turtle(graph):
    result = sparql.run(graph, "CONSTRUCT { ?s ldn:treats ?o } WHERE { ?s ldn:treats ?o }")
    assert result.kind == "CONSTRUCT"
    assert result.graph is not None and len(result.graph) == 1
    text = format_result(result, "csv")  # a format for rows: a graph prints as Turtle, its default
    back = Graph().parse(data=text, format="turtle")
    assert (ENT[LDN_DRUG], LDN.treats, ENT[FIBROMYALGIA]) in back
    assert "@prefix ent:" in text
    for name, parser in (("nt", "nt"), ("json", "json-ld"), ("xml", "xml")):  # a graph format, or alias
        assert set(Graph().parse(data=format_result(result, name), format=parser)) == set(back)


def test_query_graph_format_for_rows_is_a_query_error(graph):
    with pytest.raises(
        QueryError, match="no result format 'turtle' for SELECT and ASK results; choose one of"
    ):
        format_result(sparql.run(graph, TREATS_FIBROMYALGIA), "turtle")


def test_query_describe(graph):
    result = sparql.run(graph, f"DESCRIBE ent:{FIBROMYALGIA}")
    assert result.kind == "DESCRIBE"
    assert result.graph is not None and len(result.graph) > 0


def test_query_table_is_aligned_with_short_iris(graph):
    text = format_result(sparql.run(graph, ALL_ASSERTIONS), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["a", "n"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[-1] == "(8 rows)"
    # Columns line up: the second column starts at the same offset on every row.
    offsets = {line.index(" 1") for line in lines[2:-1] if line.endswith(" 1")}
    assert len(offsets) == 1
    assert "assertion:low-dose-naltrexone.treats.fibromyalgia" in text
    assert "https://" not in text


def test_query_csv_parses_back(graph):
    text = format_result(sparql.run(graph, TREATS_FIBROMYALGIA), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["drug", "label", "sentences"], [str(ENT[LDN_DRUG]), "low-dose naltrexone", "2"]]


def test_query_tsv_uses_turtle_terms(graph):
    text = format_result(sparql.run(graph, TREATS_FIBROMYALGIA), "tsv")
    rows = [line.split("\t") for line in text.splitlines()]
    assert rows == [["?drug", "?label", "?sentences"], [f"<{ENT[LDN_DRUG]}>", '"low-dose naltrexone"', "2"]]


def test_query_tsv_escapes_tabs_and_newlines(graph):
    # One evidence sentence holds a tab and a newline: TSV must keep it on one line, one cell.
    text = format_result(
        sparql.run(graph, 'SELECT ?t WHERE { ?q oa:exact ?t FILTER(CONTAINS(?t, "|")) }'), "tsv"
    )
    lines = text.splitlines()
    assert len(lines) == 2 and "\t" not in lines[1]
    assert "\\t" in lines[1] and "\\n" in lines[1]


def test_query_json_is_sparql_results(graph):
    doc = json.loads(format_result(sparql.run(graph, TREATS_FIBROMYALGIA), "json"))
    assert doc["head"]["vars"] == ["drug", "label", "sentences"]
    (binding,) = doc["results"]["bindings"]
    assert binding["drug"] == {"type": "uri", "value": str(ENT[LDN_DRUG])}
    assert binding["label"] == {"type": "literal", "value": "low-dose naltrexone"}
    assert binding["sentences"]["datatype"].endswith("#integer")


def test_query_unbound_values_are_left_out(graph):
    query = "SELECT ?a ?q WHERE { ?a a ldn:Assertion OPTIONAL { ?a ldn:hasQualifier ?q } } ORDER BY ?a"
    result = sparql.run(graph, query)
    doc = json.loads(format_result(result, "json"))
    assert any("q" not in b for b in doc["results"]["bindings"])
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert any(row[1] == "" for row in rows[1:])


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS if not f.graph])
def test_query_ask_in_every_format(graph, fmt):
    text = format_result(sparql.run(graph, "ASK { ?s ldn:treats ?o }"), fmt)
    if fmt == "json":
        assert json.loads(text) == {"head": {}, "boolean": True}
    elif fmt == "xml":
        assert "<boolean>true</boolean>" in text
    else:
        assert text.split()[-1] == "true"


@pytest.mark.parametrize(
    "query, line, column, words",
    [
        # a triple pattern missing its object
        ("SELECT ?x WHERE {\n  ?x ?y }", 2, 3, "expected a triple (subject, predicate, object)"),
        ("SELEC ?x WHERE { ?x ?y ?z }", 1, 1, "expected SELECT, CONSTRUCT, ASK or DESCRIBE, found 'SELEC'"),
        ("SELECT ?x WHERE { ?x ?y ?z } ORDER", 1, 35, "expected BY after ORDER, found the end of the query"),
    ],
)
def test_query_syntax_error_is_one_line_with_position(graph, query, line, column, words):
    with pytest.raises(QueryError) as info:
        sparql.run(graph, query)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"query: syntax error at line {line}, column {column}: {words}")


def test_query_unknown_prefix_is_query_error(graph):
    with pytest.raises(QueryError, match="foo") as info:
        sparql.run(graph, "SELECT ?x WHERE { ?x foo:bar ?y }", where="my.rq")
    assert str(info.value).startswith("my.rq: ")


def test_query_shorten():
    assert shorten(str(ENT["microglial-cell"])) == "ent:microglial-cell"
    assert shorten("http://example.org/x") == "<http://example.org/x>"


@pytest.fixture(scope="module")
def store(graph, tmp_path_factory):
    """The same graph in Oxigraph, as `query` and `serve` read a graph file (without the ontology)."""
    from ldn_graph.export import FORMATS as EXPORTS
    from ldn_graph.store.query import file_source

    path = tmp_path_factory.mktemp("oxigraph") / "graph.trig"
    EXPORTS["trig"](graph, path)
    return file_source(path, ontology=False).open()


@pytest.mark.parametrize("text", [TREATS_FIBROMYALGIA, ALL_ASSERTIONS, "ASK { ?s ldn:treats ?o }"])
def test_run_answers_the_same_on_both_engines(graph, store, text):
    on_rdflib, on_oxigraph = sparql.run(graph, text), sparql.run(store, text)
    assert on_rdflib.kind == on_oxigraph.kind
    assert format_result(on_rdflib, "csv") == format_result(on_oxigraph, "csv")
    assert on_rdflib.rows or on_rdflib.boolean  # something to compare


@pytest.mark.parametrize(
    "text, words",
    [
        ("SELECT ?x WHERE {\n  ?x ?y }", "syntax error at line 2, column 3"),
        ("SELECT ?x WHERE { ?x foo:bar ?y }", "unknown prefix 'foo:'"),
        ("CLEAR ALL", "queries are read-only: CLEAR (a SPARQL Update) is refused"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ],
)
def test_run_words_a_refused_query_the_same_on_both_engines(graph, store, text, words):
    messages = set()
    for target in (graph, store):
        with pytest.raises(QueryError) as info:
            sparql.run(target, text, where="q.rq")
        messages.add(str(info.value))
    assert len(messages) == 1, messages
    assert messages.pop().startswith(f"q.rq: {words}")


def test_run_stops_at_max_rows_and_says_so(graph, store):
    for target in (graph, store):
        result = sparql.run(target, ALL_ASSERTIONS, max_rows=2)
        assert len(result.rows) == 2 and result.truncated
        assert not sparql.run(target, ALL_ASSERTIONS, max_rows=1000).truncated
