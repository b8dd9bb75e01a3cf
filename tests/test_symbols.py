"""Gene and protein symbols as authors spell them meet the lexicon's (ldn_graph/pipeline/symbols.py)."""

import pytest

from ldn_graph.pipeline.symbols import symbol_index, symbol_key


@pytest.mark.parametrize(
    "variants",
    [
        ("BCL2", "Bcl-2", "BCL 2", "bcl2"),
        ("TGFB1", "TGF-β1", "TGF-beta1", "TGFβ1", "TGF-Β1"),
        ("IL1B", "IL-1beta", "IL-1β", "IL1-beta"),
        ("PPARG", "PPAR-gamma", "PPARγ", "PPAR gamma"),
        ("TNFA", "TNF-alpha", "TNFalpha", "TNF-α"),
    ],
)
def test_variants_of_a_symbol_share_its_key(variants):
    assert len({symbol_key(v) for v in variants}) == 1


@pytest.mark.parametrize("text", ["A", "-", "Beta", "cellular inhibitors of apoptosis 1 and 2"])
def test_what_is_no_symbol_has_no_key(text):
    assert symbol_key(text) == ""


def test_greek_names_inside_words_stay_words():
    assert symbol_key("Alphavirus") == "ALPHAVIRUS"  # not A + "virus": the name's case matches the word's
    assert symbol_key("Meta") == "META"  # "eta" is too short a name to be replaced


def test_a_key_two_concepts_share_is_not_indexed():
    index = symbol_index([("BCL2", "bcl2"), ("Bcl-2", "bcl2"), ("AB1", "first"), ("AB-1", "second")])
    assert index == {"BCL2": "bcl2"}
