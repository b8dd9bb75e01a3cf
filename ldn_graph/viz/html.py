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
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ldn_graph.atomic import write_atomic
from ldn_graph.errors import GraphTooLargeError
from ldn_graph.namespaces import BIBO, LDN, OA, iri_to_curie, local_name, prefixed_name
from ldn_graph.rdf.io import merged_graph
from ldn_graph.rdf.values import integer, literal

# Class -> (colour, vis-network shape), in precedence order: an entity typed with several classes is
# drawn as the first one listed. Related classes share a shape; every class has a colour of its own.
# Only shapes that draw their label below them, so all nodes read alike. No red: red marks negation.
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

MAX_SENTENCES = 10  # evidence sentences listed in one tooltip
MAX_SENTENCE_CHARS = 400
MAX_PANEL_SENTENCES = 200  # evidence sentences the side panel lists for one relation

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


@dataclass(frozen=True)
class _Node:
    iri: str
    label: str
    cls: URIRef | None
    tooltip: str
    names: tuple[str, ...]  # label first, then synonyms: what the search box looks for
    detail: dict[str, Any] = field(default_factory=dict, compare=False)  # what the side panel shows

    @property
    def category(self) -> str:
        """The filter's name for the node's class: `Drug`, or `Other`."""
        return local_name(self.cls) if self.cls is not None else "Other"


@dataclass(frozen=True)
class _Edge:
    iri: str
    source: str
    target: str
    label: str
    negated: bool
    hedged: bool
    support: int
    tooltip: str
    predicate: str  # `ldn:treats`, what the predicate filter matches
    contradicted: bool = False  # another document says the opposite (ldn:contradictedBy)
    detail: dict[str, Any] = field(default_factory=dict, compare=False)  # what the side panel shows


def write_html(
    graph: Graph,
    path: str | os.PathLike[str],
    *,
    title: str = "ldn-graph",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
) -> None:
    """Write the graph (a Graph, or a Dataset read as the union of its graphs) as one offline HTML page.

    With `focus` (an entity IRI) only the entities within `depth` relations of it are drawn. With
    `max_nodes`, a drawing of more entities is refused with GraphTooLargeError and nothing is written.
    """
    page = render_html(graph, title=title, focus=focus, depth=depth, max_nodes=max_nodes)
    write_atomic(Path(path), page)


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
    nodes, edges = _nodes_and_edges(g)
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
    nodes: list[_Node], edges: list[_Edge], focus: str, depth: int
) -> tuple[list[_Node], list[_Edge]]:
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


def _too_large(nodes: list[_Node], focus: str | None, depth: int, max_nodes: int) -> str:
    if focus is None:
        return (
            f"{len(nodes)} entities are too many to draw whole (the limit is {max_nodes}): draw the "
            "neighbourhood of one with --focus NAME --depth 1, or raise --max-nodes"
        )
    name = next((n.label for n in nodes if n.iri == focus), focus)
    return (
        f"the neighbourhood of {name} within {_plural(depth, 'relation')} has {len(nodes)} entities, too "
        f"many to draw (the limit is {max_nodes}): lower --depth or raise --max-nodes"
    )


# --- reading the graph -------------------------------------------------------------------------------


