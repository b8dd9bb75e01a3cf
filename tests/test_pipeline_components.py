"""Clean-up, abbreviation and entity-linking components, each on tiny texts written for the test; which
relations the relation extractor reads qualifiers for."""

from __future__ import annotations

import pytest

from ldn_graph.pipeline.abbreviations import best_long_form, is_short_form
from ldn_graph.pipeline.cleanup import fused_split
from ldn_graph.pipeline.matcher import within_one_edit
from tests.extraction_helpers import entities

MICROGLIA = "microglial-cell"
LDN = "low-dose-naltrexone"


# ---- clean-up ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("fibromyalgiapsoriasis", ["fibromyalgia", "psoriasis"]),  # two lexicon terms glued
        ("arthritisCrohn", ["arthritis", "Crohn"]),  # lower-to-upper boundary between known words
        ("neuroinflammation", None),  # a real word stays whole
        ("understanding", None),  # an English word that happens to contain words
        ("migraine", None),  # too short to be fused
    ],
)
def test_cleanup_fused_split(nlp, word, pieces):
    cleanup = nlp.get_pipe("ldn_text_cleanup")
    assert fused_split(word, cleanup.first, cleanup.last, cleanup.known) == pieces


def test_cleanup_keeps_text_and_finds_fused_diseases(nlp):
    # Link text stripped from HTML leaves words fused; the text itself must not change (offsets stay valid).
    text = "Patients with lupusmultiple sclerosisCrohn’s diseasecomplex regional pain syndrome were seen."
    doc = nlp(text)
    assert doc.text == text
    found = {e.kb_id_ for e in doc.ents}
    assert {"systemic-lupus-erythematosus", "multiple-sclerosis", "crohns-disease"} <= found
    assert "complex-regional-pain-syndrome" in found


def test_cleanup_typographic_norms(nlp):
    # Curly apostrophes and non-breaking spaces do not stop a match.
    assert ("Hashimoto’s\u00a0thyroiditis", "hashimoto-thyroiditis") in entities(
        nlp, "She has Hashimoto’s\u00a0thyroiditis."
    )


def test_cleanup_heading_lines_are_sentences(nlp):
    # A title line without final punctuation must not run into the next sentence.
    doc = nlp("Naloxone for Overdose\n\nNaloxone is an opioid antagonist.")
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents[0] == "Naloxone for Overdose"


# ---- abbreviations -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "candidate", "expected"),
    [
        ("CNS", "the central nervous system", "central nervous system"),
        ("LDN", "Low-dose naltrexone", "Low-dose naltrexone"),
        ("TLR4", "toll-like receptor 4", "toll-like receptor 4"),
        ("XYZ", "tumour necrosis factor", None),  # letters not found in order
    ],
)
def test_abbreviations_long_form(short, candidate, expected):
    start = best_long_form(short, candidate)
    assert (candidate[start:] if start is not None else None) == expected


@pytest.mark.parametrize(("text", "ok"), [("CNS", True), ("IL-6", True), ("5", False), ("the", False)])
def test_abbreviations_short_form_test(text, ok):
    assert is_short_form(text) is ok


def test_abbreviations_first_definition_wins(nlp):
    # A later "naltrexone (LDN)" must not redefine LDN.
    doc = nlp("Low-dose naltrexone (LDN) is new. Plain naltrexone (LDN) is not. LDN is cheap.")
    _short, long_ = doc._.ldn_abbreviations["LDN"]
    assert long_.text == "Low-dose naltrexone"
    assert [e.kb_id_ for e in doc.ents if e.text == "LDN"] == [LDN, LDN, LDN]


def test_abbreviations_defined_in_text_link_to_long_form(nlp):
    # An abbreviation the lexicon does not know takes its long form's concept.
    doc = nlp("Each sensory nerve cell (SNC) fires. The SNC adapts.")
    assert [e.kb_id_ for e in doc.ents if e.text == "SNC"] == ["sensory-neuron", "sensory-neuron"]


# ---- entity linking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "concept"),
    [
        ("Microglia respond quickly.", "Microglia", MICROGLIA),  # case
        ("Several glial cells died.", "glial cells", "glial-cell"),  # plural
        ("Low dose naltrexone was given.", "Low dose naltrexone", LDN),  # hyphen variant
        ("Low-dose naltrexone was given.", "Low-dose naltrexone", LDN),
        ("It is an opiod antagonist.", "opiod antagonist", "opioid-receptor-antagonist"),  # small typo
        ("Toll-like receptor 4 binds LPS.", "Toll-like receptor 4", "toll-like-receptor-4"),  # longest match
        ("Crohn's disease flares.", "Crohn's disease", "crohns-disease"),
        ("The CNS was spared.", "CNS", "central-nervous-system"),  # case-sensitive abbreviation
    ],
)
def test_entities_variants(nlp, text, surface, concept):
    assert (surface, concept) in entities(nlp, text)


def test_entities_abbreviation_is_case_sensitive(nlp):
    # "cns" in lower case is not the abbreviation.
    assert entities(nlp, "The cns was spared.") == []


def test_entities_shared_head(nlp):
    # "alcohol and opioid addiction": alcohol names alcohol addiction, not the chemical.
    found = dict((c, t) for t, c in entities(nlp, "It treats alcohol and opioid addiction."))
    assert found.get("alcohol-dependence") == "alcohol"
    assert "opiate-dependence" in found


def test_entities_nominal_state(nlp):
    # "an increase in dreaming" is what the lexicon calls increased dreaming.
    assert ("increase in dreaming", "abnormal-dreams") in entities(
        nlp, "Some report an increase in dreaming."
    )


@pytest.mark.parametrize(
    ("a", "b", "ok"), [("opiod", "opioid", True), ("naltrexnoe", "naltrexone", True), ("cat", "dog", False)]
)
def test_entities_within_one_edit(a, b, ok):
    assert within_one_edit(a, b) is ok


def test_entities_no_typo_correction_of_real_words(nlp):
    # "glial" is one edit from nothing it should become; "legal" is English and never corrected.
    assert entities(nlp, "The legal team met.") == []


# ---- relation qualifiers -----------------------------------------------------------------------------


def test_qualifiers_read_for_every_relation_that_takes_some():
    # A sentence's qualifiers are read only for relations `_takes_qualifiers` admits: it must admit every
    # relation that `_qualifies` gives qualifiers of some kind, or those would be lost.
    from types import SimpleNamespace
    from typing import get_args, get_type_hints

    from ldn_graph.lexicon import CATEGORIES
    from ldn_graph.model import Qualifier
    from ldn_graph.pipeline.relations import _qualifies, _takes_qualifiers
    from ldn_graph.pipeline.rules import PREDICATES

    kinds = get_args(get_type_hints(Qualifier)["kind"])
    assert "dose" in kinds and "population" in kinds
    taken = 0
    for category in CATEGORIES:
        subject = SimpleNamespace(label_=category)
        for predicate in PREDICATES:
            takes = any(_qualifies(kind, subject, predicate) for kind in kinds)
            assert _takes_qualifiers(subject, predicate) == takes, (category, predicate)
            taken += takes
    assert 0 < taken < len(CATEGORIES) * len(PREDICATES)
