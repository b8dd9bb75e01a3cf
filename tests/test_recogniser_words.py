"""How the entity linker reads the recogniser's disease spans by their words: one adjective before the noun
it modifies names no disease, unless the noun is people ("depressed patients"); a disease written in plain
words is not linked by the corpora's names (their annotators' wider MeSH heading), a symbol is."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from ldn_graph.pipeline.recogniser_spans import attributive_adjective, describes_population, in_plain_words
from ldn_graph.pipeline.rules import load_rules


def hand_parse(nlp, table: str) -> Doc:
    """A doc from a table, one token a line: word, lemma, POS, head index, dependency."""
    rows = [line.split() for line in table.strip().splitlines()]
    return Doc(
        nlp.vocab,
        words=[r[0] for r in rows],
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        heads=[int(r[3]) for r in rows],
        deps=[r[4] for r in rows],
    )


PARSE = """
Inflammatory inflammatory ADJ  1 amod
cytokines    cytokine     NOUN 2 nsubj
harm         harm         VERB 2 ROOT
depressed    depressed    ADJ  4 amod
patients     patient      NOUN 2 dobj
.            .            PUNCT 2 punct
"""


def test_adjective_before_a_noun_on_a_hand_built_parse(nlp):
    doc = hand_parse(nlp, PARSE)
    populations = load_rules().populations
    assert attributive_adjective(doc[0:1]) and not describes_population(doc[0:1], populations)
    assert describes_population(doc[3:4], populations)
    assert not attributive_adjective(doc[1:2]) and not attributive_adjective(doc[0:2])


@pytest.mark.parametrize(
    ("text", "words", "plain"),
    [
        ("Hepatotoxicity was rare.", (0, 1), True),  # a sentence's first word, capitalised
        ("Patients had neuronal death.", (2, 4), True),
        ("Patients with ALS were excluded.", (2, 3), False),
        ("COVID-19 spread.", (0, 3), False),
        ("Patients with Crohn disease", (2, 4), False),
    ],
)
def test_plain_words_and_symbols(nlp, text, words, plain):
    doc = nlp(text)
    assert in_plain_words(doc[words[0] : words[1]]) is plain


def test_model_parse_adjectives_name_no_disease_but_people_have_one(nlp):
    """ "inflammatory" before a noun of things is no disease; "depressed patients" have depression, the
    corpora's name for the adjective."""
    doc = nlp("IL-6 levels are higher in depressed patients than in controls.")
    depressed = next(e for e in doc.ents if e.text == "depressed")
    assert depressed.label_ == "Disease" and depressed.kb_id_ not in doc._.ldn_local_concepts
    doc = nlp("Inflammatory mediators were measured.")
    assert not [e for e in doc.ents if e.text == "Inflammatory"]


def test_model_parse_plain_words_keep_their_own_name(nlp):
    """ "hepatotoxicity" and "swelling" are what the text names, not the corpora's wider headings (drug-
    induced liver injury, edema); "ALS" is linked by the corpora's name."""
    doc = nlp("Hepatotoxicity and swelling were reported, and patients with ALS were excluded.")
    found = {e.text: e.kb_id_ for e in doc.ents}
    local = doc._.ldn_local_concepts
    assert local[found["Hepatotoxicity"]].label == "hepatotoxicity"
    assert local[found["swelling"]].label == "swelling"
    assert found["ALS"] not in local
