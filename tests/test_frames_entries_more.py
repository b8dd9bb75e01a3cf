"""Encyclopedia-entry and review constructions read with the shipped model (more of test_frames_entries.py):
negated findings, and pronoun subjects of the kind a predicate takes."""

from __future__ import annotations


def test_frames_entries_a_finding_not_observed_is_a_negated_side_effect(nlp):
    doc = nlp("Naltrexone is an opioid antagonist. No hepatotoxicity was observed.")
    effects = {(r.subject, r.evidence.negated) for r in doc._.ldn_relations if r.predicate == "hasSideEffect"}
    assert effects == {("naltrexone", True)}


def test_frames_entries_little_of_a_finding_is_next_to_none(nlp):
    # "causes little respiratory depression" says it hardly does; "unlike X" then says X does
    doc = nlp(
        "Unlike propofol, ketamine causes little respiratory depression. Morphine causes a little nausea."
    )
    read = {(r.subject, r.object, r.evidence.negated) for r in doc._.ldn_relations if r.predicate == "causes"}
    assert ("ketamine", "hypoventilation", True) in read
    assert ("propofol", "hypoventilation", False) in read
    assert ("morphine", "nausea", False) in read


def test_frames_entries_a_pronoun_subject_is_of_a_kind_the_predicate_takes(nlp):
    # "It is contraindicated": the drug, past the finding the sentence before had as its subject
    doc = nlp(
        "Nalmefene is an opioid antagonist. Its commonest side effect is nausea. Dizziness is rare. It is "
        "contraindicated in people with liver failure."
    )
    contraindicated = {
        (r.subject, r.object) for r in doc._.ldn_relations if r.predicate == "contraindicatedWith"
    }
    assert contraindicated == {("nalmefene", "liver-failure")}
