"""The query library (ontology/queries/*.rq, ldn_graph.sparql.library) and `ldn-graph query --list / -n`.

Every library query runs on the hand-made graph of graph_fixture (make_library_graph: make_graph plus a
side effect asserted in one document and negated in the other, a contraindication, and a same-document
contradiction that must not count as one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graph_fixture import (
    BLOG,
    FIBROMYALGIA,
    GLIAL_ACTIVATION,
    INFLAMMATION,
    INSOMNIA,
    LDN_DRUG,
    MU_OPIOID_RECEPTOR,
    NALTREXONE,
    OPIOID_ANALGESIC,
    OPIOID_RECEPTOR,
    REVIEW,
    make_library_graph,
)
from rdflib import Literal, URIRef

from ldn_graph.cli import main
from ldn_graph.errors import DataError, QueryError
from ldn_graph.export import FORMATS
from ldn_graph.namespaces import DOC, ENT
from ldn_graph.rdf.ontology import add_ontology
from ldn_graph.sparql import query as sparql
from ldn_graph.sparql.library import Param, get_query, library, parse_query
from tests.conftest import one_line_error

ROOT = Path(__file__).resolve().parents[1]
LIBRARY_NAMES = {
    "what-treats",
    "mechanisms",
    "evidence",
    "hedged-claims",
    "contradicted-claims",
    "side-effects",
    "contraindications",
    "unidentified-entities",
}


@pytest.fixture(scope="module")
def graph():
    return add_ontology(make_library_graph())


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("library") / "graph.trig"
    FORMATS["trig"](make_library_graph(), path)
    return path


def run(graph, name: str, **params: str) -> list[tuple]:
    """The rows of library query `name`, terms turned to Python values (IRIs stay URIRefs)."""
    query = get_query(name)
    result = sparql.run(graph, query.text, where=name, bindings=query.bindings(params))
    return [tuple(t.toPython() if isinstance(t, Literal) else t for t in row) for row in result.rows]


# --- the library's files ------------------------------------------------------------------------------


def test_query_library_has_every_query_with_a_header():
    queries = {q.name: q for q in library()}
    assert set(queries) >= LIBRARY_NAMES
    for query in queries.values():
        # What it answers, in one line, and every parameter explained with a default.
        assert query.description and query.description[0].isupper(), query.name
        for param in query.params:
            assert param.help and param.default, (query.name, param.name)


def test_query_library_files_are_the_ones_in_ontology_queries():
    on_disk = {path.stem for path in (ROOT / "ontology" / "queries").glob("*.rq")}
    assert on_disk == {q.name for q in library()}


def _order_keys(text: str) -> tuple[list[str], set[str]]:
    """The projected variables of a SELECT query, and the variables its ORDER BY sorts on, a sort key
    made with BIND standing for the variables it is made of."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    from ldn_graph.sparql.syntax import initial_namespaces

    def variables(expr: object) -> set[str]:
        if isinstance(expr, Variable):
            return {str(expr)}
        if isinstance(expr, CompValue):
            return set().union(*(variables(v) for v in expr.values()))
        if isinstance(expr, list | tuple):
            return set().union(*(variables(v) for v in expr))
        return set()

    def binds(node: object) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        if isinstance(node, CompValue):
            if node.name == "Extend":
                found[str(node.var)] = variables(node.expr)
            for value in node.values():
                found.update(binds(value))
        return found

    algebra = prepareQuery(text, initNs=initial_namespaces()).algebra
    node = algebra
    while node is not None and node.name != "OrderBy":
        node = node.get("p")
    keys = set() if node is None else {str(getattr(c, "expr", c)) for c in node.expr}
    made = binds(algebra)
    keys |= set().union(*(made[k] for k in keys if k in made and k not in algebra["PV"]))
    return [str(v) for v in algebra["PV"]], keys


