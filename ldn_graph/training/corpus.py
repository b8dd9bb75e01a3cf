"""The training and development sets, read from the public corpora (`../shared/training` by default).

BioRED and BC5CDR share abstracts; an abstract in both is one document with BioRED's mentions (six types)
and the relations of both. The PMIDs of `EXCLUDE_PMIDS.tsv` (held out for scoring) are dropped from every
split, and an abstract in either corpus's development split is kept out of training, so the development
figures of one corpus are not measured on the training text of the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ldn_graph.corpora.labels import CORPUS_RELATION_TYPES
from ldn_graph.corpora.pubtator import AnnotatedDocument, read_corpus, read_exclusions
from ldn_graph.errors import InputError

BIORED_LABELS = CORPUS_RELATION_TYPES["biored"]
BC5CDR_LABELS = CORPUS_RELATION_TYPES["bc5cdr"]
FILES = {
    ("biored", "train"): "bioRED/train.PubTator",
    ("biored", "dev"): "bioRED/dev.PubTator",
    ("bc5cdr", "train"): "bc5cdr/train.PubTator.txt",
    ("bc5cdr", "dev"): "bc5cdr/dev.PubTator.txt",
}
EXCLUSIONS = "EXCLUDE_PMIDS.tsv"


@dataclass
class TrainingDocument:
    """An abstract with the relation types its corpora annotate."""

    document: AnnotatedDocument
    labels: frozenset[str]


def corpus_file(root: Path, corpus: str, split: str) -> Path:
    """Path of a corpus split under the corpora folder; a clear error when it is missing."""
    path = root / FILES[(corpus, split)]
    if not path.is_file():
        raise InputError(f"corpus file not found: {path} (see README, 'Training')", where=str(root))
    return path


def read_split(root: Path, corpus: str, split: str) -> list[AnnotatedDocument]:
    """One corpus split with the held-out PMIDs dropped."""
    exclusions = root / EXCLUSIONS
    exclude = read_exclusions(exclusions) if exclusions.is_file() else frozenset()
    return read_corpus(corpus_file(root, corpus, split), exclude)


def merged(biored: list[AnnotatedDocument], bc5cdr: list[AnnotatedDocument]) -> list[TrainingDocument]:
    """One document per PMID, in PMID order: BioRED's mentions where it has the abstract."""
    out: dict[str, TrainingDocument] = {}
    for doc in biored:
        out[doc.pmid] = TrainingDocument(doc, frozenset(BIORED_LABELS))
    for doc in bc5cdr:
        if doc.pmid in out:
            known = out[doc.pmid]
            relations = sorted({*known.document.relations, *doc.relations})
            both = AnnotatedDocument(
                doc.pmid, known.document.title, known.document.abstract, known.document.annotations, relations
            )
            out[doc.pmid] = TrainingDocument(both, known.labels | set(BC5CDR_LABELS))
        else:
            out[doc.pmid] = TrainingDocument(doc, frozenset(BC5CDR_LABELS))
    return [out[k] for k in sorted(out, key=int)]


def training_sets(
    root: Path, *, final: bool = False
) -> tuple[list[TrainingDocument], list[TrainingDocument]]:
    """(train, dev): both corpora merged, dev abstracts kept out of train. `final`: the development
    abstracts join the training set too, for the model that ships once its settings and thresholds were
    chosen on them (what the BioCreative systems did before the test set); dev is returned all the same."""
    dev = merged(read_split(root, "biored", "dev"), read_split(root, "bc5cdr", "dev"))
    if final:
        biored = [*read_split(root, "biored", "train"), *read_split(root, "biored", "dev")]
        return merged(biored, [*read_split(root, "bc5cdr", "train"), *read_split(root, "bc5cdr", "dev")]), dev
    dev_pmids = {d.document.pmid for d in dev}
    train = [
        d
        for d in merged(read_split(root, "biored", "train"), read_split(root, "bc5cdr", "train"))
        if d.document.pmid not in dev_pmids
    ]
    return train, dev
