"""One reader beside the caller: the pipeline in a forked process of its own, which reads documents a few
ahead of the caller while the caller does what it does with their records (a build stores them, makes
their TriG blocks and hands them to the SHACL check). What `build --jobs 1` runs (docs/scale.md).

The reader loads the pipeline itself (`Reader(load)`), so that the caller never holds it: nor do the
processes the caller forks later (the SHACL checks), whose memory would otherwise count the pipeline's
pages. `extract(..., beside=True)` forks one from a caller that has loaded it already (shared pages). The
records are those `extract_serial` gives, in input order; where no process can be forked (`forked.py`),
the caller loads the pipeline and reads the documents itself.
"""

from __future__ import annotations

import gc
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import TYPE_CHECKING, Any

from ldn_graph.errors import LdnGraphError
from ldn_graph.extract.local import BATCH_SIZE
from ldn_graph.extract.progress import progress_bar
from ldn_graph.forked import become_child, fork_child

if TYPE_CHECKING:
    from spacy.language import Language

    from ldn_graph.lexicon import Lexicon
    from ldn_graph.model import Document, Extraction

# Records the reader may have made that the caller has not taken yet: enough to ride over the caller's
# slower moments (a batch handed to the SHACL check), few enough to bound memory.
READ_AHEAD = 64
_PROTOCOL = pickle.HIGHEST_PROTOCOL
_DONE = pickle.dumps(None, protocol=_PROTOCOL)


class Reader:
    """A process holding the pipeline `load()` gives, which reads the documents `read` is given. Stop it
    with `stop` (or use it as a context manager): it ends with the caller in any case."""

    def __init__(
        self,
        load: Callable[[], Language],
        documents: Iterable[Document] | None = None,
        *,
        lexicon: Lexicon | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        """Fork the reader, which loads the pipeline at once. `documents`: what it reads, handed over
        by the fork (any iterable); else `read` sends them (a picklable iterable). `lexicon`: the
        default one (loaded there) unless given."""
        self._load = load
        self._documents = documents
        self._lexicon = lexicon
        self._batch_size = batch_size
        self._nlp: Language | None = None
        self._ready = False
        self._process: Any = None
        started = fork_child(_serve, (load, documents, lexicon, batch_size), duplex=True)
        if started is not None:
            self._process, self._connection = started

    def ready(self) -> None:
        """Wait until the pipeline is loaded; its error (a model that cannot be loaded) raised here."""
        if self._ready:
            return
        self._ready = True
        if self._process is None:
            self._nlp = self._load()
            return
        if self._receive() is not None:  # anything but "loaded" is an error, raised by `_receive`
            raise LdnGraphError("the extraction process sent records before it was given documents")

    def read(
        self, documents: Iterable[Document] | None = None, *, progress: bool = False
    ) -> Iterator[Extraction]:
        """The extractions of `documents` (or of those the reader was forked with), in input order;
        `progress` draws a bar on a terminal."""
        self.ready()
        given = self._documents if documents is None else documents
        total = len(given) if isinstance(given, Sized) else None
        with progress_bar(total, enabled=progress) as bar:
            if self._process is None:
                from ldn_graph.extract.local import extract

                assert self._nlp is not None and given is not None
                for extraction in extract(self._nlp, given, self._lexicon, batch_size=self._batch_size):
                    bar.update()
                    yield extraction
                return
            try:
                if documents is not None:
                    self._connection.send(documents)
                while (extraction := self._receive()) is not None:
                    bar.update()
                    yield extraction
            finally:
                self.stop()

    def _receive(self) -> Any:
        try:
            message = pickle.loads(self._connection.recv_bytes())
        except (EOFError, OSError):
            self.stop()
            raise LdnGraphError(
                "the extraction process stopped before it finished (out of memory?)"
            ) from None
        if isinstance(message, BaseException):
            self.stop()
            raise message
        return message

    def stop(self) -> None:
        """End the reader if it still runs; let go of its connection."""
        if self._process is None:
            return
        self._connection.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._process = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve(
    job: tuple[Callable[[], Language], Iterable[Document] | None, Lexicon | None, int], connection: Any
) -> None:
    """The reader: loads the pipeline and says so (or sends the error), takes the documents if it was
    not forked with them, then sends each extraction pickled, and None; or the error that stopped it. A
    thread sends while the next documents are read, at most `READ_AHEAD` records ahead."""
    from ldn_graph.extract.local import extract_serial
    from ldn_graph.lexicon import default_lexicon

    become_child()
    load, documents, lexicon, batch_size = job
    try:
        nlp = load()
        lexicon = lexicon or default_lexicon()
    except Exception as err:
        connection.send_bytes(_pickled_error(err))
        return
    gc.collect()
    gc.freeze()  # the pipeline loaded here, left out of the collector's passes (`local.long_lived_frozen`)
    connection.send_bytes(_DONE)
    if documents is None:
        documents = connection.recv()
    ahead: queue.Queue[bytes] = queue.Queue(maxsize=READ_AHEAD)

    def send() -> None:
        while True:
            data = ahead.get()
            connection.send_bytes(data)
            if data == _DONE:
                return

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        for extraction in extract_serial(nlp, documents, lexicon, batch_size=batch_size):
            ahead.put(pickle.dumps(extraction, protocol=_PROTOCOL))
    except Exception as err:  # the caller raises it: an input changed since it was checked, say
        ahead.put(_pickled_error(err))
    ahead.put(_DONE)
    sender.join()
    connection.close()


def _pickled_error(err: Exception) -> bytes:
    """`err` pickled; an error that does not come back from its pickle is passed on as its message."""
    try:
        data = pickle.dumps(err, protocol=_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:
        return pickle.dumps(LdnGraphError(f"{type(err).__name__}: {err}"), protocol=_PROTOCOL)
