"""Names cut in two by the abbreviation they define (`pipeline/defined_names.py`), on the shipped model's
parse."""

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
