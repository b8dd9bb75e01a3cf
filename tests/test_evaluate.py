"""Evaluation (ldn_graph.evaluate) agrees with the gold standard's own scorer, and adds groups and qualifiers.

The scorer and gold file are vendored in tests/data/gold/ (see its README); score.py is loaded by path.
Each KGX folder here is written by the test from the gold file itself, so every case is known exactly.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from graph_fixture import make_graph

from ldn_graph.errors import DataError, InputError
from ldn_graph.evaluate import GROUPS, evaluate, format_report, numbers, qualifier_matches, score_line
from ldn_graph.export.kgx import write_kgx

GOLD_DIR = Path(__file__).parent / "data" / "gold"
GOLD_PATH = GOLD_DIR / "ldn-blog-2019.gold.json"
GOLD: dict[str, Any] = json.loads(GOLD_PATH.read_text(encoding="utf-8"))

# One KGX predicate (and direction) per gold predicate group, as a correct extractor would write it.
PREDICATE_OF_GROUP = {
    "treats": ("biolink:treats", ""),
    "increases": ("biolink:affects", "increased"),
    "decreases": ("biolink:affects", "decreased"),
    "regulates": ("biolink:regulates", ""),
    "causes": ("biolink:causes", ""),
    "produces": ("biolink:produces", ""),
    "binds": ("biolink:directly_physically_interacts_with", ""),
    "subclass": ("biolink:subclass_of", ""),
    "part_of": ("biolink:part_of", ""),
    "located_in": ("biolink:located_in", ""),
    "associated": ("biolink:associated_with", ""),
    "active_ingredient": ("biolink:has_active_ingredient", ""),
    "side_effect": ("biolink:has_side_effect", ""),
    "contraindicated": ("biolink:contraindicated_in", ""),
}
# Inverse predicates a KGX file may use instead, written object -> subject.
INVERSE_OF_GROUP = {
    "treats": "biolink:treated_by",
    "part_of": "biolink:has_part",
    "causes": "biolink:caused_by",
}
NODE_COLUMNS = ["id", "category", "name", "xref", "synonym"]
EDGE_COLUMNS = [
    "id",
    "subject",
    "predicate",
    "object",
    "negated",
    "certainty",
    "object_direction_qualifier",
    "dose",
    "effect_size",
    "year",
    "population",
]


@pytest.fixture(scope="module")
def score_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendored_score", GOLD_DIR / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def node_id(key: str) -> str:
    return f"GOLD:{key}"


def gold_nodes() -> list[dict[str, str]]:
    return [
        {
            "id": node_id(c["key"]),
            "category": c["category"],
            "name": c["label"],
            "xref": "|".join(c["xrefs"]),
            "synonym": "|".join(c["mentions"]),
        }
        for c in GOLD["concepts"]
    ]


def edge(
    i: int, subject: str, group: str, obj: str, negated: bool = False, certainty: str = "asserted", **extra
):
    predicate, direction = PREDICATE_OF_GROUP[group]
    return {
        "id": f"e{i}",
        "subject": node_id(subject),
        "predicate": predicate,
        "object": node_id(obj),
        "negated": str(negated),
        "certainty": certainty,
        "object_direction_qualifier": direction,
        **extra,
    }


def gold_edges() -> list[dict[str, str]]:
    """One correct edge per required gold relation."""
    return [
        edge(
            i,
            r["subject"][0],
            r["predicate_group"],
            r["object"][0],
            r["negated"],
            r["certainty"] or "asserted",
        )
        for i, r in enumerate(GOLD["relations"])
        if r["required"]
    ]


def write_tsv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=columns, delimiter="\t", lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)


def write_folder(path: Path, nodes: list[dict[str, str]], edges: list[dict[str, str]]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    write_tsv(path / "nodes.tsv", nodes, NODE_COLUMNS)
    write_tsv(path / "edges.tsv", edges, EDGE_COLUMNS)
    return path


def wrong_edges() -> list[dict[str, str]]:
    """Correct edges for half the relations, then wrong ones: bad objects, negation, odd predicates."""
    good = gold_edges()[::2]
    bad = [
        edge(1000, "ldn", "treats", "cytokine"),  # wrong object
        edge(1001, "naltrexone", "treats", "alcohol_dependence", negated=True),  # negation flipped
        edge(1002, "microglia", "side_effect", "brain"),  # nonsense predicate
        edge(1003, "ldn", "treats", "psoriatic_arthritis", certainty="hedged"),  # optional: tolerated
        edge(1004, "ldn", "increases", "endorphin", certainty="hedged"),  # duplicate, hedged
        edge(1005, "ldn", "decreases", "endorphin"),  # wrong direction
    ]
    return good + bad


def inverse_edges() -> list[dict[str, str]]:
    """Every relation of an invertible group written the other way round with the inverse predicate."""
    out = []
    for e, r in zip(gold_edges(), [r for r in GOLD["relations"] if r["required"]], strict=True):
        inverse = INVERSE_OF_GROUP.get(r["predicate_group"])
        if inverse:
            e = {**e, "predicate": inverse, "subject": e["object"], "object": e["subject"]}
        out.append(e)
    return out


def backwards_binds_edges() -> list[dict[str, str]]:
    """Symmetric predicates written object -> subject (binds and associated_with)."""
    out = []
    for e, r in zip(gold_edges(), [r for r in GOLD["relations"] if r["required"]], strict=True):
        if r["predicate_group"] in ("binds", "associated"):
            e = {**e, "subject": e["object"], "object": e["subject"]}
        out.append(e)
    return out


CASES = {
    "perfect": (gold_nodes, gold_edges),
    "empty": (list, list),
    "wrong": (gold_nodes, wrong_edges),
    "inverse": (gold_nodes, inverse_edges),
    "backwards-binds": (gold_nodes, backwards_binds_edges),
    "half-nodes": (lambda: gold_nodes()[::2], gold_edges),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("show_misses", [False, True])
def test_evaluate_agrees_with_score_py(tmp_path, score_py, case, show_misses):
    make_nodes, make_edges = CASES[case]
    folder = write_folder(tmp_path / case, make_nodes(), make_edges())
    theirs = score_py.score(GOLD_PATH, folder, show_misses)
    ours = evaluate(GOLD_PATH, folder, show_misses=show_misses)
    assert {k: ours[k] for k in theirs} == theirs


def test_evaluate_agrees_on_our_own_kgx(tmp_path, score_py):
    write_kgx(make_graph(), tmp_path)
    theirs = score_py.score(GOLD_PATH, tmp_path, True)
    ours = evaluate(GOLD_PATH, tmp_path, show_misses=True)
    assert {k: ours[k] for k in theirs} == theirs
    assert ours["relations"]["true"] > 0


def test_evaluate_first_line_is_score_py_line(tmp_path):
    folder = write_folder(tmp_path / "wrong", gold_nodes(), wrong_edges())
    run = subprocess.run(
        [sys.executable, str(GOLD_DIR / "score.py"), str(GOLD_PATH), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = evaluate(GOLD_PATH, folder)
    assert run.stdout.strip() == score_line(result)
    assert format_report(result).splitlines()[0] == score_line(result)


def test_evaluate_perfect_scores_one(tmp_path):
    result = evaluate(GOLD_PATH, write_folder(tmp_path, gold_nodes(), gold_edges()))
    assert result["entities"]["precision"] == result["entities"]["recall"] == 1.0
    assert result["relations"]["precision"] == result["relations"]["recall"] == 1.0
    assert result["certainty_accuracy"] == 1.0
    for name, group in result["groups"].items():
        assert (group["recall"], group["precision"]) == (1.0, 1.0), name


def test_evaluate_inverse_and_symmetric_edges_still_match(tmp_path):
    for make in (inverse_edges, backwards_binds_edges):
        result = evaluate(GOLD_PATH, write_folder(tmp_path / make.__name__, gold_nodes(), make()))
        assert result["relations"]["recall"] == 1.0, make.__name__


def test_evaluate_empty_folder_scores_zero(tmp_path):
    result = evaluate(GOLD_PATH, write_folder(tmp_path, [], []))
    assert result["entities"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "nodes": 0}
    assert result["relations"]["recall"] == 0.0
    assert result["certainty_accuracy"] is None
    assert result["qualifiers"]["found"] == 0


def test_evaluate_groups_count_edges_of_their_group(tmp_path):
    edges = [
        edge(0, "naltrexone", "treats", "alcohol_dependence"),  # true
        edge(1, "ldn", "treats", "cytokine"),  # false
        edge(2, "ldn", "treats", "psoriatic_arthritis"),  # optional gold relation: tolerated
    ]
    result = evaluate(GOLD_PATH, write_folder(tmp_path, gold_nodes(), edges))
    treats = result["groups"]["treats"]
    assert (treats["true"], treats["false"], treats["tolerated"], treats["edges"]) == (1, 1, 1, 3)
    assert treats["precision"] == 0.5
    required = sum(1 for r in GOLD["relations"] if r["required"] and r["predicate_group"] == "treats")
    assert treats["required"] == required and treats["found"] == 1
    assert result["groups"]["binds"]["precision"] is None  # no binds edge at all
    assert set(result["groups"]) <= set(GROUPS)


def test_evaluate_qualifier_recall(tmp_path):
    edges = [
        edge(0, "ldn", "active_ingredient", "naltrexone", dose="1.0 to 4.5 mg"),
        edge(1, "naltrexone", "treats", "alcohol_dependence", dose="50 mg or more|1 mg"),
        # Year, population and effect on the right relation.
        edge(
            2, "ldn", "treats", "fibromyalgia", year="2010", population="women", effect_size="30% reduction"
        ),
        # Crohn's effect size put on the wrong relation: not found.
        edge(3, "ldn", "treats", "multiple_sclerosis", effect_size="80% significant improvement"),
        edge(4, "ldn", "treats", "crohns", effect_size="a 40% reduction"),
    ]
    result = evaluate(GOLD_PATH, write_folder(tmp_path, gold_nodes(), edges), show_misses=True)
    qualifiers = result["qualifiers"]
    assert (qualifiers["found"], qualifiers["total"]) == (5, 6)
    assert qualifiers["recall"] == round(5 / 6, 3)
    assert qualifiers["missed"] == ['effect "up to 80% significant improvement" on ldn treats crohns']
    report = format_report(result)
    assert "qualifiers: 5/6 found" in report and "missed qualifier" in report


@pytest.mark.parametrize(
    "kind, gold, found, expected",
    [
        ("dose", "1.0-4.5 mg", "1.0 to 4.5 mg", True),  # a range in other words
        ("dose", "1.0-4.5 mg", "1 to 4.5 mg", True),  # 1 and 1.0 are one number
        ("dose", ">=50 mg", "50 mg or more", True),
        ("dose", "1.0-4.5 mg", "4.5 mg", False),  # half a range is not the range
        ("dose", "1.0-4.5 mg", "1.0 mg|4.5 mg", False),  # numbers must be in one value
        ("effect", "30% reduction in symptom severity", "30% reduction in symptom severity", True),
        ("year", "2010", "2011", False),
        ("population", "women", "Women", True),
        ("population", "women", "adult women", True),
        ("population", "women", "men", False),
        ("population", "women", "", False),
    ],
)
def test_evaluate_qualifier_matches(kind, gold, found, expected):
    assert qualifier_matches(kind, gold, found) is expected


def test_evaluate_numbers():
    assert numbers("between 1,000 and 1.5 mg, 4,5 mg") == {1000.0, 1.5, 4.5}


def test_evaluate_report_lists_misses(tmp_path):
    result = evaluate(GOLD_PATH, write_folder(tmp_path, gold_nodes(), wrong_edges()), show_misses=True)
    report = format_report(result)
    assert "false edges (4):" in report  # decreases endorphin is false too
    assert "missed relations (" in report
    assert "group" in report.splitlines()[5]


def test_evaluate_missing_kgx_file_is_input_error(tmp_path):
    (tmp_path / "nodes.tsv").write_text("id\tcategory\tname\n")
    with pytest.raises(InputError, match=r"edges\.tsv: not found"):
        evaluate(GOLD_PATH, tmp_path)


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"concepts": [', "not JSON: .* at line 1, column 15"),
        ('{"concepts": [{"key": "x"}], "relations": []}', r"concepts\[0\] lacks label"),
        (
            '{"concepts": [], "relations": [{"subject": [], "predicate_group": "cures", "object": [], '
            '"negated": false, "required": true}]}',
            "unknown predicate_group 'cures'",
        ),
    ],
)
def test_evaluate_bad_gold_file_is_data_error(tmp_path, text, message):
    gold = tmp_path / "gold.json"
    gold.write_text(text)
    write_folder(tmp_path / "kgx", [], [])
    with pytest.raises(DataError, match=message):
        evaluate(gold, tmp_path / "kgx")
