"""Reading one value of a finished graph, the same way for every reader (the HTML view, analytics, KGX and
GraphML, the entity pages): which of several literals is chosen, how a number literal is read.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from ldn_graph.namespaces import shorten


def literal(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """One literal value, chosen the same way every time: untagged or English first, then the smallest."""
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    if not values:
        return None
    return str(min(values, key=lambda v: (v.language not in (None, "en"), str(v))))


def one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    """The first value in IRI / lexical order (literal or not), or None."""
    return next(iter(sorted(graph.objects(subject, predicate), key=str)), None)


def first_text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """`one` as a string."""
    value = one(graph, subject, predicate)
    return None if value is None else str(value)


def integer(value: Node | None) -> int | None:
    """A literal's value as an int, or None (not a literal, not a number)."""
    if isinstance(value, Literal):
        try:
            return int(value.toPython())
        except (TypeError, ValueError):
            return None
    return None


def label_of(graph: Graph, node: Node | None) -> str:
    """A node's rdfs:label (`literal`: English or plain first), else its short IRI or text."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, URIRef):
        return literal(graph, node, RDFS.label) or shorten(str(node))
    return literal(graph, node, RDFS.label) or f"_:{node}"
