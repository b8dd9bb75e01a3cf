"""The interactive HTML view: one self-contained page drawn by vis-network through pyvis.

Entities (docs/data-model.md) become nodes coloured and shaped by class; every `ldn:Assertion`, positive
or negated, becomes an edge whose tooltip sums up its evidence. The page works offline (the vis-network
library is inlined and nothing is fetched) and the same graph always gives the same bytes.

The header has a search box (it selects and centres the entity a name or synonym names) and checkboxes
that filter the drawing by entity category and by predicate; they hide and show nodes and edges through
vis-network's DataSet API and fit the view to what is left. A click on a node or an edge pins it in the
side panel: an entity's identifiers and relations, a relation's confidence, support and every evidence
sentence with its character offsets and its document, linked to PubMed, doi.org or its web page when the
graph knows one. Each node and edge carries what the panel shows as `detail`. The style and the scripts
(written here, no library) are files of ldn_graph/viz/static. `focus` draws only the entities within
`depth` steps of one entity, and `max_nodes` refuses a graph too large to draw whole.

Everything from the graph stays text: vis-network 9 shows a string title with `innerText`, and the
panel writes with `textContent` and gives a link only an http(s) address, so a sentence such as
`<script>` is displayed, never run; pyvis embeds the data with Jinja's `tojson`, which escapes `<`, `>`,
`&` and `'`. Everything else taken from the graph (the page title, the legend) goes through
`html.escape`.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import Graph

from ldn_graph.atomic import write_atomic
from ldn_graph.errors import GraphTooLargeError
from ldn_graph.rdf.io import merged_graph
from ldn_graph.viz.legend import (
    EDGE_COLOUR,
    ENTITY_STYLES,
    HEDGED_DASHES,
    NEGATED_COLOUR,
    NEGATED_DASHES,
    OTHER_STYLE,
    PANEL,
    page_header,
)
from ldn_graph.viz.read import ViewEdge, ViewNode, nodes_and_edges, plural

_LAYOUT_SEED = 7

# vis-network options: a barnesHut layout that settles (then physics is switched off by static/settle.js),
# with a fixed seed so that the same graph is always drawn the same way.
VIS_OPTIONS: dict[str, Any] = {
    "layout": {"randomSeed": _LAYOUT_SEED, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "gravitationalConstant": -8000,
            "centralGravity": 0.25,
            "springLength": 190,
            "springConstant": 0.04,
            "damping": 0.35,
            "avoidOverlap": 0.4,
        },
        "stabilization": {"enabled": True, "iterations": 1000, "updateInterval": 50, "fit": True},
        "minVelocity": 0.75,
    },
    "nodes": {
        "size": 16,
        "borderWidth": 1.5,
        "font": {
            "size": 16,
            "face": "Helvetica, Arial, sans-serif",
            "color": "#222222",
            "strokeWidth": 4,
            "strokeColor": "#ffffff",
        },
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "color": {"color": EDGE_COLOUR, "highlight": "#222222", "hover": "#222222", "inherit": False},
        "smooth": {"enabled": False},
        "font": {
            "size": 13,
            "face": "Helvetica, Arial, sans-serif",
            "align": "middle",
            "color": "#333333",
            "strokeWidth": 4,
            "strokeColor": "#ffffff",
        },
        "hoverWidth": 0.5,
        "selectionWidth": 1.5,
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
}

# The page's style and scripts, in ldn_graph/viz/static: settle.js runs right after pyvis's drawGraph()
# and stops the layout once it has settled; tools.js makes the search box and the filters work; panel.js
# pins a clicked node or edge in the side panel.
STATIC_PACKAGE = "ldn_graph.viz"
SCRIPTS = ("settle.js", "tools.js", "panel.js")


def _static(name: str) -> str:
    """A file of ldn_graph/viz/static, read through importlib.resources (installed as package data)."""
    from importlib.resources import files

    return files(STATIC_PACKAGE).joinpath("static").joinpath(name).read_text(encoding="utf-8")


# What pyvis 0.3.2's template leaves that a self-contained page must not have: Bootstrap from a CDN
# (its classes are unused without select_menu/filter_menu), a commented-out link to node_modules, and
# empty headings (we write our own).
_REMNANTS = (
    re.compile(r"<link\b[^>]*\bhref=\"(?:https?:)?//[^\"]*\"[^>]*>\s*"),
    re.compile(r"<script\b[^>]*\bsrc=\"[^\"]*\"[^>]*>\s*</script>\s*"),
    re.compile(r"<!--.*?-->\s*", re.DOTALL),
    re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*"),
)
_REMOTE_REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def write_html(
    graph: Graph,
    path: str | os.PathLike[str],
    *,
    title: str = "ldn-graph",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
) -> list[Path]:
    """Write the graph (a Graph, or a Dataset read as the union of its graphs) as one offline HTML page;
    returns the files written (the export table's `html`).

    With `focus` (an entity IRI) only the entities within `depth` relations of it are drawn. With
    `max_nodes`, a drawing of more entities is refused with GraphTooLargeError and nothing is written.
    """
    page = render_html(graph, title=title, focus=focus, depth=depth, max_nodes=max_nodes)
    write_atomic(Path(path), page)
    return [Path(path)]


def render_html(
    graph: Graph,
    *,
    title: str = "ldn-graph",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
) -> str:
    """The text of the page that `write_html` writes."""
    from pyvis.network import Network  # pyvis imports Jinja and friends: only when a page is made

    g = merged_graph(graph)
    nodes, edges = nodes_and_edges(g)
    whole = (len(nodes), len(edges))
    if focus is not None:
        nodes, edges = _neighbourhood(nodes, edges, focus, depth)
    if max_nodes is not None and len(nodes) > max_nodes:
        raise GraphTooLargeError(_too_large(nodes, focus, depth, max_nodes))

    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    for node in nodes:
        colour, shape = ENTITY_STYLES.get(node.cls, OTHER_STYLE) if node.cls else OTHER_STYLE
        extra: dict[str, Any] = {}
        if node.iri == focus:
            extra = {"size": 26, "borderWidth": 4, "font": {"size": 20}}
        net.add_node(
            node.iri,
            label=node.label,
            shape=shape,
            color=colour,
            title=node.tooltip,
            category=node.category,
            names=list(node.names),
            detail=node.detail,
            **extra,
        )
    for edge, smooth in zip(edges, _parallel_smoothing(edges), strict=True):
        options: dict[str, Any] = {
            "id": edge.iri,
            "label": edge.label,
            "title": edge.tooltip,
            "width": _edge_width(edge.support),
            "predicate": edge.predicate,
            "detail": edge.detail,
        }
        if edge.negated:
            options["dashes"] = NEGATED_DASHES
            options["color"] = {"color": NEGATED_COLOUR, "highlight": "#a50f15", "hover": "#a50f15"}
            options["font"] = {"color": NEGATED_COLOUR}
        elif edge.hedged:
            options["dashes"] = HEDGED_DASHES
        if smooth is not None:
            options["smooth"] = smooth
        net.add_edge(edge.source, edge.target, **options)
    net.options = VIS_OPTIONS

    page = _render_template(net)
    focused = next((n for n in nodes if n.iri == focus), None)
    page = _finish_page(page, title=title, nodes=nodes, edges=edges, focus=focused, depth=depth, whole=whole)
    return page


def _neighbourhood(
    nodes: list[ViewNode], edges: list[ViewEdge], focus: str, depth: int
) -> tuple[list[ViewNode], list[ViewEdge]]:
    """The entities within `depth` relations of `focus` (either direction, negated ones too) and the
    relations among them. KeyError when `focus` is not an entity of the graph.
    """
    if focus not in {n.iri for n in nodes}:
        raise KeyError(focus)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    reached = {focus}
    frontier = {focus}
    for _ in range(max(depth, 0)):
        frontier = {n for node in frontier for n in neighbours[node]} - reached
        reached |= frontier
    return (
        [n for n in nodes if n.iri in reached],
        [e for e in edges if e.source in reached and e.target in reached],
    )


def _too_large(nodes: list[ViewNode], focus: str | None, depth: int, max_nodes: int) -> str:
    if focus is None:
        return (
            f"{len(nodes)} entities are too many to draw whole (the limit is {max_nodes}): draw the "
            "neighbourhood of one with --focus NAME --depth 1, or raise --max-nodes"
        )
    name = next((n.label for n in nodes if n.iri == focus), focus)
    return (
        f"the neighbourhood of {name} within {plural(depth, 'relation')} has {len(nodes)} entities, too "
        f"many to draw (the limit is {max_nodes}): lower --depth or raise --max-nodes"
    )


# --- drawing -----------------------------------------------------------------------------------------


def _edge_width(support: int) -> float:
    """1.5 for one sentence, +2 for each doubling, at most 9."""
    return round(min(9.0, 1.5 + 2.0 * math.log2(max(support, 1))), 2)


def _parallel_smoothing(edges: list[ViewEdge]) -> list[dict[str, Any] | None]:
    """Curves that keep edges between the same two nodes apart (vis-network draws them on top of each other).

    A lone edge stays straight; n edges between one pair fan out symmetrically, bending further the
    further they are from the middle. Sides are reckoned from one fixed direction of the pair, so that
    A->B and B->A fan out like the rest.
    """

    def pair(edge: ViewEdge) -> tuple[str, str]:
        return (min(edge.source, edge.target), max(edge.source, edge.target))

    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for edge in edges:
        sizes[pair(edge)] += 1
    seen: dict[tuple[str, str], int] = defaultdict(int)
    result: list[dict[str, Any] | None] = []
    for edge in edges:
        key = pair(edge)
        offset = seen[key] - (sizes[key] - 1) / 2
        seen[key] += 1
        if offset == 0:
            result.append(None)
            continue
        clockwise = (offset > 0) == ((edge.source, edge.target) == key)
        result.append(
            {
                "enabled": True,
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": round(0.1 + 0.25 * abs(offset), 3),
            }
        )
    return result


def _render_template(net: Any) -> str:
    """pyvis's page, rendered without its `href` hack.

    `Network.generate_html` switches to a popup filled with `innerHTML` when any node title contains
    "href"; a sentence can contain that word, so the template is rendered here with that switch off.
    """
    nodes, edges, heading, height, width, options = net.get_network_data()
    template = net.templateEnv.get_template(net.path)
    return str(
        template.render(
            height=height,
            width=width,
            nodes=nodes,
            edges=edges,
            heading=heading,
            options=options,
            physics_enabled=True,
            use_DOT=False,
            dot_lang="",
            widget=False,
            bgcolor=net.bgcolor,
            conf=False,
            tooltip_link=False,
            neighborhood_highlight=False,
            select_menu=False,
            filter_menu=False,
            notebook=False,
            cdn_resources="in_line",
        )
    )


def _finish_page(
    page: str,
    *,
    title: str,
    nodes: list[ViewNode],
    edges: list[ViewEdge],
    focus: ViewNode | None,
    depth: int,
    whole: tuple[int, int],
) -> str:
    for remnant in _REMNANTS:
        page = remnant.sub("", page)
    page = _replace_once(page, "<html>", '<!DOCTYPE html>\n<html lang="en">')
    page = _replace_once(
        page,
        '<meta charset="utf-8">',
        '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>",
    )
    # Last in <head>, so that it overrides vis-network's and pyvis's own styles.
    page = _replace_once(page, "</head>", f"<style>\n{_static('view.css')}</style>\n</head>")
    header = page_header(title, nodes, edges, focus, depth, whole)
    page = _replace_once(page, "<body>", "<body>\n" + header + PANEL)
    # In drawGraph's own <script>: the parser may yield between two scripts, and the layout could
    # settle in between, before a listener in a script of its own was added.
    scripts = "".join(_static(name) for name in SCRIPTS)
    page = _replace_once(page, "drawGraph();\n", "drawGraph();\n" + scripts)
    if _REMOTE_REFERENCE.search(page):
        raise RuntimeError("the HTML view still references a remote resource: pyvis's template has changed")
    return page


def _replace_once(page: str, old: str, new: str) -> str:
    if page.count(old) != 1:
        raise RuntimeError(f"pyvis's template has changed: expected {old!r} once in it")
    return page.replace(old, new)
