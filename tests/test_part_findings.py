"""A body part's finding named with "of": "loss of dopaminergic neurons" (`span_rules.link_part_findings`),
on parses built by hand and on the shipped model's parse."""

from __future__ import annotations

import pytest

from ldn_graph.pipeline.rules import word_classes
from ldn_graph.pipeline.span_rules import PART_HEADS, link_part_findings
from tests.word_tables import parse, texts

OF_PART = """
Microglia    microglia    NOUN 1
drive        drive        VERB 1
the          the          DET  1
loss         loss         NOUN 1
of           of           ADP  1
small        small        ADJ  1
nerve        nerve        NOUN 1
fibres       fibre        NOUN 1
and          and          CCONJ 1
pruning      pruning      NOUN 1
of           of           ADP  1
synapses     synapse      NOUN 0
.            .            PUNCT 0
"""


def test_finding_noun_before_of_and_a_part_on_a_hand_built_parse(nlp):
    """ "loss of small nerve fibres": a local finding of the whole phrase, not the part; "pruning of
    synapses": the lexicon's "synapse pruning" (the part's singular before the noun)."""
    doc = parse(nlp, OF_PART, [(6, 8, "AnatomicalEntity", "nerve-fiber"), (11, 12, "Cell", "synapses")])
    linker = nlp.get_pipe("ldn_entity_linker")
    classes = word_classes()
    heads = {c: classes[c] for c in PART_HEADS}
    found = texts(link_part_findings(doc, list(doc.ents), linker.matcher, list(doc), heads))
    assert found["loss of small nerve fibres"][0] == "PhenotypicFeature"
    assert "nerve fibres" not in found
    process = linker.matcher.lookup(("synapse", "pruning"))
    assert process is not None and found["pruning of synapses"] == ("BiologicalProcess", process)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Complement drives the loss of dopaminergic neurons in this model.", "loss of dopaminergic neurons"),
        ("TNF caused breakdown of the blood-brain barrier.", "breakdown of the blood-brain barrier"),
        ("Patients noticed loss of the eyebrows.", "loss of the eyebrows"),
        ("It follows compression of the trigeminal nerve root.", "compression of the trigeminal nerve root"),
        ("TNF drives inflammation and oligodendrocyte apoptosis.", "oligodendrocyte apoptosis"),
    ],
)
def test_finding_noun_before_of_and_a_part_on_the_model_parse(nlp, text, phrase):
    doc = nlp(text)
    found = {e.text: e for e in doc.ents}
    assert found[phrase].label_ in ("PhenotypicFeature", "BiologicalProcess")
    local = doc._.ldn_local_concepts.get(found[phrase].kb_id_)
    assert local is None or found[phrase].kb_id_ in doc._.ldn_named_locals  # a name, whatever the parse
    assert not any(e.start > found[phrase].start and e.end <= found[phrase].end for e in doc.ents)
