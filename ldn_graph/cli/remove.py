"""`ldn-graph remove STORE DOC [DOC ...]`: drop documents from a store; the aggregate is recomputed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `remove` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "remove",
        help="drop documents from a store",
        description=(
            "Drop documents from a graph store (a folder, or the Graph Store Protocol URL of a SPARQL "
            "server) and recompute the aggregated assertions from those that remain. A document is named "
            "by its key (ldn-blog-2019), its IRI, doc:KEY, or its file name. The exports a build made from "
            "this store are written again: those in OUTDIR (-o), else those beside a store folder "
            "(OUTDIR/store -> OUTDIR)."
        ),
        epilog="example: ldn-graph remove extracted/store ldn-blog-2019",
    )
    parser.add_argument("store", metavar="STORE", help="store folder or Graph Store Protocol URL")
    parser.add_argument("documents", metavar="DOC", nargs="+", help="documents to drop")
    parser.add_argument("-o", "--output", type=Path, metavar="OUTDIR", help="write the exports here")
    parser.add_argument(
        "--store-query", metavar="URL", help="the SPARQL query endpoint of a remote STORE, if not the usual"
    )
    parser.add_argument("--no-export", action="store_true", help="change the store only")
    parser.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the exports")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return parser


def run(args: argparse.Namespace) -> int:
    """Drop the documents, recompute the aggregate, rewrite the exports; returns the exit code."""
    from ldn_graph.errors import StoreError
    from ldn_graph.store import open_store
    from ldn_graph.store.catalog import find_document, refresh_store, remove_document, stored_documents
    from ldn_graph.store.local import is_store_folder
    from ldn_graph.store.publish import export_store, exported_from
    from ldn_graph.store.remote import is_url

    if not is_url(args.store) and not is_store_folder(args.store):
        raise StoreError("no ldn-graph store here", where=args.store)
    with open_store(args.store, query_url=args.store_query) as store:
        documents = stored_documents(store)
        chosen = list(dict.fromkeys(find_document(documents, name) for name in args.documents))
        for document in chosen:
            remove_document(store, document)
        _, held = refresh_store(store)
        written: list[Path] = []
        outdir = args.output
        if outdir is None and not is_url(args.store) and exported_from(Path(args.store).parent, store):
            outdir = Path(args.store).parent
        if outdir is not None and not args.no_export:
            written = export_store(store, outdir, validate=not args.no_validate, force=True)
    if not args.quiet:
        names = ", ".join(f"doc:{d.key}" for d in chosen)
        files = f"; wrote {', '.join(str(p) for p in written)}" if written else ""
        print(f"removed {names} from {args.store}, which holds {held} document(s){files}", file=sys.stderr)
    return 0
