"""Constructions the frames read beyond their first cases, each on a parse built by hand: a relation (with
its rule) that must be read and, where one could be mistaken for it, one that must not. The first cases are in
test_frames_constructions_hand.py; the same constructions on the shipped model's parse are in
test_frames_constructions.py."""

from __future__ import annotations

import pytest

from tests.frame_ids import BETA_ENDORPHIN, IL17, NEURALGIA, OPIOIDS, PSORIASIS, TLR4
from tests.test_frames import found, parse

# Each case: the frames, a hand-built parse, its entities, a relation (with its rule) that must be read,
# and one that must not.
HAND_BUILT = {
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
        (BETA_ENDORPHIN, "increases", "delta-opioid-receptor", "nominal"),
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
    # "help" with no object of its own: for the condition under discussion
    "help with no object": (
        ["ldn.frame.verb.v1"],
        """
        Neuralgia  neuralgia  NOUN  NN  1 nsubj
        hurts      hurt       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        Baclofen   baclofen   PROPN NNP 5 nsubj
        may        may        AUX   MD  5 aux
        help       help       VERB  VB  5 ROOT
        .          .          PUNCT .   5 punct
        """,
        [(0, 1, "Disease", NEURALGIA), (3, 4, "Drug", "baclofen")],
        ("baclofen", "treats", NEURALGIA, "active-verb"),
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_frames_constructions_on_hand_built_parses_more(nlp, case):
    frames, table, ents, expected, wrong = HAND_BUILT[case]
    read = found(nlp, parse(nlp, table, ents), frames)
    assert expected in read
    assert wrong is None or wrong not in read
