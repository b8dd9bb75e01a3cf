"""The HTML view's reading of a finished graph: each entity as a node and each assertion as an edge, with
what their tooltips and the side panel show (identifiers, evidence sentences, documents, qualifiers).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ldn_graph.model import ENTITY_CATEGORIES
from ldn_graph.namespaces import BIBO, LDN, OA, iri_to_curie, local_name, prefixed_name
from ldn_graph.rdf.values import integer, literal

MAX_SENTENCES = 10  # evidence sentences listed in one tooltip
MAX_SENTENCE_CHARS = 400
MAX_PANEL_SENTENCES = 200  # evidence sentences the side panel lists for one relation
# Entity classes in precedence order: an entity typed with several is drawn as the first one listed.
ENTITY_CLASSES: tuple[URIRef, ...] = tuple(URIRef(str(LDN._NS) + name) for name in ENTITY_CATEGORIES)


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
    detail: dict[str, Any] = field(default_factory=dict, compare=False)  # what the side panel shows


# --- reading the graph -------------------------------------------------------------------------------


def nodes_and_edges(g: Graph) -> tuple[list[ViewNode], list[ViewEdge]]:
    classes: dict[Node, list[URIRef]] = defaultdict(list)
    for cls in ENTITY_CLASSES:
        for entity in g.subjects(RDF.type, cls):
            classes[entity].append(cls)

    nodes: dict[str, ViewNode] = {}
    for typed, typed_classes in classes.items():
        if isinstance(typed, URIRef):
            nodes[str(typed)] = _entity_node(g, typed, typed_classes)

    edges: list[ViewEdge] = []
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


def _entity_node(g: Graph, entity: URIRef, entity_classes: list[URIRef]) -> ViewNode:
    label = literal(g, entity, RDFS.label) or local_name(entity)
    cls = entity_classes[0] if entity_classes else None
    class_names = ", ".join(term_label(g, c) for c in entity_classes) or "not typed as an entity"
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
    return ViewNode(
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
    g: Graph, assertion: Node, subject: URIRef, predicate: URIRef, obj: URIRef, nodes: dict[str, ViewNode]
) -> ViewEdge:
    predicate_label = term_label(g, predicate)
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
        f"{term_label(g, kind) if kind is not None else 'qualifier'}: "
        f"{literal(g, q, RDFS.label) or local_name(q)}"
        for q in g.objects(assertion, LDN.hasQualifier)
        for kind in [_qualifier_kind(g, q)]
    )

    curie = prefixed_name(str(predicate), {"ldn": LDN._NS}) or iri_to_curie(str(predicate))
    confidence = _decimal(g.value(assertion, LDN.confidence))
    facts = [
        ["predicate", predicate_label + (f" ({curie})" if curie else "")],
        ["certainty", term_label(g, certainty) if certainty is not None else "unknown"],
        ["negated", "yes" if negated else "no"],
        *([["confidence", confidence]] if confidence is not None else []),
        ["support", f"{plural(support, 'sentence')} in {plural(documents, 'document')}"],
    ]
    if qualifiers:
        facts.append(["qualifiers", "; ".join(qualifiers)])
    opposite = g.value(assertion, LDN.contradictedBy)
    if opposite is not None:
        count = integer(g.value(opposite, LDN.documentCount))
        where = f"in {plural(count, 'document')}" if count is not None else "elsewhere"
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
        "support": plural(support, "sentence"),
        "facts": [fact for fact in facts if fact[0] != "negated"],  # the heading says it
        "evidence": [ev.panel() for ev in evidences[:MAX_PANEL_SENTENCES]],
        "more": max(len(evidences) - MAX_PANEL_SENTENCES, 0),
        "opposite": str(opposite) if opposite is not None else None,  # the edge saying the contrary
    }
    return ViewEdge(
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


def term_label(g: Graph, term: Node) -> str:
    """The ontology's label for an ldn: term, else the graph's rdfs:label, else the IRI's local name."""
    from ldn_graph.rdf.ontology import vocabulary_label

    known = vocabulary_label(term) if isinstance(term, URIRef) else None
    return known or literal(g, term, RDFS.label) or _humanise(local_name(term))


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


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    return sentence[: MAX_SENTENCE_CHARS - 1].rstrip() + "\u2026"
