"""`ldn-graph build [INPUT ...] [-o OUTDIR] [--store DIR|URL] [--jobs N | --scheduler ADDRESS]`: read
texts into the store, export the graph.

Documents go into a graph store (default: an Oxigraph folder, OUTDIR/store), one named graph each; a
document already there with the same text, read by the same extractor, is skipped without any NLP work.
The documents left are read in this process, in N worker processes (`--jobs`) or by the workers of a Dask
cluster (`--scheduler`); the records are the same either way (docs/scale.md). The aggregate is recomputed
from the store, and graph.ttl, graph.trig, graph.html and kgx/ are exports of the whole store
(ldn_graph/store/; Turtle and TriG streamed from it, TriG from per-graph blocks kept in
OUTDIR/.trig-fragments, the HTML view and KGX read from the store in place; docs/scale.md). SHACL checks
each document graph as it is written and, beside the writers, the assertions that changed
(store/validation.py; what was checked is recorded in OUTDIR/.shacl-validated).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ldn_graph.cli import positive_int
from ldn_graph.errors import LdnGraphError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from distributed import Client
    from rdflib import Graph

    from ldn_graph.model import Document, Extraction
    from ldn_graph.store import GraphStore
    from ldn_graph.store.catalog import StoredDocument
    from ldn_graph.store.validation import DocumentChecks

OUTPUTS = (
    Path("graph.ttl"),
    Path("graph.trig"),
    Path("graph.html"),
    Path("kgx/nodes.tsv"),
    Path("kgx/edges.tsv"),
)
# Says which state of which store the exports in a folder were made from (ignored by git).
EXPORT_MARKER = ".store-revision"
# Exports are written into OUTDIR/.ldn-graph-XXXX first; the build writing there holds a lock on its file.
STAGING_PREFIX = ".ldn-graph-"
STAGING_LOCK = ".lock"
# Each named graph's TriG block, kept from one build to the next (store/export.py): after a change, only
# the changed graphs are serialised again (ignored by git).
TRIG_FRAGMENTS = ".trig-fragments"
# Wall seconds per phase of this build (`--timings`): summed over a phase's parts (extracting is the time
# spent waiting for the next document's records, storing the time spent writing them).
PHASES: dict[str, float] = {}


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """Add the wall time of the block to `PHASES[name]`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        PHASES[name] = PHASES.get(name, 0.0) + time.perf_counter() - start


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "build",
        help="read texts into the store and export the knowledge graph",
        description="Read texts (.txt, .md, .html, .pdf), PubMed XML (.xml) or JSON Lines (.jsonl; both "
        "may be .gz), or folders of them (README, LICENSE and the like left out), into the graph store and "
        "write OUTDIR/graph.ttl, "
        "graph.trig, graph.html and kgx/nodes.tsv + kgx/edges.tsv from it. Documents already in the "
        "store with the same text are skipped; a document with new text replaces its graph. Without "
        "INPUT, reads the bundled article.",
    )
    p.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        metavar="INPUT",
        help="files or folders (.txt, .md, .html, .pdf, .xml, .jsonl)",
    )
    p.add_argument(
        "-o", "--output", type=Path, default=Path("extracted"), metavar="OUTDIR", help="default: extracted"
    )
    p.add_argument(
        "--store",
        metavar="DIR|URL",
        help="the graph store: an Oxigraph folder (default: OUTDIR/store), or the Graph Store Protocol URL "
        "of a SPARQL server (e.g. http://127.0.0.1:7878/store for `oxigraph serve`)",
    )
    p.add_argument(
        "--store-query",
        metavar="URL",
        help="the SPARQL query endpoint of a remote --store, when it is not the usual one for that server",
    )
    p.add_argument(
        "--model",
        help="spaCy model package or path (default: the shipped pipeline, ldn_graph/models/ldn_bio; "
        "en_core_web_sm gives the rule-based pipeline alone)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        default=1,
        metavar="N",
        help="read the documents in N worker processes (default: 1, this process)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="read the documents on the workers of a Dask cluster, e.g. tcp://10.0.0.5:8786 "
        "(needs the dask extra; docs/scale.md)",
    )
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the built graph")
    p.add_argument("--no-export", action="store_true", help="update the store only; write no files")
    p.add_argument(
        "--timings",
        type=Path,
        metavar="FILE",
        help="write the wall time of each phase (extracting, storing, aggregate, each export) as JSON",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="print a line for each document stored")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return p


def bundled_article() -> Path:
    from importlib.resources import files

    return Path(str(files("ldn_graph.corpus").joinpath("ldn-blog-2019.txt")))


def store_location(store: str | None, outdir: Path) -> str:
    """`--store` as given, else OUTDIR/store."""
    return store if store else str(outdir / "store")


