"""Names cut in two by the abbreviation they define (`pipeline/defined_names.py`), cells named by a marker
(`pipeline/marker_cells.py`), a protein named with "subunit" and a complex named after a protein
(`pipeline/complexes.py`), on the shipped model's parse."""

from __future__ import annotations

import pytest

from ldn_graph.pipeline.matcher import term_key


@pytest.mark.parametrize(
    ("text", "name", "words"),
    [
        (
            "Antibodies against the N-methyl-D-aspartate (NMDA) receptor cross-link it.",
            "N-methyl-D-aspartate (NMDA) receptor",
            "N-methyl-D-aspartate receptor",
        ),
        (
            "Tumour necrosis factor (TNF) inhibitors such as infliximab induce remission.",
            "Tumour necrosis factor (TNF) inhibitors",
            "tumour necrosis factor inhibitors",
        ),
    ],
)
def test_name_cut_by_the_abbreviation_it_defines(nlp, text, name, words):
    """ "LONG (SHORT) HEAD" is the lexicon's "LONG HEAD", over the parenthesis; the chemical or protein of
    its first words is no entity there."""
    doc = nlp(text)
    found = {e.text: e for e in doc.ents}
    linker = nlp.get_pipe("ldn_entity_linker")
    assert found[name].kb_id_ == linker.matcher.lookup(term_key(nlp.make_doc(words)))
    assert not any(found[name].start <= e.start < found[name].end and e.text != name for e in doc.ents)


def test_an_abbreviation_with_no_name_after_it_is_left(nlp):
    """ "N-methyl-D-aspartate (NMDA) is ...": no head noun goes on with the name; the chemical stays."""
    doc = nlp("N-methyl-D-aspartate (NMDA) is an amino acid derivative.")
    assert "N-methyl-D-aspartate" in {e.text for e in doc.ents}


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("It did not lower interferon production by CD4-positive T cells.", "CD4-positive T cells"),
        ("Reactive CD4+ T cells were found in the lesions.", "CD4+ T cells"),
    ],
)
def test_a_cell_named_by_its_marker(nlp, text, cell):
    """ "CD4-positive T cells" is a kind of T cell, not CD4 and T cells apart (`pipeline/marker_cells.py`)."""
    doc = nlp(text)
    found = {e.text: e for e in doc.ents}
    assert found[cell].label_ == "Cell" and found[cell].kb_id_ in doc._.ldn_named_locals
    assert not any(e.text != cell and found[cell].start <= e.start < found[cell].end for e in doc.ents)


def test_a_protein_named_with_subunit(nlp):
    """ "the p40 subunit": the noun after a protein's name nothing identifies is part of it."""
    doc = nlp("Ustekinumab binds the p40 subunit shared by IL-12 and IL-23.")
    assert "p40 subunit" in {e.text for e in doc.ents}


def test_a_complex_named_after_a_protein_is_filed_under_it(nlp):
    """ "the NLRP3 inflammasome" is NLRP3's complex, not NLRP3 and MeSH's class "Inflammasomes" apart
    (`pipeline/complexes.py`)."""
    doc = nlp("Amyloid-beta activates the NLRP3 inflammasome in microglia.")
    found = {e.text: e for e in doc.ents}
    linker = nlp.get_pipe("ldn_entity_linker")
    assert found["NLRP3 inflammasome"].kb_id_ == linker.matcher.abbrevs["NLRP3"]
    assert "inflammasome" not in found
