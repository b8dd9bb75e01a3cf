"""Annotated corpora -> spaCy training docs (`.spacy` files for `spacy train`).

Each abstract becomes one Doc: its mentions as `doc.ents` with the NER labels of
`ontology/corpus-entity-types.tsv`, and, in `doc.user_data`, the mentions' concept ids, the document-level
relations between ids and the relation types its corpus annotates (read by the relation classifier).
BC5CDR annotates chemicals and diseases only: in its abstracts, words BioRED annotates as genes, species,
variants or cell lines elsewhere are left unknown (spaCy's missing) rather than taught as outside any
entity (`unknown`); abstracts that BioRED annotates too take BioRED's six types.
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
    unknown: int = 0  # spans left unknown (names of types the document's corpus does not annotate)


def to_doc(
    nlp: Language,
    document: AnnotatedDocument,
    corpus_labels: Iterable[str],
    report: ConversionReport,
    unknown: frozenset[str] = frozenset(),
) -> Doc:
    """One training doc. `corpus_labels`: the relation types this document's corpus annotates; `unknown`:
    lower-cased names whose tokens are left unknown where no mention covers them (names of the types this
    document's corpus does not annotate)."""
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
    missing = [s for s in _name_spans(doc, unknown) if not any(taken[s.start : s.end])]
    doc.set_ents(sorted(spans), missing=missing, default="outside")
    report.unknown += len(missing)
    report.documents += 1
    report.mentions += len(spans)
    report.relations += len(document.relations)
    doc.user_data[GOLD_IDS] = ids
    doc.user_data[GOLD_RELATIONS] = [[r.type, r.id1, r.id2] for r in document.relations]
    doc.user_data[GOLD_LABELS] = sorted(corpus_labels)
    return doc


MAX_NAME_TOKENS = 4


def _name_spans(doc: Doc, names: frozenset[str]) -> list[Span]:
    """Non-overlapping spans of the doc whose lower-cased text is one of `names`, longest first."""
    if not names:
        return []
    out: list[Span] = []
    i = 0
    while i < len(doc):
        for n in range(min(MAX_NAME_TOKENS, len(doc) - i), 0, -1):
            span = doc[i : i + n]
            if span.text.lower() in names:
                out.append(span)
                i += n
                break
        else:
            i += 1
    return out


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
