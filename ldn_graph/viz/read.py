"""The HTML view's reading of a finished graph: each entity as a node and each assertion as an edge, with
what their tooltips and the side panel show (identifiers, evidence sentences, documents, qualifiers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ldn_graph.namespaces import LDN, iri_to_curie, local_name, prefixed_name
from ldn_graph.rdf.read import ENTITY_CLASSES as ENTITY_CLASSES  # the precedence a node is drawn by
from ldn_graph.rdf.read import Assertion, Document, Entity, Evidence, GraphReader
from ldn_graph.rdf.values import integer, one

MAX_SENTENCES = 10  # evidence sentences listed in one tooltip
MAX_SENTENCE_CHARS = 400
MAX_PANEL_SENTENCES = 200  # evidence sentences the side panel lists for one relation


@dataclass(frozen=True)
class ViewNode:
    """An entity as the page draws it."""

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
class ViewEdge:
    """An assertion as the page draws it: an arrow from subject to object."""

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
    documents: int = 0  # documents with a sentence behind it: what ranks the overview (viz/overview.py)
    detail: dict[str, Any] = field(default_factory=dict, compare=False)  # what the side panel shows


# --- reading the graph -------------------------------------------------------------------------------


def nodes_and_edges(g: Graph) -> tuple[list[ViewNode], list[ViewEdge]]:
    """The page's nodes (every entity, and every other end of an assertion) and edges (every assertion
    between two IRIs), read by `rdf.read.GraphReader`."""
    reader = GraphReader(g)
    nodes, assertions = entities_and_assertions(reader)
    edges = sorted((assertion_edge(reader, assertion, nodes) for assertion in assertions), key=edge_order)
    return sorted(nodes.values(), key=lambda n: n.iri), edges


def entities_and_assertions(
    reader: GraphReader, *, brief: bool = False
) -> tuple[dict[str, ViewNode], list[Assertion]]:
    """Every entity as a node, by IRI, and every assertion about two entities, whose other ends are nodes
    too; `brief`: its evidence read briefly, without sentences (`GraphReader.evidence`)."""
    nodes = {
        str(iri): _entity_node(reader, reader.entity(iri, cls))
        for iri, cls in reader.entity_classes().items()
    }
    assertions: list[Assertion] = []
    for node in reader.assertion_nodes():
        assertion = reader.assertion(node, brief=brief)
        if not assertion.is_about_entities():
            continue  # not a statement about two entities: nothing to draw
        for end in (assertion.subject, assertion.object):
            if str(end) not in nodes:
                nodes[str(end)] = _entity_node(reader, reader.entity(URIRef(str(end)), []))
        assertions.append(assertion)
    return nodes, assertions


def edge_order(edge: ViewEdge) -> tuple[str, str, str, bool, str]:
    """The order of the page's edges: by subject, object, predicate, negation, IRI."""
    return (edge.source, edge.target, edge.label, edge.negated, edge.iri)


def _entity_node(reader: GraphReader, entity: Entity) -> ViewNode:
    label = entity.label or local_name(entity.iri)
    classes = [LDN[name] for name in entity.classes]
    class_names = ", ".join(reader.term_label(c) for c in classes) or "not typed as an entity"
    identifiers = sorted(entity.identifiers)
    alt_labels = sorted(set(entity.alt_labels) - {label})
    lines = [label, f"class: {class_names}"]
    if alt_labels:
        lines.append("also called: " + ", ".join(alt_labels))
    lines.append("identifiers: " + (", ".join(identifiers) if identifiers else "none"))
    if entity.normalised is True:
        lines.append("normalised: yes")
    elif entity.normalised is False:
        lines.append("normalised: no (project-local entity)")
    else:
        lines.append("normalised: unknown")
    facts = [["class", class_names]]
    if alt_labels:
        facts.append(["also called", ", ".join(alt_labels)])
    facts.append(["normalised", lines[-1].removeprefix("normalised: ")])
    detail = {"title": label, "facts": facts, "identifiers": _identifier_links(entity)}
    return ViewNode(
        iri=str(entity.iri),
        label=label,
        cls=classes[0] if classes else None,
        tooltip="\n".join(lines),
        names=(label, *alt_labels),
        detail=detail,
    )


