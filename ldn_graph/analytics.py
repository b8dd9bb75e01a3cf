"""The graph as networkx sees it, and what `paths` and `stats` compute on it.

`to_networkx` reads an RDF graph (docs/data-model.md) into a `networkx.MultiDiGraph`:

- one node per entity, keyed by its IRI, with `label`, `category` (the ldn class, e.g. `Drug`;
  `Entity` for an assertion end typed with no entity class), `biolink_category`, `identifiers` (standard
  CURIEs from skos:exactMatch, sorted), `synonyms` and `normalised`;
- one edge per assertion (positive or negated), keyed by the assertion IRI, from its subject to its
  object, with `predicate` (`ldn:treats`), `label` (`treats`), `certainty` (`asserted` or `hedged`),
  `negated`, `support_count`, `document_count`, `documents` (document IRIs), `evidence` (an
  `rdf.read.Evidence` per supporting sentence, in document order) and `contradicted_by` (the assertion
  another document states the opposite in, `ldn:contradictedBy`; empty when none).

Paths follow relations in the direction the text states them ("A causes B" leads from A to B). A chain
that runs against that direction (A -> X <- B: both act on X) is a connection, not a mechanism, so it is
only searched for when asked (`any_direction=True`); such a step is then printed backwards, `B <-causes- A`,
so the sentence still reads as written.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ldn_graph.errors import UnknownEntityError
from ldn_graph.namespaces import DOC, ENT, LDN, iri_to_curie, local_name, prefixed_name
from ldn_graph.rdf.io import merged_graph
from ldn_graph.rdf.read import Assertion, Entity, Evidence, GraphReader

if TYPE_CHECKING:
    import networkx as nx

UNTYPED = "Entity"  # the category of an assertion end typed with no entity class
# The project namespaces `curie` writes as prefixed names; other IRIs become standard CURIEs.
_SHORT_PREFIXES = {"ldn": LDN._NS, "ent": ENT, "doc": DOC}


# --- reading the RDF graph ----------------------------------------------------------------------------


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The entities and assertions of `graph` (a Graph, or a Dataset read as the union of its graphs), read
    by `rdf.read.GraphReader`."""
    import networkx as nx

    reader = GraphReader(merged_graph(graph))
    out = nx.MultiDiGraph()
    out.graph["documents"] = {
        str(doc.iri): {"title": doc.title or doc.key, "source": doc.source or doc.key}
        for doc in map(reader.document, reader.document_nodes())
    }
    classes = reader.entity_classes()
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    ends: set[URIRef] = set()
    for assertion in reader.assertions():
        if not assertion.is_about_entities():
            continue  # not a statement about two entities
        subject, obj = URIRef(str(assertion.subject)), URIRef(str(assertion.object))
        ends.update((subject, obj))
        edges.append((str(subject), str(obj), str(assertion.iri), _edge_data(reader, assertion)))

    for entity in sorted(set(classes) | ends, key=str):
        out.add_node(str(entity), **_node_data(reader.entity(entity, classes.get(entity, []))))
    for source, target, key, data in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        out.add_edge(source, target, key=key, **data)
    return out


def _term_label(reader: GraphReader, term: Node | None) -> str:
    """What a term is called (`ldn:locatedIn` -> `located in`); `asserted` for no certainty."""
    return reader.term_label(term) if term is not None else "asserted"


def curie(iri: str) -> str:
    """A short name for an IRI: `ent:fibromyalgia`, `ldn:treats`, `MONDO:0005546`, else the IRI."""
    found = prefixed_name(iri, _SHORT_PREFIXES) or iri_to_curie(iri)
    return found if found and not found.startswith("LDN:") else iri


def _node_data(entity: Entity) -> dict[str, Any]:
    from ldn_graph.rdf import ontology

    label = entity.label or local_name(entity.iri)
    category = entity.classes[0] if entity.classes else UNTYPED
    identifiers = sorted(set(entity.identifiers))
    synonyms = sorted(set(entity.alt_labels) | set(entity.labels) - {label})
    normalised = entity.normalised
    return {
        "label": label,
        "category": category,
        "biolink_category": ontology.biolink_category(category),
        "identifiers": tuple(identifiers),
        "synonyms": tuple(synonyms),
        "normalised": normalised if normalised is not None else bool(identifiers),
    }


def evidence_order(evidence: Evidence) -> tuple[Any, ...]:
    """Evidence in document order: by document IRI, then offsets and sentence."""
    document = str(evidence.document.iri) if evidence.document is not None else ""
    start = evidence.start if evidence.start is not None else -1
    end = evidence.end if evidence.end is not None else -1
    return (document, start, end, evidence.sentence, str(evidence.iri))


def _edge_data(reader: GraphReader, assertion: Assertion) -> dict[str, Any]:
    evidence = tuple(sorted(assertion.evidence, key=evidence_order))
    docs = sorted({str(e.document.iri) for e in evidence if e.document is not None})
    return {
        "predicate": curie(str(assertion.predicate)),
        "label": _term_label(reader, assertion.predicate),
        "certainty": _term_label(reader, assertion.certainty),
        "negated": assertion.negated,
        "support_count": assertion.support if assertion.support is not None else len(evidence),
        "document_count": assertion.documents if assertion.documents is not None else len(docs),
        "documents": tuple(docs),
        "evidence": evidence,
        "contradicted_by": str(assertion.contradicted_by or ""),
    }


