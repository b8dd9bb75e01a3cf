"""`ldn-graph build [INPUT ...] [-o OUTDIR] [--store DIR|URL] [--jobs N | --scheduler ADDRESS]`: read
texts into the store, export the graph.

Documents go into a graph store (default: an Oxigraph folder, OUTDIR/store), one named graph each; a
document already there with the same text, read by the same extractor, is skipped without any NLP work,
and an input file whose size and times are those it had when it was last hashed is not read at all
(store/input_hashes.py, OUTDIR/.input-hashes).
The documents left are read in one process beside this one, which stores each as it comes
(extract/beside.py), in N worker processes (`--jobs`) or by the workers of a Dask cluster
(`--scheduler`); the records are the same either way (docs/scale.md). The aggregate is recomputed from
the store (store/catalog.py), and graph.ttl, graph.trig, graph.html and kgx/ are exports of the whole
store (store/publish.py, export/publish.py; Turtle and TriG streamed from it, TriG from per-graph blocks
kept in OUTDIR/.trig-fragments, each document's made as it is stored, the HTML view and KGX read from the
store in place; docs/scale.md).
SHACL checks each document graph as it is written and, beside the writers, the assertions that changed
(store/validation.py; what was checked is recorded in OUTDIR/.shacl-validated).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_graph.cli import positive_int
from ldn_graph.errors import InputError, LdnGraphError, UsageError
from ldn_graph.extract.progress import PHASES, phase

if TYPE_CHECKING:
    from distributed import Client

    from ldn_graph.extract.beside import Reader
    from ldn_graph.model import Document, Extraction
    from ldn_graph.store.catalog import StoredDocument
    from ldn_graph.store.input_hashes import Listed


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
        help="read the documents in N worker processes (default: 1, one process beside the one storing them)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="read the documents on the workers of a Dask cluster, e.g. tcp://10.0.0.5:8786 "
        "(needs the dask extra; docs/scale.md)",
    )
    p.add_argument(
        "--rehash",
        action="store_true",
        help="read every input again to hash it, even those whose size and times say they have not changed "
        "since the last build (OUTDIR/.input-hashes)",
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
    from ldn_graph.store import open_store
    from ldn_graph.store.catalog import put_document, refresh_store, stored_documents
    from ldn_graph.store.fingerprint import code_fingerprint, extractor_fingerprint
    from ldn_graph.store.input_hashes import CACHE_FILE, InputHashes, list_documents
    from ldn_graph.store.publish import DocumentBlocks, export_store
    from ldn_graph.store.remote import is_url

    if args.scheduler and args.jobs > 1:
        raise UsageError(
            "ldn-graph build: --jobs and --scheduler do not go together: the cluster's workers read"
        )
    inputs = args.inputs or [bundled_article()]
    started = time.perf_counter()
    outdir: Path = args.output
    with phase("reading inputs"):
        # Every input is checked before anything is written; what is kept of each document is its key and
        # hashes: the texts are read again, one at a time, as they are extracted. A file whose stat is
        # what it was when it was last read is not read again (store/input_hashes.py).
        hashes = InputHashes(outdir / CACHE_FILE, fingerprint=code_fingerprint(), rehash=args.rehash)
        files: list[Listed] = []
        listed = list_documents(inputs, hashes, files)
    if args.verbose and not args.quiet:
        print(
            f"inputs: {hashes.hits + hashes.read} file(s), {hashes.hits} known by their size and times, "
            f"{hashes.read} read",
            file=sys.stderr,
        )
    if outdir.exists() and not outdir.is_dir():
        raise LdnGraphError("output path exists and is not a folder", where=str(outdir))
    location = store_location(args.store, outdir)
    extractor = extractor_fingerprint(args.model)
    # A model folder is kept by its absolute path, so that `query` finds it from any folder.
    model_record = str(Path(args.model).resolve()) if args.model and Path(args.model).is_dir() else args.model

    with contextlib.ExitStack() as stack:
        # What reads the documents is made ready before the store is created: a missing model or an
        # unreachable cluster leaves nothing behind. With one job, the pipeline is loaded in the process
        # that will read the documents beside this one (extract/beside.py), never in this one.
        nlp = cluster = reader = None
        if args.scheduler:
            from ldn_graph.extract.distributed import connect

            cluster = stack.enter_context(connect(args.scheduler))
        elif not is_url(location) and not Path(location).exists():
            with phase("loading the pipeline"):
                if args.jobs == 1:
                    reader = stack.enter_context(_reader(args.model))
                    reader.ready()
                else:
                    nlp = _load_pipeline(args.model)
        store = stack.enter_context(open_store(location, query_url=args.store_query))
        with phase("reading inputs"):
            stored = stored_documents(store)
            todo = Pending(
                files,
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
            # With one job the documents are read in a process of their own, a few ahead of this one,
            # which stores each as it comes; it ends with the build, however it ends.
            if cluster is None and args.jobs == 1:
                if reader is None:
                    reader = stack.enter_context(_reader(args.model))
                with phase("loading the pipeline"):
                    reader.ready()
                records = reader.read(todo, progress=not args.quiet and not args.verbose)
            else:
                records = _extractions(todo, args, nlp, cluster)
            extractions = stack.enter_context(contextlib.closing(timed(records, "extracting")))
            # The graph just stored, handed over for its TriG block and its check (each timed apart from
            # the storing), then let go of: memory does not grow with the corpus.
            blocks = None if args.no_export else stack.enter_context(DocumentBlocks(outdir))
            written: list[tuple[StoredDocument, list[Any]]] = []
            wanted = checks is not None or blocks is not None
            keep = (lambda *d: written.append(d)) if wanted else None
            for number, extraction in enumerate(extractions, start=1):
                with phase("storing"):
                    done = put_document(store, extraction, extractor, model_record, written=keep)
                if keep is not None:
                    _, triples = written.pop()
                    if blocks is not None:  # what the TriG export will put together (store/export.py)
                        with phase("export: trig, document blocks"):
                            blocks.keep(done, triples)
                    if checks is not None:  # each document graph against the shapes about its own nodes
                        with phase("validation: documents as written"):
                            checks.add(done, triples)
                replaced += done.key in stored
                added += done.key not in stored
                if args.verbose and not args.quiet:
                    print(f"stored doc:{done.key} ({number}/{len(todo)})", file=sys.stderr, flush=True)
        with phase("aggregate"):
            aggregated, held = refresh_store(store)
        exported: list[Path] = []
        if not args.no_export:
            exported = export_store(
                store, outdir, validate=not args.no_validate, force=bool(todo) or aggregated, checks=checks
            )
        # What was learnt of the inputs, kept once the build succeeded: one that fails leaves OUTDIR as it
        # was, and one killed reads its inputs again next time (store/input_hashes.py). Not where the
        # build wrote nothing (--no-export with the store elsewhere): no folder is made for it alone.
        if outdir.is_dir():
            with phase("reading inputs"):
                hashes.save()
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
            wrote = f"; wrote {', '.join(str(p) for p in exported)}" if exported else ""
            print(f"{done_text}; the store {location} holds {held}{wrote}", file=sys.stderr)
    return 0


# A file whose documents are no longer those the listing found in it (Pending).
CHANGED = "changed while the build was reading it: run the build again"


class Pending:
    """The documents whose key is in `keys`, read again from their input files each time they are
    iterated over, one at a time: a build never holds the corpus, and reads only the files that hold
    them. Sized, for the workers and the bar. `files` are the listing's (store/input_hashes.py): each
    input file with its documents' keys as read and as the build named them."""

    def __init__(self, files: list[Listed], keys: set[str]) -> None:
        self.files = [(path, named) for path, named in files if any(key in keys for _, key in named)]
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[Document]:
        from dataclasses import replace

        from ldn_graph.inputs.documents import read_with_origin

        for path, named in self.files:
            read = 0
            for doc, where, _ in read_with_origin(path):
                if read >= len(named) or doc.key != named[read][0]:
                    raise InputError(CHANGED, where=where)
                key = named[read][1]
                read += 1
                if key in self.keys:
                    yield doc if key == doc.key else replace(doc, key=key)
            if read != len(named):
                raise InputError(CHANGED, where=str(path))


def timed(items: Iterable[Extraction], name: str) -> Generator[Extraction, None, None]:
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
        from ldn_graph.extract.distributed import extract_distributed

        return extract_distributed(cluster, documents, model=args.model, progress=progress)
    from ldn_graph.extract.local import extract

    return extract(nlp or _load_pipeline(args.model), documents, jobs=args.jobs, progress=progress)


def _reader(model: str | None) -> Reader:
    """The process that loads the pipeline and reads the documents beside this one (`--jobs 1`)."""
    from ldn_graph.extract.beside import Reader

    return Reader(lambda: _load_pipeline(model))


def _load_pipeline(model: str | None) -> Any:
    from ldn_graph.pipeline import load_pipeline

    return load_pipeline(model, graph_only=True)
