"""GraphML writer: the entity graph for Gephi, Cytoscape, yEd and networkx.

What is written is `analytics.to_networkx`: one node per entity (id: its IRI) and one directed edge per
assertion (id: the assertion IRI), negated ones included. Every attribute has a typed `<key>`; GraphML has
no lists, so list-valued attributes are `|`-joined and an edge carries its first evidence sentence (in
document order) and where that sentence is. Gephi and Cytoscape take `label` as the display name.

Nodes and edges are sorted by id and every node (edge) has every node (edge) attribute, so the same graph
always gives the same bytes. Characters that XML 1.0 cannot hold (control characters other than tab and
line breaks) are dropped; a carriage return is written as `&#13;` so that parsers keep it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from ldn_graph.export.rdf import write_atomic

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
    ("predicate", "string"),
    ("label", "string"),
    ("certainty", "string"),
    ("negated", "boolean"),
    ("support_count", "int"),
    ("document_count", "int"),
    ("documents", "string"),
    ("evidence", "string"),
    ("evidence_location", "string"),
)
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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


def edge_attributes(data: dict[str, Any]) -> dict[str, Any]:
    """An edge's attributes as GraphML holds them: documents `|`-joined, the first sentence only."""
    from ldn_graph.analytics import curie

    first = data["evidence"][0] if data["evidence"] else None
    return {
        "predicate": data["predicate"],
        "label": data["label"],
        "certainty": data["certainty"],
        "negated": bool(data["negated"]),
        "support_count": int(data["support_count"]),
        "document_count": int(data["document_count"]),
        "documents": "|".join(curie(d) for d in data["documents"]),
        "evidence": first.sentence if first else "",
        "evidence_location": first.where() if first else "",
    }


def _text(value: object) -> str:
    """Character data: escaped, XML-invalid characters dropped, carriage returns kept."""
    text = _NOT_XML.sub("", str(value))
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
        lines.append(f'    <node id="{_attribute(node)}">')
        values = node_attributes(g.nodes[node])
        for name, kind in NODE_ATTRIBUTES:
            lines.append(f'      <data key="node_{name}">{_value(values[name], kind)}</data>')
        lines.append("    </node>")
    for source, target, key in sorted(g.edges(keys=True)):
        lines.append(
            f'    <edge id="{_attribute(key)}" source="{_attribute(source)}" target="{_attribute(target)}">'
        )
        values = edge_attributes(g.edges[source, target, key])
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
