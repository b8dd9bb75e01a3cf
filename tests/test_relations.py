"""Relation extraction: one construction per case, on sentences written for the test."""

from __future__ import annotations

import pytest

from tests.extraction_helpers import relation_records, relations

LDN = "low-dose-naltrexone"
NALTREXONE = "naltrexone"
NALOXONE = "naloxone"
MICROGLIA = "microglial-cell"
ASTROCYTE = "astrocyte"
IL6 = "interleukin-6"
TNF = "tumor-necrosis-factor"
TLR4 = "toll-like-receptor-4"
MOR = "mu-opioid-receptor"
OPIOID_RECEPTOR = "opioid-receptor"
CYTOKINE = "cytokine"
INFLAMMATION = "inflammatory-response"
FIBROMYALGIA = "fibromyalgia"
MS = "multiple-sclerosis"
RA = "rheumatoid-arthritis"
PSORIASIS = "psoriasis"
CNS = "central-nervous-system"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # active voice
        ("Naloxone blocks the mu-opioid receptor.", (NALOXONE, "decreases", MOR)),
        # passive voice with agent
        ("Neuropathic pain is caused by activated microglia.", (MICROGLIA, "causes", "neuropathic-pain")),
        # reduced relative (participle) with agent
        ("The pain caused by fibromyalgia is widespread.", (FIBROMYALGIA, "causes", "pain")),
        # copula classification
        ("Naloxone is an opioid antagonist.", (NALOXONE, "subclassOf", "opioid-receptor-antagonist")),
        # "a type of"
        ("Astrocytes are a type of glial cell.", (ASTROCYTE, "subclassOf", "glial-cell")),
        # relative clause: the relative pronoun is the subject
        ("Microglia release interleukin-6, which increases pain.", (IL6, "increases", "pain")),
        # by-gerund inherits the subject
        ("Minocycline works by suppressing microglia.", ("minocycline", "decreases", MICROGLIA)),
        # xcomp of a passive: "is used to treat"
        ("Methadone is used to treat opioid addiction.", ("methadone", "treats", "opiate-dependence")),
        # purpose clause on a prepositional object
        ("Morphine acts on opioid receptors to produce analgesia.", ("morphine", "causes", "analgesia")),
        ("Morphine acts on opioid receptors to produce analgesia.", ("morphine", "binds", OPIOID_RECEPTOR)),
        # nominalisation with the subject from a light verb
        ("Ketamine causes a rapid increase in interleukin-6 levels.", ("ketamine", "increases", IL6)),
        # nominal treatment with a population
        (
            "A trial of naltrexone treatment in women with fibromyalgia was run.",
            (NALTREXONE, "treats", FIBROMYALGIA),
        ),
        # adjective frame
        ("Gabapentin is helpful in neuropathic pain.", ("gabapentin", "treats", "neuropathic-pain")),
        # inverse frame
        ("Patients with psoriasis often benefit from naltrexone.", (NALTREXONE, "treats", PSORIASIS)),
        # alias with aka
        (
            "Naltrexone raises Met-enkephalin aka opioid growth factor.",
            (NALTREXONE, "increases", "met-enkephalin"),
        ),
        # production nouns are transparent
        ("Lipopolysaccharide stimulates the production of TNF.", ("lipopolysaccharide", "increases", TNF)),
    ],
)
def test_relations_constructions(nlp, text, expected):
    assert expected in relations(nlp, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # comma list with "and"
        (
            "Naltrexone may treat fibromyalgia, psoriasis and rheumatoid arthritis.",
            {
                (NALTREXONE, "treats", FIBROMYALGIA),
                (NALTREXONE, "treats", PSORIASIS),
                (NALTREXONE, "treats", RA),
            },
        ),
        # generic head with "such as"
        (
            "Naltrexone treats autoimmune diseases such as psoriasis and multiple sclerosis.",
            {(NALTREXONE, "treats", PSORIASIS), (NALTREXONE, "treats", MS)},
        ),
        # "such as" also makes the members subclasses
        (
            "Naltrexone treats autoimmune diseases such as psoriasis and multiple sclerosis.",
            {(PSORIASIS, "subclassOf", "autoimmune-disease"), (MS, "subclassOf", "autoimmune-disease")},
        ),
        # coordinated subjects with a generic head
        (
            "Endorphin and enkephalin molecules bind opioid receptors.",
            {("endorphin", "binds", OPIOID_RECEPTOR), ("enkephalin", "binds", OPIOID_RECEPTOR)},
        ),
        # a generic subject whose members a list verb gives
        (
            "Conditions that benefit from naltrexone include fibromyalgia and psoriasis.",
            {(NALTREXONE, "treats", FIBROMYALGIA), (NALTREXONE, "treats", PSORIASIS)},
        ),
    ],
)
def test_relations_coordination(nlp, text, expected):
    assert expected <= relations(nlp, text)


