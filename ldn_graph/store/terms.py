"""RDF terms between rdflib, pyoxigraph and N-Triples text, without changing what they denote.

Oxigraph stores a typed literal by its value and gives back its canonical form (`"30.0"^^xsd:double`
comes back as `"30"`); rdflib, which normalises literals too, reads that back as the Literal the builder
made, so graphs written by rdflib, stored and read back serialise to the same bytes. A plain string is
`xsd:string` in RDF 1.1 and in Oxigraph, but a Literal without datatype in rdflib: it is mapped so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

if TYPE_CHECKING:
    import pyoxigraph

T = TypeVar("T")
_XSD_STRING = str(XSD.string)
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term: Node) -> str:
    """`term` in N-Triples syntax, which SPARQL's INSERT DATA also reads."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """N-Triples text of `triples`, one per line, sorted (so the same triples give the same text)."""
    lines = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in triples})
    return "\n".join(lines) + ("\n" if lines else "")


def valid_iri(value: str) -> URIRef:
    """`URIRef(value)` for an IRI Oxigraph gives back, valid already: without rdflib's check of it, which
    is most of the cost of making one (the HTML view of a large graph makes hundreds of thousands)."""
    return str.__new__(URIRef, value)


def to_rdflib(term: Any) -> Node:
    """A pyoxigraph NamedNode, BlankNode or Literal as an rdflib term."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return (
            Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
        )
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an RDF term Oxigraph returns here: {term!r}")


def _memoised(convert: Callable[[Any], T]) -> Callable[[Any], T]:
    """`convert` called once for each distinct term: an entity recurs in many rows and statements."""
    seen: dict[Any, T] = {}

    def cached(term: Any) -> T:
        found = seen.get(term)
        if found is None:
            found = seen[term] = convert(term)
        return found

    return cached


def rdflib_converter() -> Callable[[Any], Node]:
    """`to_rdflib` that converts each distinct term once, for one result."""
    return _memoised(to_rdflib)


def to_oxigraph(term: Node) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def oxigraph_converter() -> Callable[[Node], Any]:
    """`to_oxigraph` that converts each distinct term once, for loading many statements."""
    return _memoised(to_oxigraph)


def json_term(binding: dict[str, str]) -> Node:
    """A term of SPARQL 1.1 JSON results (`{"type": "uri", "value": ...}`) as an rdflib term."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return Literal(value, lang=binding["xml:lang"])
        datatype = binding.get("datatype")
        return (
            Literal(value, datatype=URIRef(datatype))
            if datatype and datatype != _XSD_STRING
            else Literal(value)
        )
    raise ValueError(f"unknown term type in SPARQL JSON results: {kind!r}")


VALUES_CHUNK = 400  # entries of one SPARQL VALUES list


def values_lists(entries: Iterable[str], size: int = VALUES_CHUNK) -> Iterator[str]:
    """SPARQL VALUES lists of at most `size` entries (N-Triples terms, or rows such as "(<s> <p> <o>)"),
    each entry once, in sorted order, so that the same entries make the same queries."""
    listed = sorted(set(entries))
    for start in range(0, len(listed), size):
        yield " ".join(listed[start : start + size])


def iri_values(nodes: Iterable[Node | str]) -> Iterator[str]:
    """`values_lists` of the IRIs among `nodes`: URIRefs, and plain strings taken as IRIs (literals and
    blank nodes, rdflib's other strings, are left out)."""
    return values_lists(nt_term(URIRef(n)) for n in nodes if isinstance(n, URIRef) or type(n) is str)