# --- finding an entity by name --------------------------------------------------------------------------


def _normal(name: str) -> str:
    """A name for comparison: case, hyphens, underscores and runs of spaces do not matter."""
    return " ".join(re.sub(r"[-_\s]+", " ", name).casefold().split())


def _names(data: dict[str, Any]) -> list[str]:
    return [data["label"], *data["synonyms"]]


def find_entity(g: nx.MultiDiGraph, name: str) -> str:
    """The node (entity IRI) that `name` names: an IRI, a CURIE (`ent:x`, `MONDO:0005546`), a label or a
    synonym, compared without regard to case or hyphens. UnknownEntityError, listing close matches, when
    it names none; UnknownEntityError listing the candidates when it names several.
    """
    wanted = name.strip()
    if not wanted:
        raise UnknownEntityError("an empty name names no entity")
    # Identifiers first: they are exact.
    found = [
        node
        for node, data in g.nodes(data=True)
        if wanted in (node, curie(node), f"LDN:{local_name(node)}") or wanted.upper() in data["identifiers"]
    ]
    if not found and re.fullmatch(r"[a-z0-9][a-z0-9-]*", wanted):  # a bare entity key: low-dose-naltrexone
        found = [node for node in g.nodes if node == str(ENT[wanted])]
    key = _normal(wanted)
    # Then labels, then synonyms: a label wins over another entity's synonym.
    for names in (lambda d: [d["label"]], lambda d: d["synonyms"]):
        if found:
            break
        found = [node for node, data in g.nodes(data=True) if key in {_normal(n) for n in names(data)}]
    if len(found) == 1:
        return str(found[0])
    if found:
        listed = "; ".join(f"{g.nodes[n]['label']} ({curie(n)})" for n in sorted(found))
        raise UnknownEntityError(
            f"{wanted!r} names {len(found)} entities: {listed}; give one of these CURIEs"
        )
    raise UnknownEntityError(f"no entity named {wanted!r}" + _suggestions(g, key))


def _suggestions(g: nx.MultiDiGraph, key: str) -> str:
    """`; close matches: a, b` from labels and synonyms that look like `key` or contain it."""
    names: dict[str, str] = {}  # normalised name -> node label
    for _, data in sorted(g.nodes(data=True)):
        for n in _names(data):
            names.setdefault(_normal(n), data["label"])
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    if len(key) >= 3:
        close += sorted(n for n in names if key in n and n not in close)
    labels = list(dict.fromkeys(names[n] for n in close))[:5]
    if labels:
        return "; close matches: " + ", ".join(labels)
    return " (give a label, a synonym, an IRI or a CURIE such as ent:fibromyalgia)"


# --- paths ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One edge of a chain, and whether the chain follows it as written (`forward`) or against it."""

    source: str  # the node the chain leaves
    target: str  # the node the chain reaches
    key: str  # the assertion IRI
    forward: bool


@dataclass(frozen=True)
class Chain:
    """A path between two entities, each step one assertion."""

    steps: tuple[Step, ...]
    support: int  # the sum of the steps' support counts

    @property
    def length(self) -> int:
        return len(self.steps)


def find_paths(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_length: int = 3,
    limit: int = 10,
    include_negated: bool = False,
    any_direction: bool = False,
) -> list[Chain]:
    """The `limit` best chains of at most `max_length` steps from `source` to `target`, best first.

    Best is shortest, then most supported (the sum of the support counts of its steps), then with fewer
    hedged steps; ties are broken by the labels along the chain, so the order never changes. A chain never
    visits an entity twice. Negated assertions are left out unless `include_negated`; steps against the
    written direction are taken only with `any_direction`.
    """
    arcs = _arcs(g, include_negated=include_negated, any_direction=any_direction)
    distance = _distances_to(target, arcs)
    if source not in distance:
        return []
    found: list[Chain] = []
    for length in range(max(distance[source], 1), max_length + 1):
        for steps in _walks(source, target, length, arcs, distance):
            found.append(Chain(steps, sum(edge_data(g, step)["support_count"] for step in steps)))
        if len(found) >= limit:
            break  # every longer chain would rank below these
    found.sort(key=lambda chain: _rank(g, chain))
    return found[:limit]


def _arcs(g: nx.MultiDiGraph, *, include_negated: bool, any_direction: bool) -> dict[str, list[Step]]:
    """Node -> the steps that leave it, in a fixed order."""
    arcs: dict[str, list[Step]] = {node: [] for node in g.nodes}
    for u, v, key, negated in g.edges(keys=True, data="negated"):
        if negated and not include_negated:
            continue
        arcs[u].append(Step(u, v, key, True))
        if any_direction:
            arcs[v].append(Step(v, u, key, False))
    for steps in arcs.values():
        steps.sort(key=lambda s: (s.target, s.key, not s.forward))
    return arcs


