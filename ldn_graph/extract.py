"""Run the pipeline over documents: `Document` in, `Extraction` (concepts, mentions, relations) out.

With `jobs > 1` the documents are read in worker processes. spaCy's own `nlp.pipe(n_process=...)` cannot
be used: it sends each Doc back with `Doc.to_bytes()`, which serialises `doc.user_data` with msgpack, and
our results (`doc._.ldn_relations` holds `Relation` records, `doc._.ldn_abbreviations` holds Spans) are
not msgpack data, so the workers fail with spaCy error E871. Instead each worker holds the pipeline
(inherited through fork on Linux, so nothing is reloaded; pickled once per worker elsewhere), reads
batches of documents and returns plain `Extraction` records, which pickle.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING

from ldn_graph.lexicon import Lexicon, default_lexicon
from ldn_graph.model import Concept, Document, Extraction, Mention
from ldn_graph.progress import progress_bar

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from spacy.language import Language
    from spacy.tokens import Doc

BATCH_SIZE = 16  # documents per nlp.pipe batch, and per task sent to a worker
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
) -> Iterator[Extraction]:
    """One Extraction per document, in input order, the same whatever `jobs` is.

    `jobs > 1` reads the documents in that many processes; `progress` draws a bar on a terminal.
    """
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
    pending: deque[Document] = deque()

    def docs() -> Iterator[Doc]:
        for document in documents:
            doc = nlp.make_doc(document.text)
            doc._.ldn_doc_key = document.key  # evidence names its document from inside the pipeline
            pending.append(document)
            yield doc

    with long_lived_frozen():
        for doc in nlp.pipe(docs(), batch_size=batch_size):
            yield to_extraction(doc, pending.popleft(), lexicon)


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
    # A name the model found that nothing identifies enters the graph only as the argument of a relation.
    unidentified = {k for k, c in local.items() if not c.normalised and k not in related}
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
