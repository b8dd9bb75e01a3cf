"""GraphML writer: the entity graph for Gephi, Cytoscape, yEd and networkx.

What is written is `analytics.to_networkx`: one node per entity (id: its IRI) and one directed edge per
assertion (id: the assertion IRI, also its `assertion` attribute, since readers such as igraph drop
GraphML edge ids), negated ones included. Every attribute has a typed `<key>`; GraphML has
no lists, so list-valued attributes are `|`-joined and an edge carries its first evidence sentence (in
document order) and where that sentence is; `contradicted_by` is the edge (assertion) that says the
opposite in another document, as in the HTML view and the entity pages. Gephi and Cytoscape take
`label` as the display name.

Nodes and edges are sorted by id and every node (edge) has every node (edge) attribute, so the same graph
always gives the same bytes. Control characters other than tab and line breaks (`export.text`) are dropped,
and identifiers are bounded in length by the same rule as in KGX; a carriage return is written as `&#13;`
so that parsers keep it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from ldn_graph.atomic import write_atomic
from ldn_graph.export.text import bounded_id, strip_controls

if TYPE_CHECKING:
    import networkx as nx

# (attribute, GraphML type), in the order the keys are declared.
NODE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("category", "string"),
    ("biolink_category", "string"),
    ("identifiers", "string"),
    ("synonyms", "string"),
    ("normalised", "boolean"),
)
EDGE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("assertion", "string"),
    ("predicate", "string"),
    ("label", "string"),
    ("certainty", "string"),
    ("negated", "boolean"),
    ("support_count", "int"),
    ("document_count", "int"),
    ("documents", "string"),
    ("evidence", "string"),
    ("evidence_location", "string"),
    ("contradicted_by", "string"),
)
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def node_attributes(data: dict[str, Any]) -> dict[str, Any]:
    """A node's attributes as GraphML holds them (lists `|`-joined)."""
    return {
        "label": data["label"],
        "category": data["category"],
        "biolink_category": data["biolink_category"],
        "identifiers": "|".join(data["identifiers"]),
        "synonyms": "|".join(data["synonyms"]),
        "normalised": bool(data["normalised"]),
    }


def edge_attributes(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The attributes of the edge `key` (its assertion IRI) as GraphML holds them: documents `|`-joined, the
    first sentence only."""
    from ldn_graph.analytics import curie

    first = data["evidence"][0] if data["evidence"] else None
    return {
        "assertion": bounded_id(key),
        "predicate": data["predicate"],
        "label": data["label"],
        "certainty": data["certainty"],
        "negated": bool(data["negated"]),
        "support_count": int(data["support_count"]),
        "document_count": int(data["document_count"]),
        "documents": "|".join(curie(d) for d in data["documents"]),
        "evidence": first.sentence if first else "",
        "evidence_location": first.where() if first else "",
        "contradicted_by": bounded_id(data["contradicted_by"]) if data["contradicted_by"] else "",
    }


def _text(value: object) -> str:
    """Character data: escaped, XML-invalid characters dropped, carriage returns kept."""
    text = strip_controls(str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _attribute(value: object) -> str:
    """An attribute value: as `_text`, with quotes, tabs and line breaks escaped so they survive parsing."""
    text = _text(value).replace('"', "&quot;")
    return text.replace("\n", "&#10;").replace("\t", "&#9;")


def _value(value: object, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    return _text(value)


def to_graphml(g: nx.MultiDiGraph) -> bytes:
    """The GraphML document of a graph made by `analytics.to_networkx`."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">',
    ]
    for scope, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        for name, kind in attributes:
            lines.append(f'  <key id="{scope}_{name}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>')
    lines.append('  <graph id="ldn-graph" edgedefault="directed">')
    for node in sorted(g.nodes):
        lines.append(f'    <node id="{_attribute(bounded_id(node))}">')
        values = node_attributes(g.nodes[node])
        for name, kind in NODE_ATTRIBUTES:
            lines.append(f'      <data key="node_{name}">{_value(values[name], kind)}</data>')
        lines.append("    </node>")
    for source, target, key in sorted(g.edges(keys=True)):
        lines.append(
            f'    <edge id="{_attribute(bounded_id(key))}" source="{_attribute(bounded_id(source))}" '
            f'target="{_attribute(bounded_id(target))}">'
        )
        values = edge_attributes(g.edges[source, target, key], key)
        for name, kind in EDGE_ATTRIBUTES:
            lines.append(f'      <data key="edge_{name}">{_value(values[name], kind)}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_graphml(graph: Graph) -> bytes:
    """The entity graph of an RDF graph (or Dataset) as GraphML."""
    from ldn_graph.analytics import to_networkx

    return to_graphml(to_networkx(graph))


def write_graphml(graph: Graph, path: Path) -> list[Path]:
    """Write the entity graph as GraphML to `path`; returns the files written."""
    write_atomic(Path(path), serialize_graphml(graph))
    return [Path(path)]
