"""The networkx view of a graph (ldn_graph.analytics) and the `paths` and `stats` commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from graph_fixture import (
    BLOG,
    ENDORPHIN,
    FIBROMYALGIA,
    GLIAL_ACTIVATION,
    LDN_DRUG,
    MICROGLIA,
    MU_OPIOID_RECEPTOR,
    NALTREXONE,
    OPIOID_DEPENDENCE,
    OPIOID_RECEPTOR,
    assertion_key,
    make_graph,
    union_graph,
)
from rdflib import SKOS, Literal

from ldn_graph.analytics import find_entity, find_paths, graph_stats, to_networkx
from ldn_graph.cli import main
from ldn_graph.errors import UnknownEntityError
from ldn_graph.namespaces import ASSERTION, DOC, ENT
from ldn_graph.rdf.read import Evidence
from tests.conftest import one_line_error

# Readable node ids.
DRUG, FM, NTX = str(ENT[LDN_DRUG]), str(ENT[FIBROMYALGIA]), str(ENT[NALTREXONE])
RECEPTOR, MOR = str(ENT[OPIOID_RECEPTOR]), str(ENT[MU_OPIOID_RECEPTOR])
DEPENDENCE, GLIA = str(ENT[OPIOID_DEPENDENCE]), str(ENT[GLIAL_ACTIVATION])
CLI = str(Path(sys.executable).with_name("ldn-graph"))


def _assertion(subject: str, predicate: str, obj: str, negated: bool = False) -> str:
    return str(ASSERTION[assertion_key(subject, predicate, obj, negated)])


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    return to_networkx(make_graph())


# --- the MultiDiGraph -----------------------------------------------------------------------------


def test_analytics_nodes_are_entities_with_their_attributes(g):
    assert g.number_of_nodes() == 10  # the fixture's entities; documents and evidence are not nodes
    microglia = g.nodes[str(ENT[MICROGLIA])]
    assert microglia == {
        "label": "microglial cell",
        "category": "Cell",
        "biolink_category": "biolink:Cell",
        "identifiers": ("CL:0000129", "MESH:D017628"),  # sorted
        "synonyms": ("microglia",),
        "normalised": True,
    }
    assert g.nodes[GLIA]["identifiers"] == () and g.nodes[GLIA]["normalised"] is False


def test_analytics_one_edge_per_assertion_keyed_by_its_iri(g):
    assert g.number_of_edges() == 8  # negated included
    assert g.number_of_edges(NTX, RECEPTOR) == 1 and g.number_of_edges(NTX, MOR) == 1
    treats = g.edges[DRUG, FM, _assertion(LDN_DRUG, "treats", FIBROMYALGIA)]
    assert treats["predicate"] == "ldn:treats" and treats["label"] == "treats"
    assert treats["certainty"] == "asserted" and treats["negated"] is False
    assert treats["support_count"] == 2 and treats["document_count"] == 2
    assert treats["documents"] == (str(DOC[BLOG]), str(DOC["ldn-review-2020"]))
    first, second = treats["evidence"]
    assert isinstance(first, Evidence)
    assert first.document is not None and first.document.source == "ldn-blog-2019.txt"
    assert (first.start, first.end) == (2154, 2321)
    assert first.where() == "ldn-blog-2019.txt, characters 2154-2321"
    assert second.sentence == "LDN | low dose\tnaltrexone\ntreats fibromyalgia."  # as the text has it
    negated = g.edges[DRUG, DEPENDENCE, _assertion(LDN_DRUG, "causes", OPIOID_DEPENDENCE, True)]
    assert negated["negated"] is True
    hedged = g.edges[GLIA, FM, _assertion(GLIAL_ACTIVATION, "associatedWith", FIBROMYALGIA)]
    assert hedged["certainty"] == "hedged" and hedged["label"] == "associated with"
    assert g.graph["documents"][str(DOC[BLOG])]["source"] == "ldn-blog-2019.txt"


def test_analytics_reads_a_plain_graph_like_a_dataset(g):
    assert nx.utils.graphs_equal(to_networkx(union_graph(make_graph())), g)


# --- finding an entity by name --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("low-dose naltrexone", DRUG),  # the label
        ("Low Dose  Naltrexone", DRUG),  # case, hyphens and spaces do not matter
        ("LDN", DRUG),  # a synonym
        ("OPRM1", MOR),  # a synonym
        ("naltrexone", NTX),  # a label, though it is also part of another one
        ("ent:microglial-cell", str(ENT[MICROGLIA])),  # a project CURIE
        ("CL:0000129", str(ENT[MICROGLIA])),  # a standard identifier
        ("mondo:0005546", FM),  # its prefix in any case
        (FM, FM),  # the IRI
        ("glial-activation", GLIA),  # the entity key
    ],
)
def test_analytics_find_entity(g, name, expected):
    assert find_entity(g, name) == expected


def test_analytics_find_entity_unknown_lists_close_matches(g):
    with pytest.raises(
        UnknownEntityError, match=r"no entity named 'fibromyalga'; close matches: fibromyalgia"
    ):
        find_entity(g, "fibromyalga")
    # A word inside names suggests them too.
    with pytest.raises(UnknownEntityError, match=r"close matches: .*opioid receptor"):
        find_entity(g, "opioid")
    with pytest.raises(UnknownEntityError, match=r"no entity named 'zzz' \(give a label"):
        find_entity(g, "zzz")


def test_analytics_find_entity_ambiguous_lists_candidates():
    ds = make_graph()
    blog = ds.graph(DOC[BLOG])
    blog.add((ENT[OPIOID_RECEPTOR], SKOS.altLabel, Literal("OR")))
    blog.add((ENT[MU_OPIOID_RECEPTOR], SKOS.altLabel, Literal("OR")))
    with pytest.raises(UnknownEntityError) as error:
        find_entity(to_networkx(ds), "OR")
    message = str(error.value)
    assert "'OR' names 2 entities" in message
    assert "mu-opioid receptor (ent:mu-opioid-receptor)" in message
    assert "opioid receptor (ent:opioid-receptor)" in message
    assert "\n" not in message


# --- paths ----------------------------------------------------------------------------------------


def _labels(g, chain) -> list[tuple[str, str, str, bool]]:
    from ldn_graph.analytics import edge_data

    return [
        (g.nodes[s.source]["label"], edge_data(g, s)["label"], g.nodes[s.target]["label"], s.forward)
        for s in chain.steps
    ]


def test_analytics_paths_follow_the_written_direction(g):
    (chain,) = find_paths(g, DRUG, RECEPTOR)
    assert _labels(g, chain) == [
        ("low-dose naltrexone", "has active ingredient", "naltrexone", True),
        ("naltrexone", "binds", "opioid receptor", True),
    ]
    assert chain.support == 2
    # Against the written direction only when asked; such steps are marked.
    assert find_paths(g, RECEPTOR, DRUG) == []
    (back,) = find_paths(g, RECEPTOR, DRUG, any_direction=True)
    assert [step.forward for step in back.steps] == [False, False]


def test_analytics_paths_leave_out_negated_relations_unless_asked(g):
    assert find_paths(g, DRUG, DEPENDENCE) == []
    (chain,) = find_paths(g, DRUG, DEPENDENCE, include_negated=True)
    assert _labels(g, chain) == [("low-dose naltrexone", "causes", "opioid dependence", True)]


def test_analytics_paths_respect_max_length(g):
    assert find_paths(g, DRUG, RECEPTOR, max_length=1) == []
    # In any direction the mu-opioid receptor is 4 steps from glial activation, no fewer.
    assert find_paths(g, GLIA, MOR, any_direction=True, max_length=3) == []
    (chain,) = find_paths(g, GLIA, MOR, any_direction=True, max_length=4)
    assert chain.length == 4


def _toy() -> nx.MultiDiGraph:
    """A -> D directly (1 sentence), through B (1 + 1) and through C (3 + 2, one hedged), and C -> B."""
    toy = nx.MultiDiGraph()
    for node in "ABCD":
        toy.add_node(node, label=node.lower())

    def edge(u: str, v: str, support: int, certainty: str = "asserted") -> None:
        toy.add_edge(
            u, v, key=f"{u}{v}", label="r", support_count=support, certainty=certainty, negated=False
        )

    edge("A", "D", 1)
    edge("A", "B", 1)
    edge("B", "D", 1)
    edge("A", "C", 3)
    edge("C", "D", 2, "hedged")
    edge("C", "B", 5)
    return toy


def test_analytics_paths_shortest_then_best_supported():
    toy = _toy()
    chains = find_paths(toy, "A", "D")
    assert [[s.key for s in c.steps] for c in chains] == [
        ["AD"],  # shortest
        ["AC", "CD"],  # 2 steps, 5 sentences
        ["AB", "BD"],  # 2 steps, 2 sentences
        ["AC", "CB", "BD"],  # 3 steps
    ]
    assert [c.support for c in chains] == [1, 5, 2, 9]
    assert [[s.key for s in c.steps] for c in find_paths(toy, "A", "D", limit=2)] == [["AD"], ["AC", "CD"]]


def test_analytics_paths_never_visit_an_entity_twice():
    toy = _toy()
    toy.add_edge("B", "A", key="BA", label="r", support_count=9, certainty="asserted", negated=False)
    for chain in find_paths(toy, "A", "D", max_length=5, limit=100, any_direction=True):
        visited = [chain.steps[0].source] + [s.target for s in chain.steps]
        assert len(visited) == len(set(visited))


# --- stats ----------------------------------------------------------------------------------------


def test_analytics_stats(g):
    stats = graph_stats(g)
    assert (stats["documents"], stats["entities"], stats["assertions"]) == (2, 10, 8)
    assert stats["supporting_sentences"] == 9
    assert stats["categories"] == {
        "BiologicalProcess": 2,
        "Disease": 2,
        "Drug": 2,
        "Cell": 1,
        "MolecularEntity": 1,
        "Protein": 1,
        "ProteinFamily": 1,
    }
    assert next(iter(stats["predicates"])) == "ldn:binds"  # the most frequent first
    assert stats["predicates"]["ldn:binds"] == {"label": "binds", "assertions": 2, "hedged": 0, "negated": 0}
    assert stats["predicates"]["ldn:causes"]["negated"] == 1
    # Every entity but low-dose naltrexone (no checked id) and glial activation (project-local).
    assert stats["standard_identifiers"] == {"count": 8, "of": 10, "share": 0.8}
    assert stats["hedged"] == {"count": 2, "of": 8, "share": 0.25}
    assert stats["negated"] == {"count": 1, "of": 8, "share": 0.125}
    top = stats["hubs"]["degree"][0]
    # Four positive relations, the negated one not counted: related to 4 of the 9 other entities.
    assert (top["label"], top["relations"], top["degree_centrality"]) == ("low-dose naltrexone", 4, 0.4444)
    assert stats["hubs"]["betweenness"][0]["label"] == "low-dose naltrexone"
    assert len(stats["hubs"]["degree"]) <= 10


# --- the commands ---------------------------------------------------------------------------------


def test_cli_paths_prints_each_step_with_evidence(graph_file, capsys):
    assert main(["paths", str(graph_file), "LDN", "opioid receptor"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "1 chain from low-dose naltrexone (ent:low-dose-naltrexone) to opioid receptor (ent:opioid-receptor)"
    )
    chain = (
        "low-dose naltrexone \u2500has active ingredient\u2192 naltrexone \u2500binds\u2192 opioid receptor"
    )
    assert f"1. {chain}\n" in out
    assert "2 steps, 2 supporting sentences" in out
    assert "\u2022 naltrexone binds opioid receptor  [asserted, 1 sentence]" in out
    assert "\u201cNaltrexone binds to opioid receptors.\u201d" in out
    assert "ldn-blog-2019.txt, characters 100-160" in out


def test_cli_paths_backwards_and_negated(graph_file, capsys):
    assert main(["paths", str(graph_file), "opioid receptor", "LDN", "--any-direction"]) == 0
    out = capsys.readouterr().out
    assert (
        "opioid receptor \u2190binds\u2500 naltrexone \u2190has active ingredient\u2500 low-dose naltrexone"
        in out
    )
    # The step reads as the text states it, and says it was followed backwards.
    assert "\u2022 naltrexone binds opioid receptor  [asserted, 1 sentence, followed backwards]" in out
    assert main(["paths", str(graph_file), "LDN", "opioid dependence", "--include-negated"]) == 0
    out = capsys.readouterr().out
    assert "low-dose naltrexone \u2500NOT causes\u2192 opioid dependence" in out
    assert "\u2022 low-dose naltrexone NOT causes opioid dependence" in out


def test_cli_paths_says_what_would_find_a_chain(graph_file, capsys):
    assert main(["paths", str(graph_file), "opioid receptor", "LDN"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "No chain from opioid receptor to low-dose naltrexone (relations followed as written"
    )
    assert "swap SOURCE and TARGET" in out and "add --any-direction" in out
    assert main(["paths", str(graph_file), "LDN", "opioid dependence"]) == 0
    assert "add --include-negated" in capsys.readouterr().out


def test_cli_paths_unknown_name_is_one_line(graph_file, capsys):
    assert main(["paths", str(graph_file), "LDN", "fibromyalga"]) == 1
    err = one_line_error(capsys)
    assert "TARGET: no entity named 'fibromyalga'; close matches: fibromyalgia" in err
    assert str(graph_file) in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["LDN", "LDN"], "SOURCE and TARGET are the same entity"),
        (["LDN", "fibromyalgia", "--max-length", "0"], "--max-length must be at least 1"),
        (["LDN", "fibromyalgia", "--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_cli_paths_usage_errors(graph_file, capsys, argv, message):
    assert main(["paths", str(graph_file), *argv]) == 2
    assert message in one_line_error(capsys)


def test_cli_stats_table(graph_file, capsys):
    assert main(["stats", str(graph_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{graph_file}: 2 documents, 10 entities, 8 assertions (9 supporting sentences)")
    assert re.search(r"entities with a standard identifier +8 of 10 \(80\.0%\)", out)
    assert re.search(r"hedged assertions +2 of 8 \(25\.0%\)", out)
    assert re.search(r"negated assertions +1 of 8 \(12\.5%\)", out)
    assert re.search(r"^binds +ldn:binds +2 +0 +0$", out, re.MULTILINE)
    assert re.search(r"^1  low-dose naltrexone +Drug +0\.444 +4 +4$", out, re.MULTILINE)


def test_cli_stats_json(graph_file, capsys):
    assert main(["stats", str(graph_file), "--format", "json", "--top", "3"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats == graph_stats(to_networkx(make_graph()), top=3)
    assert len(stats["hubs"]["degree"]) == 3


def test_cli_paths_and_stats_as_a_user_runs_them(graph_file):
    # Once through the console script, as a subprocess.
    proc = subprocess.run(
        [CLI, "paths", str(graph_file), "low-dose naltrexone", ENDORPHIN],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "low-dose naltrexone \u2500increases\u2192 endorphins" in proc.stdout
    proc = subprocess.run(
        [CLI, "stats", str(graph_file), "--format", "json"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["entities"] == 10