def test_relations_as_well_as_leaves_the_list_frame(nlp):
    # Members after "as well as" are still treated, but they are not members of "autoimmune diseases".
    found = relations(nlp, "Naltrexone treats autoimmune diseases such as lupus, as well as migraine.")
    assert (NALTREXONE, "treats", "migraine-disorder") in found
    assert ("migraine-disorder", "subclassOf", "autoimmune-disease") not in found
    assert ("systemic-lupus-erythematosus", "subclassOf", "autoimmune-disease") in found


def test_relations_pronoun_across_sentences(nlp):
    # "It" takes the nearest earlier singular subject entity.
    found = relations(nlp, "Naloxone reverses an overdose quickly. It also blocks the mu-opioid receptor.")
    assert (NALOXONE, "decreases", MOR) in found


def test_relations_possessor_of_side_effects_is_a_drug(nlp):
    # "Its" of "its adverse effects" is a drug: the last subject before it (pain) is passed over, and so is
    # the drug named last (naloxone, not a subject), for the subject that is one (ziconotide).
    found = relations(
        nlp,
        "Ziconotide blocks calcium channels in the spinal cord. Its effect is not reversed by naloxone. "
        "Severe pain persists in some patients. Its most common adverse effect is dizziness.",
    )
    effects = {(s, o) for s, p, o in found if p == "hasSideEffect"}
    assert effects and all(s == "ziconotide" for s, _o in effects)


def test_relations_pronoun_goes_back_to_the_most_salient_subject(nlp):
    # The drug is the subject of sentence after sentence, twice as "it"; nicotine is named last, but only
    # in an adverbial and a relative clause: "its adverse effects" are the drug's (Lappin and Leass).
    found = relations(
        nlp,
        "Varenicline is a partial agonist of nicotinic receptors. Unlike bupropion, it does not cause "
        "seizures when nicotine is withdrawn. In trials it doubled quit rates. Its action dampens the "
        "dopamine release that makes nicotine rewarding. Nausea and insomnia are its commonest adverse "
        "effects.",
    )
    effects = {(s, o) for s, p, o in found if p == "hasSideEffect"}
    assert effects and all(s == "varenicline" for s, _o in effects)


def test_salience_weighs_subjects_of_main_clauses_and_decays(nlp):
    from ldn_graph.pipeline.frames.sentence import Discourse

    doc = nlp.make_doc("Varenicline helps . Nicotine rewards .")
    drug, other = doc[0:1], doc[3:4]
    drug.kb_id_, other.kb_id_ = "varenicline", "nicotine"
    discourse = Discourse(
        subjects=[(0, drug, False, True), (1, other, False, False)],
        entities=[(0, drug), (1, other)],
    )
    weights = discourse.salience(2)
    # a main clause's subject two sentences back (100 + 80 + 130 = 310, quartered) against an embedded
    # subject of the sentence before (100 + 80, halved)
    assert weights == {"varenicline": 77.5, "nicotine": 90.0}
    discourse.pronoun_mentions.append((1, drug))  # "it" in the second sentence stands for the drug
    assert discourse.salience(2)["varenicline"] == 127.5


def test_relations_parenthetical_parts(nlp):
    found = relations(nlp, "The central nervous system (brain and spinal cord) is affected.")
    assert {("brain", "partOf", CNS), ("spinal-cord", "partOf", CNS)} <= found


def test_relations_located_in(nlp):
    found = relations(nlp, "Astrocytes are a type of glial cell of the central nervous system.")
    assert (ASTROCYTE, "locatedIn", CNS) in found


def test_relations_contraindication(nlp):
    # "cannot take X with Y" is a contraindication, not a negated relation.
    records = relation_records(nlp, "You cannot take tramadol with naltrexone.")
    found = {(r.subject, r.predicate, r.object, r.evidence.negated) for r in records}
    assert (NALTREXONE, "contraindicatedWith", "tramadol", False) in found


