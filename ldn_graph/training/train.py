"""`make train` (`ldn-graph train`): the corpora -> `.spacy` files -> `spacy train` -> the whole pipeline.

Everything is fixed by the config's seed, so the same corpora give the same model. The dev split's
scores are logged by spaCy as it trains and kept in the model's `meta.json`.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.corpora.labels import entity_types
from ldn_graph.corpora.pubtator import AnnotatedDocument
from ldn_graph.corpora.scoring import Score
from ldn_graph.pipeline.names import Name, build_names, document_organism
from ldn_graph.training.convert import ConversionReport, to_doc, write_docbin
from ldn_graph.training.corpus import BIORED_LABELS, TrainingDocument, training_sets

BIORED_ONLY = frozenset(BIORED_LABELS)  # a document with these labels is annotated with BioRED's types

if TYPE_CHECKING:
    from spacy.language import Language

CONFIG = files("ldn_graph.training").joinpath("configs/bio.cfg")


def convert(
    documents: list[TrainingDocument], path: Path, others: frozenset[str] = frozenset()
) -> ConversionReport:
    """Write one split as a `.spacy` file. `others`: names of the types only BioRED annotates, left unknown
    in the abstracts only BC5CDR annotates."""
    import spacy

    nlp = spacy.blank("en")
    report = ConversionReport()
    docs = (
        to_doc(nlp, d.document, d.labels, report, frozenset() if d.labels & BIORED_ONLY else others)
        for d in documents
    )
    write_docbin(docs, path)
    return report


def other_type_names(documents: list[TrainingDocument]) -> frozenset[str]:
    """Lower-cased names of genes, species, variants and cell lines in the BioRED training abstracts."""
    types = entity_types()
    return frozenset(
        a.text.lower()
        for d in documents
        if d.labels & BIORED_ONLY
        for a in d.document.annotations
        if types[a.type].ner_label not in ("CHEMICAL", "DISEASE") and len(a.text) > 1
    )


FINAL_EVAL_FREQUENCY = 2000  # steps; the development figures mean little once they are trained on


def train(
    corpora: Path,
    output: Path,
    *,
    workdir: Path,
    overrides: dict[str, object] | None = None,
    final: bool = False,
) -> Path:
    """Convert the corpora and train; returns the folder of the best model on the development sets, or
    with `final` (the development sets trained on too) of the last."""
    from spacy.cli.train import train as spacy_train

    import ldn_graph.pipeline.classifier  # noqa: F401  (registers the factory when entry points are stale)

    train_docs, dev_docs = training_sets(corpora, final=final)
    others = other_type_names(train_docs)
    for name, docs in (("train", train_docs), ("dev", dev_docs)):
        report = convert(docs, workdir / f"{name}.spacy", others)
        print(
            f"{name}: {report.documents} documents, {report.mentions} mentions, "
            f"{report.relations} relations, {report.unknown} spans left unknown; "
            f"dropped {dict(report.dropped)}",
            file=sys.stderr,
        )
    settings: dict[str, object] = {
        "paths.train": str(workdir / "train.spacy"),
        "paths.dev": str(workdir / "dev.spacy"),
    }
    if final:
        settings["training.eval_frequency"] = FINAL_EVAL_FREQUENCY
    settings.update(overrides or {})
    with CONFIG.open() as config:  # spacy_train wants a path: copy the packaged file beside the data
        (workdir / "bio.cfg").write_text(config.read())
    spacy_train(workdir / "bio.cfg", output, overrides=settings)
    return output / ("model-last" if final else "model-best")


def learned_names(documents: list[TrainingDocument]) -> dict[str, Name]:
    """The names table of the training mentions, keyed as the entity linker keys a span."""
    import spacy

    from ldn_graph.pipeline.matcher import term_key

    nlp = spacy.blank("en")
    types = entity_types()
    keys: dict[str, str] = {}

    def key(text: str) -> str:
        if text not in keys:
            keys[text] = " ".join(term_key(nlp.make_doc(text)))
        return keys[text]

    return build_names(
        (key(a.text), types[a.type].ner_label, a.ids, a.text, species)
        for d in documents
        for species in (document_species(d.document),)
        for a in d.document.annotations
    )


def document_species(document: AnnotatedDocument) -> str:
    """The NCBI Taxonomy id of the organism an annotated abstract names most often (first named on a
    tie), or "" when it names none (BC5CDR annotates no organisms)."""
    types = entity_types()
    return document_organism(
        [i for a in document.annotations if types[a.type].ner_label == "SPECIES" for i in a.ids]
    )


def dev_scores(nlp: Language, dev: dict[str, list[AnnotatedDocument]]) -> dict[str, dict[str, Score]]:
    """The corpora's standard measures on their development sets."""
    from ldn_graph.corpora.predict import predict
    from ldn_graph.corpora.scoring import score_bc5cdr, score_biored

    scorers = {"bc5cdr": score_bc5cdr, "biored": score_biored}
    return {corpus: scorers[corpus](gold, predict(nlp, gold, corpus)) for corpus, gold in dev.items()}


