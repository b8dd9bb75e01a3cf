"""Per-label thresholds of the relation classifier, chosen on the development sets.

The pipeline reads each development abstract once, keeping every pair score; each label's threshold is
then the one (on a grid) that maximises that label's document-level F1 in the corpus that annotates it:
BC5CDR's measure for CID, BioRED's pair+type for its eight types (types too rare in the development set
keep the default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_graph.corpora.predict import read_doc
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
    docs: list[Doc], gold: list[AnnotatedDocument], corpus: str, label: str, threshold: float, linker: object
) -> float:
    """Document-level F1 of one label at one threshold."""
    lexicon = default_lexicon()
    predicted: set[tuple[str, ...]] = set()
    wanted: set[tuple[str, ...]] = set()
    for doc, g in zip(docs, gold, strict=True):
        read = read_doc(doc, g, corpus, lexicon, {label: threshold}, linker)  # type: ignore[arg-type]
        predicted |= {(g.pmid, *_pair(r.id1, r.id2, corpus)) for r in read.relations if r.type == label}
        wanted |= {(g.pmid, *_pair(r.id1, r.id2, corpus)) for r in g.relations if r.type == label}
    return prf(wanted, predicted)["f1"]


def _pair(a: str, b: str, corpus: str) -> tuple[str, str]:
    return (a, b) if corpus == "bc5cdr" else tuple(sorted((a, b)))  # type: ignore[return-value]


def tune(nlp: Language, sets: dict[str, list[AnnotatedDocument]]) -> dict[str, float]:
    """The best threshold per label; `sets`: corpus name -> its development documents."""
    classifier = nlp.get_pipe("ldn_relation_classifier")
    linker = nlp.get_pipe("ldn_entity_linker")
    keep = classifier.cfg["keep"]  # type: ignore[attr-defined]
    classifier.cfg["keep"] = min(GRID)  # type: ignore[attr-defined]
    try:
        out: dict[str, float] = {}
        for corpus, gold in sets.items():
            docs = read_all(nlp, gold)
            labels = sorted({r.type for g in gold for r in g.relations})
            for label in labels:
                if sum(r.type == label for g in gold for r in g.relations) < MIN_GOLD:
                    continue
                scores = {t: label_f1(docs, gold, corpus, label, t, linker) for t in GRID}
                out[label] = max(GRID, key=lambda t: (scores[t], -abs(t - 0.5)))
        return out
    finally:
        classifier.cfg["keep"] = keep  # type: ignore[attr-defined]
