"""The one reader of a finished graph (docs/data-model.md): its entities, its assertions with their
evidence, qualifiers and contradictions, and the documents the evidence quotes, as plain dataclasses.

The HTML view (`viz/read.py`), the entity pages (`server/entity.py`), KGX (`export/kgx.py`), and analytics
and GraphML (`analytics.py`) read a graph here and differ only in what they show of it, so that each
reads an assertion's evidence, qualifiers and `ldn:contradictedBy` the same way. An assertion's evidence
is every node it was derived from (`prov:wasDerivedFrom`, which the aggregate writes) and every
annotation whose body it is (`oa:hasBody`, which a document graph writes), so a document graph without
its aggregate reads the same. Where the graph holds several values for one, the choice is fixed
(`rdf.values`): every reading of the same graph gives the same result.

`GraphReader` reads the graph as given: a Dataset's readers merge its named graphs first
(`rdf.io.merged_graph`), or query it as its union.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ldn_graph.model import ENTITY_CATEGORIES
from ldn_graph.namespaces import BIBO, DOC, LDN, OA, iri_to_curie, local_name
from ldn_graph.rdf.values import integer, literal, one

# Entity classes in precedence order: an entity typed with several is first the first one listed.
ENTITY_CLASSES: tuple[URIRef, ...] = tuple(URIRef(str(LDN._NS) + name) for name in ENTITY_CATEGORIES)

# The predicates of a document's description (`GraphReader.document`): title, source, date, journal,
# identifiers, authors and their names.
DOCUMENT_FIELDS: tuple[URIRef, ...] = (
    DCTERMS.title,
    DCTERMS.source,
    DCTERMS.issued,
    DCTERMS.isPartOf,
    BIBO.pmid,
    BIBO.doi,
    BIBO.authorList,
    FOAF.page,
    FOAF.name,
)

# The predicates `GraphReader` reads of entities, assertions, evidence read briefly (`evidence(brief=True)`)
# and documents: what a reader of many nodes has read with one scan each (`rdf/indexed.py`). Not oa:exact
# (the sentences, most of the graph's text), nor rdf:type (read by class) or the members of an author list
# (rdf:_1 ...: looked up per list).
READ_BRIEFLY: tuple[URIRef, ...] = (
    RDFS.label,
    SKOS.altLabel,
    SKOS.exactMatch,
    LDN.normalised,
    RDF.subject,
    RDF.predicate,
    RDF.object,
    LDN.negated,
    LDN.certainty,
    LDN.supportCount,
    LDN.documentCount,
    LDN.confidence,
    LDN.hasQualifier,
    LDN.contradictedBy,
    PROV.wasDerivedFrom,
    OA.hasBody,
    OA.hasTarget,
    OA.hasSelector,
    OA.start,
    OA.end,
    OA.hasSource,
    *DOCUMENT_FIELDS,
)
# And of evidence read whole: its sentence and what found it (KGX, `export/kgx.py`).
READ_WHOLLY: tuple[URIRef, ...] = (*READ_BRIEFLY, OA.exact, LDN.extractionRule, LDN.extractionScore)
# Of entities and assertions without their evidence (KGX kept by document, `store/kgx_segments.py`); not
# ldn:negated and ldn:certainty, which every evidence has too: read ahead for the assertions only.
READ_HEADS: tuple[URIRef, ...] = tuple(
    p
    for p in READ_BRIEFLY[: READ_BRIEFLY.index(PROV.wasDerivedFrom)]
    if p not in (LDN.negated, LDN.certainty)
)


@dataclass(frozen=True)
class Entity:
    """A node of the graph as an entity: what it is called, what it is, how it is identified."""

    iri: URIRef
    classes: tuple[str, ...]  # its ldn entity classes (`Drug`), in ENTITY_CATEGORIES order
    label: str | None  # its rdfs:label (untagged or English first)
    labels: tuple[str, ...]  # every rdfs:label, sorted, each text once
    alt_labels: tuple[str, ...]  # skos:altLabel, sorted, each text once
    matches: tuple[URIRef, ...]  # skos:exactMatch, sorted
    normalised: bool | None  # ldn:normalised, None when the graph does not say

    @property
    def identifiers(self) -> tuple[str, ...]:
        """The standard identifiers as CURIEs (`MONDO:0005546`), an IRI outside the known prefixes as
        itself, in the order of `matches`."""
        return tuple(iri_to_curie(str(m)) or str(m) for m in self.matches)


@dataclass(frozen=True)
class Document:
    """A document the evidence quotes, and where it was published (`rdf/write.py`)."""

    iri: Node
    title: str | None  # dcterms:title
    source: str | None  # dcterms:source: the file name or address it was read from
    pmids: tuple[str, ...] = ()  # bibo:pmid, sorted
    dois: tuple[str, ...] = ()  # bibo:doi, sorted
    issued: str | None = None  # dcterms:issued (the year)
    journals: tuple[str, ...] = ()  # the titles of what it is part of, sorted
    authors: tuple[str, ...] = ()  # the names of its bibo:authorList, in its order
    pages: tuple[str, ...] = ()  # foaf:page, sorted

    @property
    def key(self) -> str:
        """The document's key: its IRI after the `doc:` namespace, else its local name."""
        text = str(self.iri)
        return text[len(str(DOC)) :] if text.startswith(str(DOC)) else local_name(self.iri)