def _identifier_links(entity: Entity) -> list[dict[str, str | None]]:
    """The entity's identifiers (skos:exactMatch) as CURIE text, each with its IRI as its link."""
    found = {
        text: _web_address(str(iri)) for text, iri in zip(entity.identifiers, entity.matches, strict=True)
    }
    return [{"text": text, "url": found[text]} for text in sorted(found)]


def _web_address(text: str | None) -> str | None:
    """`text` when it is an http(s) address a browser may open, else None."""
    if text and re.match(r"https?://[^\s<>\"]+$", text, re.IGNORECASE):
        return text
    return None


def _document_name(evidence: Evidence) -> str:
    """What the page calls the evidence's document: its title, else its file name, else its key."""
    document = evidence.document
    if document is None:
        return "unknown document"
    return document.title or document.source or local_name(document.iri) or "unknown document"


def panel(evidence: Evidence) -> dict[str, Any]:
    """The evidence as the side panel lists it: the whole sentence, where it is, what it links to."""
    name = _document_name(evidence)
    citation = _citation(evidence.document, name) if evidence.document is not None else None
    if citation and citation.startswith(name.rstrip(".") + ", "):
        citation = citation[len(name.rstrip(".")) + 2 :]  # the title is the link already
    url, link = _document_link(evidence.document) if evidence.document is not None else (None, None)
    return {
        "sentence": " ".join(_sentence(evidence).split()),
        "document": name,
        "citation": citation,
        "start": evidence.start,
        "end": evidence.end,
        "hedged": evidence.certainty == LDN.Hedged,
        "url": url,
        "link": link,
    }


def _sentence(evidence: Evidence) -> str:
    return evidence.sentence or "(sentence not in the graph)"


def panel_order(evidence: Evidence) -> tuple[str, int, int, str]:
    """The order the tooltip and the panel list an assertion's evidence in: by document, then place."""
    start = evidence.start if evidence.start is not None else -1
    return (_document_name(evidence), start, evidence.end or -1, str(evidence.iri))


def relation_edge(reader: GraphReader, assertion: Assertion) -> tuple[ViewEdge, list[Evidence]]:
    """An assertion about two entities as an edge without tooltip, its detail its `facts` and the
    `opposite` edge only, and its evidence in the order the panel lists it (`panel_order`)."""
    subject, predicate, obj = assertion.subject, assertion.predicate, assertion.object
    assert predicate is not None  # is_about_entities
    predicate_label = reader.term_label(predicate)
    negated = assertion.negated
    certainty = assertion.certainty
    evidences = sorted(assertion.evidence, key=panel_order)
    support = assertion.support if assertion.support is not None else len(evidences)
    documents = assertion.documents
    if documents is None:
        documents = len({_document_name(e) for e in evidences})

    qualifiers = sorted(
        f"{reader.term_label(q.kinds[0]) if q.kinds else 'qualifier'}: {q.label or local_name(q.iri)}"
        for q in assertion.qualifiers
    )

    curie = prefixed_name(str(predicate), {"ldn": LDN._NS}) or iri_to_curie(str(predicate))
    confidence = _decimal(assertion.confidence)
    facts = [
        ["predicate", predicate_label + (f" ({curie})" if curie else "")],
        ["certainty", reader.term_label(certainty) if certainty is not None else "unknown"],
        ["negated", "yes" if negated else "no"],
        *([["confidence", confidence]] if confidence is not None else []),
        ["support", f"{plural(support, 'sentence')} in {plural(documents, 'document')}"],
    ]
    if qualifiers:
        facts.append(["qualifiers", "; ".join(qualifiers)])
    opposite = assertion.contradicted_by
    if opposite is not None:
        count = integer(one(reader.g, opposite, LDN.documentCount))
        where = f"in {plural(count, 'document')}" if count is not None else "elsewhere"
        facts.append(["contradicted", f"{'stated' if negated else 'negated'} {where} (the other edge)"])
    edge = ViewEdge(
        iri=str(assertion.iri),
        source=str(subject),
        target=str(obj),
        label=predicate_label,
        negated=negated,
        hedged=certainty == LDN.Hedged,
        support=support,
        tooltip="",
        predicate=curie or str(predicate),
        contradicted=opposite is not None,
        documents=documents,
        detail={"facts": facts, "opposite": str(opposite) if opposite is not None else None},
    )
    return edge, evidences


