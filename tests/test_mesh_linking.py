"""How the entity linker reads a recogniser's chemical and disease spans as MeSH records the way the
corpora's annotators do: salt forms, coordinated names that share a head."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from ldn_graph.corpora.predict import Thresholds, read_doc
from ldn_graph.corpora.pubtator import parse_pubtator
from ldn_graph.lexicon import default_lexicon

VECURONIUM_BROMIDE = "D014673"
FENOPROFEN = "D005279"
VALPROIC_ACID = "D014635"
ASPIRIN = "D001241"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("vecuronium", VECURONIUM_BROMIDE),  # MeSH heads the one salt: "Vecuronium Bromide"
        ("fenoprofen calcium", FENOPROFEN),  # the salt written, MeSH heads the drug
        ("sodium valproate", VALPROIC_ACID),  # the cation before the anion, the anion as its acid
        ("acetylsalicylate", ASPIRIN),  # the anion as its acid, an entry term of Aspirin
        ("disodium", None),  # a counter-ion alone names no drug
        ("zorbulin hydrochloride", None),  # no record of the drug either way
    ],
)
def test_linker_reads_a_drug_as_its_salt_and_a_salt_as_its_drug(nlp, words, expected):
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc(words)
    found = linker.mesh_name(Span(doc, 0, len(doc), "CHEMICAL"))
    assert (found.ids if found is not None else None) == ((expected,) if expected else None)
    assert linker.mesh_name(Span(doc, 0, len(doc), "DISEASE")) is None  # chemicals only


def test_corpus_reading_of_a_salt_the_lexicon_knows_without_a_mesh_id(nlp):
    """The recogniser's "vecuronium" and "fenoprofen calcium" are ChEBI drugs in the lexicon, with no MeSH
    id: the corpus reading takes the record MeSH heads for the salt or the drug."""
    text = "Vecuronium and fenoprofen calcium were given to the patients."
    doc = nlp(text)
    chemicals = [s.text for s in doc.spans["ldn_ner"] if s.label_ == "CHEMICAL"]
    assert chemicals == ["Vecuronium", "fenoprofen calcium"]
    gold = parse_pubtator(f"4|t|{text}\n4|a|\n\n", where="gold")[0]
    read = read_doc(doc, gold, "bc5cdr", default_lexicon(), Thresholds(), nlp.get_pipe("ldn_entity_linker"))
    assert [a.ids for a in read.annotations if a.type == "Chemical"] == [(VECURONIUM_BROMIDE,), (FENOPROFEN,)]