def test_relations_side_effect_of_drug_under_discussion(nlp):
    text = "Patients tolerated naltrexone well. Some patients noticed insomnia."
    assert (NALTREXONE, "hasSideEffect", "insomnia") in relations(nlp, text)


def test_relations_active_ingredient_with_dose(nlp):
    records = relation_records(nlp, "The dose of low-dose naltrexone is 3 mg of naltrexone.")
    found = [
        r for r in records if (r.subject, r.predicate, r.object) == (LDN, "hasActiveIngredient", NALTREXONE)
    ]
    assert found
    assert any(q.kind == "dose" and q.value == 3.0 and q.unit == "mg" for q in found[0].qualifiers)


def test_relations_type_constraints_reject_wrong_arguments(nlp):
    # A place is not something a drug treats.
    assert (NALTREXONE, "treats", "brain") not in relations(nlp, "Naltrexone treats the brain.")


# ---- certainty and negation ----------------------------------------------------------------------------


def _certainty(nlp, text, triple):
    for r in relation_records(nlp, text):
        if (r.subject, r.predicate, r.object) == triple:
            return r.evidence.certainty, r.evidence.negated
    return None


@pytest.mark.parametrize(
    ("text", "triple", "expected"),
    [
        # plain assertion
        ("Naltrexone reduces fatigue.", (NALTREXONE, "decreases", "fatigue"), ("asserted", False)),
        # modal hedge
        ("Naltrexone may reduce fatigue.", (NALTREXONE, "decreases", "fatigue"), ("hedged", False)),
        # hedging verb over a complement clause
        (
            "Studies suggest that naltrexone reduces fatigue.",
            (NALTREXONE, "decreases", "fatigue"),
            ("hedged", False),
        ),
        (
            "Researchers suspect that naltrexone reduces fatigue.",
            (NALTREXONE, "decreases", "fatigue"),
            ("hedged", False),
        ),
        # negation
        ("Naltrexone did not reduce fatigue.", (NALTREXONE, "decreases", "fatigue"), ("asserted", True)),
        ("Naloxone never treats psoriasis.", (NALOXONE, "treats", PSORIASIS), ("asserted", True)),
        ("Naltrexone failed to reduce fatigue.", (NALTREXONE, "decreases", "fatigue"), ("asserted", True)),
        # a cue in another clause does not flip this one
        (
            "Because naltrexone blocks opioid receptors, you cannot use morphine.",
            (NALTREXONE, "decreases", OPIOID_RECEPTOR),
            ("asserted", False),
        ),
        # a presupposed why-clause is not hedged by the modal above it
        (
            "This may explain why naltrexone treats fibromyalgia.",
            (NALTREXONE, "treats", FIBROMYALGIA),
            ("asserted", False),
        ),
    ],
)
def test_relations_certainty_and_negation(nlp, text, triple, expected):
    assert _certainty(nlp, text, triple) == expected


# ---- qualifiers ----------------------------------------------------------------------------------------


def test_relations_qualifiers_attach_to_treatment(nlp):
    text = "A 2015 study of naltrexone in 60 women with fibromyalgia found a 40% reduction in pain at 4.5 mg."
    records = [
        r
        for r in relation_records(nlp, text)
        if (r.subject, r.predicate, r.object) == (NALTREXONE, "treats", FIBROMYALGIA)
    ]
    assert records
    kinds = {(q.kind, q.label) for q in records[0].qualifiers}
    assert ("year", "2015") in kinds
    assert ("population", "women") in kinds
    assert ("sample_size", "60 women") in kinds
    assert any(k == "effect_size" and label.startswith("40% reduction") for k, label in kinds)
    assert any(k == "dose" and label == "4.5 mg" for k, label in kinds)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("doses of 1.5 to 4.5 mg daily", (1.5, 4.5, None)),
        ("doses of 50 mg or more", (50.0, None, None)),
        ("up to 4.5 mg", (None, 4.5, None)),
        ("a 3 mg tablet", (None, None, 3.0)),
    ],
)
def test_relations_dose_patterns(nlp, text, expected):
    from ldn_graph.pipeline.qualifiers import doses

    doc = nlp(text)
    found = doses(doc[:])
    assert [(q.min_value, q.max_value, q.value) for q in found] == [expected]


