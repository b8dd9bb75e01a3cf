"""A build's exports of a store: made again only when the store changed since, SHACL-checked meanwhile
on what changed (store/validation.py), published all at once (export/publish.py), Turtle and TriG
streamed from the store (store/export.py), the HTML view and KGX read from it in place (store/view.py).

What `build` and `remove` do once the store holds the documents.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.errors import LdnGraphError, describe_os_error
from ldn_graph.export.publish import OUTPUTS, read_marker, remove_stale_staging, write_outputs
from ldn_graph.extract.progress import PHASES, phase
from ldn_graph.store.base import GraphStore

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from ldn_graph.store.catalog import StoredDocument
    from ldn_graph.store.validation import DocumentChecks

# Each named graph's TriG block, kept from one build to the next (store/export.py): after a change, only
# the changed graphs are serialised again (ignored by git).
TRIG_FRAGMENTS = ".trig-fragments"
# The index of graph.ttl's subject blocks, kept likewise (store/turtle_blocks.py): after a change, only the
# subjects it touched are serialised again.
TURTLE_BLOCKS = ".turtle-blocks"


def export_store(
    store: GraphStore,
    outdir: Path,
    *,
    validate: bool = True,
    force: bool = False,
    checks: DocumentChecks | None = None,
) -> list[Path]:
    """Write the exports of the whole store into OUTDIR unless they are of this very state of the store
    already (or `force`); returns the files written. They are published only once what changed since
    the last validated exports (OUTDIR/.shacl-validated) passes the shapes; `checks` holds the document
    graphs this build checked as it wrote them (store/validation.py)."""
    from ldn_graph.store.catalog import aggregate_revision
    from ldn_graph.store.fingerprint import code_fingerprint
    from ldn_graph.store.view import union_view

    if outdir.is_dir():  # even when the exports are current: a killed build's folder goes
        remove_stale_staging(outdir)
    marker = f"{aggregate_revision(store)} {code_fingerprint()} {_where(store)}\n"
    complete = all((outdir / rel).is_file() for rel in OUTPUTS)
    if not force and complete and read_marker(outdir) == marker:
        return []
    graph = union_view(store)  # what the HTML view and KGX read, looked up in the store
    try:
        return _publish(store, graph, outdir, marker, validate=validate, checks=checks)
    finally:
        graph.close()  # the view lets go of the store, which the caller closes


def _publish(
    store: GraphStore,
    graph: Graph,
    outdir: Path,
    marker: str,
    *,
    validate: bool,
    checks: DocumentChecks | None,
) -> list[Path]:
    """`export_store`'s writing: the exports of `graph` (the store's view) into OUTDIR, published once
    what changed passes the shapes."""
    from ldn_graph.store.export import keep_fragments, write_store_trig
    from ldn_graph.store.kgx_segments import SEGMENTS as KGX_SEGMENTS
    from ldn_graph.store.kgx_segments import keep_segments, write_kgx_segments
    from ldn_graph.store.turtle_blocks import keep_blocks, write_turtle_blocks

    # The same bytes as the rdflib writers give for the store's dataset, streamed from the store; KGX
    # reads the view without copying it.
    writers = {
        "turtle": lambda path: write_turtle_blocks(
            store,
            path,
            kept=outdir / TURTLE_BLOCKS,
            fresh=path.parent / TURTLE_BLOCKS,
            previous=outdir / path.name,
        ),
        "trig": lambda path: write_store_trig(
            store, path, fragments=outdir / TRIG_FRAGMENTS, fresh=path.parent / TRIG_FRAGMENTS
        ),
        "kgx": lambda path: write_kgx_segments(
            store, graph, path, kept=outdir / KGX_SEGMENTS, fresh=path.parent / KGX_SEGMENTS
        ),
    }

    def keep(staging: Path) -> None:
        keep_fragments(staging / TRIG_FRAGMENTS, outdir / TRIG_FRAGMENTS)
        keep_blocks(staging / TURTLE_BLOCKS, outdir / TURTLE_BLOCKS)
        keep_segments(staging / KGX_SEGMENTS, outdir / KGX_SEGMENTS)

    if not validate:
        return write_outputs(graph, outdir, marker=marker, writers=writers, after_moving=keep)
    from ldn_graph.rdf.shapes import BackgroundValidation
    from ldn_graph.store.validation import RECORD, DocumentChecks, Record, gather, shapes_fingerprint

    with phase("validation: gathering what changed"):
        record = Record.read(outdir / RECORD, shapes_fingerprint())
        parts, done = gather(store, record, checks or DocumentChecks())
    # What is left to check runs in a process of its own beside the writers, and the files are published
    # only once the graph conforms.
    started = time.perf_counter()
    check = BackgroundValidation(parts)

    def conforms() -> None:
        with phase("validation: waited for"):
            result = check.result()
        PHASES["validation: started to done"] = time.perf_counter() - started
        if not result.conforms:
            first = next((line.strip() for line in result.text.splitlines() if "Message" in line), "")
            raise LdnGraphError(
                f"built graph fails its SHACL shapes ({result.violations} violations): {first}"
            )

    try:
        written = write_outputs(
            graph, outdir, marker=marker, before_publishing=conforms, writers=writers, after_moving=keep
        )
    finally:
        check.stop()
    # After the exports: a build killed in between checks again what it had checked, no less.
    done.write(outdir / RECORD)
    return written


class DocumentBlocks:
    """The TriG blocks a build writes into OUTDIR/.trig-fragments as it stores documents
    (`store.export.keep_document_block`). A build that fails before its exports are published takes
    back the blocks it added (and the folder, when it made it): OUTDIR holds no new file. A build killed
    outright leaves them, each the block of its document's revision, which the next build takes."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.folder = outdir / TRIG_FRAGMENTS
        self._made_folder = not self.folder.exists()
        self._added: list[Path] = []

    def keep(self, document: StoredDocument, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Write the block of a document just stored; a full disk is a one-line error."""
        from ldn_graph.store.export import document_block_file, keep_document_block

        new = not document_block_file(self.folder, document).exists()
        try:
            file = keep_document_block(self.folder, document, triples)
        except OSError as err:
            raise LdnGraphError(
                f"cannot write the exports: {describe_os_error(err)}", where=str(self.outdir)
            ) from None
        if new:
            self._added.append(file)

    def __enter__(self) -> DocumentBlocks:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            return
        for file in self._added:
            file.unlink(missing_ok=True)
        if self._made_folder:
            with contextlib.suppress(OSError):  # not empty: blocks another build wrote meanwhile
                self.folder.rmdir()


def exported_from(outdir: Path, store: GraphStore) -> bool:
    """True when OUTDIR holds exports made from `store` (whatever its state then)."""
    text = read_marker(outdir)
    return text is not None and text.rstrip("\n").endswith(" " + _where(store))


def _where(store: GraphStore) -> str:
    from ldn_graph.store.remote import is_url

    return store.location if is_url(store.location) else str(Path(store.location).resolve())