@dataclass(frozen=True)
class Evidence:
    """One sentence behind an assertion: where it is, what it says, how it was read."""

    iri: Node
    document: Document | None  # the document its target quotes (oa:hasSource)
    sentence: str  # the quote selector's oa:exact, "" when the graph lacks it
    start: int | None  # the position selector's offsets in the document's text
    end: int | None
    certainty: Node | None  # ldn:Asserted or ldn:Hedged, as read in this sentence
    negated: bool | None
    rules: tuple[str, ...] = ()  # what found it (ldn:extractionRule), sorted
    scores: tuple[Any, ...] = ()  # the classifier's scores (ldn:extractionScore), as numbers

    def where(self) -> str:
        """`ldn-blog-2019.txt, characters 2279-2399`: the document's file name (else its key), and the
        offsets."""
        document = self.document
        source = (document.source or document.key) if document is not None else "unknown document"
        if self.start is None or self.end is None:
            return source
        return f"{source}, characters {self.start}-{self.end}"


@dataclass(frozen=True)
class Qualifier:
    """A qualifier of an assertion: a dose, a population, a year."""

    iri: Node
    kinds: tuple[URIRef, ...]  # its classes other than ldn:Qualifier (`ldn:Dose`), sorted
    label: str | None


@dataclass(frozen=True)
class Assertion:
    """A reified statement of the graph, with everything said about it."""

    iri: Node
    subject: Node | None
    predicate: Node | None
    object: Node | None
    negated: bool
    certainty: Node | None  # ldn:Asserted or ldn:Hedged
    support: int | None  # ldn:supportCount: sentences
    documents: int | None  # ldn:documentCount
    confidence: Literal | None  # ldn:confidence, as written
    evidence: tuple[Evidence, ...] = field(default=())  # by IRI
    qualifiers: tuple[Qualifier, ...] = field(default=())  # by IRI
    contradicted_by: Node | None = None  # the assertion of the opposite, from another document

    def is_about_entities(self) -> bool:
        """True when subject, predicate and object are all IRIs: a statement between two entities."""
        return all(isinstance(t, URIRef) for t in (self.subject, self.predicate, self.object))


