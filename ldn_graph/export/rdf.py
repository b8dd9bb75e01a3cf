"""RDF writers: Turtle, N-Triples, JSON-LD and TriG, byte-identical for the same graph.

Turtle, N-Triples and JSON-LD hold the union of all named graphs; TriG keeps them. Every file binds the
prefixes of `namespaces.PREFIXES`. rdflib's Turtle and TriG writers already sort subjects, predicates and
objects; N-Triples lines and JSON-LD nodes are sorted here. Blank nodes, which the data model never
writes but a user's graph may hold, are relabelled canonically first, since rdflib names them at random.
Files are written to a temporary file beside the target and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from rdflib import BNode, ConjunctiveGraph, Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ldn_graph.namespaces import PREFIXES


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    out = Graph(bind_namespaces="none")
    if isinstance(graph, ConjunctiveGraph):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            out.add((s, p, o))
    else:
        for triple in graph:
            out.add(triple)
    return bind_prefixes(_canonical(out))


def named_graphs(graph: Graph) -> Dataset:
    """A copy of `graph` as a Dataset with the project prefixes; a plain Graph goes to the default graph."""
    out = Dataset()
    bind_prefixes(out)
    if isinstance(graph, ConjunctiveGraph):
        contexts = graph.graphs() if isinstance(graph, Dataset) else graph.contexts()
        for context in sorted(contexts, key=lambda c: str(c.identifier)):
            default = context.identifier == DATASET_DEFAULT_GRAPH_ID
            target = out.default_graph if default else out.graph(context.identifier)
            for triple in _canonical(context):
                target.add(triple)
    else:
        default = out.default_graph
        for triple in _canonical(graph):
            default.add(triple)
    return out


def serialize_turtle(graph: Graph) -> bytes:
    """The union graph as Turtle."""
    return union_graph(graph).serialize(format="turtle", encoding="utf-8")


def serialize_ntriples(graph: Graph) -> bytes:
    """The union graph as N-Triples, one line per triple, lines sorted."""
    text = union_graph(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


def serialize_trig(graph: Graph) -> bytes:
    """All named graphs as TriG: the prefixes once, then each graph's Turtle body in a block.

    rdflib's own TriG writer tracks serialised subjects across graphs and was seen to drop a whole
    graph now and then; each graph is written alone here, in IRI order, which is simple and stable.
    """
    dataset = named_graphs(graph)
    head: set[str] = set()
    blocks: list[str] = []
    for context in sorted(dataset.graphs(), key=lambda c: str(c.identifier)):
        if not len(context):
            continue
        single = Graph(bind_namespaces="none")
        single.namespace_manager = dataset.namespace_manager  # one prefix table for every block
        for triple in context:
            single.add(triple)
        body = single.serialize(format="turtle", encoding="utf-8").decode("utf-8")
        head.update(line for line in body.splitlines() if line.startswith("@prefix"))
        body = "\n".join(line for line in body.splitlines() if not line.startswith("@prefix")).strip()
        indented = body  # not re-indented: a multi-line literal must keep its lines as they are
        if context.identifier == DATASET_DEFAULT_GRAPH_ID:
            blocks.append("{\n" + indented + "\n}")
        else:
            blocks.append(f"<{context.identifier}> {{\n{indented}\n}}")
    return ("\n".join(sorted(head)) + "\n\n" + "\n\n".join(blocks) + "\n").encode("utf-8")


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


def _compact_iri(iri: str, namespaces: list[tuple[str, str]]) -> str:
    """`https://w3id.org/ldn-graph/doc/x#char=1,2` -> `doc:x#char=1,2` (rdflib leaves such IRIs whole)."""
    for prefix, namespace in namespaces:
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and not rest.startswith("//"):
            return f"{prefix}:{rest}"
    return iri


def _tidy(value: Any, iri_keys: set[str], namespaces: list[tuple[str, str]], key: str = "") -> Any:
    """Compact the IRIs rdflib left whole (`id` values and the values of IRI-valued terms), and type
    whole-number doubles explicitly: JSON-LD reads a bare `30.0` as the integer 30.
    """
    if isinstance(value, dict):
        return {k: _tidy(v, iri_keys, namespaces, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(item, iri_keys, namespaces, key) for item in value]
    if isinstance(value, str) and (key == "id" or key in iri_keys):
        return _compact_iri(value, namespaces)
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
    namespaces = sorted(
        ((p, v) for p, v in context.items() if isinstance(v, str) and not v.startswith("@")),
        key=lambda pv: (-len(pv[1]), pv[0]),
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