# ---- reports, reviews and reference texts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a drug "for" a condition (titles)
        (
            "Naltrexone for fatigue in fibromyalgia",
            {(NALTREXONE, "treats", "fatigue"), (NALTREXONE, "treats", FIBROMYALGIA)},
        ),
        # a list of side effects of the drug under discussion
        (
            "Naloxone acts fast. Its most common side effects are fatigue and insomnia.",
            {(NALOXONE, "hasSideEffect", "insomnia")},
        ),
        # a predicative nominal: "X is recognised as a driver of Y"
        (
            "Astrocytes are recognised as drivers of neuropathic pain.",
            {(ASTROCYTE, "causes", "neuropathic-pain")},
        ),
        # "a source of": produces
        ("Macrophages are a major source of interleukin-6.", {("macrophage", "produces", IL6)}),
        # the agent of a nominalised action: "inhibition of X with D attenuates Y" means D attenuates Y
        (
            "Pharmacological inhibition of microglial activation with minocycline reduced allodynia in rats.",
            {("minocycline", "decreases", "allodynia")},
        ),
        # "these <generic noun>" refers back to the list of the previous sentence
        (
            "Microglia release interleukin-6 and TNF. These mediators contribute to allodynia.",
            {(IL6, "causes", "allodynia"), (TNF, "causes", "allodynia")},
        ),
        # ", which leads to": the event's agent, not the last noun
        (
            "Naltrexone blocks opioid receptors, which leads to an increase in endorphins.",
            {(NALTREXONE, "increases", "endorphin")},
        ),
        # an unattributed change in a report about a drug
        (
            "Patients received naltrexone. Their fatigue was reduced by half.",
            {(NALTREXONE, "decreases", "fatigue")},
        ),
    ],
)
def test_relations_report_frames(nlp, text, expected):
    assert expected <= relations(nlp, text)


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        # "did not differ" about an outcome of the drug under discussion
        (
            "Patients received naltrexone. Fatigue did not differ between groups.",
            (NALTREXONE, "decreases", "fatigue"),
        ),
        # "no significant difference in X"
        (
            "Patients took naltrexone. There was no significant difference in IL-6 levels.",
            (NALTREXONE, "decreases", IL6),
        ),
        # a negated list: "reported no X or Y"
        (
            "Patients took naltrexone. He reported no insomnia or fatigue.",
            (NALTREXONE, "hasSideEffect", "insomnia"),
        ),
        # "no evidence that"
        ("We found no evidence that naltrexone reduces fatigue.", (NALTREXONE, "decreases", "fatigue")),
    ],
)
def test_relations_negative_findings(nlp, text, triple):
    assert _certainty(nlp, text, triple) == ("asserted", True)


def test_relations_rather_than_is_set_aside(nlp):
    found = relations(nlp, "Naltrexone may reduce fatigue rather than insomnia.")
    assert (NALTREXONE, "decreases", "fatigue") in found
    assert (NALTREXONE, "decreases", "insomnia") not in found


def test_relations_coordinated_clause_keeps_its_own_certainty(nlp):
    # The hedge of the first clause does not reach the second, which has its own subject.
    text = "Naltrexone appears to relieve fatigue, but we found that naloxone reduces insomnia."
    assert _certainty(nlp, text, (NALTREXONE, "treats", "fatigue")) == ("hedged", False)
    assert _certainty(nlp, text, (NALOXONE, "decreases", "insomnia")) == ("asserted", False)


@pytest.mark.parametrize(
    ("text", "triple", "expected"),
    [
        # "some evidence that": a weak-evidence noun hedges its clause
        (
            "There is some evidence that naltrexone reduces fatigue.",
            (NALTREXONE, "decreases", "fatigue"),
            ("hedged", False),
        ),
        # "it is hypothesized that"
        (
            "It is hypothesized that naltrexone reduces fatigue.",
            (NALTREXONE, "decreases", "fatigue"),
            ("hedged", False),
        ),
        # an adverb cue on the clause
        ("Naltrexone possibly reduces fatigue.", (NALTREXONE, "decreases", "fatigue"), ("hedged", False)),
        # neither ... nor on the arguments
        (
            "Patients took naltrexone. Neither fatigue nor insomnia was reduced.",
            (NALTREXONE, "decreases", "insomnia"),
            ("asserted", True),
        ),
    ],
)
def test_relations_more_cues(nlp, text, triple, expected):
    assert _certainty(nlp, text, triple) == expected