def run(args: argparse.Namespace) -> int:
    from ldn_graph.documents import iter_documents
    from ldn_graph.store import open_store
    from ldn_graph.store.catalog import metadata_hash, put_document, stored_documents
    from ldn_graph.store.fingerprint import extractor_fingerprint
    from ldn_graph.store.remote import is_url

    if args.scheduler and args.jobs > 1:
        raise UsageError(
            "ldn-graph build: --jobs and --scheduler do not go together: the cluster's workers read"
        )
    inputs = args.inputs or [bundled_article()]
    started = time.perf_counter()
    with phase("reading inputs"):
        # Every input is checked before anything is written; what is kept of each document is its key and
        # hashes: the texts are read again, one at a time, as they are extracted.
        listed = [(d.key, d.sha256, metadata_hash(d)) for d in iter_documents(inputs)]
    outdir: Path = args.output
    if outdir.exists() and not outdir.is_dir():
        raise LdnGraphError("output path exists and is not a folder", where=str(outdir))
    location = store_location(args.store, outdir)
    extractor = extractor_fingerprint(args.model)
    # A model folder is kept by its absolute path, so that `query` finds it from any folder.
    model_record = str(Path(args.model).resolve()) if args.model and Path(args.model).is_dir() else args.model

    with contextlib.ExitStack() as stack:
        # What reads the documents is made ready before the store is created: a missing model or an
        # unreachable cluster leaves nothing behind.
        nlp = cluster = None
        if args.scheduler:
            from ldn_graph.distributed import connect

            cluster = stack.enter_context(connect(args.scheduler))
        elif not is_url(location) and not Path(location).exists():
            with phase("loading the pipeline"):
                nlp = _load_pipeline(args.model)
        store = stack.enter_context(open_store(location, query_url=args.store_query))
        with phase("reading inputs"):
            stored = stored_documents(store)
            todo = Pending(
                inputs,
                {
                    key
                    for key, sha256, metadata in listed
                    if key not in stored or not stored[key].is_current(sha256, metadata, extractor)
                },
            )
        added = replaced = 0
        checks = None
        if not args.no_validate and not args.no_export:
            from ldn_graph.store.validation import DocumentChecks

            checks = DocumentChecks(background=bool(todo))  # forked before any worker starts
            stack.callback(checks.stop)
        if todo:
            # Each document's graph is written as soon as it is read, in a transaction of its own: a
            # build stopped here keeps what it finished and the next run goes on from there.
            extractions = timed(_extractions(todo, args, nlp, cluster), "extracting")
            written: list[tuple[StoredDocument, list[Any]]] = []
            for number, extraction in enumerate(extractions, start=1):
                with phase("storing"):
                    done = put_document(
                        store, extraction, extractor, model_record, written=lambda *d: written.append(d)
                    )
                if checks is not None:  # each document graph against the shapes about its own nodes
                    with phase("validation: documents as written"):
                        checks.add(*written.pop())
                replaced += done.key in stored
                added += done.key not in stored
                if args.verbose and not args.quiet:
                    print(f"stored doc:{done.key} ({number}/{len(todo)})", file=sys.stderr, flush=True)
        with phase("aggregate"):
            aggregated, held = update_store(store)
        exported: list[Path] = []
        if not args.no_export:
            exported = export_store(
                store, outdir, validate=not args.no_validate, force=bool(todo) or aggregated, checks=checks
            )
    if args.timings:
        PHASES["total"] = time.perf_counter() - started
        args.timings.write_text(json.dumps({k: round(v, 3) for k, v in PHASES.items()}, indent=1) + "\n")
    if not args.quiet:
        unchanged = len(listed) - len(todo)
        if not todo and not aggregated and not exported:
            print(
                f"nothing to do: {len(listed)} document(s) already in the store {location}, "
                "unchanged; the exports are up to date",
                file=sys.stderr,
            )
        else:
            done_text = (
                f"read {len(listed)} document(s): {added} new, {replaced} replaced, {unchanged} unchanged"
            )
            files = f"; wrote {', '.join(str(p) for p in exported)}" if exported else ""
            print(f"{done_text}; the store {location} holds {held}{files}", file=sys.stderr)
    return 0


class Pending:
    """The documents of `inputs` whose key is in `keys`, read again from the inputs each time they are
    iterated over, one at a time: a build never holds the corpus. Sized, for the workers and the bar."""

    def __init__(self, inputs: list[Path], keys: set[str]) -> None:
        self.inputs = inputs
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[Document]:
        from ldn_graph.documents import iter_documents

        return (d for d in iter_documents(self.inputs) if d.key in self.keys)


def timed(items: Iterable[Extraction], name: str) -> Iterator[Extraction]:
    """`items`, the time spent waiting for each added to `PHASES[name]`."""
    it = iter(items)
    while True:
        with phase(name):
            item = next(it, None)
        if item is None:
            return
        yield item


def _extractions(
    documents: Iterable[Document], args: argparse.Namespace, nlp: Any, cluster: Client | None
) -> Iterator[Extraction]:
    """The documents' extractions, in order, read where the options say; a progress bar unless quiet."""
    progress = not args.quiet and not args.verbose  # -v prints a line per document instead
    if cluster is not None:
        from ldn_graph.distributed import extract_distributed

        return extract_distributed(cluster, documents, model=args.model, progress=progress)
    from ldn_graph.extract import extract

    return extract(nlp or _load_pipeline(args.model), documents, jobs=args.jobs, progress=progress)


