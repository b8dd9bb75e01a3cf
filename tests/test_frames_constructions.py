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
            (SALVINORIN, "subclassOf", HALLUCINOGEN),
            None,
        ),
        # a complement conjoined inside an "of" phrase is no class: "a cause of X and death"
        (
            "Alcohol use disorder is a leading cause of liver disease and premature death.",
            None,
            ("alcohol-dependence", "subclassOf", "death"),
        ),
        (
            "Ibudilast, a phosphodiesterase inhibitor that dampens glial activation, reduced pain.",
            (IBUDILAST, "decreases", GLIAL_ACTIVATION),
            (PDE_INHIBITOR, "decreases", GLIAL_ACTIVATION),
        ),
        (
            "Minocycline, an antibiotic that inhibits microglia, reduced allodynia.",
            (MINOCYCLINE, "decreases", MICROGLIA),
            None,
        ),
    ],
)
def test_frames_constructions_on_the_models_parse(nlp, text, expected, wrong):
    doc = nlp(text)
    read = {(r.subject, r.predicate, r.object) for r in doc._.ldn_relations}
    assert expected is None or expected in read
    assert wrong is None or wrong not in read
