"""Run the pipeline over documents: `Document` in, `Extraction` (concepts, mentions, relations) out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ldn_graph.lexicon import Lexicon, default_lexicon
from ldn_graph.model import Concept, Document, Extraction, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def extract(
    nlp: Language, documents: Iterable[Document], lexicon: Lexicon | None = None
) -> Iterator[Extraction]:
    """One Extraction per document, in input order."""
    lexicon = lexicon or default_lexicon()
    pending: list[Document] = []

    def docs() -> Iterator[Doc]:
        for document in documents:
            doc = nlp.make_doc(document.text)
            doc._.ldn_doc_key = document.key  # evidence names its document from inside the pipeline
            pending.append(document)
            yield doc

    for doc in nlp.pipe(docs(), batch_size=16):
        yield to_extraction(doc, pending.pop(0), lexicon)


def to_extraction(doc: Doc, document: Document, lexicon: Lexicon) -> Extraction:
    """Read a processed Doc into plain records."""
    local: dict[str, Concept] = doc._.ldn_local_concepts or {}
    mentions = [
        Mention(e.kb_id_, document.key, e.start_char, e.end_char, e.text) for e in doc.ents if e.kb_id_
    ]
    relations = list(doc._.ldn_relations or [])
    keys = {m.concept for m in mentions} | {r.subject for r in relations} | {r.object for r in relations}
    concepts = {k: lexicon.get(k) or local[k] for k in sorted(keys) if k in lexicon.concepts or k in local}
    return Extraction(document, concepts, mentions, relations)
