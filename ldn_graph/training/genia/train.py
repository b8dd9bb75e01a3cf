"""`make train-parser`: the GENIA treebank -> ClearNLP-style `.spacy` files -> en_core_web_sm's tagger and
parser fine-tuned on them (config `configs/genia-parser.cfg`, fixed seed) -> a spacy.load-able folder.

    python -m ldn_graph.training.genia.train --corpora ../shared/training --output build/genia-sm
"""

from __future__ import annotations

import argparse
import shutil
import sys
from importlib.resources import files
from pathlib import Path

from ldn_graph.errors import LdnGraphError

CONFIG = files("ldn_graph.training").joinpath("configs/genia-parser.cfg")


def train_parser(
    corpora: Path, output: Path, *, workdir: Path, overrides: dict[str, object] | None = None
) -> Path:
    """Convert the treebank, fine-tune, and copy the last model to `output`; returns `output`."""
    from spacy.cli.train import train as spacy_train

    from ldn_graph.training.genia.docs import write_splits

    train, heldout = write_splits(corpora, workdir)
    settings: dict[str, object] = {"paths.train": str(train), "paths.dev": str(heldout)}
    settings.update(overrides or {})
    config = workdir / "genia-parser.cfg"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    spacy_train(config, workdir / "model", overrides=settings)
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(workdir / "model" / "model-last", output)
    return output


def main(argv: list[str] | None = None) -> int:
    """Command line: train the GENIA tagger and parser."""
    parser = argparse.ArgumentParser(prog="python -m ldn_graph.training.genia.train", description=__doc__)
    parser.add_argument("--corpora", type=Path, default=Path("../shared/training"))
    parser.add_argument("--output", type=Path, default=Path("build/genia-sm"))
    parser.add_argument("--workdir", type=Path, default=Path("build/genia"))
    parser.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    try:
        path = train_parser(args.corpora, args.output, workdir=args.workdir, overrides=overrides)
    except LdnGraphError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"model: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
