"""Findings named by the list they are in (`pipeline/list_findings.py`) and by the substance they come from
(`pipeline/substance_findings.py`), on parses built by hand and on the shipped model's parse."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

from ldn_graph.pipeline.list_findings import link_list_findings, list_finding_excluded
from ldn_graph.pipeline.rules import load_rules, word_classes
from tests.test_frames import parse

# word, lemma, POS, tag, head, dependency (`tests.test_frames.parse`)
LIST = """
Dysphoria  dysphoria  NOUN  NN  7 nsubj
,          ,          PUNCT ,   0 punct
sedation   sedation   NOUN  NN  0 conj
and        and        CCONJ CC  2 cc
diuresis   diuresis   NOUN  NN  2 conj
and        and        CCONJ CC  0 cc
levels     level      NOUN  NNS 0 conj
occur      occur      VERB  VBP 7 ROOT
.          .          PUNCT .   7 punct
"""


def hand_parse(nlp, table: str, ents: list[tuple[int, int, str, str]]) -> Doc:
    """`tests.test_frames.parse`, with no local concepts made yet (as the linker starts a document)."""
    doc = parse(nlp, table, ents)
    doc._.ldn_local_concepts = {}
    return doc


def excluded() -> frozenset[str]:
    return list_finding_excluded(load_rules())


def test_list_member_on_a_hand_built_parse(nlp):
    """ "Dysphoria, sedation and diuresis": the noun no entity names, coordinated with findings, is a
    local finding, named (it enters the graph without a relation); "levels" is a measure, no finding."""
    doc = hand_parse(nlp, LIST, [(0, 1, "PhenotypicFeature", "dysphoria"), (4, 5, "Disease", "diuresis")])
    linker = nlp.get_pipe("ldn_entity_linker")
    spans, named = link_list_findings(doc, list(doc.ents), linker.matcher, list(doc), excluded())
    found = {s.text: s for s in spans}
    assert found["sedation"].label_ == "PhenotypicFeature"
    assert named == {found["sedation"].kb_id_}
    assert doc._.ldn_local_concepts[found["sedation"].kb_id_].label == "sedation"
    assert "levels" not in found


def test_list_member_not_in_a_list_of_other_things(nlp):
    """A list that names something other than findings ("the spinal cord") is no list of findings."""
    doc = hand_parse(
        nlp, LIST, [(0, 1, "PhenotypicFeature", "dysphoria"), (4, 5, "AnatomicalEntity", "spinal-cord")]
    )
    linker = nlp.get_pipe("ldn_entity_linker")
    spans, named = link_list_findings(doc, list(doc.ents), linker.matcher, list(doc), excluded())
    assert [s.text for s in spans] == ["Dysphoria", "diuresis"] and not named


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("Weight gain, hypersalivation, sedation and orthostatic hypotension are common.", "sedation"),
        ("The psychoactive effects include euphoria, sedation and impaired memory.", "sedation"),
        ("Common side effects include constipation, nausea, headache, sweating and insomnia.", "sweating"),
    ],
)
def test_list_member_on_the_model_parse(nlp, text, member):
    doc = nlp(text)
    found = {e.text: e for e in doc.ents}
    assert found[member].label_ == "PhenotypicFeature"
    assert found[member].kb_id_ in doc._.ldn_named_locals


def test_list_member_not_a_measure_of_an_entity(nlp):
    """ "pain intensity, depressive symptoms and fatigue": "intensity" measures pain, no finding."""
    doc = nlp("Secondary outcomes included pain intensity, fatigue and depression.")
    assert "intensity" not in {e.text for e in doc.ents}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Ibudilast attenuated morphine tolerance in rodents.", "morphine tolerance"),
        ("It does not precipitate the central symptoms of opioid withdrawal.", "opioid withdrawal"),
    ],
)
def test_substance_and_a_finding_noun_are_one_finding(nlp, text, finding):
    """ "morphine tolerance" is a finding of those who take morphine, not morphine
    (`pipeline/substance_findings.py`)."""
    doc = nlp(text)
    found = {e.text: e for e in doc.ents}
    assert found[finding].label_ in ("PhenotypicFeature", "Disease")
    assert not any(
        e.text != finding and found[finding].start <= e.start < found[finding].end for e in doc.ents
    )


def test_withdrawal_of_a_drug_is_no_finding(nlp):
    """ "withdrawal of the overused medication" is stopping it: the substance's words stay as they were."""
    from ldn_graph.pipeline.substance_findings import link_substance_findings

    doc = nlp.make_doc("morphine withdrawal of the drug")
    for token, pos in zip(doc, ("NOUN", "NOUN", "ADP", "DET", "NOUN"), strict=True):
        token.pos_ = pos
    doc._.ldn_local_concepts = {}
    linker = nlp.get_pipe("ldn_entity_linker")
    spans = [Span(doc, 0, 1, "Drug", kb_id="morphine")]
    heads = word_classes()["substance-finding-head"]
    assert [s.text for s in link_substance_findings(doc, spans, linker.matcher, list(doc), heads)] == [
        "morphine"
    ]