def _distances_to(target: str, arcs: dict[str, list[Step]]) -> dict[str, int]:
    """Steps from each node to `target` (breadth first, arcs reversed); unreachable nodes are absent."""
    into: dict[str, list[str]] = {node: [] for node in arcs}
    for steps in arcs.values():
        for step in steps:
            into[step.target].append(step.source)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for previous in into[node]:
            if previous not in distance:
                distance[previous] = distance[node] + 1
                queue.append(previous)
    return distance


def _walks(
    source: str, target: str, length: int, arcs: dict[str, list[Step]], distance: dict[str, int]
) -> Iterator[tuple[Step, ...]]:
    """Every simple path of exactly `length` steps (depth first, pruned by the distance to `target`)."""
    path: list[Step] = []
    visited = {source}

    def extend(node: str) -> Iterator[tuple[Step, ...]]:
        left = length - len(path)
        if node == target:
            if left == 0:
                yield tuple(path)
            return
        for step in arcs[node]:
            if step.target in visited or distance.get(step.target, length + 1) > left - 1:
                continue
            path.append(step)
            visited.add(step.target)
            yield from extend(step.target)
            visited.discard(step.target)
            path.pop()

    yield from extend(source)


def edge_data(g: nx.MultiDiGraph, step: Step) -> dict[str, Any]:
    """The attributes of the assertion a step follows."""
    u, v = (step.source, step.target) if step.forward else (step.target, step.source)
    data: dict[str, Any] = g.edges[u, v, step.key]
    return data


def _rank(g: nx.MultiDiGraph, chain: Chain) -> tuple[Any, ...]:
    hedged = sum(edge_data(g, s)["certainty"] != "asserted" for s in chain.steps)
    words = tuple(
        (g.nodes[s.target]["label"], edge_data(g, s)["label"], not s.forward, s.key) for s in chain.steps
    )
    return (chain.length, -chain.support, hedged, words)


# --- statistics ---------------------------------------------------------------------------------------


def graph_stats(g: nx.MultiDiGraph, *, top: int = 10) -> dict[str, Any]:
    """Counts, shares and hubs of the graph, as `ldn-graph stats` prints them.

    Centrality is computed on the positive assertions only (a negated one connects nothing), taken
    without direction and with parallel assertions counted once: degree centrality is the share of the
    other entities an entity is related to, betweenness the share of shortest paths through it.
    """
    import networkx as nx

    entities = g.number_of_nodes()
    assertions = list(g.edges(keys=True, data=True))
    total = len(assertions)
    positive = nx.Graph()
    positive.add_nodes_from(g.nodes)
    relations: Counter[str] = Counter()
    for u, v, _, data in assertions:
        if not data["negated"]:
            positive.add_edge(u, v)
            relations[u] += 1
            relations[v] += 1
    degree = nx.degree_centrality(positive) if entities > 1 else dict.fromkeys(g.nodes, 0.0)
    betweenness = nx.betweenness_centrality(positive) if entities > 2 else dict.fromkeys(g.nodes, 0.0)

    def hub(node: str) -> dict[str, Any]:
        data = g.nodes[node]
        return {
            "id": curie(node),
            "label": data["label"],
            "category": data["category"],
            "neighbours": positive.degree(node),
            "relations": relations[node],
            "degree_centrality": round(degree[node], 4),
            "betweenness": round(betweenness[node], 4),
        }

    def by(score: dict[str, float]) -> list[dict[str, Any]]:
        ranked = sorted(g.nodes, key=lambda n: (-score[n], -relations[n], g.nodes[n]["label"], n))
        return [hub(n) for n in ranked[:top] if score[n] > 0]

    categories = Counter(data["category"] for _, data in g.nodes(data=True))
    predicates: dict[str, dict[str, Any]] = {}
    for _, _, _, data in sorted(assertions, key=lambda a: a[3]["predicate"]):
        row = predicates.setdefault(
            data["predicate"], {"label": data["label"], "assertions": 0, "hedged": 0, "negated": 0}
        )
        row["assertions"] += 1
        row["hedged"] += data["certainty"] == "hedged"
        row["negated"] += data["negated"]
    identified = sum(bool(data["identifiers"]) for _, data in g.nodes(data=True))
    hedged = sum(data["certainty"] == "hedged" for *_, data in assertions)
    negated = sum(data["negated"] for *_, data in assertions)
    return {
        "documents": len(g.graph.get("documents", {})),
        "entities": entities,
        "assertions": total,
        "supporting_sentences": sum(data["support_count"] for *_, data in assertions),
        "categories": dict(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
        "predicates": dict(sorted(predicates.items(), key=lambda kv: (-kv[1]["assertions"], kv[1]["label"]))),
        "standard_identifiers": _share(identified, entities),
        "hedged": _share(hedged, total),
        "negated": _share(negated, total),
        "hubs": {"degree": by(degree), "betweenness": by(betweenness)},
    }


def _share(count: int, total: int) -> dict[str, Any]:
    return {"count": count, "of": total, "share": round(count / total, 4) if total else 0.0}
