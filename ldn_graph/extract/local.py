"""Run the pipeline over documents: `Document` in, `Extraction` (concepts, mentions, relations) out.

With `jobs > 1` the documents are read in worker processes. spaCy's own `nlp.pipe(n_process=...)` cannot
be used: it sends each Doc back with `Doc.to_bytes()`, which serialises `doc.user_data` with msgpack, and
our results (`doc._.ldn_relations` holds `Relation` records, `doc._.ldn_abbreviations` holds Spans) are
not msgpack data, so the workers fail with spaCy error E871. Instead each worker holds the pipeline
(inherited through fork on Linux, so nothing is reloaded; pickled once per worker elsewhere), reads
batches of documents and returns plain `Extraction` records, which pickle.

A document longer than `PART_CHARS` (100,000 characters: a long full-text paper) is read in parts of at
most that many characters, one part at a time, cut at a paragraph break where there is one: spaCy refuses
a text over its `max_length` (1,000,000, error E088), and the pipeline holds some 5 kB of memory per
character it reads, so a 1,000,000-character text read whole would take 5 GB. The parts' records are put
back together with offsets and sentence numbers counted from the start of the whole document. A sentence
never spans two parts; an abbreviation defined in one part is not known in the next.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from dataclasses import replace
from itertools import groupby, islice
from typing import TYPE_CHECKING

from ldn_graph.extract.progress import progress_bar
from ldn_graph.lexicon import Lexicon, default_lexicon
from ldn_graph.model import Concept, Document, Extraction, Mention, Relation

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from spacy.language import Language
    from spacy.tokens import Doc

BATCH_SIZE = 16  # documents per nlp.pipe batch, and per task sent to a worker
# A document longer than this is read in parts of at most this many characters, one at a time.
PART_CHARS = 100_000
PENDING_PER_JOB = 4  # tasks queued per worker: enough to keep it busy, few enough to bound memory
# Fork where it is safe (Linux): workers share the loaded pipeline. Elsewhere the platform's default (spawn).
START_METHOD = "fork" if sys.platform.startswith("linux") else None


def extract(
    nlp: Language,
    documents: Iterable[Document],
    lexicon: Lexicon | None = None,
    *,
    jobs: int = 1,
    batch_size: int = BATCH_SIZE,
    progress: bool = False,
    beside: bool = False,
) -> Iterator[Extraction]:
    """One Extraction per document, in input order, the same whatever `jobs` is.

    `jobs > 1` reads the documents in that many processes; `progress` draws a bar on a terminal.
    `beside` with one job reads them in one process of their own, a few documents ahead of the caller,
    which meanwhile does what it does with the records (extract/beside.py); in this process where no
    process can be forked.
    """
    if beside and jobs == 1:
        from ldn_graph.extract.beside import Reader

        with Reader(lambda: nlp, documents, lexicon=lexicon, batch_size=batch_size) as reader:
            yield from reader.read(progress=progress)
        return
    lexicon = lexicon or default_lexicon()
    total = len(documents) if isinstance(documents, Sized) else None
    if jobs > 1:
        if total is not None:  # small inputs are still spread over every worker
            batch_size = max(1, min(batch_size, -(-total // jobs)))
        # The pool is started before the bar: tqdm's monitor thread must not be running at fork time.
        pool = start_pool(nlp, lexicon, jobs)
        try:
            with progress_bar(total, enabled=progress) as bar:
                for extraction in map_in_order(pool, documents, batch_size, pending=jobs * PENDING_PER_JOB):
                    bar.update()
                    yield extraction
        finally:
            pool.terminate()  # at the end, or on an error or Ctrl-C: no worker outlives the call
            pool.join()
    else:
        with progress_bar(total, enabled=progress) as bar:
            for extraction in extract_serial(nlp, documents, lexicon, batch_size=batch_size):
                bar.update()
                yield extraction


def extract_serial(
    nlp: Language, documents: Iterable[Document], lexicon: Lexicon, *, batch_size: int = BATCH_SIZE
) -> Iterator[Extraction]:
    """One Extraction per document, in input order, in this process."""
    with long_lived_frozen():
        limit = min(PART_CHARS, nlp.max_length)
        for long, run in groupby(documents, key=lambda d: len(d.text) > limit):
            if long:
                for document in run:
                    yield extract_in_parts(nlp, document, lexicon)
            else:
                yield from _extract_batched(nlp, run, lexicon, batch_size)


def _extract_batched(
    nlp: Language, documents: Iterable[Document], lexicon: Lexicon, batch_size: int
) -> Iterator[Extraction]:
    pending: deque[Document] = deque()

    def docs() -> Iterator[Doc]:
        for document in documents:
            doc = nlp.make_doc(document.text)
            doc._.ldn_doc_key = document.key  # evidence names its document from inside the pipeline
            pending.append(document)
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield to_extraction(doc, pending.popleft(), lexicon)


def extract_in_parts(nlp: Language, document: Document, lexicon: Lexicon) -> Extraction:
    """A long document read in parts of at most `PART_CHARS` characters (and `nlp.max_length`), one at a
    time: the pipeline's memory grows with the text it holds (some 5 kB a character), so a long text is
    never in it whole, nor several parts at once."""
    read = []
    sentences = 0
    for offset, part in text_parts(document.text, min(PART_CHARS, nlp.max_length)):
        doc = nlp.make_doc(part)
        doc._.ldn_doc_key = document.key
        doc = next(iter(nlp.pipe([doc], batch_size=1)))
        read.append(shift_extraction(to_extraction(doc, document, lexicon), offset, sentences))
        sentences += sum(1 for _ in doc.sents) if doc.has_annotation("SENT_START") else 0
        del doc
    return join_extractions(read)


def text_parts(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, part) pieces of `text` of at most `limit` characters, cut after a paragraph break, else a
    line break, else a sentence end, else a space, in the second half of each piece; the whole text
    when it is short enough."""
    parts: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = end
        for separator in ("\n\n", "\n", ". ", " "):
            found = text.rfind(separator, start + limit // 2, end)
            if found != -1:
                cut = found + len(separator)
                break
        parts.append((start, text[start:cut]))
        start = cut
    parts.append((start, text[start:]))
    return parts


def shift_extraction(extraction: Extraction, offset: int, sentences: int) -> Extraction:
    """A part's records with offsets counted from `offset` characters and `sentences` sentences earlier."""
    mentions = [replace(m, start=m.start + offset, end=m.end + offset) for m in extraction.mentions]
    relations = [_shift_relation(r, offset, sentences) for r in extraction.relations]
    return Extraction(extraction.document, extraction.concepts, mentions, relations)


def _shift_relation(relation: Relation, offset: int, sentences: int) -> Relation:
    ev = relation.evidence
    evidence = replace(
        ev, start=ev.start + offset, end=ev.end + offset, sentence_index=ev.sentence_index + sentences
    )
    qualifiers = tuple(replace(q, start=q.start + offset, end=q.end + offset) for q in relation.qualifiers)
    return replace(relation, evidence=evidence, qualifiers=qualifiers)


def join_extractions(parts: list[Extraction]) -> Extraction:
    """The records of a document read in parts (offsets already whole) as one Extraction; a concept found
    in several parts is the one of the first."""
    concepts: dict[str, Concept] = {}
    for part in parts:
        for key, concept in part.concepts.items():
            concepts.setdefault(key, concept)
    return Extraction(
        parts[0].document,
        dict(sorted(concepts.items())),
        [m for part in parts for m in part.mentions],
        [r for part in parts for r in part.relations],
    )


@contextmanager
def long_lived_frozen() -> Iterator[None]:
    """Leave the objects that exist now (the pipeline, the lexicon) out of the garbage collector's passes
    until the block ends.

    Reading a document makes many short-lived objects (spaCy's Token objects, spans, records), which set
    off collections; a full one walks every object in the process, and the loaded lexicon and pipeline
    are some 100,000 of them that never become garbage: one such pass cost ~0.2 s per 400 documents.
    Frozen objects are still freed when nothing refers to them; cycles among them wait for the end. Where
    objects are frozen already (a worker forked by `start_pool`, a caller's own freeze), nothing is done:
    thawing at the end would thaw theirs too.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def to_extraction(doc: Doc, document: Document, lexicon: Lexicon) -> Extraction:
    """Read a processed Doc into plain records."""
    local: dict[str, Concept] = doc._.ldn_local_concepts or {}
    relations = list(doc._.ldn_relations or [])
    related = {r.subject for r in relations} | {r.object for r in relations}
    # A name the model found that nothing identifies enters the graph only as the argument of a relation,
    # unless its form says what it is (a drug's INN stem: `pipeline/entities.py`, `named_drugs`).
    named = doc._.ldn_named_locals or frozenset()
    unidentified = {k for k, c in local.items() if not c.normalised and k not in related and k not in named}
    mentions = [
        Mention(e.kb_id_, document.key, e.start_char, e.end_char, e.text)
        for e in doc.ents
        if e.kb_id_ and e.kb_id_ not in unidentified
    ]
    keys = {m.concept for m in mentions} | {r.subject for r in relations} | {r.object for r in relations}
    concepts = {k: lexicon.get(k) or local[k] for k in sorted(keys) if k in lexicon.concepts or k in local}
    return Extraction(document, concepts, mentions, relations)


# -- worker processes ---------------------------------------------------------------------------------------

_worker_state: tuple[Language, Lexicon] | None = None  # set in each worker by its initializer


def _init_worker(nlp: Language, lexicon: Lexicon) -> None:
    from ldn_graph.pipeline.extensions import register_extensions

    global _worker_state
    # A spawned worker unpickles the components without building them: declare their Doc attributes.
    register_extensions()
    _worker_state = (nlp, lexicon)


def _extract_batch(documents: list[Document]) -> list[Extraction]:
    """Worker task: a batch of documents read by the worker's pipeline."""
    assert _worker_state is not None, "worker started without its pipeline"
    nlp, lexicon = _worker_state
    return list(extract_serial(nlp, documents, lexicon, batch_size=len(documents)))


def start_pool(nlp: Language, lexicon: Lexicon, jobs: int) -> Pool:
    """`jobs` worker processes, each holding the pipeline and the lexicon.

    On Linux the workers are forked: they share the loaded pipeline's memory with this process and start
    at once. Elsewhere fork is unsafe or missing, and each worker unpickles the pipeline (a few seconds).
    """
    context = multiprocessing.get_context(START_METHOD)
    for _name, component in nlp.pipeline:
        getattr(component, "matcher", None)  # built here, once, not in each worker (it is made at first use)
    # Frozen objects are left alone by the garbage collector: the workers' collections then do not write
    # to the pages of the pipeline and lexicon they share with this process (copy-on-write stays cheap).
    gc.collect()
    gc.freeze()
    try:
        return context.Pool(jobs, initializer=_init_worker, initargs=(nlp, lexicon))
    finally:
        gc.unfreeze()  # in this process only; the workers are already started


def map_in_order(
    pool: Pool, documents: Iterable[Document], batch_size: int, *, pending: int
) -> Iterator[Extraction]:
    """Send batches of documents to the pool and yield their extractions in input order.

    At most `pending` batches are in flight, so a long input is never held in memory whole.
    """
    it = iter(documents)
    batches = iter(lambda: list(islice(it, batch_size)), [])
    queue: deque[AsyncResult[list[Extraction]]] = deque()
    for batch in batches:
        queue.append(pool.apply_async(_extract_batch, (batch,)))
        if len(queue) >= pending:
            yield from queue.popleft().get()
    while queue:
        yield from queue.popleft().get()
