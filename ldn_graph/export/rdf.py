"""RDF writers: Turtle, N-Triples, JSON-LD and TriG, byte-identical for the same graph.

Turtle, N-Triples and JSON-LD hold the union of all named graphs; TriG keeps them. Prefixes are those of
`namespaces.PREFIXES` (Turtle and TriG declare the ones they use). Turtle, TriG and N-Triples are written
by Oxigraph's serialisers (Rust: a 2,000-document corpus, 426,000 statements, in seconds where rdflib's
writers take minutes), fed statements in a fixed order: by graph, subject, `rdf:type` first, predicate,
object. Oxigraph writes language tags in lower case (`@fr-ca`), as RDF 1.1 allows. Blank nodes, which the
data model never writes but a user's graph may hold, are relabelled canonically first, since rdflib names
them at random. Files are written to a temporary file beside the target and renamed, so a reader never
sees half a file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF
from rdflib.term import Node

from ldn_graph.atomic import write_atomic
from ldn_graph.errors import LdnGraphError
from ldn_graph.namespaces import PREFIXES, prefixed_name
from ldn_graph.rdf.io import merged_graph
from ldn_graph.store.terms import nt_term, to_oxigraph


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project prefixes on `graph` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, str(namespace), override=True, replace=True)
    return graph


def _canonical(graph: Graph) -> Graph:
    """`graph` itself when it has no blank node, else a copy with blank-node labels made from content."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    out = Graph(bind_namespaces="none")
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


def union_graph(graph: Graph) -> Graph:
    """Every triple of `graph` (all named graphs of a Dataset) in one new Graph with the project prefixes."""
    return bind_prefixes(_canonical(merged_graph(graph, copy=True, bind_namespaces="none")))


def serialize_turtle(graph: Graph) -> bytes:
    """The union graph as Turtle."""
    triples = sorted(_union_triples(graph), key=_statement_order)
    return _oxigraph_serialize(triples, "TURTLE", named=False)


def serialize_ntriples(graph: Graph) -> bytes:
    """The union graph as N-Triples, one line per triple, lines sorted."""
    text = _oxigraph_serialize(list(_union_triples(graph)), "N_TRIPLES", named=False).decode("utf-8")
    # On "\n" only: str.splitlines() would also split inside a literal holding U+2028 or U+0085.
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


def serialize_trig(graph: Graph) -> bytes:
    """All named graphs as TriG: the default graph's statements first, then each named graph in a block,
    in IRI order. A plain Graph is the default graph."""
    quads: list[tuple[Node, Node, Node, Node | None]] = []
    if not isinstance(graph, ConjunctiveGraph):
        return serialize_trig_quads([(s, p, o, None) for s, p, o in _canonical(graph)])
    # A ConjunctiveGraph's default context is named by a random blank node: written as the default graph.
    default = graph.default_graph if isinstance(graph, Dataset) else graph.default_context
    defaults = {DATASET_DEFAULT_GRAPH_ID, default.identifier}
    if not any(isinstance(term, BNode) for quad in graph.quads() for term in quad[:3]):
        # One pass over the store: reading each named graph on its own scans the whole store each time.
        for s, p, o, context in graph.quads((None, None, None, None)):
            name = context.identifier if isinstance(context, Graph) else context
            quads.append((s, p, o, None if name in defaults else name))
        return serialize_trig_quads(quads)
    # Blank nodes are canonicalised graph by graph; a label holds for the whole file in TriG, so each
    # graph's labels get the graph's place in IRI order: two graphs' nodes never merge when read back.
    contexts = graph.graphs() if isinstance(graph, Dataset) else graph.contexts()
    for number, context in enumerate(sorted(contexts, key=lambda c: str(c.identifier))):
        name = None if context.identifier in defaults else context.identifier

        def own(term: Node, number: int = number) -> Node:
            return BNode(f"g{number}{term}") if isinstance(term, BNode) else term

        quads += [(own(s), p, own(o), name) for s, p, o in _canonical(context)]
    return serialize_trig_quads(quads)


def serialize_trig_quads(quads: list[tuple[Node, Node, Node, Node | None]]) -> bytes:
    """Quads (graph name None: the default graph) as TriG, in a fixed order."""
    quads.sort(key=lambda q: ("" if q[3] is None else "~" + str(q[3]), *_statement_order(q[:3])))
    return _oxigraph_serialize(quads, "TRIG", named=True)


