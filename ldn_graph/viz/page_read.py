"""The HTML view's reading of a graph for a page: only what the page keeps (docs/scale.md, "The HTML view
at corpus scale"), with the same bytes as reading everything (`viz/read.py`'s `nodes_and_edges`).

A page draws its relations with all their detail (up to `MAX_PANEL_SENTENCES` evidence sentences each).
An overview (a graph of more entities than its limit) draws a few hundred, and of every other relation its
index keeps the counts, the facts and the first `FOCUS_SENTENCES` sentences (`viz/overview.py`'s
`focus_index`). So the graph is read in three steps:

1. Every entity and every assertion, with its evidence's documents and places but not its sentences, from
   a graph whose predicates of entities, assertions, evidence and documents are read with one scan each
   (`rdf/indexed.py`): a store read in place is asked one query per predicate instead of one lookup per
   node and predicate.
2. What is drawn: everything, or the overview chosen from the relations' counts (`select_overview`).
3. The sentences the page shows, at once: the first `MAX_PANEL_SENTENCES` of each drawn relation (whose
   edge is then made as `nodes_and_edges` makes it), the first `FOCUS_SENTENCES` of every other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rdflib import Graph

from ldn_graph.namespaces import LDN, OA
from ldn_graph.rdf.indexed import indexed_graph
from ldn_graph.rdf.read import READ_BRIEFLY, Evidence, GraphReader
from ldn_graph.viz.overview import FOCUS_SENTENCES, Overview, focus_index, select_overview
from ldn_graph.viz.read import (
    MAX_PANEL_SENTENCES,
    ViewEdge,
    ViewNode,
    assertion_edge,
    edge_order,
    entities_and_assertions,
    panel,
    panel_facts,
    relation_edge,
)

# What GraphReader reads of entities, assertions, evidence (briefly) and documents, one scan each
# (rdf/read.py's READ_BRIEFLY).
SCANNED = READ_BRIEFLY


@dataclass(frozen=True)
class ViewPage:
    """What a page draws, as `render_html` made it from `nodes_and_edges`."""

    nodes: list[ViewNode]  # the entities drawn, by IRI, each with all of its detail
    edges: list[ViewEdge]  # the relations drawn, in the page's order, each with all of its detail
    whole: tuple[int, int]  # entities and relations of the whole graph
    overview: Overview | None = None  # what an overview draws, and what it leaves out
    index: dict[str, Any] | None = None  # an overview's `focus_index` of the whole graph


def read_page(g: Graph, limit: int | None) -> ViewPage:
    """The page of `g`: drawn whole when it has at most `limit` entities (or `limit` is None), else as the
    overview of its `limit` most connected with the index of the rest; reading only the sentences the
    page shows."""
    indexed = indexed_graph(g, SCANNED)
    reader = GraphReader(indexed)
    found, assertions = entities_and_assertions(reader, brief=True)
    nodes = sorted(found.values(), key=lambda n: n.iri)
    summaries = {}
    for assertion in assertions:
        edge, evidence = relation_edge(reader, assertion)
        summaries[edge.iri] = (edge, assertion, evidence)
    # What is left to read: the sentences shown, and the other side of a contradiction drawn.
    indexed.indexed.keep_only((OA.hasTarget, OA.hasSelector, LDN.documentCount))
    counted = sorted((edge for edge, _, _ in summaries.values()), key=edge_order)
    chosen = select_overview(nodes, counted, limit) if limit is not None and len(nodes) > limit else None
    drawn = {e.iri for e in (chosen.edges if chosen is not None else counted)}

    # The sentences the page shows: all the panel lists of a drawn relation, the first few of any other.
    shown = {
        iri: evidence[: MAX_PANEL_SENTENCES if iri in drawn else FOCUS_SENTENCES]
        for iri, (_, _, evidence) in summaries.items()
    }
    selectors = {e.iri: reader.selectors(e.iri) for evidence in shown.values() for e in evidence}
    if 2 * len(selectors) >= sum(len(evidence) for _, _, evidence in summaries.values()):
        indexed.indexed.scan(OA.exact)  # most of them: one query for all is the cheaper
    else:
        indexed.indexed.read_ahead(OA.exact, (s for found in selectors.values() for s in found))
    edges: list[ViewEdge] = []
    for edge in counted:
        _, assertion, evidence = summaries[edge.iri]
        quoted = [replace(e, sentence=reader.quote(selectors[e.iri])) for e in shown[edge.iri]]
        if edge.iri in drawn:
            whole = tuple(quoted + evidence[len(quoted) :])
            edges.append(assertion_edge(reader, replace(assertion, evidence=whole), found))
        else:
            edges.append(replace(edge, detail=_index_detail(edge, quoted, len(evidence))))
    if chosen is None:
        return ViewPage(nodes=nodes, edges=edges, whole=(len(nodes), len(edges)))
    overview = replace(chosen, edges=[e for e in edges if e.iri in drawn])
    return ViewPage(
        nodes=overview.nodes,
        edges=overview.edges,
        whole=(len(nodes), len(edges)),
        overview=overview,
        index=focus_index(nodes, edges, overview),
    )


def _index_detail(edge: ViewEdge, shown: list[Evidence], total: int) -> dict[str, Any]:
    """What `focus_index` keeps of a relation the overview does not draw: its facts, its first
    sentences (`shown`, of `total`), the relation contradicting it."""
    return {
        "facts": panel_facts(edge.detail["facts"]),
        "evidence": [panel(e) for e in shown],
        "more": total - len(shown),
        "opposite": edge.detail["opposite"],
    }
