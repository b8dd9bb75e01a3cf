"""Findings named by likeness, "X-like behaviour" (`pipeline/like_findings.py`), on parses built by hand and
on the shipped model's parse."""

from __future__ import annotations

import pytest

from ldn_graph.pipeline.like_findings import link_like_findings
from ldn_graph.pipeline.rules import word_classes
from tests.word_tables import parse, texts

LIKE = """
Mice       mouse      NOUN  1
showed     show       VERB  1
anxiety    anxiety    NOUN  0
-          -          PUNCT 0
like       like       ADJ   1
behaviour  behaviour  NOUN  1
and        and        CCONJ 1
depressive depressive ADJ   0
-          -          PUNCT 0
like       like       ADJ   1
behaviour  behaviour  NOUN  1
like       like       ADP   1
pain       pain       NOUN  1
-          -          PUNCT 1
like       like       ADJ   1
states     state      NOUN  0
.          .          PUNCT 0
"""


def test_like_finding_on_a_hand_built_parse(nlp):
    """The entity before "-like" and the finding noun after it are one local finding; the one word there
    when no entity ends before the hyphen; "pain - like" written apart is no compound."""
    doc = parse(nlp, LIKE, [(2, 3, "Disease", "anxiety-disorder"), (12, 13, "PhenotypicFeature", "pain")])
    linker = nlp.get_pipe("ldn_entity_linker")
    spans = link_like_findings(
        doc, list(doc.ents), linker.matcher, list(doc), frozenset({"behaviour", "state"})
    )
    found = texts(spans)
    assert found["anxiety-like behaviour"][0] == "PhenotypicFeature"
    assert "depressive-like behaviour" in found and "anxiety" not in found
    assert found["pain"] == ("PhenotypicFeature", "pain")  # written apart: left as it was
    local = doc._.ldn_local_concepts
    assert local[found["anxiety-like behaviour"][1]].label == "anxiety-like behaviour"


def test_like_finding_needs_a_finding_noun(nlp):
    """ "a morphine-like drug": the noun after "-like" is no finding noun, so the drug stays."""
    doc = nlp("It is a morphine-like drug.")
    assert "morphine" in {e.text for e in doc.ents}
    assert "drug" not in word_classes()["like-finding-head"]


@pytest.mark.parametrize(
    "phrase", ["depressive-like behaviour", "anxiety-like behaviour", "multiple sclerosis-like illness"]
)
def test_like_finding_on_the_model_parse(nlp, phrase):
    doc = nlp(f"Some of the treated animals developed {phrase} within a week.")
    found = {e.text: e for e in doc.ents}
    assert found[phrase].label_ == "PhenotypicFeature" and found[phrase].kb_id_ in doc._.ldn_named_locals
    assert not any(e.text != phrase and phrase.startswith(e.text) for e in doc.ents)
