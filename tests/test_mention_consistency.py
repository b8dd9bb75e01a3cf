"""One reading per name in a document (`pipeline/mention_consistency.py`) and the splitting of genotype and
marker signs from names (`pipeline/cleanup.marker_split`)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ldn_graph.pipeline.cleanup import marker_split
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.mention_consistency import consistent_mentions


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("FABP(+/-", ["FABP", "(", "+/-"]),
        ("CD4(+)CD25(+", ["CD4", "(", "+", ")", "CD25", "(", "+"]),
        ("AT1a(-/-)-DOCA", ["AT1a", "(", "-/-", ")", "-", "DOCA"]),
        ("VIP-", ["VIP", "-"]),
        ("-", None),  # a dash alone
        ("x-", None),  # too short to be a name
        ("f(x)", None),  # a bracket that holds no sign
        ("(+)-naloxone", None),  # a stereo descriptor before a name, not a sign after one
    ],
)
def test_marker_split(word, pieces):
    assert marker_split(word) == pieces


def test_cleanup_splits_marker_signs_and_keeps_the_text(nlp):
    text = "L-FABP(+/-) mice and CD4(+)CD25(+) T cells lacked VIP- and CGRP-containing fibres."
    doc = nlp(text)
    assert doc.text == text
    words = [t.text for t in doc]
    for name in ("FABP", "CD4", "CD25", "VIP"):
        assert name in words


def make_doc(text: str) -> Doc:
    """A doc of the words of `text`, split at spaces."""
    register_extensions()
    return Doc(Vocab(), words=text.split(" "))


def test_a_defined_short_form_takes_its_long_forms_label_everywhere():
    doc = make_doc("Paget disease of bone ( PDB ) is common . PDB runs in families ; PDB is rare in Asia .")
    doc._.ldn_abbreviations = {"PDB": (doc[5:6], doc[0:4])}
    model = [Span(doc, 0, 4, "DISEASE"), Span(doc, 10, 11, "CHEMICAL")]  # the second PDB mislabelled
    out = consistent_mentions(doc, model)
    assert [(s.text, s.label_) for s in out] == [
        ("Paget disease of bone", "DISEASE"),
        ("PDB", "DISEASE"),
        ("PDB", "DISEASE"),
        ("PDB", "DISEASE"),
    ]


def test_a_short_form_whose_long_form_was_not_found_is_left_alone():
    doc = make_doc("intima - media thickness ( IMT ) rose ; IMT fell ; IMT rose .")
    doc._.ldn_abbreviations = {"IMT": (doc[5:6], doc[0:4])}
    model = [Span(doc, 9, 10, "DISEASE")]  # a guess the long form does not back
    out = consistent_mentions(doc, model)
    assert [(s.start, s.label_) for s in out] == [(9, "DISEASE")]  # not spread to the third IMT


def test_a_repeated_name_is_found_at_each_occurrence_with_its_commonest_label():
    doc = make_doc("T98G cells and U87 cells ; T98G died , T98G grew , T98G - derived lines and T98Gx .")
    model = [Span(doc, 0, 1, "CELL_LINE"), Span(doc, 6, 7, "CELL_LINE"), Span(doc, 9, 10, "GENE")]
    out = consistent_mentions(doc, model)
    assert [(s.start, s.label_) for s in out] == [
        (0, "CELL_LINE"),
        (6, "CELL_LINE"),
        (9, "GENE"),  # a reading the recogniser gave is kept
        (12, "CELL_LINE"),  # added, with the label given most often
    ]  # "T98Gx" is another word


def test_a_name_inside_a_longer_span_is_not_added_again():
    doc = make_doc("IL6 rose ; the IL6 receptor fell .")
    model = [Span(doc, 0, 1, "GENE"), Span(doc, 4, 6, "GENE")]
    out = consistent_mentions(doc, model)
    assert [(s.start, s.end) for s in out] == [(0, 1), (4, 6)]


def test_the_recognisers_spans_agree_on_a_defined_abbreviation(nlp):
    text = (
        "The calcium-sensing receptor (CaSR) regulates parathyroid hormone secretion. Mutations in CaSR "
        "cause familial hypocalciuric hypercalcaemia, and CaSR agonists lower calcium."
    )
    doc = nlp(text)
    short = [s for s in doc.spans["ldn_ner"] if s.text == "CaSR"]
    assert len(short) == 3
    assert len({s.label_ for s in short}) == 1
