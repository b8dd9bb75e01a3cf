"""The interactive HTML view: one self-contained page drawn by vis-network.

Entities (docs/data-model.md) become nodes coloured and shaped by class; every `ldn:Assertion`, positive
or negated, becomes an edge whose tooltip sums up its evidence. The page works offline (the vis-network
library is inlined and nothing is fetched) and the same graph always gives the same bytes.

The header has a search box (it selects and centres the entity a name or synonym names) and checkboxes
that filter the drawing by entity category and by predicate; they hide and show nodes and edges through
vis-network's DataSet API and fit the view to what is left. A click on a node or an edge pins it in the
side panel: an entity's identifiers and relations, a relation's confidence, support and every evidence
sentence with its character offsets and its document, linked to PubMed, doi.org or its web page when the
graph knows one. Each node and edge carries what the panel shows as `detail`. pyvis's `Network` builds
the nodes, edges and options; the page is our own template, ldn_graph/viz/templates/page.html, rendered
with Jinja, and inlines vis-network from pyvis's package. The style and the scripts (written here, no
library) are files of ldn_graph/viz/static. `focus` draws only the entities within `depth` steps of one
entity; a graph of more than `overview` entities is drawn as an overview of its most connected, whose
search opens any entity's neighbourhood in the page (viz/overview.py); `max_nodes` refuses a drawing
too large.

Everything from the graph stays text: vis-network 9 shows a string title with `innerText`, and the
panel writes with `textContent` and gives a link only an http(s) address, so a sentence such as
`<script>` is displayed, never run; the template embeds the data with Jinja's `tojson`, which escapes
`<`, `>`, `&` and `'`. Everything else taken from the graph (the page title, the legend) goes through
`html.escape`.
"""

from __future__ import annotations

import functools
import html
import math
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import Graph

from ldn_graph.atomic import write_atomic
from ldn_graph.errors import GraphTooLargeError, LdnGraphError
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
from ldn_graph.viz.overview import OVERVIEW_LIMIT, Overview
from ldn_graph.viz.page_read import read_page
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

# An overview's layout stops sooner: 400 iterations over 300 nodes look as settled as 1,000 and take half
# the time in Chromium (bench/view.py: 3.4 s instead of 6.0 s from loading to still).
OVERVIEW_OPTIONS: dict[str, Any] = {
    **VIS_OPTIONS,
    "physics": {
        **VIS_OPTIONS["physics"],
        "stabilization": {**VIS_OPTIONS["physics"]["stabilization"], "iterations": 400},
    },
}

# The page's style and scripts, in ldn_graph/viz/static: settle.js runs right after drawGraph() and stops
# the layout once it has settled; tools.js makes the search box and the filters work; panel.js pins a
# clicked node or edge in the side panel. The page around them is ldn_graph/viz/templates/page.html.
STATIC_PACKAGE = "ldn_graph.viz"
SCRIPTS = ("settle.js", "tools.js", "panel.js")
OVERVIEW_SCRIPT = "overview.js"  # after them in an overview: search every entity, open its neighbourhood
OVERVIEW_STYLE = "overview.css"  # after view.css in an overview
PAGE_TEMPLATE = "page.html"

# What the page inlines from pyvis's package (the files its own template includes): vis-network 9.1.2,
# script and style, and pyvis's small script of bindings, under the names page.html gives them.
PYVIS_ASSETS = {
    "bindings_js": "templates/lib/bindings/utils.js",
    "vis_css": "templates/lib/vis-9.1.2/vis-network.css",
    "vis_js": "templates/lib/vis-9.1.2/vis-network.min.js",
}


def _static(name: str) -> str:
    """A file of ldn_graph/viz/static, read through importlib.resources (installed as package data)."""
    from importlib.resources import files

    return files(STATIC_PACKAGE).joinpath("static").joinpath(name).read_text(encoding="utf-8")


_REMOTE_REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def write_html(
    graph: Graph,
    path: str | os.PathLike[str],
    *,
    title: str = "ldn-graph",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    overview: int | None = OVERVIEW_LIMIT,
) -> list[Path]:
    """Write the graph (a Graph, or a Dataset read as the union of its graphs) as one offline HTML page;
    returns the files written (the export table's `html`).

    With `focus` (an entity IRI) only the entities within `depth` relations of it are drawn. Else a graph
    of more than `overview` entities is drawn as an overview of that many, with what the page needs to
    open the neighbourhood of any entity (viz/overview.py); None draws it whole. With `max_nodes`, a
    drawing of more entities is refused with GraphTooLargeError and nothing is written.
    """
    page = render_html(graph, title=title, focus=focus, depth=depth, max_nodes=max_nodes, overview=overview)
    write_atomic(Path(path), page)
    return [Path(path)]


