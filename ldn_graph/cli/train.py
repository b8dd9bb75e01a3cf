"""`ldn-graph train`: train the biomedical pipeline on the annotated corpora (`make train`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `train` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "train",
        help="train the entity recogniser and relation classifier on BioRED and BC5CDR",
        description=(
            "Convert the corpora (BioRED, BC5CDR; the PMIDs of EXCLUDE_PMIDS.tsv dropped), train with "
            "spaCy (ldn_graph/training/configs/bio.cfg, fixed seed), assemble the whole pipeline, tune the "
            "relation thresholds on the development sets and print the corpora's measures there."
        ),
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=Path("../shared/training"),
        help="folder of the corpora (README: Training)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("build/training"),
        help="converted corpora and spacy train's output",
    )
    parser.add_argument(
        "--output", type=Path, help="where the pipeline is saved (default: the shipped one's folder)"
    )
    parser.add_argument(
        "--trained", type=Path, help="assemble from this trained model folder instead of training"
    )
    parser.add_argument(
        "--final",
        metavar="PIPELINE",
        type=Path,
        help="train on the development sets too, taking the thresholds and development figures of "
        "PIPELINE (built by a run without --final, same config and seed); make train does both",
    )
    parser.add_argument("--base", help="spaCy model giving the tagger and parser (default: en_core_web_sm)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="spaCy config override, the value as JSON",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Train, assemble, tune and report; returns the exit code."""
    from importlib.resources import files

    from ldn_graph.errors import UsageError
    from ldn_graph.spacy_model import SHIPPED
    from ldn_graph.training.train import build_pipeline, settled_performance, train

    overrides = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--set {item!r}: expected KEY=VALUE")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError as err:
            raise UsageError(f"--set {item!r}: the value is not JSON ({err.msg})") from None
    output = args.output or Path(str(files("ldn_graph").joinpath("models", SHIPPED)))
    if args.final is not None:
        settled_performance(args.final)  # fail before hours of training, not after
    trained = args.trained or train(
        args.corpora,
        args.workdir / "model",
        workdir=args.workdir,
        overrides=overrides,
        final=args.final is not None,
    )
    build_pipeline(args.corpora, trained, output, base=args.base, settled=args.final)
    return 0
