"""Constructions the frames read beyond their first cases, each on a parse built by hand: a relation (with
its rule) that must be read and, where one could be mistaken for it, one that must not. The cases go on in
test_frames_constructions_hand_more.py; the same constructions on the shipped model's parse are in
test_frames_constructions.py."""

from __future__ import annotations

import pytest

from tests.frame_ids import (
    BETA_ENDORPHIN,
    CRPS,
    DEPRESSION,
    FRACTURE,
    GLIAL_ACTIVATION,
    H1R,
    HALLUCINOGEN,
    HEADACHE,
    HISTAMINE,
    IBUDILAST,
    IL6,
    IL17,
    KAPPA_AGONIST,
    LDN,
    LYMPHOCYTE,
    MIGRAINE,
    MS,
    NEURALGIA,
    NEURON,
    OXCARBAZEPINE,
    PDE_INHIBITOR,
    POMC,
    SALVINORIN,
)
from tests.test_frames import found, parse

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
}


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_frames_constructions_on_hand_built_parses(nlp, case):
    frames, table, ents, expected, wrong = HAND_BUILT[case]
    read = found(nlp, parse(nlp, table, ents), frames)
    assert expected in read
    assert wrong is None or wrong not in read
