"""`ldn-graph train-prose`: train the prose relation scorer on gold-annotated prose (`make train-prose`)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `train-prose` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "train-prose",
        help="train the prose relation scorer on texts annotated in the project's gold format",
        description=(
            "Read each gold file's text with the pipeline, teach the prose relation scorer "
            "(ldn_prose_relations) the relations the gold states in each sentence, and save the pipeline "
            "with it (fixed seed: the same gold files give the same weights)."
        ),
    )
    parser.add_argument("gold", nargs="+", type=Path, help="gold files, or folders of *.gold.json")
    parser.add_argument(
        "--texts",
        action="append",
        type=Path,
        default=[],
        metavar="FOLDER",
        help="a folder where a gold file's text may be when it is not beside it (repeatable)",
    )
    parser.add_argument("--model", help="the pipeline to train it in (default: the shipped one)")
    parser.add_argument("--output", type=Path, help="where the pipeline is saved (default: --model's folder)")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="first print each folder's figures with the scorer trained on the other folders",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Train and save; returns the exit code."""
    from ldn_graph.errors import UsageError
    from ldn_graph.pipeline import load_pipeline, shipped_model
    from ldn_graph.training.prose import examples, gold_texts, held_out_figures, train_prose

    output = args.output or (Path(args.model) if args.model else shipped_model())
    if output is None:
        raise UsageError("no pipeline folder to save to: give --output")
    texts = gold_texts(args.gold, args.texts)
    nlp = load_pipeline(args.model)
    if "ldn_entity_linker" not in nlp.pipe_names:
        raise UsageError("--model: not an ldn-graph pipeline (no ldn_entity_linker)")
    training = examples(nlp, texts)
    if args.held_out:
        groups = list(dict.fromkeys(t.group for t in texts))
        for group, figures in held_out_figures(nlp, training, groups).items():
            print(
                f"{group}: precision {figures['precision']:.3f} recall {figures['recall']:.3f}, "
                f"{figures['added']} relations beside the rules', {figures['right']} right",
                file=sys.stderr,
            )
    train_prose(nlp, training)
    save_pipeline(with_scorer_of(nlp, args.model or str(shipped_model())), output)
    print(f"saved {output}", file=sys.stderr)
    return 0


def with_scorer_of(trained: Language, source: str) -> Language:
    """The pipeline `source` as it is on disk, with the trained scorer of `trained` (last): the pipeline
    that read the gold texts has their words in its string store, which would be saved with it."""
    import spacy

    from ldn_graph.pipeline.prose_relations import NAME, ProseRelationScorer

    nlp = spacy.load(source)
    if NAME in nlp.pipe_names:
        nlp.remove_pipe(NAME)
    settings = {k: v for k, v in trained.config["components"][NAME].items() if k != "factory"}
    scorer, learned = nlp.add_pipe(NAME, last=True, config=settings), trained.get_pipe(NAME)
    assert isinstance(scorer, ProseRelationScorer) and isinstance(learned, ProseRelationScorer)
    scorer.from_bytes(learned.to_bytes(exclude=["vocab"]))
    return nlp


def save_pipeline(nlp: Language, output: Path) -> None:
    """Write the pipeline to `output` whole or not at all: into a sibling folder first, then swapped in
    (the folder it replaces may be the pipeline that was loaded)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fresh, old = output.with_name(output.name + ".new"), output.with_name(output.name + ".old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    nlp.to_disk(fresh)
    if output.exists():
        output.rename(old)
    fresh.rename(output)
    shutil.rmtree(old, ignore_errors=True)
