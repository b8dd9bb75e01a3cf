"""`ldn-graph evaluate` on annotated corpora (PubTator, BioC): the pipeline reads the gold texts and is
scored with the corpora's standard measures."""

from __future__ import annotations

import subprocess
import sys

import pytest
from spacy.tokens import Span

from ldn_graph.corpora.predict import guess_corpus, predict
from ldn_graph.corpora.pubtator import parse_pubtator
from ldn_graph.corpora.scoring import score_bc5cdr
from ldn_graph.pipeline import shipped_model
from tests.extraction_helpers import corpus_reading

NALOXONE, HYPOTENSION = "D009270", "D007022"
GOLD = f"""\
1|t|Naloxone-induced hypotension in a patient.
1|a|Hypotension followed naloxone.
1\t0\t8\tNaloxone\tChemical\t{NALOXONE}
1\t17\t28\thypotension\tDisease\t{HYPOTENSION}
1\t43\t54\tHypotension\tDisease\t{HYPOTENSION}
1\t64\t72\tnaloxone\tChemical\t{NALOXONE}
1\tCID\t{NALOXONE}\t{HYPOTENSION}

"""
needs_trained = pytest.mark.skipif(shipped_model() is None, reason="the trained pipeline is not installed")


def test_corpus_evaluation_tells_the_corpus_from_its_types():
    gold = parse_pubtator(GOLD, where="gold")
    assert guess_corpus(gold) == "bc5cdr"
    biored = parse_pubtator(GOLD.replace("\tChemical\t", "\tChemicalEntity\t"), where="gold")
    assert guess_corpus(biored) == "biored"


@needs_trained
def test_corpus_evaluation_finds_concepts_and_the_induced_disease(nlp):
    gold = parse_pubtator(GOLD, where="gold")
    (predicted,) = predict(nlp, gold, "bc5cdr")
    assert {(a.type, a.ids) for a in predicted.annotations} >= {
        ("Chemical", (NALOXONE,)),
        ("Disease", (HYPOTENSION,)),
    }
    scores = score_bc5cdr(gold, [predicted])
    assert scores["Chemical"]["f1"] == 1.0 and scores["Disease"]["f1"] == 1.0
    assert scores["CID"]["tp"] == 1  # "naloxone-induced hypotension"


def test_corpus_evaluation_links_diseases_the_lexicon_has_no_mesh_id_for(nlp):
    """The corpus reading of a recogniser's disease span whose lexicon concept has no MeSH id (a MONDO
    disease) takes the MeSH record of its head phrase; one nothing links, made of an organ word and a word
    for harm, the organ's diseases heading."""
    from ldn_graph.lexicon import default_lexicon

    text = "Symptomatic heart failure and adrenal impairment followed."
    doc = nlp.make_doc(text)
    doc._.ldn_local_concepts = {}
    lexicon = default_lexicon()
    assert not [x for x in lexicon.get("symptomatic-heart-failure").xrefs if x.startswith("MESH:")]
    doc.ents = [Span(doc, 0, 3, label="Disease", kb_id="symptomatic-heart-failure")]
    doc.spans["ldn_ner"] = [Span(doc, 0, 3, label="DISEASE"), Span(doc, 4, 6, label="DISEASE")]
    read = corpus_reading(nlp, doc, "bc5cdr")
    # Heart Failure; Adrenal Gland Diseases
    assert [a.ids for a in read.annotations] == [("D006333",), ("D000307",)]


