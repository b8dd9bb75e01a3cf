"""How prose states a drug's clinical use, class and contraindications: "X is given by infusion for Y",
"X, an antibody against Y", "Y was described in people treated with X", "X is contraindicated in people
with a history of Y", "X are first-line drugs"; each on a hand-built parse and on the shipped model's."""

from __future__ import annotations

import pytest
from test_frames import found, parse

from ldn_graph.pipeline.frames import DEFAULT_FRAMES

INFLIXIMAB = "infliximab"
IL1B = "interleukin-1-beta"
ANTIBODY = "monoclonal-antibodies"

HAND_BUILT = {
    # an indefinite apposition whose head is a trigger noun (and the class entity): its subject acts
    "nominal, class apposition": (
        """
        Canakinumab canakinumab PROPN NNP 0 ROOT
        ,           ,           PUNCT ,   0 punct
        an          an          DET   DT  3 det
        antibody    antibody    NOUN  NN  0 appos
        against     against     ADP   IN  3 prep
        IL1B        il1b        PROPN NNP 4 pobj
        """,
        [(0, 1, "Drug", "canakinumab"), (3, 4, "Protein", ANTIBODY), (5, 6, "Protein", IL1B)],
        ("canakinumab", "decreases", IL1B, "nominal"),
    ),
    # "for Y" hung by the parser on the route of a purpose verb
    "adjective, route": (
        """
        Ziconotide ziconotide PROPN NNP 2 nsubjpass
        is         be         AUX   VBZ 2 auxpass
        given      give       VERB  VBN 2 ROOT
        by         by         ADP   IN  2 agent
        infusion   infusion   NOUN  NN  3 pobj
        for        for        ADP   IN  4 prep
        pain       pain       NOUN  NN  5 pobj
        .          .          PUNCT .   2 punct
        """,
        [(0, 1, "Drug", "ziconotide"), (6, 7, "PhenotypicFeature", "pain")],
        ("ziconotide", "treats", "pain", "adjective"),
    ),
    # what is described in people treated with a drug is its side effect
    "treated-population, observed": (
        """
        Neuritis   neuritis   NOUN  NN  2 nsubjpass
        was        be         AUX   VBD 2 auxpass
        described  describe   VERB  VBN 2 ROOT
        in         in         ADP   IN  2 prep
        people     people     NOUN  NNS 3 pobj
        treated    treat      VERB  VBN 4 acl
        with       with       ADP   IN  5 prep
        infliximab infliximab NOUN  NN  6 pobj
        .          .          PUNCT .   2 punct
        """,
        [(0, 1, "Disease", "optic-neuritis"), (7, 8, "Protein", INFLIXIMAB)],
        (INFLIXIMAB, "hasSideEffect", "optic-neuritis", "treated-population"),
    ),
    # "treated with A or B for Y" with "for Y" hung on the last drug of the list
    "verb, treated with for": (
        """
        People     people     NOUN  NNS 0 ROOT
        treated    treat      VERB  VBN 0 acl
        with       with       ADP   IN  1 prep
        infliximab infliximab NOUN  NN  2 pobj
        or         or         CCONJ CC  3 cc
        adalimumab adalimumab NOUN  NN  3 conj
        for        for        ADP   IN  5 prep
        psoriasis  psoriasis  NOUN  NN  6 pobj
        """,
        [(3, 4, "Protein", INFLIXIMAB), (5, 6, "Protein", "adalimumab"), (7, 8, "Disease", "psoriasis")],
        (INFLIXIMAB, "treats", "psoriasis", "active-passive"),
    ),
    # coordinated predicates share the phrase the parser hung on the first
    "adjective, shared phrase": (
        """
        Pregabalin   pregabalin   PROPN NNP 1 nsubj
        is           be           AUX   VBZ 1 ROOT
        safe         safe         ADJ   JJ  1 acomp
        and          and          CCONJ CC  2 cc
        effective    effective    ADJ   JJ  2 conj
        in           in           ADP   IN  2 prep
        fibromyalgia fibromyalgia NOUN  NN  5 pobj
        .            .            PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "pregabalin"), (6, 7, "Disease", "fibromyalgia")],
        ("pregabalin", "treats", "fibromyalgia", "adjective"),
    ),
    # a trigger verb with no object: its "with" phrase names the drug arm that changed its subject
    "arm-outcome, change with": (
        """
        Pain          pain          NOUN  NN  1 nsubj
        improved      improve       VERB  VBD 1 ROOT
        with          with          ADP   IN  1 prep
        amitriptyline amitriptyline NOUN  NN  2 pobj
        .             .             PUNCT .   1 punct
        """,
        [(0, 1, "PhenotypicFeature", "pain"), (3, 4, "Drug", "amitriptyline")],
        ("amitriptyline", "treats", "pain", "arm-outcome"),
    ),
    # a list hung on the target of a role noun: its members act on the target as the role says
    "such-as, role": (
        """
        Inhibitors inhibitor  NOUN  NNS 0 ROOT
        of         of         ADP   IN  0 prep
        TNF        tnf        PROPN NNP 1 pobj
        ,          ,          PUNCT ,   2 punct
        such       such       ADJ   JJ  5 amod
        as         as         ADP   IN  2 prep
        infliximab infliximab NOUN  NN  5 pobj
        """,
        [(2, 3, "Protein", "tumor-necrosis-factor"), (6, 7, "Protein", INFLIXIMAB)],
        (INFLIXIMAB, "decreases", "tumor-necrosis-factor", "such-as-role"),
    ),
    # a combination that is the subject of "avoid", its "with" hung on the first drug
    "cannot-take-with, avoided": (
        """
        Combining combine   VERB  VBG 6 csubjpass
        tramadol  tramadol  NOUN  NN  0 dobj
        with      with      ADP   IN  1 prep
        SSRIs     ssri      NOUN  NNS 2 pobj
        should    should    AUX   MD  6 aux
        be        be        AUX   VB  6 auxpass
        avoided   avoid     VERB  VBN 6 ROOT
        .         .         PUNCT .   6 punct
        """,
        [(1, 2, "Drug", "tramadol"), (3, 4, "ChemicalRole", "serotonin-uptake-inhibitor")],
        ("serotonin-uptake-inhibitor", "contraindicatedWith", "tramadol", "cannot-take-with"),
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_frames_clinical_hand_built_parses(nlp, case):
    table, ents, expected = HAND_BUILT[case]
    frame = f"ldn.frame.{case.split(',')[0]}.v1"
    assert frame in DEFAULT_FRAMES
    assert expected in found(nlp, parse(nlp, table, ents), [frame])


def test_frames_clinical_the_class_entity_is_not_the_subject(nlp):
    # the apposition's own entity ("monoclonal antibody") does not act on the target: its drug does
    table, ents, _ = HAND_BUILT["nominal, class apposition"]
    subjects = {s for s, p, _o, _r in found(nlp, parse(nlp, table, ents), DEFAULT_FRAMES) if p == "decreases"}
    assert subjects == {"canakinumab"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # purpose verbs of clinical use: licensed, given, administered (with "for" on the route, too)
        (
            "Duloxetine is licensed for diabetic neuropathy in the UK.",
            ("duloxetine", "treats", "diabetic-neuropathy", "adjective"),
        ),
        (
            "Duloxetine is given for neuropathic pain.",
            ("duloxetine", "treats", "neuropathic-pain", "adjective"),
        ),
        (
            "Ziconotide is a non-opioid analgesic given by continuous intrathecal infusion for severe "
            "chronic pain.",
            ("ziconotide", "treats", "chronic-pain", "adjective"),
        ),
        # a participle on an indefinite class apposition describes the thing named, not the class
        (
            "Methadone, a synthetic mu-opioid agonist used for opioid maintenance treatment and increasingly "
            "for chronic pain, prolongs the QT interval.",
            ("methadone", "treats", "chronic-pain", "adjective"),
        ),
        # an antibody against its target lowers it; "approved for" a condition no lexicon knows
        (
            "Canakinumab, a monoclonal antibody against IL-1β, is approved in Europe for frequent flares.",
            ("canakinumab", "decreases", IL1B, "nominal"),
        ),
        (
            "Canakinumab, a monoclonal antibody against IL-1β, is approved in Europe for frequent flares.",
            ("canakinumab", "treats", "frequent-flare", "adjective"),
        ),
        # "remain" is a copula; a treatment noun "for" a condition no lexicon knows
        (
            "Aspirin and ibuprofen remain the standard treatments for gout.",
            ("ibuprofen", "treats", "gout", "nominal"),
        ),
        (
            "Colchicine remains the standard treatment for flares.",
            ("colchicine", "treats", "flare", "nominal"),
        ),
        # "treated with X for Y", the events described in them
        (
            "Optic neuritis has been described in people treated with infliximab or adalimumab for "
            "psoriasis.",
            ("adalimumab", "hasSideEffect", "optic-neuritis", "treated-population"),
        ),
        (
            "Optic neuritis has been described in people treated with infliximab or adalimumab for "
            "psoriasis.",
            ("adalimumab", "treats", "psoriasis", "active-passive"),
        ),
        # "people with a history of Y"
        (
            "Ziconotide is an analgesic. It is contraindicated in people with a history of psychosis.",
            ("ziconotide", "contraindicatedWith", "psychotic-disorder", "adjective"),
        ),
        # first-line drugs, with no "for": the condition under discussion
        (
            "Postherpetic neuralgia is neuropathic pain that persists after herpes zoster. Gabapentin, "
            "pregabalin and tricyclic antidepressants such as nortriptyline are first-line drugs.",
            ("nortriptyline", "treats", "postherpetic-neuralgia", "ranked-treatment-topic"),
        ),
        # a drug ranked or named "for" a condition in an "as" phrase
        (
            "First marketed in the 1990s as an injectable drug for opioid overdose, nalmefene is now used "
            "to reduce drinking.",
            ("nalmefene", "treats", "opiate-overdose", "ranked-treatment"),
        ),
        # what limits a drug's use: "its" is the drug of the clause the limiting one depends on; with no
        # possessor, the drug under discussion
        (
            "Nabiximols, a spray containing cannabidiol, reduces neuropathic pain, although dry mouth limits "
            "its use.",
            ("nabiximols", "hasSideEffect", "dry-mouth", "limits-use"),
        ),
        (
            "Ketamine can relieve pain, but hepatotoxicity limits repeated use.",
            ("ketamine", "hasSideEffect", "hepatotoxicity", "limits-use"),
        ),
        # coordinated predicates share the phrase hung on the first: "in whom" for both
        (
            "Colchicine and glucocorticoids are the standard treatments for gout, but many patients have "
            "heart failure or diabetes, in whom these drugs are poorly tolerated or contraindicated.",
            ("glucocorticoid", "contraindicatedWith", "heart-failure", "adjective"),
        ),
        # an application of a drug stands for the drug, as its administration does
        (
            "A single application of a high-concentration capsaicin patch can relieve pain.",
            ("capsaicin", "decreases", "pain", "active-verb"),
        ),
        # "avoided in people with Y"; a combination avoided
        (
            "Tramadol should be avoided in patients with epilepsy.",
            ("tramadol", "contraindicatedWith", "epilepsy", "adjective"),
        ),
        (
            "Combining tramadol with SSRIs should be avoided.",
            ("serotonin-uptake-inhibitor", "contraindicatedWith", "tramadol", "cannot-take-with"),
        ),
        # "reserved for", "restricted to the treatment of"; "for refractory cases": the condition under
        # discussion
        (
            "Alvimopan is restricted to the short-term treatment of postoperative ileus.",
            ("alvimopan", "treats", "postoperative-ileus", "adjective"),
        ),
        (
            "Postherpetic neuralgia is a neuropathic pain. Opioids are reserved for refractory cases.",
            ("opioid-analgesic", "treats", "postherpetic-neuralgia", "adjective"),
        ),
        # "marketed for", "taken for"; in the active, the object of a purpose verb is the drug
        (
            "Sumatriptan is marketed for migraine.",
            ("sumatriptan", "treats", "migraine-disorder", "adjective"),
        ),
        ("Many people take ibuprofen for headache.", ("ibuprofen", "treats", "headache", "adjective")),
        (
            "Postherpetic neuralgia is a neuropathic pain. Lidocaine plasters are preferred in frail elderly "
            "patients.",
            ("lidocaine", "treats", "postherpetic-neuralgia", "adjective"),
        ),
        # a change verb's "with" or "on" phrase names the drug that changes its subject
        ("Fatigue decreased on naltrexone.", ("naltrexone", "decreases", "fatigue", "arm-outcome")),
    ],
)
def test_frames_clinical_on_the_models_parse(nlp, text, expected):
    doc = nlp(text)
    assert expected in {(r.subject, r.predicate, r.object, r.evidence.rule) for r in doc._.ldn_relations}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a change seen in treated people is no side effect
        (
            "Reductions in pain were observed in patients treated with naltrexone.",
            ("naltrexone", "hasSideEffect"),
        ),
        # a population the drug is tested in is not one it is for
        (
            "Postherpetic neuralgia is a neuropathic pain. Opioids were tested in healthy volunteers.",
            ("opioid-analgesic", "treats"),
        ),
        # a duration is no condition
        ("Naltrexone was given for twelve weeks.", ("naltrexone", "treats")),
        # "not a first-line drug" says nothing of whether it treats
        (
            "Postherpetic neuralgia is a neuropathic pain. Tramadol is not a first-line drug.",
            ("tramadol", "treats"),
        ),
        # a drug noun with neither a rank nor a condition: nothing
        ("Postherpetic neuralgia is a neuropathic pain. Tramadol is an old drug.", ("tramadol", "treats")),
        # what a drug limits is no side effect of it
        (
            "Buprenorphine is a partial agonist, and this action has been proposed to limit its respiratory "
            "depression.",
            ("buprenorphine", "hasSideEffect"),
        ),
        # a use "of" something that is no drug is not the drug under discussion's
        ("Gabapentin is effective. Dizziness limits the use of the arm.", ("gabapentin", "hasSideEffect")),
        # a population the relative clause defines otherwise is not the people with the condition
        (
            "Hypogonadism is common. Testosterone is not recommended for men who wish to father children.",
            ("testosterone", "treats"),
        ),
        # "its" is the drug of the governing clause's subject; a subject no lexicon knows is no licence to
        # take a drug of the sentence before
        (
            "The agonist GW842166 failed to relieve pain. Mixed extracts reduce pain, although dizziness "
            "limits its use.",
            ("gw842166", "hasSideEffect"),
        ),
        # what people avoid is no contraindication of a drug
        ("Naltrexone helps. Patients should avoid alcohol.", ("alcohol", "contraindicatedWith")),
    ],
)
def test_frames_clinical_what_is_not_read(nlp, text, absent):
    doc = nlp(text)
    assert absent not in {(r.subject, r.predicate) for r in doc._.ldn_relations}


def test_frames_clinical_a_change_with_but_not_with_keeps_each_polarity(nlp):
    doc = nlp("Pain improved with amitriptyline but not with LDN.")
    negated = {r.subject: r.evidence.negated for r in doc._.ldn_relations if r.predicate == "treats"}
    assert negated == {"amitriptyline": False, "low-dose-naltrexone": True}


def test_frames_clinical_what_an_event_resembles_is_not_the_event(nlp):
    doc = nlp(
        "Optic neuritis and a multiple sclerosis-like illness have been described in people treated with "
        "infliximab."
    )
    effects = {r.object for r in doc._.ldn_relations if r.predicate == "hasSideEffect"}
    # the illness like multiple sclerosis is an event of its own (`pipeline/like_findings.py`), not MS
    assert effects == {"optic-neuritis", "multiple-sclerosis-like-illness"}


def test_frames_clinical_members_of_a_role_are_not_members_of_its_target(nlp):
    doc = nlp("Inhibitors of TNF, such as infliximab and adalimumab, are used in Crohn's disease.")
    found_ = {(r.subject, r.predicate, r.object) for r in doc._.ldn_relations}
    assert ("adalimumab", "decreases", "tumor-necrosis-factor") in found_
    assert ("adalimumab", "subclassOf", "tumor-necrosis-factor") not in found_
    # a process noun is no role: the list is the members of its argument's class
    doc = nlp("Morphine causes an increase in cytokines such as IL-6.")
    found_ = {(r.subject, r.predicate, r.object) for r in doc._.ldn_relations}
    assert ("interleukin-6", "subclassOf", "cytokine") in found_
    assert not any(s == "interleukin-6" and p == "increases" for s, p, _o in found_)


def test_frames_clinical_an_object_after_the_with_phrase_continues_it(nlp):
    # "CYP2D6 inhibitors", parsed as a second object, is more of what tramadol must not be combined with
    doc = nlp(
        "Combining tramadol with SSRIs, particularly CYP2D6 inhibitors, should be avoided where possible."
    )
    pairs = {
        frozenset((r.subject, r.object)) for r in doc._.ldn_relations if r.predicate == "contraindicatedWith"
    }
    assert pairs == {
        frozenset(("tramadol", "serotonin-uptake-inhibitor")),
        frozenset(("tramadol", "cyp2d6-inhibitors")),
    }
