"""`ldn-graph train` end to end on tiny corpora made here: conversion, spacy train with our config, the
assembled pipeline, tuned thresholds and development figures in its meta."""

from __future__ import annotations

import pytest
import spacy

from ldn_graph.cli import main

DOC = (
    "{pmid}|t|Cocaine-induced seizures in rats.\n"
    "{pmid}|a|Cocaine caused seizures and IL6 rose in mice.\n"
    "{pmid}\t0\t7\tCocaine\t{chem}\tD003042\n"
    "{pmid}\t16\t24\tseizures\t{dis}\tD012640\n"
    "{pmid}\t34\t41\tCocaine\t{chem}\tD003042\n"
    "{pmid}\t49\t57\tseizures\t{dis}\tD012640\n"
    "{pmid}\t{rel}\tD003042\tD012640{novel}\n"
)


def corpus(pmids, chem, dis, rel, novel=""):
    return "\n".join(DOC.format(pmid=p, chem=chem, dis=dis, rel=rel, novel=novel) for p in pmids) + "\n"


@pytest.fixture
def corpora(tmp_path):
    root = tmp_path / "corpora"
    (root / "bioRED").mkdir(parents=True)
    (root / "bc5cdr").mkdir()
    biored = dict(
        chem="ChemicalEntity", dis="DiseaseOrPhenotypicFeature", rel="Positive_Correlation", novel="\tNovel"
    )
    (root / "bioRED" / "train.PubTator").write_text(corpus(["1", "2", "3"], **biored))
    (root / "bioRED" / "dev.PubTator").write_text(corpus(["4"], **biored))
    (root / "bc5cdr" / "train.PubTator.txt").write_text(corpus(["5", "6", "7"], "Chemical", "Disease", "CID"))
    (root / "bc5cdr" / "dev.PubTator.txt").write_text(corpus(["8", "9"], "Chemical", "Disease", "CID"))
    (root / "EXCLUDE_PMIDS.tsv").write_text("pmid\tfile\n7\tbc5cdr/train.PubTator.txt\n")
    return root


@pytest.mark.slow
def test_training_command_builds_a_loadable_pipeline(corpora, tmp_path, capsys):
    output = tmp_path / "pipeline"
    small = [
        "--set", "training.max_steps=6", "--set", "training.eval_frequency=3",
        "--set", "components.bio_tok2vec.model.embed.width=32",
        "--set", "components.bio_tok2vec.model.encode.width=32",
        "--set", "components.bio_tok2vec.model.encode.depth=1",
    ]  # fmt: skip
    code = main(
        [
            "train",
            "--corpora",
            str(corpora),
            "--workdir",
            str(tmp_path / "work"),
            "--output",
            str(output),
            *small,
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "train: 5 documents" in err  # 3 + 3 minus the excluded PMID 7
    nlp = spacy.load(output)
    assert {"bio_ner", "ldn_entity_linker", "ldn_relation_classifier"} <= set(nlp.pipe_names)
    assert set(nlp.meta["performance"]["dev"]) == {"bc5cdr", "biored"}
    assert "cocaine" in nlp.get_pipe("ldn_entity_linker").names  # learned from the training mentions

    # --final: the development abstracts are trained on too; thresholds and figures come from `output`
    final = tmp_path / "final"
    argv = ["train", "--corpora", str(corpora), "--workdir", str(tmp_path / "work-final")]
    code = main([*argv, "--output", str(final), "--final", str(output), *small])
    assert code == 0
    assert "train: 8 documents" in capsys.readouterr().err  # 5 + dev's 1 BioRED and 2 BC5CDR abstracts
    settled = spacy.load(final)
    assert settled.meta["performance"]["dev"] == nlp.meta["performance"]["dev"]
    assert settled.meta["performance"]["thresholds"] == nlp.meta["performance"]["thresholds"]
    labels = nlp.get_pipe("ldn_relation_classifier").labels
    tuned = [nlp.get_pipe("ldn_relation_classifier").threshold_of(label) for label in labels]
    assert [settled.get_pipe("ldn_relation_classifier").threshold_of(label) for label in labels] == tuned


def test_training_command_names_a_missing_corpus_in_one_line(tmp_path, capsys):
    assert main(["train", "--corpora", str(tmp_path), "--workdir", str(tmp_path / "w")]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "corpus file not found" in err


def test_training_final_names_a_pipeline_without_thresholds_before_training(corpora, tmp_path, capsys):
    argv = ["train", "--corpora", str(corpora), "--workdir", str(tmp_path / "w"), "--final", str(tmp_path)]
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no thresholds in meta.json" in err
    assert not (tmp_path / "w").exists()  # nothing converted or trained


def test_training_sets_final_takes_the_development_abstracts_too(corpora):
    from ldn_graph.training.corpus import training_sets

    train, dev = training_sets(corpora)
    final, dev_again = training_sets(corpora, final=True)
    pmids = [d.document.pmid for d in final]
    assert [d.document.pmid for d in train] == ["1", "2", "3", "5", "6"]
    assert pmids == ["1", "2", "3", "4", "5", "6", "8", "9"] and dev_again == dev