def test_query_library_orders_its_rows_totally():
    # Rows that tie on every sort key come out in whatever order the engine's hash tables give, which
    # changes between processes (Oxigraph): each query sorts on every column it returns.
    for query in library():
        projected, keys = _order_keys(query.text)
        assert set(projected) <= set(keys), (query.name, sorted(set(projected) - set(keys)))


@pytest.mark.parametrize("name", sorted(LIBRARY_NAMES))
def test_query_library_answers_nothing_without_data(name, tmp_path):
    # rdflib gives one empty row for a grouped sub-select that matches nothing (its issue #3382), which
    # the ontology's labels then join: the queries that group in a sub-select guard against it.
    from rdflib import Dataset

    from ldn_graph.sparql import query as sparql
    from ldn_graph.store.catalog import put_ontology
    from ldn_graph.store.local import LocalStore

    query = get_query(name)
    bindings = query.bindings()
    assert sparql.run(add_ontology(Dataset()), query.text, where=name, bindings=bindings).rows == []
    with LocalStore(tmp_path / "store") as store:
        put_ontology(store)
        assert sparql.run(store.oxigraph, query.text, where=name, bindings=bindings).rows == []


def test_query_library_contradicted_claims_without_sentences_gives_no_empty_row():
    # Contradiction links whose evidence has no quote: each side's grouped sub-select matches nothing,
    # and rdflib's empty row (its issue #3382) must not join the claim into a row without sentences.
    from graph_fixture import add_aggregate_assertion
    from rdflib import Dataset

    from ldn_graph.namespaces import AGGREGATE_GRAPH, ASSERTION, LDN

    graph = add_ontology(Dataset())
    aggregate = graph.graph(AGGREGATE_GRAPH)
    stated, negated = ASSERTION["a.treats.b"], ASSERTION["a.treats.b.negated"]
    for assertion, is_negated in ((stated, False), (negated, True)):
        add_aggregate_assertion(
            aggregate, assertion, ENT["a"], LDN.treats, ENT["b"], negated=is_negated, documents=1
        )
    aggregate.add((stated, LDN.contradictedBy, negated))
    aggregate.add((negated, LDN.contradictedBy, stated))
    assert run(graph, "contradicted-claims") == []


# --- each query on the hand-made graph ----------------------------------------------------------------


def test_query_library_what_treats(graph):
    # Two sentences in two documents; labels match in any case and through synonyms.
    assert run(graph, "what-treats") == [(ENT[LDN_DRUG], "asserted", 2, 2)]
    assert run(graph, "what-treats", condition="FIBROMYALGIA") == [(ENT[LDN_DRUG], "asserted", 2, 2)]
    assert run(graph, "what-treats", condition="opioid dependence") == []  # only a negated claim


def test_query_library_mechanisms_two_hops(graph):
    rows = run(graph, "mechanisms", drug="LDN")  # the synonym finds low-dose naltrexone
    hop1 = {(r[2], r[3]) for r in rows if r[0] == 1}
    hop2 = {(r[1], r[2], r[3]) for r in rows if r[0] == 2}
    assert ("treats", ENT[FIBROMYALGIA]) in hop1
    assert ("has active ingredient", ENT[NALTREXONE]) in hop1
    assert ("decreases", ENT[INFLAMMATION]) in hop1
    # What it acts on, one hop further: its active ingredient binds the opioid receptors.
    assert hop2 == {
        (ENT[NALTREXONE], "binds", ENT[OPIOID_RECEPTOR]),
        (ENT[NALTREXONE], "binds", ENT[MU_OPIOID_RECEPTOR]),
    }
    # Negated claims are no mechanism: "LDN does not cause opioid dependence" is left out...
    certainties = {r[3]: r[4] for r in rows if r[0] == 1}
    assert certainties[ENT[INFLAMMATION]] == "hedged"