def _load_pipeline(model: str | None) -> Any:
    from ldn_graph.pipeline import load_pipeline

    return load_pipeline(model)


def update_store(store: GraphStore) -> tuple[bool, int]:
    """Recompute the aggregate when the documents changed since it was made, and write the ontology
    when it changed; returns whether the aggregate was written and how many documents the store holds."""
    from ldn_graph.store.catalog import ontology_current, put_ontology, refresh_aggregate, stored_documents

    aggregated = refresh_aggregate(store)
    if not ontology_current(store):
        put_ontology(store)
    return aggregated, len(stored_documents(store))


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
    if not force and complete and _read(outdir / EXPORT_MARKER) == marker:
        return []
    graph = union_view(store)  # what the HTML view and KGX read, looked up in the store
    if not validate:
        return write_outputs(graph, outdir, marker=marker, store=store)
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
        written = write_outputs(graph, outdir, marker=marker, before_publishing=conforms, store=store)
    finally:
        check.stop()
    # After the exports: a build killed in between checks again what it had checked, no less.
    done.write(outdir / RECORD)
    return written


def exported_from(outdir: Path, store: GraphStore) -> bool:
    """True when OUTDIR holds exports made from `store` (whatever its state then)."""
    text = _read(outdir / EXPORT_MARKER)
    return text is not None and text.rstrip("\n").endswith(" " + _where(store))


def _where(store: GraphStore) -> str:
    from ldn_graph.store.remote import is_url

    return store.location if is_url(store.location) else str(Path(store.location).resolve())


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_outputs(
    dataset: Graph,
    outdir: Path,
    *,
    marker: str | None = None,
    before_publishing: Callable[[], None] | None = None,
    store: GraphStore | None = None,
) -> list[Path]:
    """Write every output into a staging folder, then move them into OUTDIR: all or nothing. The marker,
    moved last, says which store state they were made from. `before_publishing` runs between the two
    and may raise to publish nothing. With `store` (which `dataset` reads: store/view.py), Turtle and
    TriG are streamed from the store itself (store/export.py): the same bytes, without rdflib's
    writers."""
    from ldn_graph.export import write_kgx, write_trig, write_turtle
    from ldn_graph.store.export import keep_fragments, write_store_trig, write_store_turtle
    from ldn_graph.store.view import is_union_view
    from ldn_graph.viz.html import write_html

    outdir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(outdir)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outdir))
    lock = _hold(staging)
    try:
        with phase("export: turtle"):
            if store is None:
                write_turtle(dataset, staging / "graph.ttl")
            else:
                write_store_turtle(store, staging / "graph.ttl")
        with phase("export: trig"):
            if store is None:
                write_trig(dataset, staging / "graph.trig")
            else:
                write_store_trig(
                    store,
                    staging / "graph.trig",
                    fragments=outdir / TRIG_FRAGMENTS,
                    fresh=staging / TRIG_FRAGMENTS,
                )
        with phase("export: html"):
            write_html(dataset, staging / "graph.html", title="ldn-graph")
        with phase("export: kgx"):
            write_kgx(dataset, staging / "kgx", in_place=is_union_view(dataset))
        if before_publishing is not None:
            before_publishing()
        # From here until the marker is written, the exports are not current.
        (outdir / EXPORT_MARKER).unlink(missing_ok=True)
        (outdir / "kgx").mkdir(exist_ok=True)
        for rel in OUTPUTS:
            os.replace(staging / rel, outdir / rel)
        keep_fragments(staging / TRIG_FRAGMENTS, outdir / TRIG_FRAGMENTS)
        if marker is not None:
            (staging / EXPORT_MARKER).write_text(marker, encoding="utf-8")
            os.replace(staging / EXPORT_MARKER, outdir / EXPORT_MARKER)
        return [outdir / rel for rel in OUTPUTS]
    except OSError as err:  # a full disk: nothing is published, the staging folder goes
        from ldn_graph.cli import describe_os_error

        raise LdnGraphError(
            f"cannot write the exports: {describe_os_error(err)}", where=str(outdir)
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            lock.close()


def _hold(staging: Path) -> IO[bytes] | None:
    """Lock a staging folder for as long as this process writes into it (the lock ends with the process,
    however it ends); None where the platform has no file locks."""
    try:
        import fcntl
    except ImportError:  # Windows: stale folders are then left for the user
        return None
    handle = (staging / STAGING_LOCK).open("wb")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def remove_stale_staging(outdir: Path) -> list[Path]:
    """Remove the staging folders (`OUTDIR/.ldn-graph-*`) that a build killed while exporting left behind;
    a folder whose build still runs (it holds the lock) is left alone. Returns the folders removed."""
    try:
        import fcntl
    except ImportError:
        return []
    removed = []
    for folder in sorted(outdir.glob(STAGING_PREFIX + "*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            with (folder / STAGING_LOCK).open("ab") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)  # the lock is ours: nobody writes there
        except BlockingIOError:
            continue  # another build is exporting into it right now
        except OSError:
            continue  # vanished meanwhile, or not ours to remove
        removed.append(folder)
    return removed
