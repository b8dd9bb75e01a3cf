"""Extraction on a Dask distributed cluster, for corpora one machine reads too slowly (docs/scale.md).

Batches of documents are sent to the workers as tasks; each worker process loads the pipeline on its first
task and keeps it (a module-level cache: Dask runs every task of a worker in the same process), and sends
back plain `Extraction` records, which this process yields in input order. Workers need what a local run
needs: this package, the spaCy model and the lexicon (both installed with the package).

Needs the `dask` extra: `pip install 'ldn-graph[dask]'`.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sized
from itertools import islice
from typing import TYPE_CHECKING, Any

from ldn_graph.errors import ClusterError
from ldn_graph.extract.local import BATCH_SIZE, extract_serial
from ldn_graph.extract.progress import progress_bar
from ldn_graph.model import Document, Extraction

if TYPE_CHECKING:
    from distributed import Client
    from spacy.language import Language

CONNECT_TIMEOUT = "20s"  # to reach the scheduler; a wrong address fails after this, not never

# -- on the workers -----------------------------------------------------------------------------------------

_pipelines: dict[str | None, Language] = {}
# One lock for loading and using the pipelines: a worker started with several threads would otherwise run
# one pipeline in two threads at once, which spaCy components do not promise to survive. The GIL makes
# threads useless for this work anyway: start workers with `--nthreads 1` and as many `--nworkers` as cores.
_lock = threading.Lock()


def worker_pipeline(model: str | None) -> Language:
    """The pipeline of this process for `model`, loaded on first use and kept. Call with `_lock` held."""
    nlp = _pipelines.get(model)
    if nlp is None:
        from ldn_graph.pipeline import load_pipeline

        nlp = _pipelines[model] = load_pipeline(model, graph_only=True)
    return nlp


def extract_batch(documents: list[Document], model: str | None) -> list[Extraction]:
    """Dask task: a batch of documents read by this worker's pipeline."""
    from ldn_graph.lexicon import default_lexicon

    with _lock:
        nlp = worker_pipeline(model)
        return list(extract_serial(nlp, documents, default_lexicon(), batch_size=len(documents)))


# -- on the client ------------------------------------------------------------------------------------------


def extract_distributed(
    scheduler: str | Client,
    documents: Iterable[Document],
    model: str | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    progress: bool = False,
) -> Iterator[Extraction]:
    """One Extraction per document, in input order, read by the workers of a Dask cluster; the same
    records a local `extract` gives.

    `scheduler` is the scheduler's address (`tcp://HOST:8786`), or a client of it from `connect`, which
    stays open (a caller connects first to fail before it writes anything).
    """
    client = connect(scheduler) if isinstance(scheduler, str) else scheduler
    total = len(documents) if isinstance(documents, Sized) else None
    pending: deque[Any] = deque()
    try:
        # A few batches per worker thread in flight: every worker busy, the input never held whole.
        window = max(4, 3 * sum(client.nthreads().values()))
        it = iter(documents)
        batches = iter(lambda: list(islice(it, batch_size)), [])
        with progress_bar(total, enabled=progress) as bar:
            for batch in batches:
                pending.append(client.submit(extract_batch, batch, model, pure=False))
                if len(pending) >= window:
                    for extraction in pending.popleft().result():
                        bar.update()
                        yield extraction
            while pending:
                for extraction in pending.popleft().result():
                    bar.update()
                    yield extraction
    finally:
        if pending:  # stopped early (an error, Ctrl-C): the cluster need not finish our work
            client.cancel(list(pending))
        if client is not scheduler:
            client.close()


def connect(scheduler_address: str) -> Client:
    """A Dask client of the scheduler, or ClusterError saying why there is none."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "running on a Dask cluster needs the dask extra: pip install 'ldn-graph[dask]'"
        ) from None
    try:
        return Client(scheduler_address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler: {err}", where=scheduler_address) from None