def build_pipeline(
    corpora: Path,
    trained: Path,
    output: Path,
    *,
    base: str | None = None,
    settled: Path | None = None,
) -> Path:
    """Names, assembly, the path scorer trained, thresholds tuned and figures measured on the development
    sets; saved to `output`.

    `settled`: a pipeline built the ordinary way from the same config and seed; the model in `trained`
    was trained on the development sets too (`train(final=True)`), so it takes that pipeline's thresholds
    and development figures (which it cannot be measured on) instead of tuning and measuring its own."""
    import spacy

    from ldn_graph.corpora.scoring import format_scores
    from ldn_graph.training.corpus import read_split
    from ldn_graph.training.package import assemble
    from ldn_graph.training.pair_paths import train_pair_paths
    from ldn_graph.training.tune import tune

    train_docs, _dev = training_sets(corpora, final=settled is not None)
    assemble(trained, learned_names(train_docs), output, base=base)
    nlp = spacy.load(output)
    train_pair_paths(nlp, train_docs)
    if settled is not None:
        performance = settled_performance(settled)
        nlp.get_pipe("ldn_relation_classifier").set_thresholds(  # type: ignore[attr-defined]
            performance["thresholds"], performance.get("cross_thresholds")
        )
        nlp.meta["performance"] = {
            **performance,
            "trained_on": "train and dev splits",
            "dev_figures_of": "the same config and seed trained on the train splits alone",
        }
        print(f"thresholds and development figures of {settled}: {performance}", file=sys.stderr)
        nlp.to_disk(output)
        return output
    dev = {"bc5cdr": read_split(corpora, "bc5cdr", "dev"), "biored": read_split(corpora, "biored", "dev")}
    thresholds, cross_thresholds = tune(nlp, dev)
    print(
        f"thresholds tuned on the development sets: {thresholds}, across sentences: {cross_thresholds}",
        file=sys.stderr,
    )
    nlp.get_pipe("ldn_relation_classifier").set_thresholds(thresholds, cross_thresholds)  # type: ignore[attr-defined]
    scores = dev_scores(nlp, dev)
    for corpus, result in scores.items():
        print(f"{corpus} dev ({len(dev[corpus])} documents)\n{format_scores(result)}", file=sys.stderr)
    nlp.meta["performance"] = {
        "dev": {corpus: {k: round(v["f1"], 4) for k, v in r.items()} for corpus, r in scores.items()},
        "thresholds": thresholds,
        "cross_thresholds": cross_thresholds,
    }
    nlp.to_disk(output)
    return output


def settled_performance(path: Path) -> dict:
    """The thresholds and development figures in a built pipeline's meta.json; a clear error without."""
    import json

    from ldn_graph.errors import ModelError

    try:
        performance = json.loads((path / "meta.json").read_text(encoding="utf-8"))["performance"]
        settled = {"dev": performance["dev"], "thresholds": performance["thresholds"]}
        if "cross_thresholds" in performance:
            settled["cross_thresholds"] = performance["cross_thresholds"]
        return settled
    except (OSError, ValueError, KeyError, TypeError):
        raise ModelError(
            f"{path}: not a pipeline built by `ldn-graph train` (no thresholds in meta.json)"
        ) from None
