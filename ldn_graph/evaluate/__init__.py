"""Scores a KGX export against a gold file: the figures of the project's scorer, and more.

The matching rules (`matching.py`) are those of the gold standard's `score.py` (tests/data/gold/), ported
rule for rule so both give the same entity, relation and certainty figures; a test checks that they agree.
On top of them: precision and recall per predicate group, and recall of the gold qualifiers (doses,
effect sizes, years, populations) found in the qualifier columns of the edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.evaluate.matching import (
    GROUPS,
    METADATA_CATEGORIES,
    QUALIFIER_COLUMNS,
    Gold,
    edge_readings,
    load_gold,
    name_variants,
    norm_name,
    read_tsv,
    split_multi,
    truthy,
)

__all__ = ["GROUPS", "evaluate", "format_report", "numbers", "qualifier_matches", "score_line"]

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
