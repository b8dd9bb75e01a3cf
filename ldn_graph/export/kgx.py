"""KGX TSV writer: `nodes.tsv` and `edges.tsv`, the Biolink ecosystem's exchange format.

Everything is read back from the RDF graph (docs/data-model.md), never from the extraction records, so
`ldn-graph export graph.ttl --format kgx` gives the same files as `build`. Categories and predicates come
from the ontology (`ldn:biolinkCategory`, `ldn:biolinkPredicate` and its rules). Rows are sorted and
multi-valued cells `|`-joined and sorted where kgx sorts them, with `|`, tabs, line breaks and control
characters inside values turned into spaces or dropped, so that `kgx transform` reads every cell back as
written. A boolean cell is `True` or empty: kgx reads any non-empty text, `False` too, as true.

A node's `id` is its preferred standard CURIE; an entity without one keeps its project CURIE,
`LDN:low-dose-naltrexone`, which `namespaces.CURIE_BASES` expands to the entity's IRI. kgx's validator
reports that prefix, the one error it finds: it accepts a node id only as a CURIE whose prefix is in
Biolink's prefix map, which has none for a project's own entities (a full IRI is not accepted either), and
an identifier under someone else's prefix would be invented. `standard_only` leaves those entities and the
edges that touch them out, for a Biolink pipeline (`export --format kgx --standard-ids-only`). An edge's
`publications` cites each document it was read from by its PMID, else its DOI (Biolink's prefixes for a
Publication, in that order), else the document's IRI; a document with a PMID is a node (`PMID:…`, its DOI
as `xref`): a DOI cannot be a node id (kgx takes a `/` in a CURIE as not a CURIE).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.term import Node

from ldn_graph.atomic import write_atomic
from ldn_graph.errors import LdnGraphError
from ldn_graph.export import FORMATS
from ldn_graph.export.rdf import union_graph
from ldn_graph.export.text import bounded_id, strip_controls
from ldn_graph.namespaces import ASSERTION, CURIE_BASES, DOC, ENT, LDN, iri_to_curie
from ldn_graph.rdf import ontology
from ldn_graph.rdf.indexed import indexed_graph
from ldn_graph.rdf.read import (
    DOCUMENT_FIELDS,
    READ_HEADS,
    READ_WHOLLY,
    Assertion,
    Document,
    Entity,
    Evidence,
    GraphReader,
)
from ldn_graph.rdf.values import first_text

NODE_COLUMNS = ("id", "category", "name", "xref", "synonym", "provided_by", "normalised")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "negated",
    "certainty",
    "object_direction_qualifier",
    "object_aspect_qualifier",
    "ldn_predicate",
    "supporting_text",
    "extraction_methods",
    "extraction_score",
    "publications",
    "support_count",
    "dose",
    "effect_size",
    "year",
    "population",
    "sample_size",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
)

INFORES = "infores:ldn-graph"
# The prefix of the entities without a standard identifier (namespaces.CURIE_BASES expands it).
PROJECT_PREFIX = "LDN"
# The prefixes of the standard identifiers this writer gives: the ontologies' (CURIE_BASES but the project's
# own) and PMID for documents. Each is in Biolink's prefix map, the one list `kgx validate` accepts a node
# id's prefix from (tests/test_export_kgx_tool.py checks them against the map kgx is given).
STANDARD_PREFIXES = frozenset(CURIE_BASES) - {PROJECT_PREFIX} | {"PMID"}
# What kgx takes for a CURIE (`PrefixManager.is_curie`): no `/`, `:` or space after the prefix's colon.
KGX_CURIE = re.compile(r"([^ <()>:]*):[^/ :]+")
# An author who states a relation asserts it; one who hedges it ("may", "suggests") puts forward a
# hypothesis, which Biolink calls a prediction. The agent is always our text miner.
KNOWLEDGE_LEVEL = {"asserted": "knowledge_assertion", "hedged": "prediction"}
AGENT_TYPE = "text_mining_agent"
# Direction qualifiers (from the ontology) say how the object changes; what changes is its activity or
# amount, which the text rarely tells apart.
DEFAULT_ASPECT = "activity_or_abundance"

# The entity classes in the order that decides a node's identifier when it has several, and the CURIE
# prefixes preferred as its `id`, best first (Biolink's id_prefixes for the category, restricted to the
# sources the lexicon uses; HGNC names the gene, so PR comes first for a protein, as ldn.ttl says).
ID_PREFERENCE: dict[str, tuple[str, ...]] = {
    "Drug": ("CHEBI", "MESH"),
    "ChemicalEntity": ("CHEBI", "MESH"),
    "MolecularEntity": ("CHEBI", "MESH"),
    "ChemicalRole": ("CHEBI", "MESH"),
    "Protein": ("PR", "HGNC", "MESH"),
    "ProteinFamily": ("PR", "MESH"),
    "Cell": ("CL", "MESH"),
    "AnatomicalEntity": ("UBERON", "GO", "MESH"),
    "BiologicalProcess": ("GO", "MESH"),
    "Disease": ("MONDO", "DOID", "MESH"),
    "PhenotypicFeature": ("HP", "MESH"),
    "Population": ("MESH",),
}
ENTITY_CLASSES = tuple(ID_PREFERENCE)

# What is read once the assertions and entities are: the documents no evidence quotes (each read as
# `GraphReader.document` reads one) and the names of edge ends that are not entities. A store read in place
# keeps these predicates' indexes, and lets go of the others (rdf/indexed.py's `keep_only`).
DOCUMENT_PREDICATES = (*DOCUMENT_FIELDS, RDFS.label, SKOS.altLabel)

QUALIFIER_COLUMNS: dict[Node, str] = {
    LDN.Dose: "dose",
    LDN.EffectSize: "effect_size",
    LDN.StudyYear: "year",
    LDN.StudyPopulation: "population",
    LDN.SampleSize: "sample_size",
}


def clean(text: object) -> str:
    """One cell value: no control character, `|`, tab or line break inside, spaces collapsed."""
    return re.sub(r"\s+", " ", strip_controls(str(text)).replace("|", " ")).strip()


def flag(value: bool | None) -> str:
    """A boolean cell: `True`, or empty for false (kgx reads the text `False` as true)."""
    return "True" if value else ""


def join(values: Iterable[object], separator: str = "|") -> str:
    """Clean values joined in sorted order, empty ones and repeats dropped: kgx reads a `|`-joined cell as a
    list and sorts it, so it is written sorted. A single-valued Biolink slot (`effect_size`) that holds
    several values is joined with `; `, which kgx reads as one text."""
    return separator.join(sorted({clean(value) for value in values} - {""}))


def local_name(iri: Node, namespace: str) -> str:
    """The part of `iri` after `namespace`, or after its last `/` or `#` when it is elsewhere."""
    text = str(iri)
    if text.startswith(namespace):
        return text[len(namespace) :]
    return re.split(r"[/#]", text.rstrip("/#"))[-1]


@dataclass
class _Entity:
    iri: URIRef
    classes: list[str]  # ldn class local names, in ENTITY_CLASSES order
    curies: list[str]  # standard CURIEs from skos:exactMatch (or IRIs outside the known prefixes)
    read: Entity  # the entity as the graph says it

    @property
    def key(self) -> str:
        return local_name(self.iri, str(ENT))

    def candidates(self) -> list[str]:
        """Standard CURIEs that may serve as `id`, best first."""
        preference = ID_PREFERENCE.get(self.classes[0], ()) if self.classes else ()
        ranked = [c for c in self.curies if c.split(":", 1)[0] in preference]
        return sorted(ranked, key=lambda c: (preference.index(c.split(":", 1)[0]), c))


def _entity_curie(iri: Node) -> str:
    """The `LDN:` CURIE of an entity (or the CURIE or IRI of a foreign one)."""
    if str(iri).startswith(str(ENT)):
        return bounded_id(clean(f"{PROJECT_PREFIX}:{local_name(iri, str(ENT))}"))
    return bounded_id(clean(iri_to_curie(str(iri)) or str(iri)))


def publication_ids(document: Document) -> list[str]:
    """A document's standard identifiers, best first: `PMID:12345`, `doi:10.1000/xyz` (Biolink's prefixes
    for a Publication), from its `bibo:pmid` and `bibo:doi`."""
    return [
        bounded_id(f"{prefix}:{clean(value)}")
        for prefix, values in (("PMID", document.pmids), ("doi", document.dois))
        for value in values
    ]


def publication_id(document: Document) -> str:
    """What an edge's `publications` cites for a document: its PMID, else its DOI, else its IRI."""
    ids = publication_ids(document)
    return ids[0] if ids else bounded_id(str(document.iri))


