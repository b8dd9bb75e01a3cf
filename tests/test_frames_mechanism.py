"""How prose states mechanisms: production nouns and verbs with the cell that makes their object ("the
release of IL-6 from macrophages"), an effect summed up after a comma ("an effect prevented by Z"), a gene
change that stands for its gene ("mutations in CFTR"), an inverse noun ("a consequence of Y"), an activation
noun under a cause verb, the place of an expression noun's clause, a definite noun for the entity the text
classed with it ("the channel"), a metabolite noun ("its main metabolite, EDDP"), a class noun with the
name beside it ("the cytokine IL-6", "the NLRP3 inflammasome", "X, an autosomal disorder caused by ..."),
and a cleavage that yields something. Each on a parse built by hand (a relation, with its rule, that must
be read, and one that must not) and on the shipped model's parse."""

from __future__ import annotations

import pytest

from tests.frame_ids import BETA_ENDORPHIN, IL6, MICROGLIA
from tests.test_frames import found, parse

TNF = "tumor-necrosis-factor"
TRPV1 = "transient-receptor-potential-cation-channel-subfamily-v-member-1"
IL1B = "interleukin-1-beta"
CB2 = "cannabinoid-receptor-2"
P2X7 = "purinergic-receptor-p2x-7"
ATP2C1 = "atpase-secretory-pathway-ca2-transporting-1"
CAPSAICIN_ENTS = [
    (0, 1, "Drug", "capsaicin"),
    (2, 3, "PhenotypicFeature", "hyperalgesia"),
    (8, 9, "Drug", "morphine"),
]

