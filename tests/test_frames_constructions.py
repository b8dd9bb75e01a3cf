"""Constructions the frames read beyond their first cases (conjoined copula complements, relative clauses
on an apposition, ...): each on a parse built by hand and on the shipped model's parse of a plain
sentence, with a case that must not fire."""

from __future__ import annotations

import pytest

from tests.test_frames import found, parse

SALVINORIN = "salvinorin-a"
KAPPA_AGONIST = "kappa-agonist"
HALLUCINOGEN = "hallucinogen"
IBUDILAST = "ibudilast"
PDE_INHIBITOR = "phosphodiesterase-inhibitors"
GLIAL_ACTIVATION = "glial-cell-activation"
MINOCYCLINE = "minocycline"
MICROGLIA = "microglial-cell"
NEURALGIA = "trigeminal-neuralgia"
OXCARBAZEPINE = "oxcarbazepine"
OPIOIDS = "opioid-analgesic"
BETA_ENDORPHIN = "beta-endorphin"
POMC = "proopiomelanocortin"
PSORIASIS = "psoriasis"
IL17 = "interleukin-17"
IL6 = "interleukin-6"
LYMPHOCYTE = "lymphocyte"
LDN = "low-dose-naltrexone"
HEADACHE = "headache"
MS = "multiple-sclerosis"
HISTAMINE = "histamine"
NEURON = "neuron"
H1R = "histamine-receptor-h1"
CRPS = "complex-regional-pain-syndrome"
TLR4 = "toll-like-receptor-4"
FRACTURE = "bone-fracture"
MIGRAINE = "migraine-disorder"
DEPRESSION = "depressive-disorder"