def panel_facts(facts: list[list[str]]) -> list[list[str]]:
    """What the panel lists of a relation's facts: all but whether it is negated (the heading says it)."""
    return [fact for fact in facts if fact[0] != "negated"]


def assertion_edge(reader: GraphReader, assertion: Assertion, nodes: dict[str, ViewNode]) -> ViewEdge:
    """An assertion about two entities as the page draws it: its tooltip and its panel (`nodes` holds
    its ends)."""
    edge, evidences = relation_edge(reader, assertion)
    negated, hedged, facts = edge.negated, edge.hedged, edge.detail["facts"]
    phrase = f"{'NOT ' if negated else ''}{edge.label}"
    lines = [f"{nodes[edge.source].label} {phrase} {nodes[edge.target].label}"]
    lines += [f"{name}: {value}" for name, value in facts]
    if evidences:
        lines.append("evidence:")
        for ev in evidences[:MAX_SENTENCES]:
            name = _document_name(ev)
            where = (_citation(ev.document, name) if ev.document is not None else None) or name
            if ev.start is not None and ev.end is not None:
                where += f", characters {ev.start}-{ev.end}"
            hedge = " [hedged]" if ev.certainty == LDN.Hedged and not hedged else ""
            lines.append(f"\u2022 \u201c{_shorten(_sentence(ev))}\u201d{hedge} ({where})")
        if len(evidences) > MAX_SENTENCES:
            lines.append(f"\u2026 and {len(evidences) - MAX_SENTENCES} more")
    detail = {
        "phrase": phrase,
        "negated": negated,
        "confidence": _decimal(assertion.confidence),
        "support": plural(edge.support, "sentence"),
        "facts": panel_facts(facts),
        "evidence": [panel(ev) for ev in evidences[:MAX_PANEL_SENTENCES]],
        "more": max(len(evidences) - MAX_PANEL_SENTENCES, 0),
        "opposite": edge.detail["opposite"],  # the edge saying the contrary
    }
    return replace(edge, tooltip="\n".join(lines), detail=detail)


def _document_link(document: Document) -> tuple[str | None, str | None]:
    """Where a reader finds the document, and what that is: PubMed for a PMID, else doi.org for a DOI,
    else its web page (foaf:page) or a source that is a web address; (None, None) for a local file."""
    pmid = document.pmids[0] if document.pmids else None
    if pmid and pmid.isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", "PubMed"
    doi = document.dois[0] if document.dois else None
    if doi:
        name = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.IGNORECASE)
        if name.startswith("10."):
            return "https://doi.org/" + quote(name, safe="/:;()._-"), "DOI"
    pages = sorted(filter(None, (_web_address(p) for p in document.pages)))
    if pages:
        return pages[0], "web page"
    source = _web_address(document.source)
    return (source, "web page") if source else (None, None)


def _citation(document: Document, title: str) -> str | None:
    """A short citation from the document's bibliographic metadata (docs/data-model.md), or None when it
    has none: `Fixture AB et al., 2021, Journal of Pain Research Fixtures, PMID 90000001`; the title
    stands in for missing authors, as citation styles do.

    Plain text, like the rest of the tooltip, so the PMID is not a link: vis-network closes a tooltip as
    soon as the pointer leaves its edge, before it could reach a link.
    """
    pmid = document.pmids[0] if document.pmids else None
    doi = document.dois[0] if document.dois else None
    identifier = f"PMID {pmid}" if pmid else f"doi:{doi}" if doi else None
    names = document.authors
    metadata = [document.issued, document.journals[0] if document.journals else None, identifier]
    if not names and not any(metadata):
        return None
    authors = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
    return ", ".join(part for part in [authors or title.rstrip("."), *metadata] if part)


def term_label(g: Graph, term: Node) -> str:
    """The ontology's label for an ldn: term, else the graph's rdfs:label, else the IRI's local name."""
    return GraphReader(g).term_label(term)


def _decimal(value: Node | None) -> str | None:
    """A number's lexical form as written (`0.6`), or None."""
    if isinstance(value, Literal) and isinstance(value.toPython(), int | float | Decimal):
        return str(value)
    return None


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    return sentence[: MAX_SENTENCE_CHARS - 1].rstrip() + "\u2026"