def _nodes_and_edges(g: Graph) -> tuple[list[_Node], list[_Edge]]:
    classes: dict[Node, list[URIRef]] = defaultdict(list)
    for cls in ENTITY_STYLES:
        for entity in g.subjects(RDF.type, cls):
            classes[entity].append(cls)

    nodes: dict[str, _Node] = {}
    for typed, typed_classes in classes.items():
        if isinstance(typed, URIRef):
            nodes[str(typed)] = _entity_node(g, typed, typed_classes)

    edges: list[_Edge] = []
    for assertion in set(g.subjects(RDF.type, LDN.Assertion)):
        subject, predicate, obj = (g.value(assertion, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        if not (isinstance(subject, URIRef) and isinstance(predicate, URIRef) and isinstance(obj, URIRef)):
            continue  # not a statement about two entities: nothing to draw
        for end in (subject, obj):
            if str(end) not in nodes:
                nodes[str(end)] = _entity_node(g, end, [])
        edges.append(_assertion_edge(g, assertion, subject, predicate, obj, nodes))

    edges.sort(key=lambda e: (e.source, e.target, e.label, e.negated, e.iri))
    return sorted(nodes.values(), key=lambda n: n.iri), edges


def _entity_node(g: Graph, entity: URIRef, entity_classes: list[URIRef]) -> _Node:
    label = literal(g, entity, RDFS.label) or local_name(entity)
    cls = entity_classes[0] if entity_classes else None
    class_names = ", ".join(_term_label(g, c) for c in entity_classes) or "not typed as an entity"
    identifiers = sorted(iri_to_curie(str(i)) or str(i) for i in g.objects(entity, SKOS.exactMatch))
    alt_labels = sorted({str(a) for a in g.objects(entity, SKOS.altLabel)} - {label})
    normalised = g.value(entity, LDN.normalised)
    lines = [label, f"class: {class_names}"]
    if alt_labels:
        lines.append("also called: " + ", ".join(alt_labels))
    lines.append("identifiers: " + (", ".join(identifiers) if identifiers else "none"))
    if isinstance(normalised, Literal) and normalised.toPython() is True:
        lines.append("normalised: yes")
    elif isinstance(normalised, Literal):
        lines.append("normalised: no (project-local entity)")
    else:
        lines.append("normalised: unknown")
    facts = [["class", class_names]]
    if alt_labels:
        facts.append(["also called", ", ".join(alt_labels)])
    facts.append(["normalised", lines[-1].removeprefix("normalised: ")])
    detail = {"title": label, "facts": facts, "identifiers": _identifier_links(g, entity)}
    return _Node(
        iri=str(entity),
        label=label,
        cls=cls,
        tooltip="\n".join(lines),
        names=(label, *alt_labels),
        detail=detail,
    )


def _identifier_links(g: Graph, entity: Node) -> list[dict[str, str | None]]:
    """The entity's identifiers (skos:exactMatch) as CURIE text, each with its IRI as its link."""
    found = {iri_to_curie(str(i)) or str(i): _web_address(str(i)) for i in g.objects(entity, SKOS.exactMatch)}
    return [{"text": text, "url": found[text]} for text in sorted(found)]


def _web_address(text: str | None) -> str | None:
    """`text` when it is an http(s) address a browser may open, else None."""
    if text and re.match(r"https?://[^\s<>\"]+$", text, re.IGNORECASE):
        return text
    return None


@dataclass(frozen=True)
class _Evidence:
    sentence: str
    document: str
    citation: str | None  # when the document has bibliographic metadata: authors, year, journal, PMID
    start: int | None
    end: int | None
    hedged: bool
    iri: str
    url: str | None = None  # the document on PubMed, at its DOI, or its own web address
    link: str | None = None  # what `url` leads to: "PubMed", "DOI", "web page"

    def panel(self) -> dict[str, Any]:
        """The evidence as the side panel lists it: the whole sentence, where it is, what it links to."""
        citation = self.citation
        if citation and citation.startswith(self.document.rstrip(".") + ", "):
            citation = citation[len(self.document.rstrip(".")) + 2 :]  # the title is the link already
        return {
            "sentence": " ".join(self.sentence.split()),
            "document": self.document,
            "citation": citation,
            "start": self.start,
            "end": self.end,
            "hedged": self.hedged,
            "url": self.url,
            "link": self.link,
        }


def _assertion_edge(
    g: Graph, assertion: Node, subject: URIRef, predicate: URIRef, obj: URIRef, nodes: dict[str, _Node]
) -> _Edge:
    predicate_label = _term_label(g, predicate)
    negated = _is_true(g.value(assertion, LDN.negated))
    certainty = g.value(assertion, LDN.certainty)
    hedged = certainty == LDN.Hedged
    evidences = sorted(
        (_evidence(g, e) for e in set(g.objects(assertion, PROV.wasDerivedFrom))),
        key=lambda e: (e.document, e.start if e.start is not None else -1, e.end or -1, e.iri),
    )
    support = integer(g.value(assertion, LDN.supportCount))
    if support is None:
        support = len(evidences)
    documents = integer(g.value(assertion, LDN.documentCount))
    if documents is None:
        documents = len({e.document for e in evidences})

    qualifiers = sorted(
        f"{_term_label(g, kind) if kind is not None else 'qualifier'}: "
        f"{literal(g, q, RDFS.label) or local_name(q)}"
        for q in g.objects(assertion, LDN.hasQualifier)
        for kind in [_qualifier_kind(g, q)]
    )

    curie = prefixed_name(str(predicate), {"ldn": LDN._NS}) or iri_to_curie(str(predicate))
    confidence = _decimal(g.value(assertion, LDN.confidence))
    facts = [
        ["predicate", predicate_label + (f" ({curie})" if curie else "")],
        ["certainty", _term_label(g, certainty) if certainty is not None else "unknown"],
        ["negated", "yes" if negated else "no"],
        *([["confidence", confidence]] if confidence is not None else []),
        ["support", f"{_plural(support, 'sentence')} in {_plural(documents, 'document')}"],
    ]
    if qualifiers:
        facts.append(["qualifiers", "; ".join(qualifiers)])
    opposite = g.value(assertion, LDN.contradictedBy)
    if opposite is not None:
        count = integer(g.value(opposite, LDN.documentCount))
        where = f"in {_plural(count, 'document')}" if count is not None else "elsewhere"
        facts.append(["contradicted", f"{'stated' if negated else 'negated'} {where} (the other edge)"])
    phrase = f"{'NOT ' if negated else ''}{predicate_label}"
    lines = [f"{nodes[str(subject)].label} {phrase} {nodes[str(obj)].label}"]
    lines += [f"{name}: {value}" for name, value in facts]
    if evidences:
        lines.append("evidence:")
        for ev in evidences[:MAX_SENTENCES]:
            where = ev.citation or ev.document
            if ev.start is not None and ev.end is not None:
                where += f", characters {ev.start}-{ev.end}"
            hedge = " [hedged]" if ev.hedged and not hedged else ""
            lines.append(f"\u2022 \u201c{_shorten(ev.sentence)}\u201d{hedge} ({where})")
        if len(evidences) > MAX_SENTENCES:
            lines.append(f"\u2026 and {len(evidences) - MAX_SENTENCES} more")
    detail = {
        "phrase": phrase,
        "negated": negated,
        "confidence": confidence,
        "support": _plural(support, "sentence"),
        "facts": [fact for fact in facts if fact[0] != "negated"],  # the heading says it
        "evidence": [ev.panel() for ev in evidences[:MAX_PANEL_SENTENCES]],
        "more": max(len(evidences) - MAX_PANEL_SENTENCES, 0),
        "opposite": str(opposite) if opposite is not None else None,  # the edge saying the contrary
    }
    return _Edge(
        iri=str(assertion),
        source=str(subject),
        target=str(obj),
        label=predicate_label,
        negated=negated,
        hedged=hedged,
        support=support,
        tooltip="\n".join(lines),
        predicate=curie or str(predicate),
        contradicted=opposite is not None,
        detail=detail,
    )


def _evidence(g: Graph, evidence: Node) -> _Evidence:
    target = g.value(evidence, OA.hasTarget)
    sentence, start, end, document, citation = "", None, None, "", None
    url: str | None = None
    link: str | None = None
    if target is not None:
        for selector in sorted(g.objects(target, OA.hasSelector), key=str):
            sentence = sentence or literal(g, selector, OA.exact) or ""
            if start is None:
                start = integer(g.value(selector, OA.start))
                end = integer(g.value(selector, OA.end))
        source = g.value(target, OA.hasSource)
        if source is not None:
            document = (
                literal(g, source, DCTERMS.title) or literal(g, source, DCTERMS.source) or local_name(source)
            )
            citation = _citation(g, source, document)
            url, link = _document_link(g, source)
    return _Evidence(
        sentence=sentence or "(sentence not in the graph)",
        document=document or "unknown document",
        citation=citation,
        start=start,
        end=end,
        hedged=g.value(evidence, LDN.certainty) == LDN.Hedged,
        iri=str(evidence),
        url=url,
        link=link,
    )


def _document_link(g: Graph, document: Node) -> tuple[str | None, str | None]:
    """Where a reader finds the document, and what that is: PubMed for a PMID, else doi.org for a DOI,
    else its web page (foaf:page) or a source that is a web address; (None, None) for a local file."""
    pmid = literal(g, document, BIBO.pmid)
    if pmid and pmid.isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", "PubMed"
    doi = literal(g, document, BIBO.doi)
    if doi:
        name = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.IGNORECASE)
        if name.startswith("10."):
            return "https://doi.org/" + quote(name, safe="/:;()._-"), "DOI"
    pages = sorted(filter(None, (_web_address(str(p)) for p in g.objects(document, FOAF.page))))
    if pages:
        return pages[0], "web page"
    source = _web_address(literal(g, document, DCTERMS.source))
    return (source, "web page") if source else (None, None)


def _citation(g: Graph, document: Node, title: str) -> str | None:
    """A short citation from the document's bibliographic metadata (docs/data-model.md), or None when it
    has none: `Fixture AB et al., 2021, Journal of Pain Research Fixtures, PMID 90000001`; the title
    stands in for missing authors, as citation styles do.

    Plain text, like the rest of the tooltip, so the PMID is not a link: vis-network closes a tooltip as
    soon as the pointer leaves its edge, before it could reach a link.
    """
    journals = sorted(
        filter(None, (literal(g, j, DCTERMS.title) for j in g.objects(document, DCTERMS.isPartOf)))
    )
    pmid, doi = literal(g, document, BIBO.pmid), literal(g, document, BIBO.doi)
    identifier = f"PMID {pmid}" if pmid else f"doi:{doi}" if doi else None
    names = _author_names(g, document)
    metadata = [literal(g, document, DCTERMS.issued), journals[0] if journals else None, identifier]
    if not names and not any(metadata):
        return None
    authors = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
    return ", ".join(part for part in [authors or title.rstrip("."), *metadata] if part)


def _author_names(g: Graph, document: Node) -> list[str]:
    """The names in the document's `bibo:authorList` (an rdf:Seq), in its order."""
    members = []
    for authors in g.objects(document, BIBO.authorList):
        for predicate, agent in g.predicate_objects(authors):
            number = str(predicate).removeprefix(f"{RDF}_")
            if number.isdigit():
                members.append((int(number), literal(g, agent, FOAF.name) or local_name(agent)))
    return [name for _, name in sorted(members)]


def _qualifier_kind(g: Graph, qualifier: Node) -> URIRef | None:
    kinds = sorted(k for k in g.objects(qualifier, RDF.type) if isinstance(k, URIRef) and k != LDN.Qualifier)
    return kinds[0] if kinds else None


def _term_label(g: Graph, term: Node) -> str:
    """The ontology's label for an ldn: term, else the graph's rdfs:label, else the IRI's local name."""
    if isinstance(term, URIRef) and str(term).startswith(str(LDN._NS)):
        from ldn_graph.rdf.ontology import label

        try:
            return label(str(term)[len(str(LDN._NS)) :])
        except KeyError:
            pass
    return literal(g, term, RDFS.label) or _humanise(local_name(term))


def _humanise(name: str) -> str:
    """`hasActiveIngredient` -> `has active ingredient`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _decimal(value: Node | None) -> str | None:
    """A number's lexical form as written (`0.6`), or None."""
    if isinstance(value, Literal) and isinstance(value.toPython(), int | float | Decimal):
        return str(value)
    return None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    return sentence[: MAX_SENTENCE_CHARS - 1].rstrip() + "\u2026"


# --- drawing -----------------------------------------------------------------------------------------


def _edge_width(support: int) -> float:
    """1.5 for one sentence, +2 for each doubling, at most 9."""
    return round(min(9.0, 1.5 + 2.0 * math.log2(max(support, 1))), 2)


def _parallel_smoothing(edges: list[_Edge]) -> list[dict[str, Any] | None]:
    """Curves that keep edges between the same two nodes apart (vis-network draws them on top of each other).

    A lone edge stays straight; n edges between one pair fan out symmetrically, bending further the
    further they are from the middle. Sides are reckoned from one fixed direction of the pair, so that
    A->B and B->A fan out like the rest.
    """

    def pair(edge: _Edge) -> tuple[str, str]:
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
    nodes: list[_Node],
    edges: list[_Edge],
    focus: _Node | None,
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
    header = _header(title, nodes, edges, focus, depth, whole)
    page = _replace_once(page, "<body>", "<body>\n" + header + _PANEL)
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


def _header(
    title: str,
    nodes: list[_Node],
    edges: list[_Edge],
    focus: _Node | None,
    depth: int,
    whole: tuple[int, int],
) -> str:
    # Counted as `ldn-graph stats` counts them: a hedged negation is both hedged and negated.
    negated = sum(e.negated for e in edges)
    hedged = sum(e.hedged for e in edges)
    kinds = f"{hedged} hedged, {negated} negated"
    contradicted = sum(e.contradicted and not e.negated for e in edges)  # a claim, not its two edges
    if contradicted:
        kinds += f", {_plural(contradicted, 'claim')} stated in one document and negated in another"
    counts = f"{_entities(len(nodes))}, {_plural(len(edges), 'relation')} ({kinds})"
    if focus is not None:
        counts = (
            f"The neighbourhood of {focus.label} (what is within {_plural(depth, 'relation')} of it): "
            f"{len(nodes)} of {_entities(whole[0])}, {len(edges)} of {_plural(whole[1], 'relation')} "
            f"({kinds})"
        )
    summary = (
        f"{counts}. Click a node or an edge to pin its identifiers or its evidence in the panel, hover "
        "for a glimpse; drag to move, scroll to zoom; untick a category or a predicate to hide it."
    )
    if not nodes:
        summary = "This graph has no entities to draw."
    return (
        '<div class="ldn-header">\n'
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="ldn-summary">{html.escape(summary)}</p>\n'
        f"{_tools()}\n"
        f"{_legend(nodes, edges)}\n"
        "</div>\n"
    )


# The side panel: static/panel.js fills it when a node or an edge is clicked.
_PANEL = (
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


def _tools() -> str:
    """The search box; static/tools.js fills its list of names and makes it work."""
    return (
        '<form id="ldn-tools" class="ldn-tools" role="search" autocomplete="off">\n'
        '<label for="ldn-search-input">Find</label>\n'
        '<input id="ldn-search-input" type="search" list="ldn-search-names" '
        'placeholder="an entity by name or synonym" spellcheck="false">\n'
        '<datalist id="ldn-search-names"></datalist>\n'
        '<button type="submit">Find</button>\n'
        '<button type="button" id="ldn-reset">Show all</button>\n'
        '<span id="ldn-search-status" role="status" aria-live="polite"></span>\n'
        '<span id="ldn-shown" aria-live="polite"></span>\n'
        "</form>"
    )


def _legend(nodes: list[_Node], edges: list[_Edge]) -> str:
    """Categories and predicates as checkboxes that filter the drawing, and the key to the edge styles."""
    per_class: dict[URIRef | None, int] = defaultdict(int)
    for node in nodes:
        per_class[node.cls] += 1
    items = []
    ontology = Graph()  # class labels come from the ontology; an empty graph for the fallback
    for cls, (colour, shape) in ENTITY_STYLES.items():
        if cls in per_class:
            name = _term_label(ontology, cls)
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
