"""The matching rules of the gold standard's `score.py`, ported rule for rule: predicate groups, inverse and
symmetric predicates, name variants, CURIE fixes; and the gold file's loading.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from ldn_graph.errors import DataError, InputError

csv.field_size_limit(sys.maxsize)

# --- Matching rules, as in score.py ---------------------------------------------------------------

# Predicate groups: a gold relation names one group; an edge satisfies it with any member.
# "affects" edges with an object_direction_qualifier count as increases/decreases.
GROUPS: dict[str, set[str]] = {
    "treats": {
        "treats",
        "treats_or_applied_or_studied_to_treat",
        "applied_to_treat",
        "studied_to_treat",
        "ameliorates_condition",
        "in_clinical_trials_for",
        "preventative_for_condition",
        "beneficial_in_models_for",
    },
    "increases": {
        "increases_amount_or_activity_of",
        "affects+increased",
        "regulates+increased",
        "positively_regulates",
        "causes+increased",
        "increases_expression_of",
    },
    "decreases": {
        "decreases_amount_or_activity_of",
        "affects+decreased",
        "regulates+decreased",
        "negatively_regulates",
        "disrupts",
        "causes+decreased",
        "decreases_expression_of",
    },
    "regulates": {
        "regulates",
        "affects",
        "regulates+increased",
        "regulates+decreased",
        "affects+increased",
        "affects+decreased",
        "increases_amount_or_activity_of",
        "decreases_amount_or_activity_of",
        "positively_regulates",
        "negatively_regulates",
    },
    "causes": {
        "causes",
        "contributes_to",
        "causes+increased",
        "affects+increased",
        "increases_amount_or_activity_of",
        "produces",
    },
    "produces": {
        "produces",
        "increases_amount_or_activity_of",
        "affects+increased",
        "causes",
        "has_gene_product",
        "has_metabolite",
        "secretes",
        "releases",
    },
    "binds": {
        "binds",
        "directly_physically_interacts_with",
        "physically_interacts_with",
        "interacts_with",
        "affects",
        "affects+increased",
        "increases_amount_or_activity_of",
    },
    "subclass": {"subclass_of", "member_of", "has_chemical_role", "is_a"},
    "part_of": {"part_of", "located_in"},
    "located_in": {"located_in", "part_of", "expressed_in"},
    "associated": {
        "associated_with",
        "correlated_with",
        "contributes_to",
        "causes",
        "related_to",
        "associated_with_increased_likelihood_of",
        "positively_correlated_with",
        "has_phenotype",
        "participates_in",
        "actively_involved_in",
        "genetically_associated_with",
    },
    "active_ingredient": {
        "has_active_ingredient",
        "has_part",
        "subclass_of",
        "related_to",
        "derives_from",
        "has_input",
        "is_a",
    },
    "side_effect": {"has_side_effect", "has_adverse_event", "causes", "causes+increased", "contributes_to"},
    "contraindicated": {
        "contraindicated_in",
        "contraindicated_with",
        "has_contraindication",
        "interacts_with",
        "chemically_interacts_with",
        "negatively_interacts_with",
    },
}

# Inverse predicates: an edge written the other way round is flipped before matching.
INVERSES = {
    "treated_by": "treats",
    "has_part": "part_of",
    "caused_by": "causes",
    "produced_by": "produces",
    "is_active_ingredient_of": "has_active_ingredient",
    "superclass_of": "subclass_of",
    "location_of": "located_in",
    "is_side_effect_of": "has_side_effect",
    "adverse_event_of": "has_adverse_event",
    "contribution_from": "contributes_to",
    "regulated_by": "regulates",
    "affected_by": "affects",
    "amount_or_activity_increased_by": "increases_amount_or_activity_of",
    "amount_or_activity_decreased_by": "decreases_amount_or_activity_of",
    "has_member": "member_of",
    "phenotype_of": "has_phenotype",
    "gene_product_of": "has_gene_product",
    "metabolite_of": "has_metabolite",
    "has_participant": "participates_in",
    "condition_ameliorated_by": "ameliorates_condition",
    "treated_in_studies_by": "studied_to_treat",
}
SYMMETRIC = {
    "binds",
    "interacts_with",
    "physically_interacts_with",
    "directly_physically_interacts_with",
    "associated_with",
    "correlated_with",
    "chemically_interacts_with",
    "related_to",
    "positively_correlated_with",
}
METADATA_CATEGORIES = {
    "biolink:Publication",
    "biolink:Article",
    "biolink:InformationContentEntity",
    "biolink:Study",
    "biolink:Agent",
    "biolink:RetrievalSource",
    "biolink:InformationResource",
    "biolink:StudyResult",
    "biolink:TextMiningStudyResult",
    "biolink:Dataset",
}

IRI_PATTERNS = [
    (re.compile(r"^https?://purl\.obolibrary\.org/obo/([A-Za-z]+)_(\w+)$"), r"\1:\2"),
    (re.compile(r"^https?://id\.nlm\.nih\.gov/mesh/(?:\d{4}/)?(\w+)$"), r"MESH:\1"),
    (re.compile(r"^https?://identifiers\.org/([A-Za-z.]+)[:/](\w+)$"), r"\1:\2"),
    (re.compile(r"^https?://(?:www\.)?ebi\.ac\.uk/ols4?/.*?([A-Za-z]+)_(\d+)$"), r"\1:\2"),
]
PREFIX_FIX = {
    "MESH": "MESH",
    "MSH": "MESH",
    "CHEBI": "CHEBI",
    "MONDO": "MONDO",
    "DOID": "DOID",
    "CL": "CL",
    "UBERON": "UBERON",
    "GO": "GO",
    "HP": "HP",
    "PR": "PR",
    "HGNC": "HGNC",
    "NCBIGENE": "NCBIGene",
}

# Gold qualifier kinds -> the KGX edge column that holds them.
QUALIFIER_COLUMNS = {
    "dose": "dose",
    "effect": "effect_size",
    "effect_size": "effect_size",
    "year": "year",
    "population": "population",
    "sample_size": "sample_size",
}


def curie(value: str) -> str:
    """An identifier as a CURIE: OBO PURLs, MeSH and identifiers.org IRIs converted, prefixes fixed."""
    value = value.strip()
    for pattern, template in IRI_PATTERNS:
        m = pattern.match(value)
        if m:
            value = m.expand(template)
            break
    if ":" in value and not value.startswith("http"):
        prefix, local = value.split(":", 1)
        prefix = PREFIX_FIX.get(prefix.upper(), prefix)
        return f"{prefix}:{local}"
    return value


def norm_name(text: str) -> str:
    """A name folded for matching: case, apostrophes, hyphens and punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"[^\w\s\[\]()]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def name_variants(text: str) -> set[str]:
    """The folded name, and without a plural `s` when it is long enough to have one."""
    base = norm_name(text)
    out = {base}
    if base.endswith("s") and len(base) > 4:
        out.add(base[:-1])
    return out