@pytest.mark.slow
@needs_trained
def test_corpus_evaluation_command_prints_the_measures(tmp_path):
    gold = tmp_path / "gold.PubTator"
    gold.write_text(GOLD, encoding="utf-8")
    out = tmp_path / "pred.PubTator"
    run = subprocess.run(
        [sys.executable, "-m", "ldn_graph", "evaluate", str(gold), "--predictions", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "bc5cdr: 1 documents"
    assert any(line.startswith("CID") for line in run.stdout.splitlines())
    assert parse_pubtator(out.read_text(encoding="utf-8"), where="pred")[0].pmid == "1"


def test_corpus_evaluation_bad_gold_is_one_line(tmp_path):
    gold = tmp_path / "gold.PubTator"
    gold.write_text("1|t|Title\n1|a|Text\n1\tzero\t8\tNaloxone\tChemical\tD1\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "ldn_graph", "evaluate", str(gold)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1 and "gold.PubTator:3" in run.stderr and "Traceback" not in run.stderr


@needs_trained
def test_corpus_evaluation_pipeline_loads_by_name_with_spacy():
    """The shipped pipeline is a spaCy package: `spacy.load("ldn_graph")` once ldn-graph is installed."""
    import spacy

    nlp = spacy.load("ldn_graph")
    assert {"bio_ner", "ldn_entity_linker", "ldn_relation_classifier"} <= set(nlp.pipe_names)
    assert nlp.meta["name"] == "ldn_bio" and nlp.meta["version"]
    assert nlp.get_pipe("ldn_relation_classifier").labels  # trained labels came with it


def test_thresholds_across_sentences_default_to_those_within():
    from ldn_graph.corpora.predict import Thresholds

    thresholds = Thresholds({"CID": 0.35, "Association": 0.4}, {"CID": 0.65})
    assert thresholds.of("CID") == 0.35 and thresholds.of("CID", across=True) == 0.65
    assert thresholds.of("Association", across=True) == 0.4  # none tuned across: the same
    assert thresholds.of("Bind") == thresholds.of("Bind", across=True) == 0.5


def test_a_pair_read_across_sentences_needs_its_own_threshold():
    """The same score predicts a pair whose best evidence is one sentence and not one whose mentions are
    in different sentences, when the threshold across sentences is higher."""
    import spacy
    from spacy.tokens import Span

    from ldn_graph.corpora.predict import Thresholds, _relations
    from ldn_graph.pipeline.classifier import PAIR_SPANS
    from ldn_graph.pipeline.extensions import register_extensions
    from ldn_graph.pipeline.pair_features import PairScore

    register_extensions()
    nlp = spacy.blank("en")
    doc = nlp.make_doc("cocaine caused seizures . lithium was given . tremor followed")
    for token in doc:
        token.is_sent_start = token.i in (0, 4, 8)
    doc.spans[PAIR_SPANS] = [
        Span(doc, 0, 1, "CHEMICAL"),
        Span(doc, 2, 3, "DISEASE"),
        Span(doc, 4, 5, "CHEMICAL"),
        Span(doc, 8, 9, "DISEASE"),
    ]
    doc._.ldn_pair_scores = [PairScore(0, 1, "CID", 0.5), PairScore(2, 3, "CID", 0.5)]
    ids = {"cocaine": ("D003042",), "seizures": ("D012640",), "lithium": ("D008094",), "tremor": ("D014202",)}
    read = set(_relations(doc, "bc5cdr", lambda span: ids[span.text], Thresholds({"CID": 0.4}, {"CID": 0.6})))
    assert {(r.id1, r.id2) for r in read} == {("D003042", "D012640")}


LAMOTRIGINE_2024 = "D000077213"  # MeSH's descriptor since 2018; BC5CDR wrote the record of then
LACOSAMIDE_2024 = "D000078334"  # another of MeSH's descriptors since 2016


def test_corpus_evaluation_leaves_out_ids_newer_than_the_corpus_mesh():
    from ldn_graph.corpora.mesh_version import as_corpus_writes

    # BC5CDR's MeSH 2015 had neither the ten-digit descriptor nor the record C000615114 (thallium-201).
    assert as_corpus_writes((LAMOTRIGINE_2024, "D006973"), "bc5cdr") == ("D006973",)
    assert as_corpus_writes(("C000615114", "C047781"), "bc5cdr") == ("C047781",)
    # BioRED writes a newer MeSH; ids of other schemes pass.
    assert as_corpus_writes((LAMOTRIGINE_2024, "3576"), "biored") == (LAMOTRIGINE_2024, "3576")


@needs_trained
def test_corpus_evaluation_reads_a_new_descriptor_as_unknown_to_bc5cdr(nlp):
    """The pipeline links "lacosamide" to MeSH 2024's descriptor, which BC5CDR (MeSH 2015) could not
    write: its reading there has no id, BioRED's keeps it."""
    text = "Lacosamide was given to the patients."
    doc = nlp(text)
    assert [s.text for s in doc.spans["ldn_ner"] if s.label_ == "CHEMICAL"] == ["Lacosamide"]
    biored = corpus_reading(nlp, doc, "biored")
    assert [a.ids for a in biored.annotations if a.type == "ChemicalEntity"] == [(LACOSAMIDE_2024,)]
    bc5cdr = corpus_reading(nlp, doc, "bc5cdr")
    assert [a.ids for a in bc5cdr.annotations] == [()]