# Each case: the frames, a hand-built parse, its entities, a relation (with its rule) that must be read,
# and one that must not.
HAND_BUILT = {
    # each conjoined complement with a determiner of its own is a class of the subject
    "conjoined copula complement": (
        ["ldn.frame.copula.v1"],
        """
        Salvinorin   salvinorin   PROPN NNP 1 nsubj
        is           be           AUX   VBZ 1 ROOT
        a            a            DET   DT  3 det
        agonist      agonist      NOUN  NN  1 attr
        and          and          CCONJ CC  3 cc
        a            a            DET   DT  6 det
        hallucinogen hallucinogen NOUN  NN  3 conj
        .            .            PUNCT .   1 punct
        """,
        [
            (0, 1, "Drug", SALVINORIN),
            (3, 4, "ChemicalRole", KAPPA_AGONIST),
            (6, 7, "ChemicalRole", HALLUCINOGEN),
        ],
        (SALVINORIN, "subclassOf", HALLUCINOGEN, "copula-class"),
        None,
    ),
    # a relative clause on an indefinite apposition is about the noun the apposition renames
    "relative clause on an apposition": (
        ["ldn.frame.verb.v1"],
        """
        Ibudilast  ibudilast  PROPN NNP 0 ROOT
        ,          ,          PUNCT ,   0 punct
        a          a          DET   DT  4 det
        PDE        pde        NOUN  NN  4 compound
        inhibitor  inhibitor  NOUN  NN  0 appos
        that       that       PRON  WDT 6 nsubj
        dampens    dampen     VERB  VBZ 4 relcl
        glial      glial      ADJ   JJ  8 amod
        activation activation NOUN  NN  6 dobj
        .          .          PUNCT .   0 punct
        """,
        [
            (0, 1, "Drug", IBUDILAST),
            (3, 5, "ChemicalRole", PDE_INHIBITOR),
            (7, 9, "BiologicalProcess", GLIAL_ACTIVATION),
        ],
        (IBUDILAST, "decreases", GLIAL_ACTIVATION, "active-verb"),
        (PDE_INHIBITOR, "decreases", GLIAL_ACTIVATION, "active-verb"),
    ),
    # a treatment adjective with no preposition: for the condition under discussion
    "treatment adjective without a preposition": (
        ["ldn.frame.adjective.v1"],
        """
        Neuralgia     neuralgia     NOUN  NN  1 nsubj
        hurts         hurt          VERB  VBZ 1 ROOT
        .             .             PUNCT .   1 punct
        Oxcarbazepine oxcarbazepine PROPN NNP 4 nsubj
        is            be            AUX   VBZ 4 ROOT
        effective     effective     ADJ   JJ  4 acomp
        .             .             PUNCT .   4 punct
        """,
        [(0, 1, "Disease", NEURALGIA), (3, 4, "Drug", OXCARBAZEPINE)],
        (OXCARBAZEPINE, "treats", NEURALGIA, "adjective-topic"),
        None,
    ),
    # a passive source verb with no agent: the precursor named by "from" produces the subject
    "source verb in the passive": (
        ["ldn.frame.verb.v1"],
        """
        Endorphin endorphin PROPN NNP 7 nsubj
        ,         ,         PUNCT ,   0 punct
        a         a         DET   DT  3 det
        peptide   peptide   NOUN  NN  0 appos
        cleaved   cleave    VERB  VBN 3 acl
        from      from      ADP   IN  4 prep
        POMC      pomc      PROPN NNP 5 pobj
        binds     bind      VERB  VBZ 7 ROOT
        receptors receptor  NOUN  NNS 7 dobj
        .         .         PUNCT .   7 punct
        """,
        [(0, 1, "MolecularEntity", BETA_ENDORPHIN), (6, 7, "Protein", POMC)],
        (POMC, "produces", BETA_ENDORPHIN, "source-passive"),
        (BETA_ENDORPHIN, "produces", POMC, "source-passive"),
    ),
    # a measure changed in a group with no direction said goes with the group's condition; a population
    # noun's disease modifier names its condition
    "measure altered in a condition": (
        ["ldn.frame.comparison.v1"],
        """
        IL-6     il-6     PROPN NNP 1 compound
        levels   level    NOUN  NNS 3 nsubjpass
        are      be       AUX   VBP 3 auxpass
        altered  alter    VERB  VBN 3 ROOT
        in       in       ADP   IN  3 prep
        migraine migraine NOUN  NN  4 pobj
        .        .        PUNCT .   3 punct
        """,
        [(0, 1, "Protein", IL6), (5, 6, "Disease", MIGRAINE)],
        (IL6, "associatedWith", MIGRAINE, "comparison-in-population"),
        None,
    ),
    "measure higher in a population its modifier names": (
        ["ldn.frame.comparison.v1"],
        """
        IL-6      il-6      PROPN NNP 1 compound
        levels    level     NOUN  NNS 2 nsubj
        are       be        AUX   VBP 2 ROOT
        higher    high      ADJ   JJR 2 acomp
        in        in        ADP   IN  3 prep
        depressed depressed ADJ   JJ  6 amod
        patients  patient   NOUN  NNS 4 pobj
        .         .         PUNCT .   2 punct
        """,
        [(0, 1, "Protein", IL6), (5, 6, "Disease", DEPRESSION)],
        (IL6, "associatedWith", DEPRESSION, "comparison-in-population"),
        None,
    ),
    # a hyphenated participle: the entity before the hyphen acts on the noun ("-stimulated", "-induced"),
    # or the noun on it ("-producing")
    "compound participle": (
        ["ldn.frame.verb.v1"],
        """
        IL-17       il-17       PROPN NNP 2 npadvmod
        -           -           PUNCT HYPH 2 punct
        producing   produce     VERB  VBG 3 amod
        lymphocytes lymphocyte  NOUN  NNS 4 nsubj
        expand      expand      VERB  VBP 4 ROOT
        .           .           PUNCT .   4 punct
        """,
        [(0, 1, "ProteinFamily", IL17), (3, 4, "Cell", LYMPHOCYTE)],
        (LYMPHOCYTE, "produces", IL17, "compound-participle"),
        (IL17, "produces", LYMPHOCYTE, "compound-participle"),
    ),
    # "more common with D": a side effect of the drug the patients were on
    "more frequent with a drug": (
        ["ldn.frame.comparison.v1"],
        """
        Headache headache NOUN  NN  1 nsubj
        was      be       AUX   VBD 1 ROOT
        more     more     ADV   RBR 3 advmod
        common   common   ADJ   JJ  1 acomp
        with     with     ADP   IN  3 prep
        LDN      ldn      PROPN NNP 4 pobj
        .        .        PUNCT .   1 punct
        """,
        [(0, 1, "PhenotypicFeature", HEADACHE), (5, 6, "Drug", LDN)],
        (LDN, "hasSideEffect", HEADACHE, "more-frequent-with"),
        None,
    ),
    # a condition that occurs in another goes with it; of two subjects the parser gave one verb, the
    # nearer is its own
    "occurs in a condition": (
        ["ldn.frame.verb.v1"],
        """
        Artery     artery     NOUN  NN  3 nsubj
        ;          ;          PUNCT :   3 punct
        neuralgia  neuralgia  NOUN  NN  3 nsubj
        occurs     occur      VERB  VBZ 3 ROOT
        in         in         ADP   IN  3 prep
        sclerosis  sclerosis  NOUN  NN  4 pobj
        .          .          PUNCT .   3 punct
        """,
        [(0, 1, "AnatomicalEntity", "artery"), (2, 3, "Disease", NEURALGIA), (5, 6, "Disease", MS)],
        (NEURALGIA, "associatedWith", MS, "active-verb"),
        ("artery", "associatedWith", MS, "active-verb"),
    ),
    # the receptor a trigger verb's subject acts through: the subject binds it
    "acts through a receptor": (
        ["ldn.frame.verb.v1"],
        """
        Histamine histamine NOUN  NN  1 nsubj
        activates activate  VERB  VBZ 1 ROOT
        neurons   neuron    NOUN  NNS 1 dobj
        through   through   ADP   IN  1 prep
        the       the       DET   DT  6 det
        H1        h1        PROPN NNP 6 compound
        receptor  receptor  NOUN  NN  3 pobj
        .         .         PUNCT .   1 punct
        """,
        [(0, 1, "ChemicalEntity", HISTAMINE), (2, 3, "Cell", NEURON), (5, 7, "Protein", H1R)],
        (HISTAMINE, "binds", H1R, "acts-through"),
        None,
    ),
    # a treatment noun that classes its subject and names no condition: the condition under discussion
    "treatment noun without a condition": (
        ["ldn.frame.nominal.v1"],
        """
        Neuralgia  neuralgia  NOUN  NN  1 nsubj
        hurts      hurt       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        Baclofen   baclofen   PROPN NNP 4 nsubj
        is         be         AUX   VBZ 4 ROOT
        an         an         DET   DT  7 det
        add-on     add-on     ADJ   JJ  7 amod
        treatment  treatment  NOUN  NN  4 attr
        .          .          PUNCT .   4 punct
        """,
        [(0, 1, "Disease", NEURALGIA), (3, 4, "Drug", "baclofen")],
        ("baclofen", "treats", NEURALGIA, "nominal-topic"),
        None,
    ),
    # "the risk was highest with D": D causes the condition under discussion (or the risk's own)
    "risk higher with a drug": (
        ["ldn.frame.comparison.v1"],
        """
        Neuralgia  neuralgia  NOUN  NN  1 nsubj
        hurts      hurt       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        The        the        DET   DT  4 det
        risk       risk       NOUN  NN  5 nsubj
        was        be         AUX   VBD 5 ROOT
        highest    highest    ADJ   JJS 5 acomp
        with       with       ADP   IN  6 prep
        fluoxetine fluoxetine NOUN  NN  7 pobj
        .          .          PUNCT .   5 punct
        """,
        [(0, 1, "Disease", NEURALGIA), (8, 9, "Drug", "fluoxetine")],
        ("fluoxetine", "causes", NEURALGIA, "risk-with"),
        None,
    ),
    # a passive "treated with D for Y" with no agent: D treats Y
    "treated with a drug for a condition": (
        ["ldn.frame.verb.v1"],
        """
        Patients   patient    NOUN  NNS 6 nsubj
        treated    treat      VERB  VBN 0 acl
        with       with       ADP   IN  1 prep
        interferon interferon NOUN  NN  2 pobj
        for        for        ADP   IN  1 prep
        melanoma   melanoma   NOUN  NN  4 pobj
        improved   improve    VERB  VBD 6 ROOT
        .          .          PUNCT .   6 punct
        """,
        [(3, 4, "Protein", "interferon-alpha"), (5, 6, "Disease", "melanoma")],
        ("interferon-alpha", "treats", "melanoma", "active-passive"),
        None,
    ),
    # a pronoun opening a sentence is the main-clause subject of the one before, not a relative clause's
    "pronoun after a relative clause's subject": (
        ["ldn.frame.verb.v1"],
        """
        Syndrome syndrome NOUN  NN  1 nsubj
        is       be       AUX   VBZ 1 ROOT
        pain     pain     NOUN  NN  1 attr
        in       in       ADP   IN  6 prep
        which    which    PRON  WDT 3 pobj
        pain     pain     NOUN  NN  6 nsubj
        hurts    hurt     VERB  VBZ 2 relcl
        .        .        PUNCT .   1 punct
        It       it       PRON  PRP 9 nsubj
        follows  follow   VERB  VBZ 9 ROOT
        fracture fracture NOUN  NN  9 dobj
        .        .        PUNCT .   9 punct
        """,
        [
            (0, 1, "Disease", CRPS),
            (2, 3, "PhenotypicFeature", "pain"),
            (5, 6, "PhenotypicFeature", "pain"),
            (10, 11, "Disease", FRACTURE),
        ],
        (CRPS, "associatedWith", FRACTURE, "active-verb"),
        ("pain", "associatedWith", FRACTURE, "active-verb"),
    ),
    # a conjoined passive with no subject of its own takes the first clause's
    "conjoined passive without a subject": (
        ["ldn.frame.verb.v1"],
        """
        Hypoglycaemia hypoglycaemia NOUN  NN  1 nsubj
        was           be            AUX   VBD 1 ROOT
        rare          rare          ADJ   JJ  1 acomp
        and           and           CCONJ CC  1 cc
        was           be            AUX   VBD 6 auxpass
        not           not           PART  RB  6 neg
        linked        link          VERB  VBN 1 conj
        with          with          ADP   IN  6 prep
        SSRIs         ssri          NOUN  NNS 7 pobj
        .             .             PUNCT .   1 punct
        """,
        [(0, 1, "Disease", "hypoglycemia"), (8, 9, "ChemicalEntity", "ssri")],
        ("hypoglycemia", "associatedWith", "ssri", "counterpart-passive"),
        None,
    ),
    # a trigger noun with no subject of its own: its apposition
    "trigger noun with an apposition": (
        ["ldn.frame.nominal.v1"],
        """
        The        the        DET   DT  1 det
        ligand     ligand     NOUN  NN  7 nsubj
        of         of         ADP   IN  1 prep
        NOP        nop        PROPN NNP 2 pobj
        ,          ,          PUNCT ,   1 punct
        nociceptin nociceptin PROPN NNP 1 appos
        ,          ,          PUNCT ,   1 punct
        rises      rise       VERB  VBZ 7 ROOT
        .          .          PUNCT .   7 punct
        """,
        [(3, 4, "Protein", "nociceptin-receptor"), (5, 6, "ChemicalEntity", "nociceptin")],
        ("nociceptin", "binds", "nociceptin-receptor", "nominal"),
        None,
    ),
    # a plural pronoun for coordinated entities of the sentence before
    "plural pronoun for coordinated entities": (
        ["ldn.frame.verb.v1"],
        """
        Naloxone   naloxone   PROPN NNP 3 nsubj
        and        and        CCONJ CC  0 cc
        naltrexone naltrexone PROPN NNP 0 conj
        exist      exist      VERB  VBP 3 ROOT
        .          .          PUNCT .   3 punct
        They       they       PRON  PRP 6 nsubj
        block      block      VERB  VBP 6 ROOT
        TLR4       tlr4       PROPN NNP 6 dobj
        .          .          PUNCT .   6 punct
        """,
        [(0, 1, "Drug", "naloxone"), (2, 3, "Drug", "naltrexone"), (7, 8, "Protein", TLR4)],
        ("naloxone", "decreases", TLR4, "active-verb"),
        None,
    ),
    # a trigger noun as a copula's complement, its second preposition hung on the copula
    "second preposition on the copula": (
        ["ldn.frame.nominal.v1"],
        """
        Endorphin endorphin PROPN NNP 1 nsubj
        is        be        AUX   VBZ 1 ROOT
        an        an        DET   DT  3 det
        agonist   agonist   NOUN  NN  1 attr
        at        at        ADP   IN  3 prep
        MOR       mor       PROPN NNP 4 pobj
        and       and       CCONJ CC  1 cc
        at        at        ADP   IN  1 prep
        DOR       dor       PROPN NNP 7 pobj
        .         .         PUNCT .   1 punct
        """,
        [
            (0, 1, "MolecularEntity", BETA_ENDORPHIN),
            (5, 6, "Protein", "mu-opioid-receptor"),
            (8, 9, "Protein", "delta-opioid-receptor"),
        ],
        (BETA_ENDORPHIN, "binds", "delta-opioid-receptor", "nominal"),
        None,
    ),
    "both drugs": (
        ["ldn.frame.verb.v1"],
        """
        LDN        ldn        PROPN NNP 3 nsubj
        and        and        CCONJ CC  0 cc
        naltrexone naltrexone PROPN NNP 0 conj
        exist      exist      VERB  VBP 3 ROOT
        .          .          PUNCT .   3 punct
        Both       both       DET   DT  6 det
        drugs      drug       NOUN  NNS 7 nsubj
        block      block      VERB  VBP 7 ROOT
        TLR4       tlr4       PROPN NNP 7 dobj
        .          .          PUNCT .   7 punct
        """,
        [(0, 1, "Drug", "low-dose-naltrexone"), (2, 3, "Drug", "naltrexone"), (8, 9, "Protein", TLR4)],
        ("low-dose-naltrexone", "decreases", TLR4, "active-verb"),
        None,
    ),
    "drug of choice": (
        ["ldn.frame.nominal.v1"],
        """
        Methotrexate methotrexate PROPN NNP 1 nsubj
        is           be           AUX   VBZ 1 ROOT
        the          the          DET   DT  3 det
        drug         drug         NOUN  NN  1 attr
        of           of           ADP   IN  3 prep
        choice       choice       NOUN  NN  4 pobj
        for          for          ADP   IN  3 prep
        arthritis    arthritis    NOUN  NN  6 pobj
        .            .            PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "methotrexate"), (7, 8, "Disease", "rheumatoid-arthritis")],
        ("methotrexate", "treats", "rheumatoid-arthritis", "nominal"),
        None,
    ),
    "examples in parentheses": (
        ["ldn.frame.such-as.v1"],
        """
        Painkillers painkiller NOUN  NNS 5 nsubj
        (           (          PUNCT -LRB- 3 punct
        e.g.        e.g.       ADV   RB  3 advmod
        tramadol    tramadol   ADJ   JJ  0 amod
        )           )          PUNCT -RRB- 3 punct
        help        help       VERB  VBP 5 ROOT
        .           .          PUNCT .   5 punct
        """,
        [(0, 1, "ChemicalEntity", OPIOIDS), (3, 4, "Drug", "tramadol")],
        ("tramadol", "subclassOf", OPIOIDS, "such-as"),
        None,
    ),
    # "such as" the parser hung on the list's first member: the entity right before it is the class
    "such as hung elsewhere": (
        ["ldn.frame.such-as.v1"],
        """
        Fever     fever     NOUN  NN  6 nsubj
        and       and       CCONJ CC  0 cc
        serositis serositis NOUN  NN  0 conj
        such      such      ADJ   JJ  4 amod
        as        as        ADP   IN  0 prep
        pleurisy  pleurisy  ADJ   JJ  4 amod
        occur     occur     VERB  VBP 6 ROOT
        .         .         PUNCT .   6 punct
        """,
        [(0, 1, "PhenotypicFeature", "fever"), (2, 3, "Disease", "serositis"), (5, 6, "Disease", "pleurisy")],
        ("pleurisy", "subclassOf", "serositis", "such-as"),
        ("pleurisy", "subclassOf", "fever", "such-as"),
    ),
    "unlike a noun, a negated clause": (
        ["ldn.frame.verb.v1"],
        """
        Unlike     unlike     ADP   IN  5 prep
        morphine   morphine   NOUN  NN  0 pobj
        ,          ,          PUNCT ,   5 punct
        nalbuphine nalbuphine PROPN NNP 5 nsubj
        not        not        PART  RB  5 neg
        causes     cause      VERB  VBZ 5 ROOT
        euphoria   euphoria   NOUN  NN  5 dobj
        .          .          PUNCT .   5 punct
        """,
        [(1, 2, "Drug", "morphine"), (3, 4, "Drug", "nalbuphine"), (6, 7, "PhenotypicFeature", "euphoria")],
        ("morphine", "causes", "euphoria", "unlike-contrast"),
        None,
    ),
    "a drug that increases a condition causes it": (
        ["ldn.frame.verb.v1"],
        """
        Morphine     morphine     PROPN NNP 1 nsubj
        increases    increase     VERB  VBZ 1 ROOT
        constipation constipation NOUN  NN  1 dobj
        .            .            PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "morphine"), (2, 3, "Disease", "constipation-disorder")],
        ("morphine", "causes", "constipation-disorder", "active-verb"),
        None,
    ),
    # a population verb the parser hung on the population's disease; an antibody is what they started
    "population verb hung on the disease": (
        ["ldn.frame.treated-population.v1"],
        """
        Patients   patient    NOUN  NNS 6 nsubj
        with       with       ADP   IN  0 prep
        colitis    colitis    NOUN  NN  1 pobj
        who        who        PRON  WP  4 nsubj
        started    start      VERB  VBD 2 relcl
        infliximab infliximab NOUN  NN  4 dobj
        improved   improve    VERB  VBD 6 ROOT
        .          .          PUNCT .   6 punct
        """,
        [(2, 3, "Disease", "ulcerative-colitis"), (5, 6, "Protein", "infliximab")],
        ("infliximab", "treats", "ulcerative-colitis", "treated-population"),
        None,
    ),
    "an antibody as the instrument of a nominalised action": (
        ["ldn.frame.verb.v1"],
        """
        Blockade   blockade   NOUN  NN  5 nsubj
        of         of         ADP   IN  0 prep
        TNF        tnf        PROPN NNP 1 pobj
        with       with       ADP   IN  0 prep
        infliximab infliximab NOUN  NN  3 pobj
        reduced    reduce     VERB  VBD 5 ROOT
        pain       pain       NOUN  NN  5 dobj
        .          .          PUNCT .   5 punct
        """,
        [
            (2, 3, "Protein", "tumor-necrosis-factor"),
            (4, 5, "Protein", "infliximab"),
            (6, 7, "PhenotypicFeature", "pain"),
        ],
        ("infliximab", "decreases", "pain", "active-verb"),
        ("tumor-necrosis-factor", "decreases", "pain", "active-verb"),
    ),
    "whose on a trigger noun": (
        ["ldn.frame.nominal.v1"],
        """
        TNF        tnf        PROPN NNP 0 ROOT
        ,          ,          PUNCT ,   0 punct
        whose      whose      DET   WP$ 3 poss
        blockade   blockade   NOUN  NN  6 nsubj
        with       with       ADP   IN  3 prep
        infliximab infliximab NOUN  NN  4 pobj
        helps      help       VERB  VBZ 0 relcl
        .          .          PUNCT .   0 punct
        """,
        [(0, 1, "Protein", "tumor-necrosis-factor"), (5, 6, "Protein", "infliximab")],
        ("infliximab", "decreases", "tumor-necrosis-factor", "nominal"),
        None,
    ),
    "treatment with a drug as the subject": (
        ["ldn.frame.nominal.v1"],
        """
        Neuralgia  neuralgia  NOUN  NN  1 nsubj
        hurts      hurt       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        Treatment  treatment  NOUN  NN  6 nsubj
        with       with       ADP   IN  3 prep
        baclofen   baclofen   NOUN  NN  4 pobj
        helps      help       VERB  VBZ 6 ROOT
        .          .          PUNCT .   6 punct
        """,
        [(0, 1, "Disease", NEURALGIA), (5, 6, "Drug", "baclofen")],
        ("baclofen", "treats", NEURALGIA, "nominal-topic"),
        None,
    ),
    "participle on a noun after 'regarded as'": (
        ["ldn.frame.verb.v1"],
        """
        Psoriasis psoriasis NOUN  NN  2 nsubjpass
        is        be        AUX   VBZ 2 auxpass
        regarded  regard    VERB  VBN 2 ROOT
        as        as        ADP   IN  2 prep
        a         a         DET   DT  5 det
        disease   disease   NOUN  NN  3 pobj
        driven    drive     VERB  VBN 5 acl
        by        by        ADP   IN  6 agent
        IL-17     il-17     PROPN NNP 7 pobj
        .         .         PUNCT .   2 punct
        """,
        [(0, 1, "Disease", PSORIASIS), (8, 9, "ProteinFamily", IL17)],
        (IL17, "causes", PSORIASIS, "active-passive"),
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_frames_constructions_on_hand_built_parses(nlp, case):
    frames, table, ents, expected, wrong = HAND_BUILT[case]
    read = found(nlp, parse(nlp, table, ents), frames)
    assert expected in read
    assert wrong is None or wrong not in read


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        (
            "Salvinorin A is a kappa agonist and a hallucinogen.",
            (SALVINORIN, "subclassOf", HALLUCINOGEN, False),
            None,
        ),
        # a complement conjoined inside an "of" phrase is no class: "a cause of X and death"
        (
            "Alcohol use disorder is a leading cause of liver disease and premature death.",
            None,
            ("alcohol-dependence", "subclassOf", "death", False),
        ),
        (
            "Ibudilast, a phosphodiesterase inhibitor that dampens glial activation, reduced pain.",
            (IBUDILAST, "decreases", GLIAL_ACTIVATION, False),
            (PDE_INHIBITOR, "decreases", GLIAL_ACTIVATION, False),
        ),
        (
            "Minocycline, an antibiotic that inhibits microglia, reduced allodynia.",
            (MINOCYCLINE, "decreases", MICROGLIA, False),
            None,
        ),
        # a treatment adjective with no preposition names the condition under discussion; "ineffective"
        # says it does not treat it (and "not ineffective" that it does)
        (
            "Trigeminal neuralgia is a facial pain disorder. Oxcarbazepine is effective.",
            (OXCARBAZEPINE, "treats", NEURALGIA, False),
            None,
        ),
        (
            "Trigeminal neuralgia is a facial pain disorder. Opioids are generally ineffective.",
            (OPIOIDS, "treats", NEURALGIA, True),
            (OPIOIDS, "treats", NEURALGIA, False),
        ),
        (
            "Trigeminal neuralgia is a facial pain disorder. Opioids are not ineffective.",
            (OPIOIDS, "treats", NEURALGIA, False),
            (OPIOIDS, "treats", NEURALGIA, True),
        ),
        # used, tested in a condition: treats it
        (
            "LDN has been used off-label in chronic fatigue syndrome.",
            ("low-dose-naltrexone", "treats", "chronic-fatigue-syndrome", False),
            None,
        ),
        (
            "LY2940094 was tested in major depressive disorder.",
            ("ly2940094", "treats", "major-depressive-disorder", False),
            None,
        ),
        # a clause the parser hung on the next one still has its subject
        (
            "Nalfurafine is approved in Japan for pruritus, and difelikefalin is given after dialysis for "
            "the same indication; it has not been associated with dysphoria.",
            ("nalfurafine", "treats", "pruritus", False),
            None,
        ),
        # the precursor a passive source verb names makes the subject
        (
            "Beta-endorphin is cleaved from pro-opiomelanocortin.",
            (POMC, "produces", BETA_ENDORPHIN, False),
            (BETA_ENDORPHIN, "produces", POMC, False),
        ),
        # a participle on a copula's complement describes the copula's subject, not the class
        (
            "Psoriasis is an inflammatory skin disease driven by interleukin-17.",
            (IL17, "causes", PSORIASIS, False),
            (IL17, "causes", "dermatitis", False),
        ),
        (
            "IL-6 levels are higher in depressed patients than in healthy controls.",
            (IL6, "associatedWith", DEPRESSION, False),
            None,
        ),
        (
            "Plasma nociceptin levels are altered in fibromyalgia and migraine.",
            ("nociceptin", "associatedWith", MIGRAINE, False),
            None,
        ),
        # a direction said by the words is no mere association when the group is the treated one
        (
            "Naloxone was given. IL-6 levels were altered in treated animals.",
            ("naloxone", "regulates", IL6, False),
            ("naloxone", "increases", IL6, False),
        ),
        ("ATP-stimulated microglia released BDNF.", ("atp", "increases", MICROGLIA, False), None),
        (
            "Exercise-induced analgesia is partly opioid-mediated.",
            ("exercise", "causes", "analgesia", False),
            ("analgesia", "causes", "exercise", False),
        ),
        (
            "Cytokines sustain IL-17-producing lymphocytes.",
            (LYMPHOCYTE, "produces", IL17, False),
            (IL17, "produces", LYMPHOCYTE, False),
        ),
        (
            "Vivid dreams and headache, the most frequent adverse events, were more common with LDN.",
            (LDN, "hasSideEffect", HEADACHE, False),
            None,
        ),
        # less common: no side effect
        ("Headache was less common with LDN.", None, (LDN, "hasSideEffect", HEADACHE, False)),
        (
            "Secondary trigeminal neuralgia occurs in multiple sclerosis.",
            (NEURALGIA, "associatedWith", MS, False),
            None,
        ),
        # what occurs in patients taking a drug is its side effect, not a condition it goes with
        (
            "Insomnia occurred in patients taking LDN.",
            (LDN, "hasSideEffect", "insomnia", False),
            ("insomnia", "associatedWith", LDN, False),
        ),
        (
            "Substance P activates mast cells through MRGPRX2, a receptor that responds to drugs.",
            ("substance-p", "binds", "mas-related-gpr-family-member-x2", False),
            None,
        ),
        (
            "Acting through its receptor and the signal transducer gp130, IL-6 activates STAT3.",
            (IL6, "binds", "interleukin-6-cytokine-family-signal-transducer", False),
            None,
        ),
        # a mediator downstream is not what it binds
        (
            "P2X4 receptors, acting through BDNF, are necessary for neuropathic pain.",
            None,
            ("purinergic-receptor-p2x-4", "binds", "brain-derived-neurotrophic-factor", False),
        ),
        (
            "Trigeminal neuralgia is painful. Lamotrigine, baclofen and gabapentin are used as add-on or "
            "alternative treatments.",
            ("baclofen", "treats", NEURALGIA, False),
            None,
        ),
        # a treatment noun that names its own condition is about that one
        (
            "Trigeminal neuralgia is painful. Gabapentin is a treatment for migraine.",
            ("gabapentin", "treats", MIGRAINE, False),
            ("gabapentin", "treats", NEURALGIA, False),
        ),
        (
            "Serotonin syndrome is rare. The risk was highest with fluoxetine and paroxetine.",
            ("paroxetine", "causes", "serotonin-syndrome", False),
            None,
        ),
        # the risk's own condition; the drug compared with ("than with aspirin") is not the one
        (
            "The risk of bleeding was higher with warfarin than with aspirin.",
            ("warfarin", "causes", "hemorrhage", False),
            ("acetylsalicylic-acid", "causes", "hemorrhage", False),
        ),
        (
            "Support comes from patients treated with interferon-alpha for hepatitis C or melanoma.",
            ("interferon-alpha", "treats", "melanoma", False),
            None,
        ),
        (
            "Complex regional pain syndrome is a form of chronic pain in which the pain is out of proportion "
            "to the injury. It most often follows a fracture.",
            (CRPS, "associatedWith", FRACTURE, False),
            ("pain", "associatedWith", FRACTURE, False),
        ),
        # trigger rows: "mediated by" causes a condition; "plays a role in" (a light verb) goes with it
        (
            "Lipopolysaccharide induces sickness behaviour, which is mediated largely by interleukin-1 beta.",
            ("interleukin-1-beta", "causes", "illness-behavior", False),
            None,
        ),
        (
            "TNF plays a key role in rheumatoid arthritis.",
            ("tumor-necrosis-factor", "associatedWith", "rheumatoid-arthritis", False),
            None,
        ),
        (
            "Hypoglycaemia requiring hospital admission was rare and was not associated with SSRI use.",
            ("hypoglycemia", "associatedWith", "ssri", True),
            None,
        ),
        # a body fluid the parser took for the head stands for what it holds
        (
            "Patients received LDN for 12 weeks. Fatigue improved. Serum interleukin-6 was unchanged.",
            (LDN, "regulates", IL6, True),
            None,
        ),
        # a trigger noun whose apposition names what it is: "Its endogenous ligand, nociceptin, ..."
        (
            "The nociceptin receptor is a receptor. Its endogenous ligand, nociceptin, is a peptide.",
            ("nociceptin", "binds", "nociceptin-receptor", False),
            None,
        ),
        # regulating a disease: "regulates anxiety"
        (
            "Nociceptin also regulates anxiety.",
            ("nociceptin", "regulates", "anxiety-disorder", False),
            None,
        ),
        # "marked by", "attacks of": a condition's features
        (
            "Fibromyalgia is a chronic condition marked by widespread musculoskeletal pain and fatigue.",
            ("fatigue", "associatedWith", "fibromyalgia", False),
            None,
        ),
        (
            "Trigeminal neuralgia, also called tic douloureux, is a chronic facial pain disorder "
            "characterised by brief attacks of pain.",
            ("pain", "associatedWith", NEURALGIA, False),
            ("pain", "associatedWith", "facial-pain", False),
        ),
        # the condition under discussion is a main clause's subject before a subordinate clause's
        (
            "Complex regional pain syndrome is a form of chronic pain. It is rare, although migraine is "
            "common. Ketamine is effective.",
            ("ketamine", "treats", CRPS, False),
            ("ketamine", "treats", MIGRAINE, False),
        ),
        # "discouraged": not for the condition under discussion
        (
            "Fibromyalgia is common. Opioids are generally discouraged.",
            (OPIOIDS, "treats", "fibromyalgia", True),
            (OPIOIDS, "treats", "fibromyalgia", False),
        ),
        # a plural pronoun for coordinated entities stands for all of them
        (
            "Milnacipran and duloxetine are approved for fibromyalgia. "
            "Nausea is their most common side effect.",
            ("milnacipran", "hasSideEffect", "nausea", False),
            None,
        ),
        # a trigger noun's second preposition hung on the copula
        (
            "Buprenorphine is a partial agonist at the NOP receptor as well as at the mu-opioid receptor.",
            ("buprenorphine", "binds", "mu-opioid-receptor", False),
            None,
        ),
        (
            "Beta-endorphin is an agonist at the mu-opioid receptor and, to a lesser degree, at the "
            "delta-opioid receptor.",
            (BETA_ENDORPHIN, "binds", "delta-opioid-receptor", False),
            None,
        ),
        # "both drugs": the two drugs named last
        (
            "Patients received LDN or amitriptyline for 12 weeks. Both drugs reduced pain.",
            ("amitriptyline", "decreases", "pain", False),
            None,
        ),
        # "the drug of (first) choice (for Y)"
        (
            "Methotrexate is the drug of choice for rheumatoid arthritis.",
            ("methotrexate", "treats", "rheumatoid-arthritis", False),
            None,
        ),
        (
            "Trigeminal neuralgia is a facial pain disorder. Carbamazepine is the drug of first choice.",
            ("carbamazepine", "treats", NEURALGIA, False),
            None,
        ),
        # examples in parentheses after a class, however the parser hung them
        (
            "You can't take it together with opioid painkillers (e.g. tramadol or codeine).",
            ("codeine", "subclassOf", OPIOIDS, False),
            None,
        ),
        # "such as" the parser hung elsewhere: the entity right before it is the class
        (
            "Symptoms include arthralgia, myalgia, fever and serositis such as pleurisy.",
            ("pleurisy", "subclassOf", "serositis", False),
            ("pleurisy", "subclassOf", "arthralgia", False),
        ),
        # what a clause denies of its subject holds for what "unlike" sets against it
        (
            "Activation of the kappa receptor produces analgesia, but unlike activation of the mu-opioid "
            "receptor it does not cause respiratory depression or euphoria.",
            ("mu-opioid-receptor", "causes", "euphoria", False),
            ("mu-opioid-receptor", "causes", "euphoria", True),
        ),
        (
            "Unlike naloxone, naltrexone is not used for the emergency treatment of opioid overdose.",
            ("naloxone", "treats", "opiate-overdose", False),
            ("naloxone", "treats", "opiate-overdose", True),
        ),
        # an affirmed clause says nothing of the contrasted noun
        (
            "Unlike naloxone, naltrexone is used for alcohol dependence.",
            None,
            ("naloxone", "treats", "alcohol-dependence", False),
        ),
        # a drug that increases a condition causes it (as one that lowers a symptom treats it)
        ("Morphine increases constipation.", ("morphine", "causes", "constipation-disorder", False), None),
        # not a protein or a cell that increases it
        (
            "TNF increases fatigue.",
            ("tumor-necrosis-factor", "increases", "fatigue", False),
            ("tumor-necrosis-factor", "causes", "fatigue", False),
        ),
        # a relative clause on a population the parser hung on its disease; an antibody patients started
        (
            "We reviewed the records of 341 patients with Crohn's disease or ulcerative colitis who started "
            "infliximab or adalimumab.",
            ("adalimumab", "treats", "crohns-disease", False),
            None,
        ),
        # an antibody is the instrument of a nominalised action too
        (
            "Anti-inflammatory strategies, such as blockade of TNF-alpha with infliximab, have not improved "
            "depression.",
            ("infliximab", "decreases", "tumor-necrosis-factor", False),
            None,
        ),
        # "whose": the trigger noun is about what the relative clause modifies
        (
            "Earlier biologics targeted tumour necrosis factor, whose blockade with adalimumab or infliximab "
            "clears the skin in many patients.",
            ("adalimumab", "decreases", "tumor-necrosis-factor", False),
            None,
        ),
        # a treatment with a drug as the subject: the drug treats the condition under discussion, which is
        # the disease named most often when none was a subject
        (
            "Fatigue is among the symptoms of multiple sclerosis. We studied adults with multiple sclerosis. "
            "Outcomes included depressive symptoms. Treatment with LDN was associated with less fatigue.",
            (LDN, "treats", MS, False),
            (LDN, "treats", "depressive-disorder", False),
        ),
        # "X is understood as a disease driven by Y": what is so understood
        (
            "Psoriasis is now understood as a disease driven largely by the "
            "interleukin-23/interleukin-17 axis.",
            ("interleukin-23", "causes", PSORIASIS, False),
            None,
        ),
        # trigger senses for molecules and cells: induce, sustain, act on, recruit
        ("Lipopolysaccharide induces interleukin-6.", ("lipopolysaccharide", "increases", IL6, False), None),
        (
            "The chemokines recruit neutrophils to the skin.",
            ("chemokine", "increases", "neutrophil", False),
            None,
        ),
        (
            "Their main product, IL-17A, acts on keratinocytes in the skin.",
            ("interleukin-17a", "regulates", "keratinocyte", False),
            None,
        ),
        # induce with a condition stays a cause
        (
            "Lipopolysaccharide induces fever.",
            ("lipopolysaccharide", "causes", "fever", False),
            ("lipopolysaccharide", "increases", "fever", False),
        ),
    ],
)
def test_frames_constructions_on_the_models_parse(nlp, text, expected, wrong):
    doc = nlp(text)
    read = {(r.subject, r.predicate, r.object, r.evidence.negated) for r in doc._.ldn_relations}
    assert expected is None or expected in read
    assert wrong is None or wrong not in read
