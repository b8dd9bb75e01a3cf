"""How the entity linker reads a recogniser's chemical and disease spans as MeSH records the way the
corpora's annotators do: salt forms, coordinated names that share a head."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from ldn_graph.lexicon import default_lexicon
from tests.extraction_helpers import corpus_reading

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
    read = corpus_reading(nlp, doc, "bc5cdr")
    assert [a.ids for a in read.annotations if a.type == "Chemical"] == [(VECURONIUM_BROMIDE,), (FENOPROFEN,)]


@pytest.mark.parametrize(
    ("words", "label", "expected"),
    [
        ("venous thrombo-embolism", "DISEASE", "D054556"),  # Venous Thromboembolism
        ("puromycin amino-nucleoside", "CHEMICAL", "D011692"),  # Puromycin Aminonucleoside
        ("venous thrombo-embolism", "CHEMICAL", None),  # a disease's record, not a chemical's
        ("thrombo embolic zorbulin", "DISEASE", None),
    ],
)
def test_linker_reads_words_split_otherwise_than_mesh(nlp, words, label, expected):
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc(words)
    found = linker.mesh_name(Span(doc, 0, len(doc), label))
    assert (found.ids if found is not None else None) == ((expected,) if expected else None)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # a shared head: every conjunct but the last one word
        ("renal or hepatic toxicity", [[("renal", "toxicity")], [("hepatic", "toxicity")]]),
        (
            "myoclonic , atonic , and absence seizures",
            [[("myoclonic", "seizures")], [("atonic", "seizures")], [("absence", "seizures")]],
        ),
        # the head taken from the end of the last conjunct, the longest first
        (
            "sagittal and left sinus thrombosis",
            [
                [("sagittal", "sinus", "thrombosis"), ("sagittal", "thrombosis")],
                [("left", "sinus", "thrombosis")],
            ],
        ),
        # a shared modifier: two conjuncts, the last one word
        ("cleft lip and palate", [[("cleft", "lip")], [("cleft", "palate")]]),
        ("hematologic / oncologic disorder", [[("hematologic", "disorder")], [("oncologic", "disorder")]]),
        ("renal toxicity", []),  # no coordination
        ("hyper- or dyskinetic", []),  # a dashed prefix: not a plain word
        ("fever and renal failure and coma", []),  # conjuncts of several words on both sides
    ],
)
def test_coordination_reads_the_names_a_coordination_stands_for(words, expected):
    from ldn_graph.pipeline.coordination import coordinated_names

    assert coordinated_names(words.split()) == expected


CLEFT_LIP, CLEFT_PALATE = "D002971", "D002972"
OPTIC_NERVE_DISEASES, PERIPHERAL_NERVOUS_SYSTEM_DISEASES = "D009901", "D010523"
LUNG_DISEASES = "D008171"


def _read(nlp, text: str, spans: list[tuple[int, int, str]]):
    """The bc5cdr reading of a hand-made doc whose recogniser spans are `spans` (token bounds, label)."""
    doc = nlp.make_doc(text)
    doc._.ldn_local_concepts = {}
    doc.spans["ldn_ner"] = [Span(doc, start, end, label=label) for start, end, label in spans]
    read = corpus_reading(nlp, doc, "bc5cdr")
    return {a.text: a.ids for a in read.annotations}


def test_corpus_reading_of_a_conjunct_takes_the_names_it_shares_a_head_with(nlp):
    # The recogniser found only the last conjunct: the words before it share its head.
    read = _read(nlp, "It caused optic and peripheral neuropathy .", [(4, 6, "DISEASE")])
    assert set(read["peripheral neuropathy"]) == {OPTIC_NERVE_DISEASES, PERIPHERAL_NERVOUS_SYSTEM_DISEASES}
    # A word another recogniser span holds is a name of its own, not a modifier of the head.
    read = _read(nlp, "It caused fever and renal failure .", [(2, 3, "DISEASE"), (4, 6, "DISEASE")])
    assert read["renal failure"] == ("D051437",)  # Renal Insufficiency alone
    # A shared modifier: the one word after the conjunction that nothing links.
    read = _read(nlp, "Born with cleft lip and palate .", [(2, 4, "DISEASE"), (5, 6, "DISEASE")])
    assert set(read["cleft lip"]) == {CLEFT_LIP, CLEFT_PALATE}


def test_corpus_reading_of_a_conjunct_the_recogniser_found(nlp):
    """On the model's output: it finds "pulmonary toxicity" in "hepatic and pulmonary toxicity"; the mention
    names hepatic toxicity too, read as the linker reads those words alone."""
    from ldn_graph.corpora.coordinated import phrase_ids
    from ldn_graph.corpora.predict import corpus_ids

    text = "Amiodarone caused hepatic and pulmonary toxicity."
    doc = nlp(text)
    assert [s.text for s in doc.spans["ldn_ner"] if s.label_ == "DISEASE"] == ["pulmonary toxicity"]
    lexicon, linker = default_lexicon(), nlp.get_pipe("ldn_entity_linker")
    read = corpus_reading(nlp, doc, "bc5cdr")
    hepatic = phrase_ids(
        linker, lambda key, role: corpus_ids(lexicon.get(key), role), ("hepatic", "toxicity"), "DISEASE"
    )
    assert hepatic
    assert [a.ids for a in read.annotations if a.type == "Disease"] == [(LUNG_DISEASES, *hepatic)]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("hepatic", "toxicity"), "hepatotoxicity"),
        (("renal", "toxicities"), "nephrotoxicity"),  # the plural head
        (("bone", "marrow", "toxicity"), "myelotoxicity"),  # an organ of two words
        (("gastrointestinal", "toxicity"), ""),  # an organ the table gives no combining form
        (("hepatic", "injury"), ""),  # not a head that makes such compounds
        (("toxicity",), ""),
    ],
)
def test_linker_reads_an_organ_and_a_harm_as_their_compound(words, expected):
    from ldn_graph.pipeline.entities import compound_name

    assert compound_name(words) == expected


def test_linker_takes_the_corpora_name_of_the_compound(nlp):
    """The names table knows "hepatotoxicity"; "hepatic toxicity" is read as that name, where the table
    has no row for those words."""
    from ldn_graph.pipeline.names import Name

    linker = nlp.get_pipe("ldn_entity_linker")
    saved = linker.names
    try:
        linker.set_names({"hepatotoxicity": Name("DISEASE", ("D056486",), "hepatotoxicity", 3)})
        doc = nlp.make_doc("hepatic toxicity and gastric toxicity")
        assert linker.learned_name(Span(doc, 0, 2, "DISEASE")).ids == ("D056486",)
        assert linker.learned_name(Span(doc, 3, 5, "DISEASE")) is None
    finally:
        linker.set_names(saved)


def test_corpus_reading_takes_no_reading_of_another_role(nlp):
    """A mention the recogniser calls a chemical is not read as the gene the corpora call its words
    ("iNOS": NCBI Gene 4843) where the corpus annotates no genes (BC5CDR), nor as the disease concept the
    lexicon links it to; a disease mention is read as the disease."""
    lexicon, linker = default_lexicon(), nlp.get_pipe("ldn_entity_linker")
    text = "iNOS and Ebola virus disease vaccine ; Ebola virus disease"
    doc = nlp.make_doc(text)
    doc._.ldn_local_concepts = {}
    ebola = "ebola-hemorrhagic-fever"
    assert "MESH:D019142" in lexicon.get(ebola).xrefs
    assert linker.learned_name(doc[0:1]).label == "GENE"
    assert linker.learned_name(doc[2:5]) is None
    doc.ents = [Span(doc, 2, 5, label="Disease", kb_id=ebola), Span(doc, 7, 10, label="Disease", kb_id=ebola)]
    doc.spans["ldn_ner"] = [
        Span(doc, 0, 1, label="CHEMICAL"),
        Span(doc, 2, 5, label="CHEMICAL"),
        Span(doc, 7, 10, label="DISEASE"),
    ]
    read = corpus_reading(nlp, doc, "bc5cdr")
    assert [(a.type, a.ids) for a in read.annotations] == [
        ("Chemical", ()),
        ("Chemical", ()),
        ("Disease", ("D019142",)),
    ]
    # BioRED annotates genes: the corpora's reading of "iNOS" stands there (its pairs count ids, not types).
    read = corpus_reading(nlp, doc, "biored")
    assert read.annotations[0].ids == ("4843",)


def test_corpus_reading_takes_no_concept_of_a_kind_the_corpus_does_not_annotate(nlp):
    """A disease mention the linker found a body part in ("distended abdomen": the lexicon's abdomen,
    MeSH D000005) has no id: a body part's MeSH id is no disease's."""
    lexicon = default_lexicon()
    text = "a distended abdomen"
    doc = nlp.make_doc(text)
    doc._.ldn_local_concepts = {}
    assert lexicon.get("abdomen").category == "AnatomicalEntity"
    assert "MESH:D000005" in lexicon.get("abdomen").xrefs
    doc.ents = [Span(doc, 2, 3, label="AnatomicalEntity", kb_id="abdomen")]
    doc.spans["ldn_ner"] = [Span(doc, 1, 3, label="DISEASE")]
    read = corpus_reading(nlp, doc, "bc5cdr")
    assert [a.ids for a in read.annotations] == [()]


ESSENTIAL_HYPERTENSION_2024, HYPERTENSION = "D000075222", "D006973"


def test_corpus_reading_backs_off_to_the_head_of_a_disease_mesh_made_later(nlp):
    """A disease whose readings give no id the corpus could write takes the record of its head phrase:
    "essential hypertension" is a MeSH descriptor of 2018, which BC5CDR (MeSH 2015) writes Hypertension.
    BioRED writes the newer MeSH: the whole name's descriptor stands there."""
    read = _read(nlp, "essential hypertension", [(0, 2, "DISEASE")])
    assert read["essential hypertension"] == (HYPERTENSION,)
    doc = nlp.make_doc("essential hypertension")
    doc._.ldn_local_concepts = {}
    doc.spans["ldn_ner"] = [Span(doc, 0, 2, label="DISEASE")]
    biored = corpus_reading(nlp, doc, "biored")
    assert biored.annotations[0].ids == (ESSENTIAL_HYPERTENSION_2024,)