def test_relations_list_after_colon(nlp):
    # A list after "are:" gives the members of the generic subject.
    found = relations(nlp, "Conditions that naltrexone may treat are: fibromyalgia, psoriasis and lupus.")
    assert {(NALTREXONE, "treats", FIBROMYALGIA), (NALTREXONE, "treats", PSORIASIS)} <= found


def test_relations_local_entity_for_unknown_phrase(nlp):
    # "morning stiffness" is in no lexicon: it is kept as a project-local entity, typed by its head word.
    doc = nlp("Patients took naltrexone. Naltrexone reduced morning stiffness.")
    local = doc._.ldn_local_concepts
    assert "morning-stiffness" in local
    assert local["morning-stiffness"].category == "PhenotypicFeature"
    assert local["morning-stiffness"].normalised is False
    assert (NALTREXONE, "decreases", "morning-stiffness") in {
        (r.subject, r.predicate, r.object) for r in doc._.ldn_relations
    }


def test_relations_evidence_merge(nlp):
    # The same relation in two sentences is one assertion with two evidences, as certain as the strongest.
    from ldn_graph.model import merge_relations

    doc = nlp("Naltrexone may reduce fatigue. In a trial, naltrexone reduced fatigue.")
    merged = [
        a
        for a in merge_relations(doc._.ldn_relations)
        if (a.subject, a.predicate, a.object) == (NALTREXONE, "decreases", "fatigue")
    ]
    assert len(merged) == 1
    assert len(merged[0].evidences) == 2
    assert merged[0].certainty == "asserted"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("a 2010 study of patients", "2010"),  # "a YEAR study"
        ("published in 2015 by the group", "2015"),  # "in YEAR"
        ("between January and November 2021", "2021"),  # month and year
        ("the 2,000 patients", None),  # a count, not a year
    ],
)
def test_relations_year_patterns(nlp, text, year):
    from ldn_graph.pipeline.qualifiers import years

    found = [q.label for q in years(nlp(text)[:])]
    assert found == ([year] if year else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an anatomical part "of" a whole
        (
            "Pain signals reach the dorsal horn of the spinal cord.",
            ("spinal-cord-dorsal-horn", "partOf", "spinal-cord"),
        ),
        # two verbs sharing one object ("maintain rather than initiate the pain state")
        ("Cytokines initiate and sustain neuropathic pain.", (CYTOKINE, "causes", "neuropathic-pain")),
        # a class named by a modified generic noun becomes a local entity: "the resident immune cells"
        ("Microglia are the resident immune cells of the brain.", (MICROGLIA, "subclassOf", "immune-cell")),
        ("Microglia are the resident immune cells of the brain.", (MICROGLIA, "locatedIn", "brain")),
    ],
)
def test_relations_parts_shared_objects_and_local_classes(nlp, text, expected):
    found = relations(nlp, text)
    assert expected in found, found


def test_entities_stereoisomer_is_not_the_parent_drug(nlp):
    # "(+)-naloxone" is another compound: it must not be linked to naloxone.
    from tests.extraction_helpers import entities

    assert NALOXONE not in [c for _, c in entities(nlp, "Blockade with (+)-naloxone helped.")]
    assert ("naloxone", NALOXONE) in entities(nlp, "Blockade with naloxone helped.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the small model parses these as one noun phrase ("treats" a compound of "fibromyalgia")
        ("Duloxetine treats fibromyalgia.", {("duloxetine", "treats", "fibromyalgia")}),
        (
            "Duloxetine and pregabalin treat fibromyalgia.",
            {("duloxetine", "treats", "fibromyalgia"), ("pregabalin", "treats", "fibromyalgia")},
        ),
        (
            "Minocycline inhibits microglial activation.",
            {("minocycline", "decreases", "microglial-cell-activation")},
        ),
    ],
)
def test_relations_verbless_clause(nlp, text, expected):
    assert expected <= relations(nlp, text)


def test_relations_negation_stops_at_a_conjunct_with_its_own_auxiliary(nlp):
    records = {
        (r.subject, r.predicate, r.object): r.evidence
        for r in relation_records(nlp, ("Opioids do not treat fibromyalgia and may worsen hyperalgesia."))
    }
    assert records[("opioid-analgesic", "treats", "fibromyalgia")].negated
    worsen = records[("opioid-analgesic", "causes", "hyperalgesia")]
    assert not worsen.negated and worsen.certainty == "hedged"  # "may" is its own, "not" is not
