"""The HTML view's page furniture: the class styles, and the header with its counts, search box, filters and
legend drawn as inline SVG.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from ldn_graph.namespaces import LDN, local_name
from ldn_graph.viz.read import ViewEdge, ViewNode, plural, term_label

if TYPE_CHECKING:
    from ldn_graph.viz.overview import Overview

# Class -> (colour, vis-network shape), in the precedence order of `read.ENTITY_CLASSES` (a test checks).
# Related classes share a shape; every class has a colour of its own. Only shapes that draw their label
# below them, so all nodes read alike. No red: red marks negation.
ENTITY_STYLES: dict[URIRef, tuple[str, str]] = {
    LDN.Drug: ("#1f77b4", "diamond"),
    LDN.ChemicalEntity: ("#17becf", "diamond"),
    LDN.MolecularEntity: ("#6baed6", "hexagon"),
    LDN.ChemicalRole: ("#9edae5", "hexagon"),
    LDN.Protein: ("#2ca02c", "square"),
    LDN.ProteinFamily: ("#98df8a", "square"),
    LDN.Cell: ("#9467bd", "dot"),
    LDN.AnatomicalEntity: ("#c5b0d5", "dot"),
    LDN.BiologicalProcess: ("#ff7f0e", "triangle"),
    LDN.PhenotypicFeature: ("#ffbb78", "triangleDown"),
    LDN.Disease: ("#e377c2", "star"),
    LDN.Population: ("#bcbd22", "star"),
}
# An assertion whose subject or object is not typed with an entity class still gets its nodes.
OTHER_STYLE = ("#b0b0b0", "dot")

EDGE_COLOUR = "#6b6b6b"
NEGATED_COLOUR = "#d62728"
HEDGED_DASHES = [8, 6]
NEGATED_DASHES = [2, 5]


def page_header(
    title: str,
    nodes: list[ViewNode],
    edges: list[ViewEdge],
    focus: ViewNode | None,
    depth: int,
    whole: tuple[int, int],
    overview: Overview | None = None,
) -> str:
    """The page's header: title, counts, search box, filters and legend; for an overview, a note of
    what it leaves out and a way back to it from a focus view."""
    # Counted as `ldn-graph stats` counts them: a hedged negation is both hedged and negated.
    negated = sum(e.negated for e in edges)
    hedged = sum(e.hedged for e in edges)
    kinds = f"{hedged} hedged, {negated} negated"
    contradicted = sum(e.contradicted and not e.negated for e in edges)  # a claim, not its two edges
    if contradicted:
        kinds += f", {plural(contradicted, 'claim')} stated in one document and negated in another"
    counts = f"{_entities(len(nodes))}, {plural(len(edges), 'relation')} ({kinds})"
    if focus is not None:
        counts = (
            f"The neighbourhood of {focus.label} (what is within {plural(depth, 'relation')} of it): "
            f"{len(nodes)} of {_entities(whole[0])}, {len(edges)} of {plural(whole[1], 'relation')} "
            f"({kinds})"
        )
    summary = (
        f"{counts}. Click a node or an edge to pin its identifiers or its evidence in the panel, hover "
        "for a glimpse; drag to move, scroll to zoom; untick a category or a predicate to hide it."
    )
    if not nodes:
        summary = "This graph has no entities to draw."
    note = ""
    if overview is not None:
        summary = (
            f"{counts}. Click a node or an edge to pin it in the panel; double-click a node, or find any "
            "entity by name, to open its neighbourhood; untick a category or a predicate to hide it."
        )
        text = html.escape(overview_note(overview))
        note = (
            f'<p class="ldn-overview-note" id="ldn-overview-note">{text}</p>\n'
            '<p class="ldn-overview-note" id="ldn-focus-note" hidden></p>\n'
        )
    return (
        '<div class="ldn-header">\n'
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="ldn-summary">{html.escape(summary)}</p>\n'
        f"{note}"
        f"{_tools(overview is not None)}\n"
        f"{_legend(nodes, edges)}\n"
        "</div>\n"
    )


# The side panel: static/panel.js fills it when a node or an edge is clicked.
PANEL = (
    '<aside id="ldn-panel" aria-label="Details of the clicked entity or relation" aria-live="polite">\n'
    '<div class="ldn-panel-top"><span class="ldn-panel-heading">Details</span>'
    '<button type="button" id="ldn-panel-close" hidden>Close</button></div>\n'
    '<p id="ldn-panel-hint">Click a node or an edge to pin it here: an entity with its identifiers and '
    "relations, a relation with its confidence and the sentences it was read from, each with its "
    "document and character offsets, to select and copy.</p>\n"
    '<div id="ldn-panel-body"></div>\n'
    "</aside>\n"
)


def _entities(count: int) -> str:
    return f"{count} {'entity' if count == 1 else 'entities'}"


def overview_note(overview: Overview) -> str:
    """What an overview draws of the whole graph, and how to see the rest."""
    drawn, among = len(overview.edges), overview.among
    relations = (
        f"the {_count(drawn)} strongest of the {_count(among)} relations among them"
        if drawn < among
        else f"the {plural(drawn, 'relation')} among them"
    )
    return (
        f"An overview of {_count(len(overview.nodes))} of {_count(overview.entities)} entities: the most "
        f"connected (by the documents and sentences behind their relations) and {relations}, of "
        f"{_count(overview.relations)} relations in all. Find any entity to open its neighbourhood."
    )


def _count(number: int) -> str:
    return f"{number:,}"


def _tools(overview: bool = False) -> str:
    """The search box; static/tools.js fills its list of names and makes it work (static/overview.js, in an
    overview, over every entity of the graph, with a button back to the overview)."""
    return (
        '<form id="ldn-tools" class="ldn-tools" role="search" autocomplete="off">\n'
        '<label for="ldn-search-input">Find</label>\n'
        '<input id="ldn-search-input" type="search" list="ldn-search-names" '
        'placeholder="an entity by name or synonym" spellcheck="false">\n'
        '<datalist id="ldn-search-names"></datalist>\n'
        '<button type="submit">Find</button>\n'
        '<button type="button" id="ldn-reset">Show all</button>\n'
        + ('<button type="button" id="ldn-back" hidden>Back to the overview</button>\n' if overview else "")
        + '<span id="ldn-search-status" role="status" aria-live="polite"></span>\n'
        '<span id="ldn-shown" aria-live="polite"></span>\n'
        "</form>"
    )


def _legend(nodes: list[ViewNode], edges: list[ViewEdge]) -> str:
    """Categories and predicates as checkboxes that filter the drawing, and the key to the edge styles."""
    per_class: dict[URIRef | None, int] = defaultdict(int)
    for node in nodes:
        per_class[node.cls] += 1
    items = []
    ontology = Graph()  # class labels come from the ontology; an empty graph for the fallback
    for cls, (colour, shape) in ENTITY_STYLES.items():
        if cls in per_class:
            name = term_label(ontology, cls)
            items.append(
                _filter_item(
                    "category",
                    local_name(cls),
                    _shape_svg(shape, colour),
                    name[:1].upper() + name[1:],
                    per_class[cls],
                )
            )
    if None in per_class:
        icon = _shape_svg(OTHER_STYLE[1], OTHER_STYLE[0])
        items.append(_filter_item("category", "Other", icon, "Other", per_class[None]))
    per_predicate: dict[tuple[str, str], int] = defaultdict(int)
    for edge in edges:
        per_predicate[(edge.label, edge.predicate)] += 1
    predicate_items = [
        _filter_item("predicate", predicate, "", label, count)
        for (label, predicate), count in sorted(per_predicate.items())
    ]
    relation_items = [
        _legend_item("asserted", _line_svg(EDGE_COLOUR, None), "Asserted"),
        _legend_item("hedged", _line_svg(EDGE_COLOUR, HEDGED_DASHES), "Hedged (may, suggests\u2026)"),
        _legend_item(
            "negated", _line_svg(NEGATED_COLOUR, NEGATED_DASHES), "Negated (the text says it does not hold)"
        ),
        _legend_item("width", _line_svg(EDGE_COLOUR, None, width=6), "Thicker: more supporting sentences"),
    ]
    rows = [
        ("Entities", items),
        ("Predicates", predicate_items),
        ("Relations", relation_items),
    ]
    return (
        '<div id="ldn-legend" aria-label="Legend and filters">\n'
        + "".join(
            f'<div class="ldn-row"><span class="ldn-row-title">{title}</span>'
            f'<span class="ldn-items">{"".join(row)}</span></div>\n'
            for title, row in rows
            if row
        )
        + "</div>"
    )


def _filter_item(kind: str, value: str, icon: str, text: str, count: int) -> str:
    """A legend entry that is also a checkbox: unticked, what it names is hidden."""
    key = value if kind == "category" else f"predicate:{value}"
    return (
        f'<label class="ldn-item" data-key="{html.escape(key)}">'
        f'<input type="checkbox" checked data-ldn-filter="{kind}" value="{html.escape(value)}">'
        f'{icon}<span>{html.escape(text)}</span><span class="ldn-count">{count}</span></label>'
    )


def _legend_item(key: str, icon: str, text: str) -> str:
    return (
        f'<span class="ldn-item" data-key="{html.escape(key)}">{icon}<span>{html.escape(text)}</span></span>'
    )


def _shape_svg(shape: str, colour: str) -> str:
    outline = f'fill="{colour}" stroke="#444" stroke-width="1"'
    drawings = {
        "dot": f'<circle cx="9" cy="9" r="7" {outline}/>',
        "square": f'<rect x="2.5" y="2.5" width="13" height="13" {outline}/>',
        "diamond": f'<polygon points="9,1 17,9 9,17 1,9" {outline}/>',
        "triangle": f'<polygon points="9,1.5 17,16 1,16" {outline}/>',
        "triangleDown": f'<polygon points="1,2 17,2 9,16.5" {outline}/>',
        "hexagon": f'<polygon points="{_regular_polygon(6, 8, 0)}" {outline}/>',
        "star": f'<polygon points="{_star_points()}" {outline}/>',
    }
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{drawings[shape]}</svg>'


def _regular_polygon(corners: int, radius: float, rotation: float) -> str:
    return " ".join(
        f"{9 + radius * math.cos(rotation + 2 * math.pi * k / corners):.2f},"
        f"{9 + radius * math.sin(rotation + 2 * math.pi * k / corners):.2f}"
        for k in range(corners)
    )


def _star_points() -> str:
    points = []
    for k in range(10):
        radius = 8.5 if k % 2 == 0 else 3.6
        angle = -math.pi / 2 + math.pi * k / 5
        points.append(f"{9 + radius * math.cos(angle):.2f},{9.5 + radius * math.sin(angle):.2f}")
    return " ".join(points)


def _line_svg(colour: str, dashes: Iterable[int] | None, *, width: float = 2) -> str:
    dash = f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"' if dashes else ""
    return (
        '<svg width="40" height="12" viewBox="0 0 40 12" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="39" y2="6" stroke="{colour}" stroke-width="{width}"{dash}/></svg>'
    )
