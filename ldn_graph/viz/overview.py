"""The HTML view of a graph too large to draw whole: an overview of its most connected entities, and what
the page needs to open the neighbourhood (a focus view) of any entity, drawn in the same page.

A browser lays out a few hundred nodes smoothly, not thousands. A graph of more than `OVERVIEW_LIMIT`
entities is drawn as an overview: the entities with the most evidence behind their relations (the
documents, then the sentences, of every relation they take part in), and the strongest relations among
them. The page also carries a compact index of every entity and relation (`focus_index`), which
static/overview.js searches and draws a focus view from: the entity, its most strongly linked neighbours
and the relations among them. What the index holds of a relation outside the overview is capped (its
counts, facts and at most `FOCUS_SENTENCES` evidence sentences), so that the page grows with the number of
relations, not with the evidence behind them (docs/scale.md, "The HTML view at corpus scale").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ldn_graph.namespaces import local_name
from ldn_graph.viz.legend import (
    EDGE_COLOUR,
    ENTITY_STYLES,
    HEDGED_DASHES,
    NEGATED_COLOUR,
    NEGATED_DASHES,
    OTHER_STYLE,
)
from ldn_graph.viz.read import ViewEdge, ViewNode

OVERVIEW_LIMIT = 300  # a graph of more entities is drawn as an overview of this many
OVERVIEW_RELATIONS = 2  # the overview draws at most this many relations per entity drawn, the strongest
FOCUS_NEIGHBOURS = 100  # a focus view draws its entity and at most this many neighbours, the most linked
FOCUS_RELATIONS = 400  # ... and at most this many relations (the entity's own first, then the strongest)
FOCUS_SENTENCES = 2  # evidence sentences the index keeps of a relation outside the overview
FOCUS_SENTENCE_CHARS = 300  # ... each cut to this many characters

# Flags of a relation in the index (one integer).
NEGATED, HEDGED, CONTRADICTED = 1, 2, 4


@dataclass(frozen=True)
class Overview:
    """What an overview draws, and what it leaves out."""

    nodes: list[ViewNode]  # the most connected entities, in the graph's order (by IRI)
    edges: list[ViewEdge]  # the strongest relations among them, in the graph's order
    entities: int  # entities in the whole graph
    relations: int  # relations in the whole graph
    among: int  # relations among the drawn entities, before the cap


def strength(edge: ViewEdge) -> tuple[int, int]:
    """How much evidence is behind a relation: its documents, then its sentences."""
    return (edge.documents, edge.support)


def ranked_entities(nodes: list[ViewNode], edges: list[ViewEdge]) -> list[ViewNode]:
    """The entities, most connected first: by the documents, then the sentences, then the number of the
    relations they take part in; ties by label, then IRI, so the order is always the same."""
    documents: dict[str, int] = defaultdict(int)
    support: dict[str, int] = defaultdict(int)
    relations: dict[str, int] = defaultdict(int)
    for edge in edges:
        for end in {edge.source, edge.target}:
            documents[end] += edge.documents
            support[end] += edge.support
            relations[end] += 1
    return sorted(
        nodes, key=lambda n: (-documents[n.iri], -support[n.iri], -relations[n.iri], n.label, n.iri)
    )


def select_overview(nodes: list[ViewNode], edges: list[ViewEdge], limit: int) -> Overview:
    """The `limit` most connected entities and the strongest relations among them (at most
    `OVERVIEW_RELATIONS` per entity drawn), both in the order the graph lists them. Each entity keeps
    its strongest relation among them, if it has one, so that none is drawn alone for want of room."""
    chosen = {n.iri for n in ranked_entities(nodes, edges)[:limit]}
    among = sorted(
        (e for e in edges if e.source in chosen and e.target in chosen),
        key=lambda e: (*(-v for v in strength(e)), e.iri),
    )
    kept: set[str] = set()
    alone = set(chosen)
    for edge in among:  # each entity's strongest (at most one relation per entity drawn)...
        if edge.source in alone or edge.target in alone:
            kept.add(edge.iri)
            alone -= {edge.source, edge.target}
    for edge in among:  # ... then the strongest, up to the cap
        if len(kept) >= OVERVIEW_RELATIONS * len(chosen):
            break
        kept.add(edge.iri)
    return Overview(
        nodes=[n for n in nodes if n.iri in chosen],
        edges=[e for e in edges if e.iri in kept],
        entities=len(nodes),
        relations=len(edges),
        among=len(among),
    )


def focus_index(nodes: list[ViewNode], edges: list[ViewEdge], overview: Overview) -> dict[str, Any]:
    """Every entity and relation, as compactly as static/overview.js reads them (docs/scale.md).

    IRIs lose the prefix all of them share; entities are rows `[iri, label, category, synonyms, facts,
    identifiers]` and relations `[iri, subject, object, predicate, flags, support, documents, facts,
    evidence, more, opposite]`, subject and object as entity rows; predicates, facts (`[name, value]`)
    and the documents of the sentences are rows of tables of their own. An identifier is `[text]` when
    its link is its text, else `[text, link]`. What the overview draws is in the page's DataSets already,
    with all of its detail: its rows stop after the names (entities) or the counts (relations).
    """
    drawn_nodes = {n.iri for n in overview.nodes}
    drawn_edges = {e.iri for e in overview.edges}
    entity_prefix = _prefix([n.iri for n in nodes])
    claim_prefix = _prefix([e.iri for e in edges])
    position = {n.iri: i for i, n in enumerate(nodes)}
    predicates: dict[tuple[str, str], int] = {}
    documents: dict[tuple[Any, ...], int] = {}
    facts: dict[tuple[str, str], int] = {}  # `certainty: hedged` recurs on thousands of rows: one table

    def fact_rows(rows: list[list[str]]) -> list[int]:
        return [facts.setdefault((name, value), len(facts)) for name, value in rows]

    entities: list[list[Any]] = []
    for node in nodes:
        row: list[Any] = [node.iri[len(entity_prefix) :], node.label, node.category, list(node.names[1:])]
        if node.iri not in drawn_nodes:
            identifiers = node.detail.get("identifiers", [])
            row += [
                fact_rows(node.detail.get("facts", [])),
                [[i["text"]] if i["url"] == i["text"] else [i["text"], i["url"]] for i in identifiers],
            ]
        entities.append(row)

    relations: list[list[Any]] = []
    for edge in edges:
        predicate = predicates.setdefault((edge.label, edge.predicate), len(predicates))
        flags = NEGATED * edge.negated + HEDGED * edge.hedged + CONTRADICTED * edge.contradicted
        row = [
            edge.iri[len(claim_prefix) :],
            position[edge.source],
            position[edge.target],
            predicate,
            flags,
            edge.support,
            edge.documents,
        ]
        if edge.iri not in drawn_edges:
            detail = edge.detail
            shown = detail.get("evidence", [])[:FOCUS_SENTENCES]
            evidence = [
                [
                    _cut(ev["sentence"]),
                    documents.setdefault(
                        (ev["document"], ev["citation"], ev["url"], ev["link"]), len(documents)
                    ),
                    ev["start"],
                    ev["end"],
                    int(ev["hedged"]),
                ]
                for ev in shown
            ]
            opposite = detail.get("opposite")
            row += [
                fact_rows(detail.get("facts", [])),
                evidence,
                len(detail.get("evidence", [])) + detail.get("more", 0) - len(shown),
                opposite[len(claim_prefix) :] if opposite and opposite.startswith(claim_prefix) else opposite,
            ]
        relations.append(row)

    return {
        "prefixes": [entity_prefix, claim_prefix],
        "entities": entities,
        "relations": relations,
        "predicates": [list(key) for key in predicates],
        "documents": [list(key) for key in documents],
        "facts": [list(key) for key in facts],
        "styles": _styles(),
        "limits": {"neighbours": FOCUS_NEIGHBOURS, "relations": FOCUS_RELATIONS},
    }


def _styles() -> dict[str, Any]:
    """How overview.js draws what the overview did not: html.py's styles, by category."""
    categories = {local_name(cls): list(style) for cls, style in ENTITY_STYLES.items()}
    categories["Other"] = list(OTHER_STYLE)
    return {
        "categories": categories,
        "edge": EDGE_COLOUR,
        "negated": NEGATED_COLOUR,
        "hedgedDashes": HEDGED_DASHES,
        "negatedDashes": NEGATED_DASHES,
    }


def _prefix(iris: list[str]) -> str:
    """The longest prefix every IRI shares, up to its last `/` or `#`."""
    if not iris:
        return ""
    first, last = min(iris), max(iris)  # what these two share, all share
    size = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first))
    common = first[:size]
    return common[: max(common.rfind("/"), common.rfind("#")) + 1]


def _cut(sentence: str) -> str:
    if len(sentence) <= FOCUS_SENTENCE_CHARS:
        return sentence
    return sentence[: FOCUS_SENTENCE_CHARS - 1].rstrip() + "\u2026"