def predicate_local(value: str) -> str:
    """`biolink:treats`, a Biolink IRI or `treats` -> `treats`."""
    value = value.strip()
    for sep in ("#", "/", ":"):
        if sep in value:
            value = value.rsplit(sep, 1)[1]
    return re.sub(r"\s+", "_", value).lower()


def split_multi(value: str | None) -> list[str]:
    """A `|`-joined KGX cell as a list, blanks dropped."""
    if not value:
        return []
    return [v for v in value.split("|") if v.strip()]


def truthy(value: str | None) -> bool:
    """KGX booleans: True, true, 1, yes, t."""
    return (value or "").strip().lower() in {"true", "1", "yes", "t"}


def read_tsv(path: Path) -> list[dict[str, str]]:
    """The rows of a KGX TSV file as dictionaries; InputError when it is missing or unreadable."""
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh, delimiter="\t"))
    except FileNotFoundError:
        raise InputError("not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InputError(f"cannot read as KGX TSV: {err}", where=str(path)) from None


class Gold:
    """A gold file: concepts indexed by identifier and by name, and the relations."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.concepts: dict[str, dict[str, Any]] = {c["key"]: c for c in data["concepts"]}
        self.by_curie: dict[str, set[str]] = {}
        self.by_name: dict[str, set[str]] = {}
        for key, c in self.concepts.items():
            for x in c["xrefs"]:
                self.by_curie.setdefault(curie(x), set()).add(key)
            for n in [c["label"], *c["mentions"]]:
                for v in name_variants(n):
                    self.by_name.setdefault(v, set()).add(key)
        self.relations: list[dict[str, Any]] = data["relations"]
        self.qualifiers: list[dict[str, Any]] = data.get("qualifiers", [])

    def match_node(self, node: dict[str, str]) -> set[str]:
        """Gold concept keys a node stands for: by identifier first, else by name."""
        ids = [node.get("id", ""), *split_multi(node.get("xref")), *split_multi(node.get("same_as"))]
        keys: set[str] = set()
        for i in ids:
            keys |= self.by_curie.get(curie(i), set())
        if keys:
            return keys
        for n in [node.get("name", ""), *split_multi(node.get("synonym"))]:
            for v in name_variants(n):
                keys |= self.by_name.get(v, set())
        return keys


def edge_readings(edge: dict[str, str]) -> list[tuple[set[str], str, str]]:
    """The ways an edge can be read: as written, and turned round where its predicate is an inverse."""
    p = predicate_local(edge.get("predicate", ""))
    s, o = edge.get("subject", ""), edge.get("object", "")
    direction = (edge.get("object_direction_qualifier") or edge.get("qualified_direction") or "").lower()
    suffix = ""
    if direction in {"increased", "upregulated", "increase"}:
        suffix = "+increased"
    elif direction in {"decreased", "downregulated", "decrease"}:
        suffix = "+decreased"

    def keys(pred: str) -> set[str]:
        return {pred, pred + suffix} if suffix else {pred}

    readings = [(keys(p), s, o)]
    if p in INVERSES:
        readings.append((keys(INVERSES[p]), o, s))
    if p in SYMMETRIC:
        readings.append((keys(p), o, s))
    return readings


# --- Loading ----------------------------------------------------------------------------------------


def load_gold(path: Path) -> dict[str, Any]:
    """A gold file, checked enough that scoring cannot fail half-way; DataError says what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read: {err}", where=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(
            f"not JSON: {err.msg} at line {err.lineno}, column {err.colno}", where=str(path)
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        raise DataError("a gold file is a JSON object with 'concepts' and 'relations' lists", where=str(path))
    needs = {
        "concepts": ("key", "label", "xrefs", "mentions", "required"),
        "relations": ("subject", "predicate_group", "object", "negated", "required"),
        "qualifiers": ("about", "kind", "value"),
    }
    for section, keys in needs.items():
        items = data.get(section, [] if section == "qualifiers" else None)
        if not isinstance(items, list):
            raise DataError(f"'{section}' must be a list", where=str(path))
        for i, item in enumerate(items):
            missing = [k for k in keys if not isinstance(item, dict) or k not in item]
            if missing:
                raise DataError(f"{section}[{i}] lacks {', '.join(missing)}", where=str(path))
            if section == "relations" and item["predicate_group"] not in GROUPS:
                group = item["predicate_group"]
                raise DataError(f"relations[{i}]: unknown predicate_group {group!r}", where=str(path))
            if section == "qualifiers" and not (isinstance(item["about"], list) and len(item["about"]) == 3):
                raise DataError(f"qualifiers[{i}]: 'about' must be [subject, group, object]", where=str(path))
    return data
