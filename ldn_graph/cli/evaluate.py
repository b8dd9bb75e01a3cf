"""`ldn-graph evaluate`: score the pipeline against a gold standard.

Two kinds of gold: the project's own JSON gold, scored on a KGX export (`evaluate GOLD.json KGXDIR`), and
an annotated corpus in PubTator or BioC XML (BC5CDR, BioRED), whose texts the pipeline reads and which is
scored with the corpus's standard measures (`evaluate dev.PubTator`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the `evaluate` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "evaluate",
        help="score a KGX export, or the pipeline on an annotated corpus, against a gold standard",
        description=(
            "With a gold JSON file and KGXDIR: score KGXDIR/nodes.tsv and KGXDIR/edges.tsv with the gold "
            "standard's own matching rules: entity and relation precision, recall and F1, certainty "
            "accuracy (the first line, as score.py prints it), then precision and recall per predicate "
            "group and qualifier recall. With a PubTator or BioC XML corpus (BC5CDR, BioRED) and no KGXDIR: "
            "read its texts with the pipeline and print the corpus's standard measures (BC5CDR: concept-id "
            "F1 per type and chemical-induced-disease F1; BioRED: mention F1, document-level pair and "
            "pair+type F1)."
        ),
    )
    parser.add_argument("gold", metavar="GOLD", help="gold JSON file, or a PubTator / BioC XML corpus")
    parser.add_argument("kgx_dir", metavar="KGXDIR", nargs="?", help="folder with nodes.tsv and edges.tsv")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON instead")
    parser.add_argument(
        "--show-misses",
        action="store_true",
        help="also list missed concepts, relations, qualifiers and false edges",
    )
    parser.add_argument("--model", help="spaCy pipeline to read a corpus with (default: the shipped one)")
    parser.add_argument(
        "--corpus", choices=("bc5cdr", "biored"), help="measures to use (default: told from the gold's types)"
    )
    parser.add_argument("--exclude", metavar="TSV", help="PMIDs to leave out (a `pmid<TAB>file` list)")
    parser.add_argument("--predictions", metavar="FILE", help="also write the pipeline's reading as PubTator")
    return parser


def run(args: argparse.Namespace) -> int:
    """Score and print; returns the exit code."""
    if args.kgx_dir is None:
        return run_corpus(args)
    from ldn_graph.evaluate import evaluate, format_report

    result = evaluate(args.gold, args.kgx_dir, show_misses=args.show_misses)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_report(result))
    return 0


def run_corpus(args: argparse.Namespace) -> int:
    """Read an annotated corpus's texts with the pipeline and print the corpus's measures."""
    if str(args.gold).endswith(".conllu"):
        from ldn_graph.corpora.conllu import read_conllu, score_parser
        from ldn_graph.pipeline import load_model

        scores = score_parser(load_model(args.model), read_conllu(args.gold))
        if args.json:
            sys.stdout.write(json.dumps(scores, indent=1) + "\n")
        else:
            sys.stdout.write(f"genia: {scores['sentences']} sentences, {scores['tokens']} tokens\n")
            for key in ("tag_acc", "uas", "las", "uas_with_punct", "las_with_punct"):
                sys.stdout.write(f"{key}: {scores[key]:.4f}\n")
        return 0
    from ldn_graph.corpora.predict import guess_corpus, predict
    from ldn_graph.corpora.pubtator import read_corpus, read_exclusions, write_pubtator
    from ldn_graph.corpora.scoring import format_scores, score_bc5cdr, score_biored
    from ldn_graph.errors import InputError, ModelError, UsageError
    from ldn_graph.pipeline import load_pipeline

    if Path(args.gold).suffix.lower() == ".json":
        raise UsageError("a gold JSON file is scored on a KGX export: give KGXDIR too")
    exclude = read_exclusions(args.exclude) if args.exclude else frozenset()
    gold = read_corpus(args.gold, exclude)
    corpus = args.corpus or guess_corpus(gold)
    nlp = load_pipeline(args.model)
    if "bio_ner" not in nlp.pipe_names:
        raise ModelError(
            f"the pipeline {args.model or '(default)'} has no trained entity recogniser (bio_ner): the "
            "corpus measures need the trained pipeline (make train, or --model a folder made by it)"
        )
    predicted = predict(nlp, gold, corpus)
    result = score_bc5cdr(gold, predicted) if corpus == "bc5cdr" else score_biored(gold, predicted)
    if args.predictions:
        try:
            with open(args.predictions, "w", encoding="utf-8") as out:
                write_pubtator(predicted, out)
        except OSError as err:
            raise InputError(f"cannot write predictions: {err.strerror}", where=args.predictions) from None
    if args.json:
        sys.stdout.write(json.dumps({"corpus": corpus, "documents": len(gold), **result}, indent=1) + "\n")
    else:
        sys.stdout.write(f"{corpus}: {len(gold)} documents\n{format_scores(result)}\n")
    return 0
