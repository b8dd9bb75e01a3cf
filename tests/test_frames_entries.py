"""Encyclopedia-entry and review constructions whose drug or condition is the text's subject rather than the
sentence's (the drug under discussion is the one the text is about); hand-built parses and the model's."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span
from test_frames import found, parse

from ldn_graph.pipeline.frames import DEFAULT_FRAMES
from ldn_graph.pipeline.frames.sentence import Discourse

CLONIDINE = "clonidine"
MIDAZOLAM = "midazolam"


def test_frames_entries_the_drug_under_discussion_is_the_most_salient(nlp):
    doc = Doc(nlp.vocab, words=["clonidine", "it", "midazolam"])
    clonidine, it, midazolam = (
        Span(doc, i, i + 1, label="Drug", kb_id=k) for i, k in enumerate((CLONIDINE, CLONIDINE, MIDAZOLAM))
    )
    # the entry's drug named once and then a pronoun subject, another drug named only to compare
    discourse = Discourse(
        subjects=[(0, clonidine, False, True), (2, it, False, True)],
        main_subjects=[(0, clonidine, False), (2, it, False)],
        drugs=[(0, clonidine), (2, midazolam)],
        pronoun_mentions=[(2, it)],
    )
    assert discourse.topic_drug(3).kb_id_ == CLONIDINE
    # the latest drug when nothing sets one above another
    assert Discourse(drugs=[(0, clonidine), (1, midazolam)]).topic_drug(2).kb_id_ == MIDAZOLAM
    # past the window, no drug
    assert discourse.topic_drug(9) is None


def test_frames_entries_a_drug_named_only_to_compare_is_not_the_topic(nlp):
    doc = nlp(
        "Clonidine is an alpha-2 agonist used for hypertension. It lowers blood pressure. In one trial it "
        "caused less sedation than midazolam. The commonest adverse effects are dry mouth and dizziness."
    )
    effects = {(r.subject, r.object) for r in doc._.ldn_relations if r.predicate == "hasSideEffect"}
    assert (CLONIDINE, "dry-mouth") in effects
    assert not any(s == MIDAZOLAM for s, _o in effects)


HAND_BUILT = {
    # a finding reported with no reporter: a side effect of the drug an earlier clause has as its subject
    "patient-report, reported finding": (
        """
        Methadone methadone PROPN NNP   1 nsubj
        prolongs  prolong   VERB  VBZ   1 ROOT
        QT        qt        PROPN NNP   1 dobj
        ,         ,         PUNCT ,     1 punct
        and       and       CCONJ CC    1 cc
        torsades  torsades  NOUN  NNS   8 nsubjpass
        has       have      AUX   VBZ   8 aux
        been      be        AUX   VBN   8 auxpass
        reported  report    VERB  VBN   1 conj
        .         .         PUNCT .     1 punct
        """,
        [(0, 1, "Drug", "methadone"), (5, 6, "Disease", "torsades-de-pointes")],
        ("methadone", "hasSideEffect", "torsades-de-pointes", "reported-finding"),
    ),
    # in a text about a condition, with no drug named yet, what patients report is a symptom of it
    "patient-report, condition symptom": (
        """
        Psoriasis psoriasis NOUN  NN  1 nsubj
        is        be        AUX   VBZ 1 ROOT
        a         a         DET   DT  3 det
        disease   disease   NOUN  NN  1 attr
        .         .         PUNCT .   1 punct
        Patients  patient   NOUN  NNS 6 nsubj
        report    report    VERB  VBP 6 ROOT
        itching   itching   NOUN  NN  6 dobj
        .         .         PUNCT .   6 punct
        """,
        [(0, 1, "Disease", "psoriasis"), (7, 8, "PhenotypicFeature", "pruritus")],
        ("psoriasis", "associatedWith", "pruritus", "affected-report"),
    ),
    # ... and what is seen, a sign of it
    "patient-report, condition sign": (
        """
        Psoriasis psoriasis NOUN  NN  1 nsubj
        is        be        AUX   VBZ 1 ROOT
        a         a         DET   DT  3 det
        disease   disease   NOUN  NN  1 attr
        .         .         PUNCT .   1 punct
        Erythema  erythema  NOUN  NN  7 nsubjpass
        is        be        AUX   VBZ 7 auxpass
        seen      see       VERB  VBN 7 ROOT
        .         .         PUNCT .   7 punct
        """,
        [(0, 1, "Disease", "psoriasis"), (5, 6, "PhenotypicFeature", "erythema")],
        ("psoriasis", "associatedWith", "erythema", "condition-sign"),
    ),
    # a verb of use with a caution: the drug is contraindicated in the people's condition
    "cannot-take-with, caution": (
        """
        Warfarin warfarin NOUN  NN  3 nsubjpass
        should   should   AUX   MD  3 aux
        be       be       AUX   VB  3 auxpass
        used     use      VERB  VBN 3 ROOT
        with     with     ADP   IN  3 prep
        caution  caution  NOUN  NN  4 pobj
        in       in       ADP   IN  5 prep
        people   people   NOUN  NNS 6 pobj
        with     with     ADP   IN  7 prep
        asthma   asthma   NOUN  NN  8 pobj
        .        .        PUNCT .   3 punct
        """,
        [(0, 1, "Drug", "warfarin"), (9, 10, "Disease", "asthma")],
        ("warfarin", "contraindicatedWith", "asthma", "caution"),
    ),
    # ... and under a negated modal, the people it is not to be given to
    "cannot-take-with, not given to": (
        """
        Aspirin  aspirin  NOUN  NN  4 nsubjpass
        should   should   AUX   MD  4 aux
        not      not      PART  RB  4 neg
        be       be       AUX   VB  4 auxpass
        given    give     VERB  VBN 4 ROOT
        to       to       ADP   IN  4 dative
        people   people   NOUN  NNS 5 pobj
        with     with     ADP   IN  6 prep
        gout     gout     NOUN  NN  7 pobj
        .        .        PUNCT .   4 punct
        """,
        [(0, 1, "Drug", "aspirin"), (8, 9, "Disease", "gout")],
        ("aspirin", "contraindicatedWith", "gout", "caution"),
    ),
    # a disease entry's treatments used first, with no purpose of their own: for the condition it is about
    "ranked-treatment, used first": (
        """
        Psoriasis       psoriasis      NOUN  NN  1 nsubj
        is              be             AUX   VBZ 1 ROOT
        a               a              DET   DT  3 det
        disease         disease        NOUN  NN  1 attr
        .               .              PUNCT .   1 punct
        Corticosteroids corticosteroid NOUN  NNS 7 nsubjpass
        are             be             AUX   VBP 7 auxpass
        used            use            VERB  VBN 7 ROOT
        first           first          ADV   RB  7 advmod
        .               .              PUNCT .   7 punct
        """,
        [(0, 1, "Disease", "psoriasis"), (5, 6, "ChemicalEntity", "corticosteroid")],
        ("corticosteroid", "treats", "psoriasis", "first-used-topic"),
    ),
    # "options for resistant disease": a stage of the condition under discussion
    "ranked-treatment, for a stage": (
        """
        Psoriasis   psoriasis   NOUN  NN  1 nsubj
        is          be          AUX   VBZ 1 ROOT
        a           a           DET   DT  3 det
        disease     disease     NOUN  NN  1 attr
        .           .           PUNCT .   1 punct
        Ciclosporin ciclosporin NOUN  NN  6 nsubj
        is          be          AUX   VBZ 6 ROOT
        an          an          DET   DT  8 det
        option      option      NOUN  NN  6 attr
        for         for         ADP   IN  8 prep
        resistant   resistant   ADJ   JJ  11 amod
        disease     disease     NOUN  NN  9 pobj
        .           .           PUNCT .   6 punct
        """,
        [(0, 1, "Disease", "psoriasis"), (5, 6, "Drug", "cyclosporine")],
        ("cyclosporine", "treats", "psoriasis", "ranked-treatment"),
    ),
    # a drug that relieves symptoms no entity names treats the condition they are of
    "condition-list, relieved symptoms": (
        """
        Psoriasis   psoriasis   NOUN  NN  1 nsubj
        is          be          AUX   VBZ 1 ROOT
        a           a           DET   DT  3 det
        disease     disease     NOUN  NN  1 attr
        .           .           PUNCT .   1 punct
        Ciclosporin ciclosporin NOUN  NN  6 nsubj
        reduces     reduce      VERB  VBZ 6 ROOT
        symptoms    symptom     NOUN  NNS 6 dobj
        .           .           PUNCT .   6 punct
        """,
        [(0, 1, "Disease", "psoriasis"), (5, 6, "Drug", "cyclosporine")],
        ("cyclosporine", "treats", "psoriasis", "relieved-symptoms"),
    ),
    # a verb of classing in the passive classes its subject as a copula does
    "copula, classed as": (
        """
        Psoriasis  psoriasis  NOUN  NN  2 nsubjpass
        is         be         AUX   VBZ 2 auxpass
        regarded   regard     VERB  VBN 2 ROOT
        as         as         ADP   IN  2 prep
        a          a          DET   DT  5 det
        form       form       NOUN  NN  3 pobj
        of         of         ADP   IN  5 prep
        dermatosis dermatosis NOUN  NN  6 pobj
        .          .          PUNCT .   2 punct
        """,
        [(0, 1, "Disease", "psoriasis"), (7, 8, "Disease", "skin-disorder")],
        ("psoriasis", "subclassOf", "skin-disorder", "classed-as"),
    ),
    # "a clinical variant" with no "of": of the condition under discussion
    "copula, variant of the topic": (
        """
        Psoriasis  psoriasis  NOUN  NN  1 nsubj
        is         be         AUX   VBZ 1 ROOT
        a          a          DET   DT  3 det
        disease    disease    NOUN  NN  1 attr
        .          .          PUNCT .   1 punct
        Pustulosis pustulosis NOUN  NN  7 nsubjpass
        is         be         AUX   VBZ 7 auxpass
        considered consider   VERB  VBN 7 ROOT
        a          a          DET   DT  9 det
        variant    variant    NOUN  NN  7 oprd
        .          .          PUNCT .   7 punct
        """,
        [(0, 1, "Disease", "psoriasis"), (5, 6, "Disease", "pustulosis")],
        ("pustulosis", "subclassOf", "psoriasis", "classed-as"),
    ),
    # selectivity for a receptor is binding it
    "adjective, selective for": (
        """
        Ozanimod  ozanimod  PROPN NNP 1 nsubj
        is        be        AUX   VBZ 1 ROOT
        selective selective ADJ   JJ  1 acomp
        for       for       ADP   IN  2 prep
        S1P1      s1p1      PROPN NNP 3 pobj
        .         .         PUNCT .   1 punct
        """,
        [(0, 1, "ChemicalEntity", "ozanimod"), (4, 5, "Protein", "s1p1")],
        ("ozanimod", "binds", "s1p1", "adjective"),
    ),
    # a list's first member the parser cut off by its comma as a second subject is still a subject
    "adjective, list cut by a comma": (
        """
        Siponimod siponimod PROPN NNP 5 nsubj
        ,         ,         PUNCT ,   0 punct
        ozanimod  ozanimod  PROPN NNP 5 nsubj
        and       and       CCONJ CC  2 cc
        ponesimod ponesimod NOUN  NN  2 conj
        are       be        AUX   VBP 5 ROOT
        selective selective ADJ   JJ  5 acomp
        for       for       ADP   IN  6 prep
        S1P1      s1p1      PROPN NNP 7 pobj
        .         .         PUNCT .   5 punct
        """,
        [
            (0, 1, "ChemicalEntity", "siponimod"),
            (2, 3, "ChemicalEntity", "ozanimod"),
            (8, 9, "Protein", "s1p1"),
        ],
        ("siponimod", "binds", "s1p1", "adjective"),
    ),
    # what stopping a drug causes is a side effect of the drug
    "side-effect-list, withdrawal": (
        """
        Stopping     stop         VERB  VBG 3 csubj
        clonidine    clonidine    NOUN  NN  0 dobj
        can          can          AUX   MD  3 aux
        cause        cause        VERB  VB  3 ROOT
        hypertension hypertension NOUN  NN  3 dobj
        .            .            PUNCT .   3 punct
        """,
        [(1, 2, "Drug", "clonidine"), (4, 5, "Disease", "hypertensive-disorder")],
        ("clonidine", "hasSideEffect", "hypertensive-disorder", "withdrawal-effect"),
    ),
    # a finding that follows a drug, or a dose of it, is its side effect
    "side-effect-list, following": (
        """
        Headache  headache  NOUN  NN  3 nsubj
        following follow    VERB  VBG 0 prep
        ketamine  ketamine  NOUN  NN  1 pobj
        is        be        AUX   VBZ 3 ROOT
        common    common    ADJ   JJ  3 acomp
        .         .         PUNCT .   3 punct
        """,
        [(0, 1, "PhenotypicFeature", "headache"), (2, 3, "Drug", "ketamine")],
        ("ketamine", "hasSideEffect", "headache", "sequel-effect"),
    ),
    "side-effect-list, that follows": (
        """
        Bradycardia bradycardia NOUN  NN  4 nsubj
        that        that        PRON  WDT 2 nsubj
        follows     follow      VERB  VBZ 0 relcl
        fingolimod  fingolimod  NOUN  NN  2 dobj
        is          be          AUX   VBZ 4 ROOT
        common      common      ADJ   JJ  4 acomp
        .           .           PUNCT .   4 punct
        """,
        [(0, 1, "PhenotypicFeature", "bradycardia"), (3, 4, "Drug", "fingolimod")],
        ("fingolimod", "hasSideEffect", "bradycardia", "sequel-effect"),
    ),
    # how often a finding occurs, with no population of its own: a side effect of the drug under discussion
    "patient-report, frequent finding": (
        """
        Tocilizumab tocilizumab PROPN NNP 1 nsubj
        lowers      lower       VERB  VBZ 1 ROOT
        IL6         il6         PROPN NNP 1 dobj
        ,           ,           PUNCT ,   1 punct
        and         and         CCONJ CC  1 cc
        neutropenia neutropenia NOUN  NN  6 nsubj
        is          be          AUX   VBZ 1 conj
        common      common      ADJ   JJ  6 acomp
        .           .           PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "tocilizumab"), (2, 3, "Protein", "interleukin-6"), (5, 6, "Disease", "neutropenia")],
        ("tocilizumab", "hasSideEffect", "neutropenia", "frequent-finding"),
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_frames_entries_hand_built_parses(nlp, case):
    table, ents, expected = HAND_BUILT[case]
    frame = f"ldn.frame.{case.split(',')[0]}.v1"
    assert frame in DEFAULT_FRAMES
    assert expected in found(nlp, parse(nlp, table, ents), [frame])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a finding reported or described with no reporter and no drug of its own: the drug under discussion's
        (
            "Clonidine lowers blood pressure. Hepatitis has been described.",
            (CLONIDINE, "hasSideEffect", "hepatitis", "reported-finding"),
        ),
        # "cases of X" stand for X
        (
            "Naltrexone is an opioid antagonist. Cases of hepatitis have been reported.",
            ("naltrexone", "hasSideEffect", "hepatitis", "reported-finding"),
        ),
        # a drug class a later clause has as its subject, before the drug of the sentence before
        (
            "Ustekinumab binds IL-12. Colitis has been reported, so IL-17 inhibitors are avoided in Crohn's "
            "disease.",
            ("il-17-inhibitors", "hasSideEffect", "colitis", "reported-finding"),
        ),
        # a condition's symptoms and signs, before any drug is named
        (
            "Psoriasis is a chronic skin disease. Patients report itching and pain.",
            ("psoriasis", "associatedWith", "pruritus", "affected-report"),
        ),
        # cautions and contraindications: "with caution", "cautiously", "should not be used in", "after"
        (
            "Warfarin should be used with caution in people with liver disease.",
            ("warfarin", "contraindicatedWith", "liver-disorder", "caution"),
        ),
        (
            "Ketamine should be used cautiously in people with schizophrenia.",
            ("ketamine", "contraindicatedWith", "schizophrenia", "caution"),
        ),
        (
            "Clonidine lowers blood pressure. It should not be used in patients with heart block.",
            (CLONIDINE, "contraindicatedWith", "heart-block", "caution"),
        ),
        (
            "Lithium is contraindicated after a recent myocardial infarction.",
            ("lithium", "contraindicatedWith", "myocardial-infarction", "adjective"),
        ),
        # "it" is the drug, not the finding the sentence before had as its subject
        (
            "Clonidine lowers blood pressure. Sinus arrest has been reported. It should be used with caution "
            "in people with heart block.",
            (CLONIDINE, "contraindicatedWith", "heart-block", "caution"),
        ),
        # a disease entry's treatments: used first, options for a stage of it, relieving its symptoms
        (
            "Psoriasis is a chronic skin disease. Topical corticosteroids are used first.",
            ("adrenal-cortex-hormones", "treats", "psoriasis", "first-used-topic"),
        ),
        (
            "Psoriasis is a chronic skin disease. Methotrexate and ciclosporin are options for severe "
            "disease.",
            ("methotrexate", "treats", "psoriasis", "ranked-treatment"),
        ),
        (
            "Psoriasis is a chronic skin disease. Apremilast reduces symptoms in half of patients.",
            ("apremilast", "treats", "psoriasis", "relieved-symptoms"),
        ),
        (
            "Gout is an inflammatory arthritis. Colchicine relieves its symptoms.",
            ("colchicine", "treats", "gout", "relieved-symptoms"),
        ),
        # verbs of classing
        (
            "Psoriasis is regarded as a form of autoimmune disease.",
            ("psoriasis", "subclassOf", "autoimmune-disease", "classed-as"),
        ),
        (
            "Naltrexone is classified as an opioid antagonist.",
            ("naltrexone", "subclassOf", "opioid-receptor-antagonist", "classed-as"),
        ),
        # selectivity, with the list's first member cut off by the parser
        (
            "Siponimod, ozanimod and ponesimod are more selective for S1P1 and are eliminated faster.",
            ("siponimod", "binds", "s1p1", "adjective"),
        ),
        # withdrawal effects
        (
            "Clonidine lowers blood pressure. Stopping it abruptly can cause rebound hypertension.",
            (CLONIDINE, "hasSideEffect", "hypertensive-disorder", "withdrawal-effect"),
        ),
        (
            "Withdrawal of clonidine may lead to agitation.",
            (CLONIDINE, "hasSideEffect", "agitation", "withdrawal-effect"),
        ),
        # what follows a dose of the drug under discussion
        (
            "Fingolimod binds S1P receptors. The bradycardia that follows the first dose is transient.",
            ("fingolimod", "hasSideEffect", "bradycardia", "sequel-effect"),
        ),
        # how often a finding occurs
        (
            "Tocilizumab blocks the IL-6 receptor. Neutropenia and headache are common.",
            ("tocilizumab", "hasSideEffect", "neutropenia", "frequent-finding"),
        ),
    ],
)
def test_frames_entries_on_the_models_parse(nlp, text, expected):
    doc = nlp(text)
    assert expected in {(r.subject, r.predicate, r.object, r.evidence.rule) for r in doc._.ldn_relations}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # the findings of a text that has named a drug are no signs of a condition it mentioned
        (
            "Clonidine is an alpha-2 agonist. It lowers blood pressure. Hepatitis has been described. Rashes "
            "were rare. Headache was common. No hepatotoxicity was observed.",
            ("hepatitis", "associatedWith"),
        ),
        # a warning against use in a population is no treatment of its condition
        ("Warfarin should be used with caution in people with liver disease.", ("warfarin", "treats")),
        ("Clonidine should not be used in patients with heart block.", (CLONIDINE, "treats")),
        # the members of a side-effect noun are its complement, not a subject the complement classes
        (
            "Clonidine helps. The commonest adverse effects are dry mouth and dizziness.",
            ("dry-mouth", "subclassOf"),
        ),
        # a finding described in people treated with an antibody is that antibody's, not the topic drug's
        (
            "Lenercept was tested first. Optic neuritis has been described in people treated with "
            "infliximab.",
            ("lenercept", "hasSideEffect"),
        ),
        # symptoms a modifier names are not the condition's ("withdrawal symptoms")
        ("Gout is an inflammatory arthritis. Morphine reduces withdrawal symptoms.", ("morphine", "treats")),
        # not used first, or used first for a purpose of its own (the adjective frame's)
        ("Gout is an inflammatory arthritis. Colchicine is not used first.", ("colchicine", "treats")),
        # "the disease of X", "an advanced disease": not the condition under discussion
        (
            "Gout is an inflammatory arthritis. Aspirin is an option for the disease of the elderly.",
            ("aspirin", "treats"),
        ),
        # "considered safe" classes nothing; "is not regarded as" neither
        ("Ketamine is considered safe.", ("ketamine", "subclassOf")),
        ("Naltrexone is not regarded as an opioid agonist.", ("naltrexone", "subclassOf")),
        # selectivity for a condition is no binding
        ("Ketamine is selective for severe depression.", ("ketamine", "binds")),
        # what a drug's use causes is the verb frame's, not a withdrawal effect
        ("Use of clonidine can cause dry mouth.", ("clonidine", "hasSideEffect")),
        # a condition that follows another is no side effect
        ("Ketamine is an anaesthetic. CRPS most often follows a fracture.", ("ketamine", "hasSideEffect")),
        # how often a finding occurs in a population of its own says where it occurs, not what causes it
        (
            "Tocilizumab blocks the IL-6 receptor. Fibromyalgia is more common in women.",
            ("fibromyalgia", "hasSideEffect"),
        ),
        # "more common" than with what, the sentence does not say
        ("Ixekizumab blocks IL-17A. Candidiasis is more common.", ("ixekizumab", "hasSideEffect")),
        # what people report with a drug named nowhere and no condition the text is about: nothing
        ("Patients report itching and pain.", ("pruritus", "associatedWith")),
    ],
)
def test_frames_entries_what_is_not_read(nlp, text, absent):
    doc = nlp(text)
    found_ = {(r.subject, r.predicate) for r in doc._.ldn_relations} | {
        (r.object, r.predicate) for r in doc._.ldn_relations
    }
    assert absent not in found_
