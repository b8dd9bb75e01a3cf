"""Annotated corpora -> spaCy training docs (`.spacy` files for `spacy train`).

Each abstract becomes one Doc: its mentions as `doc.ents` with the NER labels of
`ontology/corpus-entity-types.tsv`, and, in `doc.user_data`, the mentions' concept ids, the document-level
relations between ids and the relation types its corpus annotates (read by the relation classifier).
BC5CDR annotates chemicals and diseases only, so a gene in one of its abstracts is taught as outside any
entity; abstracts that BioRED annotates too take BioRED's six types (`ldn_graph.training.corpus`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from ldn_graph.corpora.labels import entity_types
from ldn_graph.corpora.pubtator import AnnotatedDocument
from ldn_graph.errors import DataError
from ldn_graph.pipeline.classifier import GOLD_IDS, GOLD_LABELS, GOLD_RELATIONS


@dataclass
class ConversionReport:
    """What a conversion kept and dropped, for the training log."""

    documents: int = 0
    mentions: int = 0
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> mentions
    relations: int = 0


def to_doc(
    nlp: Language, document: AnnotatedDocument, corpus_labels: Iterable[str], report: ConversionReport
) -> Doc:
    """One training doc. `corpus_labels`: the relation types this document's corpus annotates."""
    types = entity_types()
    doc = nlp.make_doc(document.text)
    spans: list[Span] = []
    ids: dict[str, list[str]] = {}
    taken = [False] * len(doc)
    # Longest mentions first: where two overlap (nested annotations), the outer one is kept.
    for ann in sorted(document.annotations, key=lambda a: (a.start - a.end, a.start)):
        kind = types.get(ann.type)
        if kind is None:
            raise DataError(
                f"entity type {ann.type!r} is not in ontology/corpus-entity-types.tsv", where=document.pmid
            )
        span = doc.char_span(ann.start, ann.end, label=kind.ner_label, alignment_mode="expand")
        if span is None:
            report.dropped["not on token boundaries"] += 1
            continue
        if any(taken[span.start : span.end]):
            report.dropped["overlaps another mention"] += 1
            continue
        for i in range(span.start, span.end):
            taken[i] = True
        spans.append(span)
        key = f"{span.start_char}:{span.end_char}"
        ids[key] = sorted({*ids.get(key, []), *ann.ids})
    doc.ents = sorted(spans)
    report.documents += 1
    report.mentions += len(spans)
    report.relations += len(document.relations)
    doc.user_data[GOLD_IDS] = ids
    doc.user_data[GOLD_RELATIONS] = [[r.type, r.id1, r.id2] for r in document.relations]
    doc.user_data[GOLD_LABELS] = sorted(corpus_labels)
    return doc


def write_docbin(docs: Iterable[Doc], path: Path) -> int:
    """Save docs as a `.spacy` file (user_data kept); returns how many."""
    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE", "ENT_KB_ID"], store_user_data=True)
    n = 0
    for doc in docs:
        docbin.add(doc)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)
    return n
