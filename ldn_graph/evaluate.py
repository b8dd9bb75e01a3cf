"""Scores a KGX export against a gold file: the figures of the project's scorer, and more.

The matching rules are those of the gold standard's `score.py` (tests/data/gold/, with its README), ported
rule for rule so both give the same entity, relation and certainty figures; a test checks that they agree.
On top of them: precision and recall per predicate group, and recall of the gold qualifiers (doses,
effect sizes, years, populations) found in the qualifier columns of the edges.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
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


# --- Scoring ----------------------------------------------------------------------------------------


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[float]:
    """The numbers written in `text`: `1,000` is a thousand, `4,5` four and a half."""
    out = set()
    for token in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
            token = token.replace(",", "")
        out.add(float(token.replace(",", ".")) if token.count(",") + token.count(".") <= 1 else float("nan"))
    return {n for n in out if n == n}


def qualifier_matches(kind: str, gold_value: str, edge_value: str) -> bool:
    """Whether one of the `|`-joined values of an edge cell says what a gold qualifier says.

    Numbers decide where the gold value has some (every gold number appears: `1.0-4.5 mg` is found in
    `1.0 to 4.5 mg`, `>=50 mg` in `50 mg or more`); a population, or a value without numbers, is found
    when all its words appear (plurals folded).
    """
    gold_numbers = numbers(gold_value)
    gold_words = norm_name(gold_value).split()
    for part in split_multi(edge_value):
        if gold_numbers and kind != "population":
            if gold_numbers <= numbers(part):
                return True
            continue
        words: set[str] = set()
        for word in norm_name(part).split():
            words |= name_variants(word)
        if gold_words and all(name_variants(w) & words for w in gold_words):
            return True
    return False


@dataclass
class _Scorer:
    gold: Gold
    node_keys: dict[str, set[str]]

    def satisfies(self, e: dict[str, str], g: dict[str, Any]) -> bool:
        """Whether edge `e` states gold relation `g` (score.py's rule)."""
        if truthy(e.get("negated")) != bool(g["negated"]):
            return False
        members = GROUPS[g["predicate_group"]]
        for preds, s, o in edge_readings(e):
            if (
                preds & members
                and self.node_keys.get(s, set()) & set(g["subject"])
                and self.node_keys.get(o, set()) & set(g["object"])
            ):
                return True
        return False


def evaluate(gold_path: Path, kgx_dir: Path, show_misses: bool = False) -> dict[str, Any]:
    """Score `kgx_dir/{nodes,edges}.tsv` against the gold file; the keys of score.py's result, plus
    `groups` (per predicate group) and `qualifiers`."""
    data = load_gold(Path(gold_path))
    gold = Gold(data)
    kgx_dir = Path(kgx_dir)
    if not kgx_dir.is_dir():
        raise InputError("not a folder with nodes.tsv and edges.tsv", where=str(kgx_dir))
    nodes = read_tsv(kgx_dir / "nodes.tsv")
    all_edges = read_tsv(kgx_dir / "edges.tsv")
    for name, rows, column in (("nodes.tsv", nodes, "id"), ("edges.tsv", all_edges, "subject")):
        if rows and column not in rows[0]:
            raise InputError(f"no '{column}' column", where=str(kgx_dir / name))

    node_keys: dict[str, set[str]] = {}
    entity_nodes = []
    for node in nodes:
        cats = set(split_multi(node.get("category")))
        if cats and cats <= METADATA_CATEGORIES:
            continue
        entity_nodes.append(node)
        node_keys[node["id"]] = gold.match_node(node)

    required_concepts = {k for k, c in gold.concepts.items() if c["required"]}
    found_concepts: set[str] = set().union(*node_keys.values()) if node_keys else set()
    ent_tp_nodes = sum(1 for n in entity_nodes if node_keys[n["id"]])
    ent_p = ent_tp_nodes / len(entity_nodes) if entity_nodes else 0.0
    ent_r = len(required_concepts & found_concepts) / len(required_concepts) if required_concepts else 0.0

    # Deduplicate edges on what is scored, keeping an asserted one.
    seen: dict[tuple[Any, ...], dict[str, str]] = {}
    for e in all_edges:
        key = (
            e.get("subject"),
            e.get("predicate"),
            e.get("object"),
            truthy(e.get("negated")),
            (e.get("object_direction_qualifier") or "").lower(),
        )
        prev = seen.get(key)
        if prev is None or (e.get("certainty") or "").lower() == "asserted":
            seen[key] = e
    edges = list(seen.values())

    scorer = _Scorer(gold, node_keys)
    relations = gold.relations
    required = [g for g in relations if g["required"]]
    matched_by: dict[int, list[dict[str, str]]] = {i: [] for i in range(len(relations))}
    hits_of: list[list[int]] = []
    tp_edges = fp_edges = ignored = 0
    false_edges = []
    for e in edges:
        hits = [i for i, g in enumerate(relations) if scorer.satisfies(e, g)]
        hits_of.append(hits)
        for i in hits:
            matched_by[i].append(e)
        if any(relations[i]["required"] for i in hits):
            tp_edges += 1
        elif hits:
            ignored += 1
        else:
            fp_edges += 1
            false_edges.append(e)
    rel_r = (
        sum(1 for i, g in enumerate(relations) if g["required"] and matched_by[i]) / len(required)
        if required
        else 0.0
    )
    rel_p = tp_edges / (tp_edges + fp_edges) if (tp_edges + fp_edges) else 0.0

    cert_total = cert_ok = 0
    for i, g in enumerate(relations):
        if not g["required"] or g.get("certainty") is None or not matched_by[i]:
            continue
        cert_total += 1
        vals = {(e.get("certainty") or "asserted").lower() for e in matched_by[i]}
        system = "asserted" if "asserted" in vals else "hedged"
        cert_ok += system == g["certainty"]

    result: dict[str, Any] = {
        "entities": {
            "precision": round(ent_p, 3),
            "recall": round(ent_r, 3),
            "f1": round(_f1(ent_p, ent_r), 3),
            "nodes": len(entity_nodes),
        },
        "relations": {
            "precision": round(rel_p, 3),
            "recall": round(rel_r, 3),
            "f1": round(_f1(rel_p, rel_r), 3),
            "edges": len(edges),
            "true": tp_edges,
            "false": fp_edges,
            "tolerated": ignored,
        },
        "certainty_accuracy": round(cert_ok / cert_total, 3) if cert_total else None,
    }
    result["groups"] = _group_scores(relations, edges, hits_of, matched_by)
    result["qualifiers"] = _qualifier_scores(gold, scorer, all_edges)

    if show_misses:
        result["missed_concepts"] = sorted(required_concepts - found_concepts)
        result["unmatched_nodes"] = sorted(
            n.get("name", n["id"]) for n in entity_nodes if not node_keys[n["id"]]
        )
        result["missed_relations"] = [
            f"{'/'.join(g['subject'])} {g['predicate_group']} {'/'.join(g['object'])}"
            for i, g in enumerate(relations)
            if g["required"] and not matched_by[i]
        ]
        names = {n["id"]: n.get("name", n["id"]) for n in nodes}
        result["false_edges"] = [
            f"{names.get(e['subject'], e['subject'])} {e['predicate']} {names.get(e['object'], e['object'])}"
            for e in false_edges
        ]
    return result


def _group_scores(
    relations: list[dict[str, Any]],
    edges: list[dict[str, str]],
    hits_of: list[list[int]],
    matched_by: dict[int, list[dict[str, str]]],
) -> dict[str, dict[str, Any]]:
    """Per gold predicate group: recall over its required relations; precision over the edges whose
    predicate is a member of the group, where an edge that satisfies a required relation of the group is
    true, one that satisfies no gold relation false, and any other tolerated."""
    groups: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(g["predicate_group"] for g in relations):
        members = GROUPS[name]
        indices = [i for i, g in enumerate(relations) if g["predicate_group"] == name and g["required"]]
        found = sum(1 for i in indices if matched_by[i])
        true = false = tolerated = 0
        for e, hits in zip(edges, hits_of, strict=True):
            if not any(preds & members for preds, _, _ in edge_readings(e)):
                continue
            if any(relations[i]["required"] and relations[i]["predicate_group"] == name for i in hits):
                true += 1
            elif hits:
                tolerated += 1
            else:
                false += 1
        groups[name] = {
            "required": len(indices),
            "found": found,
            "recall": _ratio(found, len(indices)),
            "edges": true + false + tolerated,
            "true": true,
            "false": false,
            "tolerated": tolerated,
            "precision": _ratio(true, true + false),
        }
    return groups


def _qualifier_scores(gold: Gold, scorer: _Scorer, edges: list[dict[str, str]]) -> dict[str, Any]:
    """Recall of the gold qualifiers: found on an edge that states the relation they are about."""
    found_list: list[str] = []
    missed: list[str] = []
    for q in gold.qualifiers:
        subject, group, obj = q["about"]
        targets = [
            g
            for g in gold.relations
            if g["predicate_group"] == group and subject in g["subject"] and obj in g["object"]
        ] or [{"subject": [subject], "predicate_group": group, "object": [obj], "negated": False}]
        column = QUALIFIER_COLUMNS.get(q["kind"], q["kind"])
        hit = any(
            qualifier_matches(q["kind"], str(q["value"]), e.get(column) or "")
            for e in edges
            if group in GROUPS and any(scorer.satisfies(e, g) for g in targets)
        )
        text = f'{q["kind"]} "{q["value"]}" on {subject} {group} {obj}'
        (found_list if hit else missed).append(text)
    total = len(gold.qualifiers)
    return {
        "total": total,
        "found": len(found_list),
        "recall": _ratio(len(found_list), total),
        "missed": missed,
    }


# --- Report -----------------------------------------------------------------------------------------


def score_line(result: dict[str, Any]) -> str:
    """score.py's one-line summary, character for character."""
    e, r = result["entities"], result["relations"]
    return (
        f"entities P={e['precision']:.3f} R={e['recall']:.3f} F1={e['f1']:.3f} | "
        f"relations P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} | "
        f"certainty={result['certainty_accuracy']}"
    )


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_report(result: dict[str, Any]) -> str:
    """A readable report: score.py's line first, then counts, the per-group table, qualifiers and,
    when the result has them, misses and false edges."""
    e, r, q = result["entities"], result["relations"], result["qualifiers"]
    lines = [
        score_line(result),
        "",
        f"entities: {e['nodes']} entity nodes",
        f"relations: {r['edges']} distinct edges: {r['true']} true, {r['false']} false, "
        f"{r['tolerated']} tolerated (optional gold relations)",
        "",
    ]
    header = ("group", "required", "found", "recall", "edges", "true", "false", "precision")
    table = [header]
    for name, g in result["groups"].items():
        table.append(
            (
                name,
                str(g["required"]),
                str(g["found"]),
                _fmt(g["recall"]),
                str(g["edges"]),
                str(g["true"]),
                str(g["false"]),
                _fmt(g["precision"]),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
    lines += ["", f"qualifiers: {q['found']}/{q['total']} found (recall {_fmt(q['recall'])})"]
    if "missed_concepts" in result:
        lines += [f"  missed qualifier: {m}" for m in q["missed"]]
        sections = (
            ("missed concepts", result["missed_concepts"]),
            ("nodes matching no gold concept", result["unmatched_nodes"]),
            ("missed relations", result["missed_relations"]),
            ("false edges", result["false_edges"]),
        )
        for title, items in sections:
            lines += ["", f"{title} ({len(items)}):", *(f"  {item}" for item in items)]
    return "\n".join(lines) + "\n"