@dataclass
class EvidenceCells:
    """What an edge row says of an assertion's evidence: its sentences, the rules and best score of what
    found it, the documents' publication ids (each as often as its evidence has it: the cells join them),
    and how many evidence nodes it has (the support count of an assertion the aggregate does not count)."""

    sentences: Iterable[str]
    methods: Iterable[str]
    best_score: str
    publications: Iterable[str]
    count: int


def document_row(doc: Document) -> dict[str, str] | None:
    """A document's node row, or None when its first identifier is no PMID (digits only): a DOI cannot
    be a KGX node id (kgx takes a `/` in a CURIE's local part as not a CURIE), and a document with neither
    has no identifier Biolink knows."""
    ids = publication_ids(doc)
    if not ids or not re.fullmatch(r"PMID:\d+", ids[0]):
        return None
    return {
        "id": ids[0],
        "category": ontology.biolink_category("Document"),
        "name": clean(doc.title or local_name(doc.iri, str(DOC))),
        "xref": join(ids[1:]),
        "synonym": "",
        "provided_by": INFORES,
        "normalised": "",
    }


def unique_documents(rows: Iterable[dict[str, str] | None]) -> list[dict[str, str]]:
    """The document rows given in document IRI order, one per PMID: the first document's."""
    kept: dict[str, dict[str, str]] = {}
    for row in rows:
        if row is not None and row["id"] not in kept:
            kept[row["id"]] = row
    return list(kept.values())


