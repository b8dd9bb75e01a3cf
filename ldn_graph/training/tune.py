"""Per-label thresholds of the relation classifier, chosen on the development sets.

The pipeline reads each development abstract once, keeping every pair score; each label's thresholds are
then the ones (on a grid) that maximise that label's document-level F1 in the corpus that annotates it:
BC5CDR's measure for CID, BioRED's pair+type for its eight types (types too rare in the development set
keep the default). A label has two: for pairs of concepts whose best evidence is one sentence, and for
those whose best evidence spans sentences, which is weaker at the same score. They are found by
coordinate ascent: the one threshold for both, then the cross-sentence one with the other fixed (never
below it), then the other again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_graph.corpora.predict import Thresholds, read_doc
from ldn_graph.corpora.pubtator import AnnotatedDocument
from ldn_graph.corpora.scoring import prf
from ldn_graph.lexicon import default_lexicon

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

GRID = tuple(round(0.05 * i, 2) for i in range(2, 19))  # 0.10 ... 0.90
MIN_GOLD = 20  # a label needs this many gold pairs in the development set to be tuned


def read_all(nlp: Language, gold: list[AnnotatedDocument]) -> list[Doc]:
    """The processed docs (the expensive part, done once)."""
    return list(nlp.pipe(d.text for d in gold))


def label_f1(
    docs: list[Doc],
    gold: list[AnnotatedDocument],
    corpus: str,
    label: str,
    threshold: float,
    linker: object,
    across: float | None = None,
) -> float:
    """Document-level F1 of one label at one threshold (`across`: another for pairs across sentences)."""
    lexicon = default_lexicon()
    predicted: set[tuple[str, ...]] = set()
    wanted: set[tuple[str, ...]] = set()
    thresholds = Thresholds({label: threshold}, {label: threshold if across is None else across})
    for doc, g in zip(docs, gold, strict=True):
        read = read_doc(doc, g, corpus, lexicon, thresholds, linker)  # type: ignore[arg-type]
        predicted |= {(g.pmid, *_pair(r.id1, r.id2, corpus)) for r in read.relations if r.type == label}
        wanted |= {(g.pmid, *_pair(r.id1, r.id2, corpus)) for r in g.relations if r.type == label}
    return prf(wanted, predicted)["f1"]


def _pair(a: str, b: str, corpus: str) -> tuple[str, str]:
    return (a, b) if corpus == "bc5cdr" else tuple(sorted((a, b)))  # type: ignore[return-value]


def tune(
    nlp: Language, sets: dict[str, list[AnnotatedDocument]]
) -> tuple[dict[str, float], dict[str, float]]:
    """The best thresholds per label, within a sentence and across sentences; `sets`: corpus name -> its
    development documents."""
    classifier = nlp.get_pipe("ldn_relation_classifier")
    linker = nlp.get_pipe("ldn_entity_linker")
    keep = classifier.cfg["keep"]  # type: ignore[attr-defined]
    classifier.cfg["keep"] = min(GRID)  # type: ignore[attr-defined]
    try:
        within: dict[str, float] = {}
        across: dict[str, float] = {}
        for corpus, gold in sets.items():
            docs = read_all(nlp, gold)
            labels = sorted({r.type for g in gold for r in g.relations})
            for label in labels:
                if sum(r.type == label for g in gold for r in g.relations) < MIN_GOLD:
                    continue

                def f1(t: float, t_across: float) -> tuple[float, float]:
                    score = label_f1(docs, gold, corpus, label, t, linker, t_across)  # noqa: B023
                    return score, -abs(t - 0.5) - abs(t_across - 0.5)

                same = max(GRID, key=lambda t: f1(t, t))
                cross = max((t for t in GRID if t >= same), key=lambda t: f1(same, t))
                same = max((t for t in GRID if t <= cross), key=lambda t: f1(t, cross))
                within[label], across[label] = same, cross
        return within, across
    finally:
        classifier.cfg["keep"] = keep  # type: ignore[attr-defined]