LIVER_NEOPLASMS, OVARIAN_NEOPLASMS = "D008113", "D010051"


def test_linker_reads_an_organ_and_a_tumour_as_the_organs_neoplasms(nlp):
    """ "liver tumors" is MeSH's Liver Neoplasms, "ovarian cancer" its Ovarian Neoplasms, as BC5CDR's
    annotators link "bladder cancer"; the corpus reading takes it before the head phrase's record
    (Neoplasms)."""
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc("liver tumors ; ovarian cancer ; splenic tumors")
    assert linker.organ_disease(Span(doc, 0, 2, "DISEASE")).ids == (LIVER_NEOPLASMS,)
    assert linker.organ_disease(Span(doc, 3, 5, "DISEASE")).ids == (OVARIAN_NEOPLASMS,)
    assert linker.organ_disease(Span(doc, 6, 8, "DISEASE")) is None  # an organ the table lacks
    assert linker.organ_disease(Span(doc, 0, 2, "CHEMICAL")) is None
    read = _read(nlp, "liver tumors", [(0, 2, "DISEASE")])
    assert read["liver tumors"] == (LIVER_NEOPLASMS,)


def test_corpus_reading_of_a_defined_short_form_is_its_long_forms(nlp):
    """ "HT" the corpora's names call hypertension; defined in the text as "hormone therapy", which the
    recogniser did not find as a disease, it is no disease. Defined as "arterial hypertension" it is."""
    linker = nlp.get_pipe("ldn_entity_linker")
    assert linker.learned_name(nlp.make_doc("HT")[0:1]) is not None
    for text, spans, expected in (
        ("Hormone therapy ( HT ) is used . HT helps .", [(3, 4, "DISEASE"), (7, 8, "DISEASE")], ()),
        (
            "Arterial hypertension ( HT ) was seen . HT rose .",
            [(0, 2, "DISEASE"), (3, 4, "DISEASE"), (8, 9, "DISEASE")],
            (HYPERTENSION,),
        ),
    ):
        doc = nlp.make_doc(text)
        doc._.ldn_local_concepts = {}
        doc._.ldn_abbreviations = {"HT": (doc[3:4], doc[0:2])}
        doc.spans["ldn_ner"] = [Span(doc, start, end, label=label) for start, end, label in spans]
        read = corpus_reading(nlp, doc, "bc5cdr")
        assert {a.ids for a in read.annotations if a.text == "HT"} == {expected}


def test_corpus_reading_skips_a_counter_ion_inside_a_drugs_name(nlp):
    """The lexicon's sodium inside the recogniser's "heparin sodium" is the salt's counter-ion, not a
    mention of sodium: the name is read whole, as heparin's record."""
    linker = nlp.get_pipe("ldn_entity_linker")
    text = "heparin sodium was given"
    doc = nlp.make_doc(text)
    doc._.ldn_local_concepts = {}
    sodium = linker.matcher.lookup(("sodium",))
    heparin = linker.matcher.lookup(("heparin",))
    doc.ents = [
        Span(doc, 0, 1, label="Drug", kb_id=heparin),
        Span(doc, 1, 2, label="ChemicalEntity", kb_id=sodium),
    ]
    doc.spans["ldn_ner"] = [Span(doc, 0, 2, label="CHEMICAL")]
    read = corpus_reading(nlp, doc, "bc5cdr")
    (annotation,) = read.annotations
    assert annotation.ids and "D012964" not in annotation.ids  # Sodium
    assert "D006493" in annotation.ids  # Heparin