class _Reader:
    """The KGX rows of the union graph, as `rdf.read.GraphReader` reads it."""

    def __init__(self, graph: Graph, *, in_place: bool = False, heads: bool = False) -> None:
        # A store read in place is read through indexes, one query per predicate the reader asks for
        # (rdf/indexed.py) instead of one lookup per node and predicate: the same statements. `heads`: the
        # assertions without their evidence (store/kgx_segments.py keeps what the evidence gives).
        indexed = indexed_graph(graph, READ_HEADS if heads else READ_WHOLLY) if in_place else None
        self.g = indexed if indexed is not None else union_graph(graph)
        self.read = GraphReader(self.g)
        nodes = [node for node in self.read.assertion_nodes() if isinstance(node, URIRef)]
        if heads and indexed is not None:
            for predicate in (LDN.negated, LDN.certainty):
                indexed.indexed.read_ahead(predicate, nodes)
        self.read_assertions = [self.read.assertion(node, evidence=not heads) for node in nodes]
        self.entities = self._entities()
        if indexed is not None:  # what is left to read: documents without evidence, untyped edge ends
            indexed.indexed.keep_only(DOCUMENT_PREDICATES)
        self.node_ids = self._assign_ids()
        self.extra_categories = self._object_categories()

    def _entities(self) -> dict[URIRef, _Entity]:
        found: dict[URIRef, _Entity] = {}
        for iri, classes in self.read.entity_classes().items():
            entity = self.read.entity(iri, classes)
            ordered = sorted(classes, key=ENTITY_CLASSES.index)  # the order that decides a node's id
            found[iri] = _Entity(iri, ordered, list(entity.identifiers), entity)
        return found

    def _assign_ids(self) -> dict[URIRef, str]:
        """Entity IRI -> node id; two entities never share one (the first by key keeps a disputed CURIE)."""
        ids: dict[URIRef, str] = {}
        taken: set[str] = set()
        for entity in sorted(self.entities.values(), key=lambda e: str(e.iri)):
            free = [c for c in entity.candidates() if c not in taken]
            ids[entity.iri] = free[0] if free else _entity_curie(entity.iri)
            taken.add(ids[entity.iri])
        return ids

    def _object_categories(self) -> dict[Node, set[str]]:
        """Biolink classes that nodes have as the object of a relation (`ldn:biolinkObjectCategory`)."""
        found: dict[Node, set[str]] = {}
        for assertion in self.read_assertions:
            predicate, obj = assertion.predicate, assertion.object
            if predicate is None or obj is None:
                continue
            try:
                extra = ontology.biolink_object_categories(local_name(predicate, str(LDN._NS)))
            except KeyError:
                continue
            found.setdefault(obj, set()).update(extra)
        return found

    def categories(self, iri: Node, classes: Iterable[str]) -> str:
        """The `category` cell of a node: its classes' Biolink classes and those it has as an object, sorted
        (kgx sorts them when it reads them)."""
        own = {ontology.biolink_category(c) for c in classes}
        return join(own | self.extra_categories.get(iri, set()))

    def primary_class(self, iri: Node | None) -> str | None:
        """The class of an edge end that decides its identifier (the first in ENTITY_CLASSES order)."""
        entity = self.entities.get(iri) if isinstance(iri, URIRef) else None
        return entity.classes[0] if entity and entity.classes else None

    def node_id(self, iri: Node | None) -> str:
        """The node id of an edge end: its entity's id, else its `LDN:` CURIE."""
        if iri is None:
            return ""
        found = self.node_ids.get(iri) if isinstance(iri, URIRef) else None
        return found or _entity_curie(iri)

    def entity_rows(self) -> list[dict[str, str]]:
        rows = []
        for iri, entity in self.entities.items():
            names = list(entity.read.labels)
            normalised = entity.read.normalised
            if normalised is None:
                normalised = bool(entity.curies)
            rows.append(
                {
                    "id": self.node_ids[iri],
                    "category": self.categories(iri, entity.classes),
                    "name": clean(names[0]) if names else clean(entity.key),
                    "xref": join([*entity.curies, _entity_curie(iri)]),
                    "synonym": join([*names[1:], *entity.read.alt_labels]),
                    "provided_by": INFORES,
                    "normalised": flag(normalised),
                }
            )
        return rows

    def document_rows(self, referenced: set[Node]) -> list[dict[str, str]]:
        """A node for each document with a PMID, one per PMID (`document_row`, `unique_documents`): of the
        documents and those the evidence quotes (`referenced`)."""
        documents = set(self.g.subjects(RDF.type, LDN.Document)) | referenced
        return unique_documents(document_row(self.read.document(d)) for d in sorted(documents, key=str))

    @staticmethod
    def methods(assertion: Assertion) -> tuple[list[str], str]:
        """What found the assertion's evidence (rule names, `ldn_relation_classifier:<label>`), and the
        classifier's best score, if it found any."""
        rules = sorted({rule for ev in assertion.evidence for rule in ev.rules})
        scores = [score for ev in assertion.evidence for score in ev.scores]
        return rules, (str(max(scores)) if scores else "")

    @staticmethod
    def evidences(assertion: Assertion) -> list[Evidence]:
        """The supporting sentences, in reading order: by document, start and sentence."""

        def order(ev: Evidence) -> tuple[str, int, str]:
            document = str(ev.document.iri) if ev.document is not None else ""
            return (document, ev.start if ev.start is not None else 0, ev.sentence)

        return sorted(assertion.evidence, key=order)

    def edge_row(self, read: Assertion, referenced: set[Node]) -> dict[str, str]:
        evidences = self.evidences(read)
        methods, best_score = self.methods(read)
        documents = {e.document for e in evidences if e.document is not None}
        referenced |= {d.iri for d in documents}
        cells = EvidenceCells(
            sentences=[e.sentence for e in evidences],
            methods=methods,
            best_score=best_score,
            publications=[publication_id(d) for d in documents],
            count=len(evidences),
        )
        return self.assertion_row(read, cells)

    def assertion_row(self, read: Assertion, cells: EvidenceCells) -> dict[str, str]:
        """An edge row: the assertion `read` (its evidence unread or not) with what its evidence gives."""
        assertion = read.iri
        predicate = read.predicate
        prop = local_name(predicate, str(LDN._NS)) if predicate is not None else "relatedTo"
        subject, obj = read.subject, read.object
        try:
            biolink = ontology.biolink_predicate_for(
                prop, self.primary_class(subject), self.primary_class(obj)
            )
            qualifiers = ontology.biolink_qualifiers(prop)
        except KeyError:
            biolink, qualifiers = "biolink:related_to", {}
        direction = qualifiers.get("object_direction_qualifier", "")
        aspect = qualifiers.get("object_aspect_qualifier", DEFAULT_ASPECT if direction else "")
        certainty = clean(self.read.term_label(read.certainty) if read.certainty else "asserted").lower()
        support = read.support
        by_column: dict[str, list[str]] = {column: [] for column in QUALIFIER_COLUMNS.values()}
        for qualifier in read.qualifiers:
            for cls in qualifier.kinds:
                column = QUALIFIER_COLUMNS.get(cls)
                if column:
                    by_column[column].append(qualifier.label or self.read.term_label(qualifier.iri))
        row = {
            "id": bounded_id(clean(local_name(assertion, str(ASSERTION)))),
            "subject": self.node_id(subject),
            "predicate": biolink,
            "object": self.node_id(obj),
            "negated": flag(read.negated),
            "certainty": certainty,
            "object_direction_qualifier": direction,
            "object_aspect_qualifier": aspect,
            "ldn_predicate": f"ldn:{clean(prop)}",
            "supporting_text": join(cells.sentences),
            "extraction_methods": join(cells.methods),
            "extraction_score": cells.best_score,
            "publications": join(cells.publications),
            "support_count": str(support) if support is not None else str(cells.count),
            **{column: join(values, "; ") for column, values in by_column.items()},
            "knowledge_level": KNOWLEDGE_LEVEL.get(certainty, "not_provided"),
            "agent_type": AGENT_TYPE,
            "primary_knowledge_source": INFORES,
        }
        return row

    def untyped_rows(self) -> list[dict[str, str]]:
        """Nodes for edge ends that have no entity class, so that every edge end is a node."""
        known = set(self.node_ids.values())
        ends = {end for a in self.read_assertions for end in (a.subject, a.object)}
        rows = []
        for iri in sorted((e for e in ends if e is not None), key=str):
            if self.node_id(iri) in known:
                continue
            known.add(self.node_id(iri))
            rows.append(
                {
                    "id": self.node_id(iri),
                    "category": self.categories(iri, ["Entity"]),
                    "name": clean(first_text(self.g, iri, RDFS.label) or local_name(iri, str(ENT))),
                    "xref": _entity_curie(iri),
                    "synonym": join(map(str, self.g.objects(iri, SKOS.altLabel))),
                    "provided_by": INFORES,
                    "normalised": "",
                }
            )
        return rows