def render_html(
    graph: Graph,
    *,
    title: str = "ldn-graph",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    overview: int | None = OVERVIEW_LIMIT,
) -> str:
    """The text of the page that `write_html` writes."""
    from pyvis.network import Network  # pyvis imports Jinja and friends: only when a page is made

    g = merged_graph(graph)
    index: dict[str, Any] | None = None
    summary: Overview | None = None
    if focus is None:  # read for the page, only what it keeps (viz/page_read.py)
        page = read_page(g, overview)
        nodes, edges, whole, summary, index = page.nodes, page.edges, page.whole, page.overview, page.index
    else:
        nodes, edges = nodes_and_edges(g)
        whole = (len(nodes), len(edges))
        nodes, edges = _neighbourhood(nodes, edges, focus, depth)
    if max_nodes is not None and len(nodes) > max_nodes:
        raise GraphTooLargeError(_too_large(nodes, focus, depth, max_nodes, summary is not None))

    net = Network(directed=True)  # the nodes, edges and options that page.html draws
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
    net.options = VIS_OPTIONS if summary is None else OVERVIEW_OPTIONS

    focused = next((n for n in nodes if n.iri == focus), None)
    return _render_page(
        net,
        title=title,
        nodes=nodes,
        edges=edges,
        focus=focused,
        depth=depth,
        whole=whole,
        overview=summary,
        index=index,
    )


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


def _too_large(nodes: list[ViewNode], focus: str | None, depth: int, max_nodes: int, overview: bool) -> str:
    if overview:
        return (
            f"an overview of {len(nodes)} entities is more than the limit of {max_nodes}: lower --overview "
            "or raise --max-nodes"
        )
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


def _render_page(
    net: Any,
    *,
    title: str,
    nodes: list[ViewNode],
    edges: list[ViewEdge],
    focus: ViewNode | None,
    depth: int,
    whole: tuple[int, int],
    overview: Overview | None = None,
    index: dict[str, Any] | None = None,
) -> str:
    """The page: templates/page.html around the nodes, edges and options pyvis's Network holds.

    Jinja escapes what it is given unless it is marked as markup: the header and the panel (built with
    `html.escape` by legend.py), the title (escaped here, like the header's), our style and scripts and
    vis-network's, and the options (our constants, as JSON). Nodes and edges go through `tojson`, and so
    does an overview's index of the whole graph (`ldnIndex`, read by static/overview.js).
    """
    from jinja2.utils import htmlsafe_json_dumps
    from markupsafe import Markup

    data_nodes, data_edges, _, _, _, options = net.get_network_data()
    scripts = "".join(_static(name) for name in SCRIPTS)
    if index is not None:
        data = htmlsafe_json_dumps(index, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        scripts += f"var ldnIndex = {data};\n" + _static(OVERVIEW_SCRIPT)
    page = _page_template().render(
        title=Markup(html.escape(title)),
        header=Markup(page_header(title, nodes, edges, focus, depth, whole, overview)),
        panel=Markup(PANEL),
        css=Markup(_static("view.css") + (_static(OVERVIEW_STYLE) if index is not None else "")),
        scripts=Markup(scripts),
        options=Markup(options),
        nodes=data_nodes,
        edges=data_edges,
        **{name: Markup(text) for name, text in _pyvis_assets().items()},
    )
    return str(page)


@functools.cache
def _page_template() -> Any:
    """templates/page.html, checked once to reference nothing remote (the page must work offline)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    loader = PackageLoader(STATIC_PACKAGE, "templates")
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined)
    texts = {
        PAGE_TEMPLATE: loader.get_source(env, PAGE_TEMPLATE)[0],
        "the panel": PANEL,
        **{name: _static(name) for name in ("view.css", *SCRIPTS, OVERVIEW_SCRIPT, OVERVIEW_STYLE)},
        **{f"pyvis's {PYVIS_ASSETS[name]}": text for name, text in _pyvis_assets().items()},
    }
    remote = remote_reference(texts)
    if remote is not None:
        raise RuntimeError(f"the HTML view must work offline, but {remote} references a remote resource")
    return env.get_template(PAGE_TEMPLATE)


def remote_reference(texts: dict[str, str]) -> str | None:
    """The name of the first text with a `src` or `href` to another site, or None.

    Run over what makes the page (its template, style, scripts, vis-network), not over the graph's
    data: a sentence saying `src=//` is text in a JSON string there, never an attribute.
    """
    return next((name for name, text in texts.items() if _REMOTE_REFERENCE.search(text)), None)


@functools.cache
def _pyvis_assets() -> dict[str, str]:
    """The texts of PYVIS_ASSETS as pyvis's template included them: line breaks made `\\n`, one final
    line break dropped (Jinja's defaults for a template file).
    """
    from importlib.metadata import version
    from importlib.resources import files

    texts: dict[str, str] = {}
    for name, path in PYVIS_ASSETS.items():
        asset = files("pyvis").joinpath(path)
        if not asset.is_file():
            raise LdnGraphError(
                f"pyvis {version('pyvis')} has no {path}, the vis-network the HTML view inlines: "
                "install pyvis>=0.3.2,<0.4"
            )
        text = asset.read_text(encoding="utf-8")  # universal newlines, as Jinja reads a template
        texts[name] = text.removesuffix("\n")
    return texts