def _union_triples(graph: Graph) -> set[tuple[Node, Node, Node]]:
    """Every statement of `graph` (of all its named graphs, for a Dataset) once, blank nodes canonical."""
    if isinstance(graph, ConjunctiveGraph):
        triples = {(s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))}
    else:
        triples = set(graph)
    if any(isinstance(term, BNode) for triple in triples for term in triple):
        union = Graph(bind_namespaces="none")
        for triple in triples:
            union.add(triple)
        triples = set(_canonical(union))
    return triples


SUBJECT_END = re.compile(rb" \.\n(?!\})")


def _statement_order(triple: tuple[Node, ...]) -> tuple[str, bool, str, str]:
    """Subject, then `rdf:type` before the other predicates, then predicate and object."""
    s, p, o = triple[:3]
    return (str(s), p != RDF.type, str(p), nt_term(o))


def _oxigraph_serialize(statements: Sequence[tuple[Any, ...]], format_name: str, *, named: bool) -> bytes:
    """`statements` (triples, or quads whose 4th term is a graph name or None) in an Oxigraph format, with
    the project prefixes the statements use, declared in alphabetical order."""
    import pyoxigraph as ox

    nodes: dict[Node, Any] = {}  # an IRI recurs in many statements: convert it once
    datatypes: set[str] = set()

    def term(value: Node) -> Any:
        found = nodes.get(value)
        if found is None:
            try:
                found = to_oxigraph(value)
            except ValueError as err:  # rdflib accepts IRIs that RDF does not ("not an iri")
                raise LdnGraphError(f"cannot write <{value}>: {err}") from None
            if isinstance(value, URIRef):
                nodes[value] = found
            elif isinstance(value, Literal) and value.datatype is not None:
                datatypes.add(str(value.datatype))
        return found

    if named:
        default = ox.DefaultGraph()
        items: list[Any] = [
            ox.Quad(term(s), term(p), term(o), default if g is None else term(g)) for s, p, o, g in statements
        ]
    else:
        items = [ox.Triple(term(s), term(p), term(o)) for s, p, o in statements]
    used = {
        prefix: str(namespace)
        for prefix, namespace in sorted(PREFIXES.items())
        if any(str(iri).startswith(str(namespace)) for iri in [*nodes, *datatypes])
    }
    if not items:
        return b""
    text = ox.serialize(items, format=getattr(ox.RdfFormat, format_name), prefixes=used) or b""
    if format_name == "N_TRIPLES":
        return text
    # Oxigraph declares the prefixes in an order of its own: put them in alphabetical order. It writes
    # every literal on one line (a newline is escaped), so a line that ends with " ." ends a subject's
    # statements, and a blank line after it sets the subjects apart (not before a graph's closing brace).
    lines = text.split(b"\n")
    count = next((n for n, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    body = SUBJECT_END.sub(b" .\n\n", b"\n".join(lines[count:])).rstrip(b"\n") + b"\n"
    return b"\n".join([*sorted(lines[:count]), b"", body]) if count else body


# Terms for the data model's properties outside the ldn: vocabulary (docs/data-model.md), so that JSON
# keys read `label`, `subject`, `hasTarget`; True marks IRI-valued ones, whose values become plain strings.
_JSONLD_TERMS: dict[str, tuple[str, bool]] = {
    "label": ("rdfs:label", False),
    "altLabel": ("skos:altLabel", False),
    "exactMatch": ("skos:exactMatch", True),
    "subject": ("rdf:subject", True),
    "predicate": ("rdf:predicate", True),
    "object": ("rdf:object", True),
    "wasDerivedFrom": ("prov:wasDerivedFrom", True),
    "wasGeneratedBy": ("prov:wasGeneratedBy", True),
    "motivatedBy": ("oa:motivatedBy", True),
    "hasBody": ("oa:hasBody", True),
    "hasTarget": ("oa:hasTarget", True),
    "hasSource": ("oa:hasSource", True),
    "hasSelector": ("oa:hasSelector", True),
    "start": ("oa:start", False),
    "end": ("oa:end", False),
    "exact": ("oa:exact", False),
    "title": ("dcterms:title", False),
    "source": ("dcterms:source", False),
    "value": ("schema:value", False),
    "minValue": ("schema:minValue", False),
    "maxValue": ("schema:maxValue", False),
    "unitCode": ("schema:unitCode", True),
}


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD `@context`, for a reader who knows JSON rather than RDF.

    `id` and `type` stand for `@id` and `@type`; every project prefix is declared (`ent:fibromyalgia`);
    each property of the data model has a short term (`label`, `treats`, `certainty`, `hasTarget`), and
    IRI-valued ones are typed `@id`, so `"treats": ["ent:fibromyalgia"]` rather than `{"@id": ...}`.
    The ldn: properties come from the ontology: object properties are IRI-valued, datatype properties not.
    """
    from rdflib.namespace import OWL, RDF

    from ldn_graph.rdf.ontology import load_ontology

    context: dict[str, Any] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    context.update({"id": "@id", "type": "@type"})
    terms = dict(_JSONLD_TERMS)
    vocab = str(PREFIXES["ldn"])
    for kind, is_iri in ((OWL.ObjectProperty, True), (OWL.DatatypeProperty, False)):
        for prop in load_ontology().subjects(RDF.type, kind):
            name = str(prop)[len(vocab) :]
            if str(prop).startswith(vocab) and name not in terms:
                terms[name] = (f"ldn:{name}", is_iri)
    for term, (iri, is_iri) in terms.items():
        context[term] = {"@id": iri, "@type": "@id"} if is_iri else iri
    return dict(sorted(context.items()))


def _tidy(value: Any, iri_keys: set[str], namespaces: dict[str, str], key: str = "") -> Any:
    """Compact the IRIs rdflib left whole (`id` values and the values of IRI-valued terms), and type
    whole-number doubles explicitly: JSON-LD reads a bare `30.0` as the integer 30.
    """
    if isinstance(value, dict):
        return {k: _tidy(v, iri_keys, namespaces, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(item, iri_keys, namespaces, key) for item in value]
    if isinstance(value, str) and (key == "id" or key in iri_keys):
        return prefixed_name(value, namespaces) or value
    if isinstance(value, float) and value.is_integer() and key != "@value":
        return {"@value": repr(value), "type": "xsd:double"}
    return value


def _sorted_json(value: Any) -> Any:
    """JSON-LD arrays are unordered sets (except `@list`): sort them so the output never depends on rdflib."""
    if isinstance(value, dict):
        return {
            key: item if key in ("@context", "@list") else _sorted_json(item) for key, item in value.items()
        }
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def serialize_jsonld(graph: Graph) -> bytes:
    """The union graph as compact JSON-LD with the `jsonld_context`, nodes sorted by `id`."""
    context = jsonld_context()
    doc = json.loads(union_graph(graph).serialize(format="json-ld", context=context, auto_compact=True))
    doc.pop("@context", None)
    # rdflib writes a lone node bare, without "@graph": give every file the same shape.
    nodes = doc.get("@graph", [doc] if doc else [])
    iri_keys = {term for term, value in context.items() if isinstance(value, dict)}
    # Longest namespace first, so that a nested namespace wins over the one containing it.
    namespaces = dict(
        sorted(
            ((p, v) for p, v in context.items() if isinstance(v, str) and not v.startswith("@")),
            key=lambda pv: (-len(pv[1]), pv[0]),
        )
    )
    nodes = _tidy(nodes, iri_keys, namespaces)
    nodes = sorted(_sorted_json(nodes), key=lambda node: (str(node.get("id", "")), json.dumps(node)))
    out = {"@context": context, "@graph": nodes}
    return (json.dumps(out, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def write_turtle(graph: Graph, path: Path) -> list[Path]:
    """Write the union graph as Turtle to `path`; returns the files written."""
    write_atomic(Path(path), serialize_turtle(graph))
    return [Path(path)]


def write_ntriples(graph: Graph, path: Path) -> list[Path]:
    """Write the union graph as sorted N-Triples to `path`; returns the files written."""
    write_atomic(Path(path), serialize_ntriples(graph))
    return [Path(path)]


def write_jsonld(graph: Graph, path: Path) -> list[Path]:
    """Write the union graph as JSON-LD to `path`; returns the files written."""
    write_atomic(Path(path), serialize_jsonld(graph))
    return [Path(path)]


def write_trig(graph: Graph, path: Path) -> list[Path]:
    """Write every named graph as TriG to `path`; returns the files written."""
    write_atomic(Path(path), serialize_trig(graph))
    return [Path(path)]
