"""A build's exports of a store: made again only when the store changed since, SHACL-checked meanwhile,
published all at once (export/publish.py), Turtle and TriG streamed from the store (store/export.py).

What `build` and `remove` do once the store holds the documents.
"""

from __future__ import annotations

import time
from pathlib import Path

from ldn_graph.errors import LdnGraphError
from ldn_graph.export.publish import OUTPUTS, read_marker, remove_stale_staging, write_outputs
from ldn_graph.extract.progress import PHASES, phase
from ldn_graph.store.base import GraphStore

# Each named graph's TriG block, kept from one build to the next (store/export.py): after a change, only
# the changed graphs are serialised again (ignored by git).
TRIG_FRAGMENTS = ".trig-fragments"


def export_store(
    store: GraphStore, outdir: Path, *, validate: bool = True, force: bool = False
) -> list[Path]:
    """Write the exports of the whole store into OUTDIR unless they are of this very state of the store
    already (or `force`); returns the files written."""
    from ldn_graph.store.catalog import aggregate_revision, export_dataset
    from ldn_graph.store.export import keep_fragments, write_store_trig, write_store_turtle
    from ldn_graph.store.fingerprint import code_fingerprint

    if outdir.is_dir():  # even when the exports are current: a killed build's folder goes
        remove_stale_staging(outdir)
    marker = f"{aggregate_revision(store)} {code_fingerprint()} {_where(store)}\n"
    complete = all((outdir / rel).is_file() for rel in OUTPUTS)
    if not force and complete and read_marker(outdir) == marker:
        return []
    with phase("export: store to rdflib"):
        dataset = export_dataset(store)
    # The same bytes as the rdflib writers give for `dataset`, streamed from the store.
    writers = {
        "turtle": lambda path: write_store_turtle(store, path),
        "trig": lambda path: write_store_trig(
            store, path, fragments=outdir / TRIG_FRAGMENTS, fresh=path.parent / TRIG_FRAGMENTS
        ),
    }

    def keep(staging: Path) -> None:
        keep_fragments(staging / TRIG_FRAGMENTS, outdir / TRIG_FRAGMENTS)

    if not validate:
        return write_outputs(dataset, outdir, marker=marker, writers=writers, after_moving=keep)
    from ldn_graph.rdf.shapes import BackgroundValidation

    # SHACL takes as long as all the writers together: it runs in a process of its own meanwhile, and
    # the files are published only once the graph conforms.
    started = time.perf_counter()
    check = BackgroundValidation(dataset)

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
        return write_outputs(
            dataset, outdir, marker=marker, before_publishing=conforms, writers=writers, after_moving=keep
        )
    finally:
        check.stop()


def exported_from(outdir: Path, store: GraphStore) -> bool:
    """True when OUTDIR holds exports made from `store` (whatever its state then)."""
    text = read_marker(outdir)
    return text is not None and text.rstrip("\n").endswith(" " + _where(store))


def _where(store: GraphStore) -> str:
    from ldn_graph.store.remote import is_url

    return store.location if is_url(store.location) else str(Path(store.location).resolve())
