"""The tables that tie the corpora's types to the trained model and to the graph (`ontology/`).

`corpus-entity-types.tsv`: corpus entity type -> NER label -> graph category;
`relation-roles.tsv`: graph category -> argument role of the relation classifier;
`corpus-relations.tsv`: corpus relation type and argument roles -> predicate and direction.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ldn_graph.lexicon import CATEGORIES
from ldn_graph.pipeline.rules import PREDICATES, check_value, ontology_rows

# The relation types each corpus annotates (a document of one corpus says nothing of the other's types).
CORPUS_RELATION_TYPES: dict[str, tuple[str, ...]] = {
    "biored": (
        "Association",
        "Positive_Correlation",
        "Negative_Correlation",
        "Bind",
        "Cotreatment",
        "Comparison",
        "Drug_Interaction",
        "Conversion",
    ),
    "bc5cdr": ("CID",),
}

# The argument roles, in the order that fixes the classifier's role-pair features.
ROLES: tuple[str, ...] = ("CHEMICAL", "DISEASE", "GENE", "VARIANT", "SPECIES", "CELL_LINE")


@dataclass(frozen=True)
class EntityType:
    """A corpus entity type and what it becomes."""

    corpus_type: str
    corpus: str  # "bc5cdr" or "biored"
    ner_label: str
    category: str  # "" when the graph has no class for it


@dataclass(frozen=True)
class RelationRow:
    """One row of `corpus-relations.tsv`."""

    relation_type: str
    subject_role: str  # a role or "*"
    object_role: str
    predicate: str


@functools.cache
def entity_types() -> dict[str, EntityType]:
    """Corpus entity type -> its NER label and graph category."""
    name = "corpus-entity-types.tsv"
    out: dict[str, EntityType] = {}
    for n, row in ontology_rows(name, ("corpus_type", "corpus", "ner_label", "category")):
        where = f"{name}:{n}"
        corpus = check_value(row["corpus"], tuple(CORPUS_RELATION_TYPES), "corpus", where)
        label = check_value(row["ner_label"], ROLES, "NER label", where)
        category = row["category"] and check_value(row["category"], CATEGORIES, "category", where)
        out[row["corpus_type"]] = EntityType(row["corpus_type"], corpus, label, category)
    return out


def corpus_types(corpus: str) -> dict[str, str]:
    """NER label -> the corpus's own name for the type ("DISEASE" -> "DiseaseOrPhenotypicFeature")."""
    return {t.ner_label: t.corpus_type for t in entity_types().values() if t.corpus == corpus}


def ner_labels() -> tuple[str, ...]:
    """The trained NER's labels, in the order of ROLES."""
    used = {t.ner_label for t in entity_types().values()}
    return tuple(r for r in ROLES if r in used)


@functools.cache
def category_of_label() -> dict[str, str]:
    """NER label -> graph category ("" for labels the graph has no class for)."""
    out: dict[str, str] = {}
    for t in entity_types().values():
        out.setdefault(t.ner_label, t.category)
    return out


@functools.cache
def roles() -> dict[str, str]:
    """Graph category or NER label -> argument role of the relation classifier."""
    name = "relation-roles.tsv"
    out = {role: role for role in ROLES}
    for n, row in ontology_rows(name, ("category", "role")):
        where = f"{name}:{n}"
        out[check_value(row["category"], CATEGORIES, "category", where)] = check_value(
            row["role"], ROLES, "role", where
        )
    return out


@functools.cache
def relation_rows() -> tuple[RelationRow, ...]:
    """The predicate table, in the order rows are tried."""
    name = "corpus-relations.tsv"
    out = []
    for n, row in ontology_rows(name, ("relation_type", "subject_role", "object_role", "predicate")):
        where = f"{name}:{n}"
        subject = (
            row["subject_role"]
            if row["subject_role"] == "*"
            else check_value(row["subject_role"], ROLES, "role", where)
        )
        obj = (
            row["object_role"]
            if row["object_role"] == "*"
            else check_value(row["object_role"], ROLES, "role", where)
        )
        predicate = check_value(row["predicate"], PREDICATES, "predicate", where)
        out.append(RelationRow(row["relation_type"], subject, obj, predicate))
    return tuple(out)


def relation_labels() -> tuple[str, ...]:
    """The classifier's labels: the corpora's relation types, in table order."""
    return tuple(dict.fromkeys(r.relation_type for r in relation_rows()))


def orient(relation_type: str, first_role: str, second_role: str) -> tuple[str, bool] | None:
    """The predicate for a pair (in text order) and whether its arguments swap; None when no row fits."""
    for row in relation_rows():
        if row.relation_type != relation_type:
            continue
        if _fits(row.subject_role, first_role) and _fits(row.object_role, second_role):
            return row.predicate, False
        if _fits(row.subject_role, second_role) and _fits(row.object_role, first_role):
            return row.predicate, True
    return None


def _fits(pattern: str, role: str) -> bool:
    return pattern == "*" or pattern == role