def kgx_rows(graph: Graph, *, in_place: bool = False) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The rows of nodes.tsv and edges.tsv read from `graph`, each sorted by id. `in_place`: `graph` is a
    union graph without blank nodes (a store's, read where it is: store/view.py), read as it is instead
    of copied into one."""
    reader = _Reader(graph, in_place=in_place)
    referenced: set[Node] = set()
    edges = [reader.edge_row(a, referenced) for a in reader.read_assertions]
    nodes = reader.entity_rows() + reader.untyped_rows() + reader.document_rows(referenced)
    nodes.sort(key=lambda row: row["id"])
    edges.sort(key=lambda row: row["id"])
    return nodes, edges


def to_tsv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> bytes:
    """Rows as KGX TSV: one header row, tab-separated, `\\n` line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=columns, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def is_standard_id(identifier: str) -> bool:
    """True for a CURIE under one of STANDARD_PREFIXES (`CHEBI:7465`, `PMID:123`); False for a project
    CURIE (`LDN:toxin`) or an IRI, which `kgx validate` reports."""
    match = KGX_CURIE.fullmatch(identifier)
    return match is not None and match.group(1) in STANDARD_PREFIXES


def standard_only(
    nodes: list[dict[str, str]], edges: list[dict[str, str]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The rows whose identifiers Biolink knows: without the nodes that have no standard id and the edges
    with such a node as subject or object. No identifier is changed or made up for them."""
    kept_edges = [e for e in edges if is_standard_id(e["subject"]) and is_standard_id(e["object"])]
    return [n for n in nodes if is_standard_id(n["id"])], kept_edges


def write_kgx(
    graph: Graph, outdir: Path, *, standard_ids_only: bool = False, in_place: bool = False
) -> list[Path]:
    """Write `outdir/nodes.tsv` and `outdir/edges.tsv` for `graph` (only the rows `standard_only` keeps, if
    `standard_ids_only`; `in_place` as `kgx_rows` takes it); returns the two paths."""
    nodes, edges = kgx_rows(graph, in_place=in_place)
    if standard_ids_only:
        nodes, edges = standard_only(nodes, edges)
    return write_tables(outdir, nodes, edges)


def write_tables(outdir: Path, nodes: list[dict[str, str]], edges: list[dict[str, str]]) -> list[Path]:
    """Write the rows as `outdir/nodes.tsv` and `outdir/edges.tsv`; returns the two paths."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise LdnGraphError(f"{outdir} is a file; KGX output needs a folder")
    written = []
    for name, rows, columns in zip(
        FORMATS["kgx"].folder, (nodes, edges), (NODE_COLUMNS, EDGE_COLUMNS), strict=True
    ):
        write_atomic(outdir / name, to_tsv(rows, columns))
        written.append(outdir / name)
    return written