def test_query_library_evidence_behind_an_edge(graph):
    rows = run(graph, "evidence")
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        (DOC[BLOG], 2154, 2321, "asserted", False),
        (DOC[REVIEW], 10, 60, "asserted", False),
    ]
    assert rows[1][5] == "LDN | low dose\tnaltrexone\ntreats fibromyalgia."
    # The predicate by its label or its name; negated evidence shows as such.
    by_label = run(graph, "evidence", predicate="has side effect", object="insomnia")
    by_name = run(graph, "evidence", predicate="hasSideEffect", object="sleeplessness")
    assert by_label == by_name
    assert {(r[0], r[4]) for r in by_label} == {(DOC[REVIEW], False), (DOC[BLOG], True)}


def test_query_library_hedged_claims(graph):
    rows = run(graph, "hedged-claims")
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        (ENT[GLIAL_ACTIVATION], "associated with", ENT[FIBROMYALGIA], False, 1),
        (ENT[LDN_DRUG], "decreases", ENT[INFLAMMATION], False, 1),
    ]
    assert rows[1][5] == "LDN may reduce inflammation."


def test_query_library_contradiction_across_documents(graph):
    rows = run(graph, "contradicted-claims")
    # Insomnia: a side effect in the review, denied in the blog. The blog both asserts and negates
    # that LDN causes opioid dependence: one document, so no contradiction *elsewhere* (the aggregate
    # does not flag it, and the query starts from the flags).
    assert rows == [
        (
            ENT[LDN_DRUG],
            "has side effect",
            ENT[INSOMNIA],
            1,
            1,
            "Insomnia was reported as a side effect of LDN.",
            "LDN did not cause insomnia in our patients.",
        )
    ]


def test_query_library_side_effects_and_contraindications(graph):
    assert run(graph, "side-effects") == [
        (ENT[INSOMNIA], "asserted", False, 1),
        (ENT[INSOMNIA], "asserted", True, 1),
    ]
    assert run(graph, "contraindications") == [(ENT[OPIOID_ANALGESIC], "asserted", False, 1)]
    # Either way round: the opioid analgesic's contraindications include LDN.
    assert run(graph, "contraindications", drug="opioid painkillers") == [
        (ENT[LDN_DRUG], "asserted", False, 1)
    ]
    assert run(graph, "side-effects", drug="naltrexone") == []


def test_query_library_entities_without_identifier(graph):
    rows = run(graph, "unidentified-entities")
    # LDN has no skos:exactMatch; glial activation is project-local (ldn:normalised false).
    assert rows == [
        (ENT[LDN_DRUG], "low-dose naltrexone", "Drug", True, 9),
        (ENT[GLIAL_ACTIVATION], "glial activation", "BiologicalProcess", False, 1),
    ]


@pytest.mark.parametrize("name", sorted(LIBRARY_NAMES))
def test_query_library_runs_without_the_ontology(name):
    # Labels of predicates and certainties come from the ontology; without it the names stand in.
    rows = run(make_library_graph(), name)
    assert rows, name


# --- parameters ----------------------------------------------------------------------------------------


def test_query_library_parameter_value_is_a_literal_not_query_text(graph):
    # A value that would close the string and add a pattern, were it pasted in, matches nothing.
    hostile = 'fibromyalgia")) } UNION { ?a ?b ?c } #'
    assert run(graph, "what-treats", condition=hostile) == []


def test_query_library_unknown_and_missing_parameters():
    query = get_query("what-treats")
    with pytest.raises(QueryError, match="unknown parameter 'disease': it takes condition"):
        query.bindings({"disease": "x"})
    with pytest.raises(QueryError, match="needs a value"):
        query.bindings({"condition": ""})
    with pytest.raises(QueryError, match="no query called 'nope'"):
        get_query("nope")


