"""One reading per name in a document (`pipeline/recogniser_spans.py`) and the splitting of genotype and
marker signs from names (`pipeline/cleanup.marker_split`)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from ldn_graph.pipeline.cleanup import marker_split
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.recogniser_spans import (
    consistent_mentions,
    drugs_named_by_class,
    ligand_protein_names,
)


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("FABP(+/-", ["FABP", "(", "+/-"]),
        ("CD4(+)CD25(+", ["CD4", "(", "+", ")", "CD25", "(", "+"]),
        ("AT1a(-/-)-DOCA", ["AT1a", "(", "-/-", ")", "-", "DOCA"]),
        ("kappa-", None),  # a suspended hyphen stays: "kappa- and delta-opioid receptors"
        ("f(x)", None),  # a bracket that holds no sign
        ("(+)-naloxone", None),  # a stereo descriptor before a name, not a sign after one
    ],
)
def test_marker_split(word, pieces):
    assert marker_split(word) == pieces


def test_cleanup_splits_marker_signs_and_keeps_the_text(nlp):
    text = "L-FABP(+/-) mice and CD4(+)CD25(+) T cells lacked CGRP-containing fibres."
    doc = nlp(text)
    assert doc.text == text
    words = [t.text for t in doc]
    for name in ("FABP", "CD4", "CD25"):
        assert name in words


def make_doc(text: str) -> Doc:
    """A doc of the words of `text`, split at spaces."""
    register_extensions()
    return Doc(spacy.blank("en").vocab, words=text.split(" "))


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


def test_a_name_joined_to_a_word_by_a_hyphen_is_not_added():
    register_extensions()
    words = ["COVID-19", "lasted", ";", "post", "-", "COVID-19", "condition", "and", "COVID-19", "-", "like"]
    spaces = [True, False, True, False, False, True, True, True, False, False, False]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    out = consistent_mentions(doc, [Span(doc, 0, 1, "DISEASE")])
    assert [s.start for s in out] == [0]  # "post-COVID-19" and "COVID-19-like" are other words


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


HEADS = frozenset({"receptor", "transporter", "synthase", "channel"})
JOINERS = frozenset({"sensing", "gated", "-"})


def ligand_read(text: str, chemicals: list[tuple[int, int]], lemmas: dict[str, str] | None = None):
    doc = make_doc(text)
    for token in doc:
        token.lemma_ = (lemmas or {}).get(token.text, token.text.lower())
    spans = [Span(doc, start, end, "CHEMICAL") for start, end in chemicals]
    read, ligands = ligand_protein_names(doc, spans, list(doc), HEADS, JOINERS)
    assert all(
        s.label_ == "CHEMICAL" and any(s.start >= r.start and s.end <= r.end for r in read) for s in ligands
    )
    return [(s.text, s.label_) for s in read]


def test_a_chemical_before_a_protein_head_is_the_protein():
    assert ligand_read("the NMDA receptors and glycine", [(1, 2), (4, 5)], {"receptors": "receptor"}) == [
        ("NMDA receptors", "GENE"),
        ("glycine", "CHEMICAL"),  # nothing after it
    ]


def test_joiners_and_member_codes_stay_in_the_proteins_name():
    assert ligand_read("calcium sensing receptor", [(0, 1)]) == [("calcium sensing receptor", "GENE")]
    assert ligand_read("ATP - gated channel 2B opens", [(0, 1)]) == [("ATP - gated channel 2B", "GENE")]
    assert ligand_read("glycine transporter-1 fell", [(0, 1)]) == [("glycine transporter-1", "GENE")]
    # a bare number after the head is not a member's code: "receptor 2 weeks later"
    assert ligand_read("serotonin receptor 2 weeks", [(0, 1)]) == [("serotonin receptor", "GENE")]


def test_a_word_made_with_a_head_is_not_the_head():
    assert ligand_read("dopamine receptor-mediated uptake", [(0, 1)]) == [("dopamine", "CHEMICAL")]


def test_a_chemical_span_that_ends_in_a_protein_head_is_the_protein():
    assert ligand_read("nitric oxide synthase activity", [(0, 3)]) == [("nitric oxide synthase", "GENE")]


def test_the_recogniser_keeps_the_chemicals_it_read_as_proteins(nlp):
    from ldn_graph.pipeline.entities import CHEMICAL_READINGS

    # The model labels "Bradykinin receptors" a chemical, head and all.
    doc = nlp("Bradykinin receptors mediate the pain of inflammation.")
    assert ("Bradykinin receptors", "GENE") in {(s.text, s.label_) for s in doc.spans["ldn_ner"]}
    assert [(s.text, s.label_) for s in doc.spans[CHEMICAL_READINGS]] == [("Bradykinin", "CHEMICAL")]


def test_gene_symbols_in_another_case_are_read_as_genes(nlp):
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc(
        "Expression of mmp2, Ptpn22 and bmp5 rose, but MMP2 , cat2x and 1000 did not in the x4 rats."
    )
    tokens = list(doc)
    found = [(s.text, s.label_) for s in linker.symbol_spans(doc, tokens, [])]
    # "MMP2" is the lexicon's own spelling (matched as it is); "cat2x", "x4" and "1000" spell no symbol
    assert found == [("mmp2", "GENE"), ("Ptpn22", "GENE"), ("bmp5", "GENE")]
    taken = [Span(doc, 2, 3, "GENE")]
    assert [s.text for s in linker.symbol_spans(doc, tokens, taken)] == ["Ptpn22", "bmp5"]


def test_names_the_recogniser_missed_are_among_its_spans(nlp):
    doc = nlp("Levels of mmp2 fell in zebrafish treated with the drug.")
    assert ("mmp2", "GENE") in {(s.text, s.label_) for s in doc.spans["ldn_ner"]}


CLASS_HEADS = frozenset(("antagonist", "inhibitor", "antibody"))


def apposed(words: str, heads: list[int], deps: list[str]) -> Doc:
    """A doc of `words` (split at spaces) with a parse given as head indices and dependency labels."""
    register_extensions()
    split = words.split(" ")
    return Doc(spacy.blank("en").vocab, words=split, heads=heads, deps=deps)


def test_a_word_an_indefinite_apposition_classes_as_a_drug_is_a_chemical():
    # "Zorbitant, a selective NK1 antagonist, ...": the name is a drug's, though the recogniser missed it
    doc = apposed(
        "Zorbitant , a selective NK1 antagonist , relieved nausea",
        [0, 0, 5, 5, 5, 0, 0, 0, 7],
        ["ROOT", "punct", "det", "amod", "compound", "appos", "punct", "dep", "dobj"],
    )
    out = drugs_named_by_class(doc, [], list(doc), CLASS_HEADS, frozenset())
    assert [(s.text, s.label_) for s in out] == [("Zorbitant", "CHEMICAL")]


@pytest.mark.parametrize(
    ("words", "heads", "deps", "english"),
    [
        # a definite apposition names, it does not class ("Zorbitant, the antagonist of ...")
        (
            "Zorbitant , the antagonist , helped",
            [0, 0, 3, 0, 0, 0],
            ["ROOT", "punct", "det", "appos", "punct", "dep"],
            (),
        ),
        # a class noun outside the list ("a company")
        (
            "Zorbitant , a company , helped",
            [0, 0, 3, 0, 0, 0],
            ["ROOT", "punct", "det", "appos", "punct", "dep"],
            (),
        ),
        # an English word is not a drug's name ("Patients, a group of ...")
        (
            "Patients , an antagonist , helped",
            [0, 0, 3, 0, 0, 0],
            ["ROOT", "punct", "det", "appos", "punct", "dep"],
            ("patients",),
        ),
    ],
)
def test_no_drug_without_an_indefinite_drug_class_apposition(words, heads, deps, english):
    doc = apposed(words, heads, deps)
    assert drugs_named_by_class(doc, [], list(doc), CLASS_HEADS, frozenset(english)) == []


def test_a_name_the_recogniser_found_is_not_added_again():
    doc = apposed(
        "Zorbitant , an antagonist , helped",
        [0, 0, 3, 0, 0, 0],
        ["ROOT", "punct", "det", "appos", "punct", "dep"],
    )
    found = [Span(doc, 0, 1, "GENE")]
    assert drugs_named_by_class(doc, found, list(doc), CLASS_HEADS, frozenset()) == found


def test_a_drug_named_by_its_class_is_an_entity_at_each_mention(nlp):
    # The model's parse: an unknown name opening a sentence, classed by its apposition.
    doc = nlp("Anakinra, a recombinant IL-1 receptor antagonist, shortens flares. Anakinra is given daily.")
    assert [e.start_char for e in doc.ents if e.text == "Anakinra"] == [0, 67]