class GraphReader:
    """Reads entities, assertions, evidence and documents of `g`, each document once."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self._documents: dict[Node, Document] = {}
        self._term_labels: dict[Node, str] = {}

    # --- entities -----------------------------------------------------------------------------------

    def entity_classes(self) -> dict[URIRef, list[str]]:
        """Each node typed with an entity class -> its classes, in ENTITY_CATEGORIES order."""
        found: dict[URIRef, list[str]] = {}
        for name, cls in zip(ENTITY_CATEGORIES, ENTITY_CLASSES, strict=True):
            for node in self.g.subjects(RDF.type, cls):
                if isinstance(node, URIRef):
                    found.setdefault(node, []).append(name)
        return found

    def entities(self) -> dict[URIRef, Entity]:
        """Every node typed with an entity class, by IRI in IRI order."""
        classes = self.entity_classes()
        return {iri: self.entity(iri, classes[iri]) for iri in sorted(classes, key=str)}

    def entity(self, iri: URIRef, classes: list[str] | None = None) -> Entity:
        """`iri` as an entity (`classes`: its entity classes, when known already)."""
        g = self.g
        if classes is None:
            classes = [
                n for n, c in zip(ENTITY_CATEGORIES, ENTITY_CLASSES, strict=True) if (iri, RDF.type, c) in g
            ]
        normalised = boolean(one(g, iri, LDN.normalised))
        return Entity(
            iri=iri,
            classes=tuple(classes),
            label=literal(g, iri, RDFS.label),
            labels=_literals(g, iri, RDFS.label),
            alt_labels=_literals(g, iri, SKOS.altLabel),
            matches=tuple(
                sorted((m for m in g.objects(iri, SKOS.exactMatch) if isinstance(m, URIRef)), key=str)
            ),
            normalised=normalised,
        )

    # --- assertions ---------------------------------------------------------------------------------

    def assertion_nodes(self) -> list[Node]:
        """Every ldn:Assertion, in IRI order."""
        return sorted(set(self.g.subjects(RDF.type, LDN.Assertion)), key=str)

    def assertions(self) -> list[Assertion]:
        """Every assertion of the graph, in IRI order."""
        return [self.assertion(node) for node in self.assertion_nodes()]

    def assertion(self, node: Node, *, brief: bool = False, evidence: bool = True) -> Assertion:
        """What the graph says about the assertion `node`; `brief`: its evidence read briefly (`evidence`);
        not `evidence`: without its evidence."""
        g = self.g
        confidence = one(g, node, LDN.confidence)
        return Assertion(
            iri=node,
            subject=one(g, node, RDF.subject),
            predicate=one(g, node, RDF.predicate),
            object=one(g, node, RDF.object),
            negated=bool(boolean(one(g, node, LDN.negated))),
            certainty=one(g, node, LDN.certainty),
            support=integer(one(g, node, LDN.supportCount)),
            documents=integer(one(g, node, LDN.documentCount)),
            confidence=confidence if isinstance(confidence, Literal) else None,
            evidence=(
                tuple(self.evidence(e, brief=brief) for e in self.evidence_nodes(node)) if evidence else ()
            ),
            qualifiers=tuple(
                self.qualifier(q) for q in sorted(set(g.objects(node, LDN.hasQualifier)), key=str)
            ),
            contradicted_by=one(g, node, LDN.contradictedBy),
        )

    def evidence_nodes(self, assertion: Node) -> list[Node]:
        """The evidence of an assertion, in IRI order: what it was derived from, and the annotations whose
        body it is."""
        g = self.g
        return sorted(
            set(g.objects(assertion, PROV.wasDerivedFrom)) | set(g.subjects(OA.hasBody, assertion)), key=str
        )

    def evidence(self, node: Node, *, brief: bool = False) -> Evidence:
        """One evidence node: its sentence and offsets (the first selector, by IRI, that has each), its
        document, its reading. `brief`: where it is and how certain only, its sentence "" and its negation,
        rules and scores unread: a reader showing a few of many sentences reads the others' places only,
        and the sentences it shows with `quote` (viz/page_read.py)."""
        g = self.g
        target = one(g, node, OA.hasTarget)
        selectors = self._selectors(target)
        start, end, document = None, None, None
        for selector in selectors:
            if start is None:
                start, end = integer(one(g, selector, OA.start)), integer(one(g, selector, OA.end))
        if target is not None:
            source = one(g, target, OA.hasSource)
            document = self.document(source) if source is not None else None
        if brief:
            certainty = one(g, node, LDN.certainty)
            return Evidence(node, document, "", start, end, certainty=certainty, negated=None)
        scores = [s.toPython() for s in g.objects(node, LDN.extractionScore) if isinstance(s, Literal)]
        return Evidence(
            iri=node,
            document=document,
            sentence=self.quote(selectors),
            start=start,
            end=end,
            certainty=one(g, node, LDN.certainty),
            negated=boolean(one(g, node, LDN.negated)),
            rules=tuple(sorted({str(r) for r in g.objects(node, LDN.extractionRule) if str(r)})),
            scores=tuple(sorted(scores)),
        )

    def selectors(self, node: Node) -> list[Node]:
        """The selectors of the evidence `node`'s target, in IRI order (`quote` reads its sentence)."""
        return self._selectors(one(self.g, node, OA.hasTarget))

    def _selectors(self, target: Node | None) -> list[Node]:
        return [] if target is None else sorted(self.g.objects(target, OA.hasSelector), key=str)

    def quote(self, selectors: list[Node]) -> str:
        """The sentence of an evidence whose `selectors` these are (`Evidence.sentence`): the text of the
        first quoting one (oa:exact), or ""."""
        for selector in selectors:
            text = literal(self.g, selector, OA.exact)
            if text:
                return text
        return ""

    def qualifier(self, node: Node) -> Qualifier:
        """A qualifier node: its kinds and label."""
        kinds = sorted(
            k for k in self.g.objects(node, RDF.type) if isinstance(k, URIRef) and k != LDN.Qualifier
        )
        return Qualifier(node, tuple(kinds), literal(self.g, node, RDFS.label))

    # --- documents ----------------------------------------------------------------------------------

    def document_nodes(self) -> list[Node]:
        """Every ldn:Document and every document evidence quotes, in IRI order."""
        g = self.g
        return sorted(set(g.subjects(RDF.type, LDN.Document)) | set(g.objects(None, OA.hasSource)), key=str)

    def document(self, node: Node) -> Document:
        """A document's title, source and bibliographic metadata (read once per reader)."""
        if node not in self._documents:
            g = self.g
            journals = (literal(g, j, DCTERMS.title) for j in g.objects(node, DCTERMS.isPartOf))
            self._documents[node] = Document(
                iri=node,
                title=literal(g, node, DCTERMS.title),
                source=literal(g, node, DCTERMS.source),
                pmids=_literals(g, node, BIBO.pmid),
                dois=_literals(g, node, BIBO.doi),
                issued=literal(g, node, DCTERMS.issued),
                journals=tuple(sorted(filter(None, journals))),
                authors=tuple(self._author_names(node)),
                pages=tuple(sorted(str(p) for p in g.objects(node, FOAF.page))),
            )
        return self._documents[node]

    def _author_names(self, document: Node) -> list[str]:
        """The names in the document's `bibo:authorList` (an rdf:Seq), in its order."""
        members = []
        for authors in self.g.objects(document, BIBO.authorList):
            for predicate, agent in self.g.predicate_objects(authors):
                number = str(predicate).removeprefix(f"{RDF}_")
                if number.isdigit():
                    members.append((int(number), literal(self.g, agent, FOAF.name) or local_name(agent)))
        return [name for _, name in sorted(members)]

    # --- names --------------------------------------------------------------------------------------

    def term_label(self, term: Node) -> str:
        """The ontology's label for an ldn: term, else the graph's rdfs:label, else the IRI's local name in
        words (`hasActiveIngredient` -> `has active ingredient`)."""
        from ldn_graph.rdf.ontology import vocabulary_label

        found = self._term_labels.get(term)
        if found is None:
            known = vocabulary_label(term) if isinstance(term, URIRef) else None
            found = known or literal(self.g, term, RDFS.label) or humanise(local_name(term))
            self._term_labels[term] = found
        return found


def boolean(value: Node | None) -> bool | None:
    """A literal's truth: an xsd:boolean's value, else true for the text `true` or `1`; None for no
    literal."""
    if not isinstance(value, Literal):
        return None
    python = value.toPython()
    if isinstance(python, bool):
        return python
    return str(value).strip().lower() in {"true", "1"}


def humanise(name: str) -> str:
    """`hasActiveIngredient` -> `has active ingredient`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _literals(g: Graph, subject: Node, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted({str(o) for o in g.objects(subject, predicate) if isinstance(o, Literal)}))