def test_query_library_iri_parameters(graph):
    text = (
        "# Who treats a disease given by IRI.\n"
        "# param: disease = ent:fibromyalgia  (the disease's IRI)\n"
        "SELECT ?drug WHERE { ?drug ldn:treats ?disease }\n"
    )
    query = parse_query(text)
    assert query.params[0].iri
    for value in ("ent:fibromyalgia", f"<{ENT[FIBROMYALGIA]}>", str(ENT[FIBROMYALGIA])):
        rows = sparql.run(graph, text, bindings=query.bindings({"disease": value})).rows
        assert rows == [(ENT[LDN_DRUG],)]
    with pytest.raises(QueryError, match="takes an IRI"):
        query.bindings({"disease": "fibromyalgia"})
    assert query.bindings()["disease"] == URIRef(ENT[FIBROMYALGIA])


def test_query_library_param_line_forms():
    text = (
        "# Parameters in their forms.\n"
        "# param: drug = naltrexone (oral)  (the drug: the last parentheses explain it)\n"
        "# param: dose  (no default: it must be given)\n"
        "SELECT ?drug ?dose WHERE { ?drug ?p ?dose }\n"
    )
    query = parse_query(text)
    assert query.params == (
        Param("drug", "naltrexone (oral)", "the drug: the last parentheses explain it"),
        Param("dose", None, "no default: it must be given"),
    )
    with pytest.raises(QueryError, match="parameter 'dose' is required"):
        query.bindings()
    assert query.bindings({"dose": "4.5 mg"}) == {
        "drug": Literal("naltrexone (oral)"),
        "dose": Literal("4.5 mg"),
    }


@pytest.mark.parametrize(
    "header, message",
    [
        ("# param: nowhere = x  (not in the query)\n", "'nowhere' is not a variable of the query"),
        ("# param: drug = a\n# param: drug = b\n", "declared twice"),
        ("# param: 1drug = a\n", "a parameter reads"),
    ],
)
def test_query_library_bad_header_is_a_data_error(header, message):
    with pytest.raises(DataError, match=message):
        parse_query(header + "SELECT ?drug WHERE { ?drug ?p ?o }", "bad.rq")


# --- the command line ----------------------------------------------------------------------------------


def test_cli_query_list(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for query in library():
        line = next(line for line in out.splitlines() if line.startswith(query.name + " "))
        assert query.description in line
    assert "--param condition=fibromyalgia" in out


def test_cli_query_by_name_with_parameters(graph_file, capsys):
    argv = ["query", str(graph_file), "-n", "side-effects", "--param", "drug=LDN", "--format", "csv"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "effect,certainty,negated,sentences"
    assert lines[1:] == [f"{ENT[INSOMNIA]},asserted,false,1", f"{ENT[INSOMNIA]},asserted,true,1"]


def test_cli_query_file_uses_its_declared_defaults(graph_file, capsys):
    # The README's way: -f on a library file runs it with the defaults its header declares.
    rq = ROOT / "ontology" / "queries" / "what-treats.rq"
    assert main(["query", str(graph_file), "-f", str(rq), "--param", "condition=Fibromyalgia"]) == 0
    out = capsys.readouterr().out
    assert f"ent:{LDN_DRUG}" in out and out.endswith("(1 row)\n")


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["-n", "nope"], 1, "no query called 'nope'"),
        (["-n", "what-treats", "--param", "disease=x"], 1, "unknown parameter 'disease'"),
        (["-n", "what-treats", "--param", "condition"], 2, "--param takes KEY=VALUE"),
        (["ASK { ?s ?p ?o }", "--param", "x=1"], 1, "it takes no parameters"),
        (["ASK { ?s ?p ?o }", "-n", "what-treats"], 2, "give one of QUERY, -f FILE.rq or -n NAME"),
    ],
)
def test_cli_query_library_errors_are_one_line(graph_file, capsys, argv, code, message):
    assert main(["query", str(graph_file), *argv]) == code
    assert message in one_line_error(capsys)


def test_cli_query_list_takes_no_graph(graph_file, capsys):
    assert main(["query", str(graph_file), "--list"]) == 2
    one_line_error(capsys)
    assert main(["query"]) == 2
    assert "GRAPH" in one_line_error(capsys)
