"""The standard measures of BC5CDR and BioRED, comparing gold and predicted annotated documents.

Documents are matched by PMID. A gold document without a prediction counts as predicted empty;
predictions for PMIDs absent from the gold are ignored, so a gold subset can be scored against a
full prediction file. All measures are micro-averaged: items of every document are pooled.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from collections.abc import Set as AbstractSet
from typing import TypedDict

from ldn_graph.corpora.pubtator import AnnotatedDocument
from ldn_graph.errors import DataError


class Score(TypedDict):
    """Precision, recall and F1 with the counts they come from."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


def prf(gold: AbstractSet[Hashable], predicted: AbstractSet[Hashable]) -> Score:
    """Set-based P/R/F1; a ratio with a zero denominator is 0."""
    tp = len(gold & predicted)
    fp, fn = len(predicted) - tp, len(gold) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision=precision, recall=recall, f1=f1, tp=tp, fp=fp, fn=fn)


def _pairs(
    gold: list[AnnotatedDocument], predicted: list[AnnotatedDocument]
) -> list[tuple[AnnotatedDocument, AnnotatedDocument]]:
    """Each gold document with its prediction (an empty one when missing)."""
    by_pmid = _by_pmid(predicted, "predicted")
    _by_pmid(gold, "gold")  # only for the duplicate check
    return [(g, by_pmid.get(g.pmid) or AnnotatedDocument(g.pmid, g.title, g.abstract)) for g in gold]


def _by_pmid(docs: list[AnnotatedDocument], name: str) -> dict[str, AnnotatedDocument]:
    found: dict[str, AnnotatedDocument] = {}
    for doc in docs:
        if doc.pmid in found:
            raise DataError(f"document {doc.pmid} appears twice in the {name} documents")
        found[doc.pmid] = doc
    return found


Items = Callable[[AnnotatedDocument], Iterable[Hashable]]


def _score(pairs: list[tuple[AnnotatedDocument, AnnotatedDocument]], items: Items) -> Score:
    """P/R/F1 over the pooled (pmid, item) sets that `items` draws from each document."""
    gold = {(g.pmid, item) for g, _ in pairs for item in items(g)}
    predicted = {(p.pmid, item) for _, p in pairs for item in items(p)}
    return prf(gold, predicted)


def _concept_ids(entity_type: str) -> Items:
    return lambda doc: {i for a in doc.annotations if a.type == entity_type for i in a.ids}


def _cid(doc: AnnotatedDocument) -> set[Hashable]:
    return {(r.id1, r.id2) for r in doc.relations if r.type == "CID"}


def score_bc5cdr(gold: list[AnnotatedDocument], predicted: list[AnnotatedDocument]) -> dict[str, Score]:
    """BioCreative V CDR's official measures: concept ids per document for Chemical and Disease, and CID.

    Entity scores compare the sets of (pmid, MeSH id) of each type, each id of a composite mention
    counting; relation scores compare the sets of (pmid, chemical id, disease id) of CID relations.
    """
    pairs = _pairs(gold, predicted)
    return {
        "Chemical": _score(pairs, _concept_ids("Chemical")),
        "Disease": _score(pairs, _concept_ids("Disease")),
        "CID": _score(pairs, _cid),
    }


def _mentions(entity_type: str | None) -> Items:
    return lambda doc: {
        (a.start, a.end, a.type) for a in doc.annotations if entity_type is None or a.type == entity_type
    }


def _pair(doc: AnnotatedDocument) -> set[Hashable]:
    # Relations are undirected at BioRED's document level: (a, b) and (b, a) are the same pair.
    return {frozenset((r.id1, r.id2)) for r in doc.relations}


def _pair_type(doc: AnnotatedDocument) -> set[Hashable]:
    return {(frozenset((r.id1, r.id2)), r.type) for r in doc.relations}


def score_biored(gold: list[AnnotatedDocument], predicted: list[AnnotatedDocument]) -> dict[str, Score]:
    """BioRED's measures: strict mention NER (overall and per type) and document-level relations.

    Keys: `ner` (same start, end and type), `ner:<type>` for each type in gold or prediction,
    `pair` (same unordered concept pair) and `pair+type` (same pair and relation type). Novelty
    is not scored.
    """
    pairs = _pairs(gold, predicted)
    types = sorted({a.type for g, p in pairs for a in (*g.annotations, *p.annotations)})
    result = {"ner": _score(pairs, _mentions(None))}
    result |= {f"ner:{t}": _score(pairs, _mentions(t)) for t in types}
    result["pair"] = _score(pairs, _pair)
    result["pair+type"] = _score(pairs, _pair_type)
    return result


def format_scores(result: dict[str, Score]) -> str:
    """A plain-text table: one row per measure, P/R/F1 in percent and the counts."""
    width = max([len("measure"), *map(len, result)])
    lines = [f"{'measure':<{width}}  {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} {'fn':>6}"]
    for name, s in result.items():
        lines.append(
            f"{name:<{width}}  {100 * s['precision']:6.2f} {100 * s['recall']:6.2f} {100 * s['f1']:6.2f}"
            f" {s['tp']:6d} {s['fp']:6d} {s['fn']:6d}"
        )
    return "\n".join(lines)