# Each case: the frames, a hand-built parse, its entities, a relation (with its rule) that must be read,
# and one that must not (or None).
HAND_BUILT = {
    # a production noun: the cell its "from" phrase names makes what its "of" phrase names
    "release of X from cells": (
        ["ldn.frame.producer-of.v1"],
        """
        The         the         DET   DT  1 det
        release     release     NOUN  NN  6 nsubj
        of          of          ADP   IN  1 prep
        IL-6        il-6        PROPN NNP 2 pobj
        from        from        ADP   IN  1 prep
        macrophages macrophage  NOUN  NNS 4 pobj
        rises       rise        VERB  VBZ 6 ROOT
        .           .           PUNCT .   6 punct
        """,
        [(3, 4, "Protein", IL6), (5, 6, "Cell", "macrophage")],
        ("macrophage", "produces", IL6, "producer-of"),
        None,
    ),
    # a cell adjective the lexicon has as "<adjective> cell" is that cell; a drug after "by" is no producer
    "cell adjective before a production noun": (
        ["ldn.frame.producer-of.v1"],
        """
        The         the         DET   DT  2 det
        microglial  microglial  ADJ   JJ  2 amod
        release     release     NOUN  NN  7 nsubj
        of          of          ADP   IN  2 prep
        TNF         tnf         PROPN NNP 3 pobj
        by          by          ADP   IN  2 prep
        morphine    morphine    PROPN NNP 5 pobj
        rises       rise        VERB  VBZ 7 ROOT
        .           .           PUNCT .   7 punct
        """,
        [(4, 5, "Protein", TNF), (6, 7, "Drug", "morphine")],
        (MICROGLIA, "produces", TNF, "producer-of"),
        ("morphine", "produces", TNF, "producer-of"),
    ),
    # a metabolite named beside the possessive noun: the drug "its" stands for produces it
    "its main metabolite, X": (
        ["ldn.frame.metabolite-of.v1"],
        """
        Methadone  methadone  PROPN NNP 1 nsubj
        works      work       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        Its        its        PRON  PRP$ 5 poss
        main       main       ADJ   JJ  5 amod
        metabolite metabolite NOUN  NN  9 nsubj
        ,          ,          PUNCT ,   5 punct
        EDDP       eddp       PROPN NNP 5 appos
        ,          ,          PUNCT ,   5 punct
        acts       act        VERB  VBZ 9 ROOT
        .          .          PUNCT .   9 punct
        """,
        [(0, 1, "Drug", "methadone"), (7, 8, "ChemicalEntity", "eddp")],
        ("methadone", "produces", "eddp", "metabolite-of"),
        ("eddp", "produces", "methadone", "metabolite-of"),
    ),
    # a production noun under a cause verb: the verb's subject raises what is released, it does not make it
    "causes the release of X": (
        ["ldn.frame.nominal.v1"],
        """
        Morphine  morphine  PROPN NNP 1 nsubj
        causes    cause     VERB  VBZ 1 ROOT
        the       the       DET   DT  3 det
        release   release   NOUN  NN  1 dobj
        of        of        ADP   IN  3 prep
        histamine histamine NOUN  NN  4 pobj
        .         .         PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "morphine"), (5, 6, "ChemicalEntity", "histamine")],
        ("morphine", "increases", "histamine", "nominal"),
        ("morphine", "produces", "histamine", "nominal"),
    ),
    # a production verb with the cells it releases from: they make it, the subject raises it
    "releases X from cells": (
        ["ldn.frame.verb.v1"],
        """
        Morphine      morphine      PROPN NNP 1 nsubj
        releases      release       VERB  VBZ 1 ROOT
        endorphin     endorphin     NOUN  NN  1 dobj
        from          from          ADP   IN  1 prep
        keratinocytes keratinocyte  NOUN  NNS 3 pobj
        .             .             PUNCT .   1 punct
        """,
        [
            (0, 1, "Drug", "morphine"),
            (2, 3, "MolecularEntity", BETA_ENDORPHIN),
            (4, 5, "Cell", "keratinocyte"),
        ],
        ("keratinocyte", "produces", BETA_ENDORPHIN, "released-from"),
        ("morphine", "produces", BETA_ENDORPHIN, "active-verb"),
    ),
    # "an effect prevented by Z" after a comma: Z acts on what the clause before produced
    "an effect prevented by Z": (
        ["ldn.frame.verb.v1"],
        """
        Capsaicin    capsaicin    PROPN NNP 1 nsubj
        produces     produce      VERB  VBZ 1 ROOT
        hyperalgesia hyperalgesia NOUN  NN  1 dobj
        ,            ,            PUNCT ,   1 punct
        an           an           DET   DT  5 det
        effect       effect       NOUN  NN  1 dobj
        prevented    prevent      VERB  VBN 5 acl
        by           by           ADP   IN  6 agent
        morphine     morphine     PROPN NNP 7 pobj
        .            .            PUNCT .   1 punct
        """,
        CAPSAICIN_ENTS,
        ("morphine", "decreases", "hyperalgesia", "active-passive"),
        ("morphine", "treats", "hyperalgesia", "active-passive"),  # an experiment's finding, no treatment
    ),
    # a light verb whose first object is an entity is no light verb: "produces hyperalgesia, an effect ..."
    "light verb with a summing-up object last": (
        ["ldn.frame.verb.v1"],
        """
        Capsaicin    capsaicin    PROPN NNP 1 nsubj
        produces     produce      VERB  VBZ 1 ROOT
        hyperalgesia hyperalgesia NOUN  NN  1 dobj
        ,            ,            PUNCT ,   1 punct
        an           an           DET   DT  5 det
        effect       effect       NOUN  NN  1 dobj
        prevented    prevent      VERB  VBN 5 acl
        by           by           ADP   IN  6 agent
        morphine     morphine     PROPN NNP 7 pobj
        .            .            PUNCT .   1 punct
        """,
        CAPSAICIN_ENTS,
        ("capsaicin", "causes", "hyperalgesia", "active-verb"),
        ("capsaicin", "decreases", "hyperalgesia", "active-passive"),
    ),
    # a gene change stands for the gene it is in
    "mutations in a gene": (
        ["ldn.frame.verb.v1"],
        """
        Fibrosis  fibrosis  NOUN  NN  2 nsubjpass
        is        be        AUX   VBZ 2 auxpass
        caused    cause     VERB  VBN 2 ROOT
        by        by        ADP   IN  2 agent
        mutations mutation  NOUN  NNS 3 pobj
        in        in        ADP   IN  4 prep
        CFTR      cftr      PROPN NNP 5 pobj
        .         .         PUNCT .   2 punct
        """,
        [
            (0, 1, "Disease", "cystic-fibrosis"),
            (4, 5, "BiologicalProcess", "mutation"),
            (6, 7, "Protein", "cftr"),
        ],
        ("cftr", "causes", "cystic-fibrosis", "active-passive"),
        ("mutation", "causes", "cystic-fibrosis", "active-passive"),
    ),
    # an inverse noun: its "of" phrase causes the copula's subject
    "a consequence of Y": (
        ["ldn.frame.nominal.v1"],
        """
        Gout           gout           PROPN NNP 1 nsubj
        is             be             AUX   VBZ 1 ROOT
        a              a              DET   DT  3 det
        consequence    consequence    NOUN  NN  1 attr
        of             of             ADP   IN  3 prep
        hyperuricaemia hyperuricaemia NOUN  NN  4 pobj
        .              .              PUNCT .   1 punct
        """,
        [(0, 1, "Disease", "gout"), (5, 6, "PhenotypicFeature", "hyperuricemia")],
        ("hyperuricemia", "causes", "gout", "nominal"),
        ("gout", "causes", "hyperuricemia", "nominal"),
    ),
    # an activation noun under a cause verb: more of what is assembled
    "triggers assembly of X": (
        ["ldn.frame.verb.v1"],
        """
        P2X7         p2x7         PROPN NNP 1 nsubj
        triggers     trigger      VERB  VBZ 1 ROOT
        assembly     assembly     NOUN  NN  1 dobj
        of           of           ADP   IN  2 prep
        the          the          DET   DT  5 det
        inflammasome inflammasome NOUN  NN  3 pobj
        .            .            PUNCT .   1 punct
        """,
        [(0, 1, "Protein", P2X7), (5, 6, "ChemicalEntity", "inflammasomes")],
        (P2X7, "increases", "inflammasomes", "active-verb"),
        None,
    ),
    # an expression noun as a clause's subject: the clause's place is the protein's
    "X expression rises in cells": (
        ["ldn.frame.located-in.v1"],
        """
        CB2        cb2        PROPN NNP 1 compound
        expression expression NOUN  NN  2 nsubj
        rises      rise       VERB  VBZ 2 ROOT
        in         in         ADP   IN  2 prep
        microglia  microglia  NOUN  NNS 3 pobj
        and        and        CCONJ CC  3 cc
        in         in         ADP   IN  3 conj
        macrophages macrophage NOUN NNS 6 pobj
        .          .          PUNCT .   2 punct
        """,
        [(0, 1, "Protein", CB2), (4, 5, "Cell", MICROGLIA), (7, 8, "Cell", "macrophage")],
        (CB2, "locatedIn", "macrophage", "located-in"),
        None,
    ),
    # "the channel": the entity the text said is a channel
    "the channel the text named": (
        ["ldn.frame.verb.v1"],
        """
        TRPV1      trpv1      PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        a          a          DET   DT  3 det
        channel    channel    NOUN  NN  1 attr
        .          .          PUNCT .   1 punct
        Bradykinin bradykinin PROPN NNP 6 nsubj
        sensitises sensitise  VERB  VBZ 6 ROOT
        the        the        DET   DT  8 det
        channel    channel    NOUN  NN  6 dobj
        .          .          PUNCT .   6 punct
        """,
        [(0, 1, "Protein", TRPV1), (5, 6, "Drug", "bradykinin")],
        ("bradykinin", "increases", TRPV1, "active-verb"),
        None,
    ),
    # a cleavage into an active form raises what it yields
    "cleaves X into its active form": (
        ["ldn.frame.verb.v1"],
        """
        Caspase-1 caspase-1 PROPN NNP 1 nsubj
        cleaves   cleave    VERB  VBZ 1 ROOT
        IL-1beta  il-1beta  PROPN NNP 1 dobj
        into      into      ADP   IN  1 prep
        its       its       PRON  PRP$ 6 poss
        active    active    ADJ   JJ  6 amod
        form      form      NOUN  NN  3 pobj
        .         .         PUNCT .   1 punct
        """,
        [(0, 1, "Protein", "caspase-1"), (2, 3, "Protein", IL1B)],
        ("caspase-1", "increases", IL1B, "cleaved-into"),
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_frames_mechanisms_on_hand_built_parses(nlp, case):
    frames, table, ents, expected, wrong = HAND_BUILT[case]
    read = found(nlp, parse(nlp, table, ents), frames)
    assert expected in read
    assert wrong is None or wrong not in read


def test_frames_a_bare_cleavage_raises_nothing(nlp):
    # "X cleaves Y" may as well degrade Y: only a yield preposition says it makes something
    doc = parse(
        nlp,
        """
        Neprilysin neprilysin PROPN NNP 1 nsubj
        cleaves    cleave     VERB  VBZ 1 ROOT
        amyloid    amyloid    NOUN  NN  1 dobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Protein", "neprilysin"), (2, 3, "Protein", "amyloid-beta")],
    )
    assert not found(nlp, doc, ["ldn.frame.verb.v1"])


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        (
            "The release of interleukin-6 from macrophages is increased in rheumatoid arthritis.",
            ("macrophage", "produces", IL6),
            None,
        ),
        ("The microglial release of TNF drives neuropathic pain.", (MICROGLIA, "produces", TNF), None),
        (
            "Morphine stimulates the release of histamine by mast cells.",
            ("mast-cell", "produces", "histamine"),
            ("morphine", "produces", "histamine"),
        ),
        (
            "Morphine releases beta-endorphin from keratinocytes.",
            ("morphine", "increases", BETA_ENDORPHIN),
            ("morphine", "produces", BETA_ENDORPHIN),
        ),
        (
            "Capsaicin produces thermal hyperalgesia in rats, an effect prevented by morphine.",
            ("morphine", "decreases", "thermal-hyperalgesia"),
            None,
        ),
        (
            "Capsaicin produces thermal hyperalgesia in rats, an effect prevented by morphine.",
            ("capsaicin", "causes", "thermal-hyperalgesia"),
            None,
        ),
        (
            "Cystic fibrosis is an inherited disorder caused by mutations in CFTR.",
            ("cftr", "causes", "cystic-fibrosis"),
            ("mutation", "causes", "cystic-fibrosis"),
        ),
        (
            "Osteoarthritis is often a consequence of obesity.",
            ("obesity-disorder", "causes", "osteoarthritis"),
            ("osteoarthritis", "causes", "obesity-disorder"),
        ),
        (
            "ATP activates the P2X7 receptor, a channel that triggers assembly of the inflammasome.",
            (P2X7, "increases", "inflammasomes"),
            None,
        ),
        (
            "After nerve injury, TLR4 expression rises markedly in spinal microglia.",
            ("toll-like-receptor-4", "locatedIn", MICROGLIA),
            None,
        ),
        (
            "TRPV1 is an ion channel expressed by nociceptors. Bradykinin sensitises the channel.",
            ("bradykinin", "increases", TRPV1),
            None,
        ),
        (
            "Caspase-1 then cleaves pro-IL-1β into its active form.",
            ("caspase-1", "increases", IL1B),
            None,
        ),
        (
            "Amyloid-beta activates the NLRP3 inflammasome in microglia.",
            ("amyloid-beta", "increases", "nlr-family-pyrin-domain-containing-3"),
            ("amyloid-beta", "increases", "inflammasomes"),
        ),
        (
            "Activated macrophages secrete the pro-inflammatory cytokine interleukin-6 in the gut.",
            ("macrophage", "produces", IL6),
            ("macrophage", "produces", "proinflammatory-cytokine"),
        ),
        (
            "Hailey-Hailey disease, an autosomal dominant blistering disorder caused by mutations in ATP2C1, "
            "produces painful erosions in the skin folds.",
            (ATP2C1, "causes", "hailey-hailey-disease"),
            (ATP2C1, "causes", "autosomal-dominant-blistering-disorder"),
        ),
        (
            "Extracellular ATP, released by stressed neurons and astrocytes, acts on the P2X7 receptor.",
            ("astrocyte", "produces", "atp"),
            None,
        ),
        (
            "IL-1β induces the release of further cytokines, prostaglandins and chemokines.",
            (IL1B, "increases", "chemokine"),
            (IL1B, "produces", "chemokine"),
        ),
        (
            "IL-1β enhances the excitability of dorsal horn neurons.",
            (IL1B, "increases", "posterior-horn-cells"),
            None,
        ),
        (
            # the adjective of a transparent head with an "of" phrase is a kind of it, not its argument
            "The pro-inflammatory activity of TNF drives joint pain.",
            (TNF, "causes", "arthralgia"),
            ("inflammatory-response", "causes", "arthralgia"),
        ),
        (
            "Intrathecal infusion of interleukin-1 beta reproduced anhedonia in mice.",
            (IL1B, "causes", "anhedonia"),
            None,
        ),
    ],
)
def test_frames_mechanisms_on_the_models_parse(nlp, text, expected, wrong):
    read = {(r.subject, r.predicate, r.object) for r in nlp(text)._.ldn_relations}
    assert expected in read
    assert wrong is None or wrong not in read
