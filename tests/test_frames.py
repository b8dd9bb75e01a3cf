"""The relation extractor's frames, one at a time: on parses built by hand (so a frame is tested on the
construction it reads, whatever a model makes of the sentence) and on the shipped model's parse of a plain
sentence; the `frames` config key; the word classes the frames read."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from ldn_graph.errors import DataError, ModelError
from ldn_graph.pipeline.frames import DEFAULT_FRAMES, FRAMES, Frame, load_frames
from ldn_graph.pipeline.relations import RelationExtractor
from ldn_graph.pipeline.rules import read_word_classes, tsv_rows, word_classes

LDN = "low-dose-naltrexone"
NALTREXONE = "naltrexone"
NALOXONE = "naloxone"
TRAMADOL = "tramadol"
TLR4 = "toll-like-receptor-4"
MICROGLIA = "microglial-cell"
IL6 = "interleukin-6"
CNS = "central-nervous-system"
FIBROMYALGIA = "fibromyalgia"
PSORIASIS = "psoriasis"


def parse(nlp, table: str, ents: list[tuple[int, int, str, str]]) -> Doc:
    """A doc from a CoNLL-like table, one token a line: word, lemma, POS, tag, head index, dependency;
    entities as (start, end, category, concept key)."""
    rows = [line.split() for line in table.strip().splitlines()]
    doc = Doc(
        nlp.vocab,
        words=[r[0] for r in rows],
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        tags=[r[3] for r in rows],
        heads=[int(r[4]) for r in rows],
        deps=[r[5] for r in rows],
    )
    doc.ents = [Span(doc, s, e, label=label, kb_id=key) for s, e, label, key in ents]
    return doc


def found(nlp, doc: Doc, frames: list[str] | tuple[str, ...]) -> set[tuple[str, str, str, str]]:
    """(subject, predicate, object, rule) of what the extractor running `frames` reads in `doc`."""
    RelationExtractor(nlp, "frames-test", frames)(doc)
    return {(r.subject, r.predicate, r.object, r.evidence.rule) for r in doc._.ldn_relations}


# Each case: the frame, a hand-built parse, its entities, and a relation with the rule the frame names.
HAND_BUILT = {
    # active voice: the subject acts on the object
    "ldn.frame.verb.v1": (
        """
        Naloxone  naloxone PROPN NNP 1 nsubj
        blocks    block    VERB  VBZ 1 ROOT
        TLR4      tlr4     PROPN NNP 1 dobj
        .         .        PUNCT .   1 punct
        """,
        [(0, 1, "Drug", NALOXONE), (2, 3, "Protein", TLR4)],
        (NALOXONE, "decreases", TLR4, "active-verb"),
    ),
    # passive voice: the agent acts on the subject
    "verb, passive": (
        """
        Pain      pain      NOUN  NN  2 nsubjpass
        is        be        AUX   VBZ 2 auxpass
        caused    cause     VERB  VBN 2 ROOT
        by        by        ADP   IN  2 agent
        microglia microglia NOUN  NNS 3 pobj
        .         .         PUNCT .   2 punct
        """,
        [(0, 1, "PhenotypicFeature", "pain"), (4, 5, "Cell", MICROGLIA)],
        (MICROGLIA, "causes", "pain", "active-passive"),
    ),
    # a passive with no agent: the trigger's own preposition names the other party
    "verb, passive counterpart": (
        """
        Naloxone  naloxone PROPN NNP 2 nsubjpass
        is        be       AUX   VBZ 2 auxpass
        bound     bind     VERB  VBN 2 ROOT
        to        to       ADP   IN  2 prep
        TLR4      tlr4     PROPN NNP 3 pobj
        .         .        PUNCT .   2 punct
        """,
        [(0, 1, "Drug", NALOXONE), (4, 5, "Protein", TLR4)],
        (NALOXONE, "binds", TLR4, "counterpart-passive"),
    ),
    # a population defined by the drug it received: the change found in it is the drug's
    "ldn.frame.treated-population.v1": (
        """
        A         a         DET   DT  1 det
        reduction reduction NOUN  NN  1 ROOT
        in        in        ADP   IN  1 prep
        pain      pain      NOUN  NN  2 pobj
        among     among     ADP   IN  1 prep
        patients  patient   NOUN  NNS 4 pobj
        who       who       PRON  WP  7 nsubj
        received  receive   VERB  VBD 5 relcl
        LDN       ldn       PROPN NNP 7 dobj
        .         .         PUNCT .   1 punct
        """,
        [(3, 4, "PhenotypicFeature", "pain"), (8, 9, "Drug", LDN)],
        (LDN, "decreases", "pain", "treated-population"),
    ),
    # an `inverse` trigger: the object acts on the subject (here the condition of a population)
    "verb, inverse": (
        """
        Patients   patient    NOUN  NNS 3 nsubj
        with       with       ADP   IN  0 prep
        psoriasis  psoriasis  NOUN  NN  1 pobj
        benefit    benefit    VERB  VBP 3 ROOT
        from       from       ADP   IN  3 prep
        naltrexone naltrexone NOUN  NN  4 pobj
        .          .          PUNCT .   3 punct
        """,
        [(2, 3, "Disease", PSORIASIS), (5, 6, "Drug", NALTREXONE)],
        (NALTREXONE, "treats", PSORIASIS, "inverse-verb"),
    ),
    # a nominalisation under a light verb: the verb's subject is the noun's
    "ldn.frame.nominal.v1": (
        """
        Ketamine     ketamine     PROPN NNP 1 nsubj
        causes       cause        VERB  VBZ 1 ROOT
        an           an           DET   DT  3 det
        increase     increase     NOUN  NN  1 dobj
        in           in           ADP   IN  3 prep
        interleukin-6 interleukin-6 PROPN NNP 4 pobj
        .            .            PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "ketamine"), (5, 6, "Protein", IL6)],
        ("ketamine", "increases", IL6, "nominal"),
    ),
    # an adjective under a copula: its subject, the object of its preposition
    "ldn.frame.adjective.v1": (
        """
        Gabapentin gabapentin PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        helpful    helpful    ADJ   JJ  1 acomp
        in         in         ADP   IN  2 prep
        fibromyalgia fibromyalgia NOUN NN 3 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "gabapentin"), (4, 5, "Disease", FIBROMYALGIA)],
        ("gabapentin", "treats", FIBROMYALGIA, "adjective"),
    ),
    # a copula with an entity complement: class membership
    "ldn.frame.copula.v1": (
        """
        Naloxone   naloxone   PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        an         an         DET   DT  4 det
        opioid     opioid     ADJ   JJ  4 amod
        antagonist antagonist NOUN  NN  1 attr
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", NALOXONE), (3, 5, "ChemicalRole", "opioid-receptor-antagonist")],
        (NALOXONE, "subclassOf", "opioid-receptor-antagonist", "copula-class"),
    ),
    # "such as" hung on a class: its members are subclasses
    "ldn.frame.such-as.v1": (
        """
        Naltrexone naltrexone PROPN NNP 1 nsubj
        treats     treat      VERB  VBZ 1 ROOT
        autoimmune autoimmune ADJ   JJ  3 amod
        diseases   disease    NOUN  NNS 1 dobj
        such       such       ADJ   JJ  5 amod
        as         as         ADP   IN  3 prep
        psoriasis  psoriasis  NOUN  NN  5 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", NALTREXONE), (2, 4, "Disease", "autoimmune-disease"), (6, 7, "Disease", PSORIASIS)],
        (PSORIASIS, "subclassOf", "autoimmune-disease", "such-as"),
    ),
    # an anatomical apposition in parentheses: a part
    "ldn.frame.parenthetical-part.v1": (
        """
        The      the      DET   DT  1 det
        CNS      cns      PROPN NNP 6 nsubjpass
        (        (        PUNCT -LRB- 1 punct
        brain    brain    NOUN  NN  1 appos
        )        )        PUNCT -RRB- 1 punct
        is       be       AUX   VBZ 6 auxpass
        affected affect   VERB  VBN 6 ROOT
        .        .        PUNCT .   6 punct
        """,
        [(1, 2, "AnatomicalEntity", CNS), (3, 4, "AnatomicalEntity", "brain")],
        ("brain", "partOf", CNS, "parenthetical-part"),
    ),
    # "the X of the Y" between anatomical entities: a part of a whole
    "ldn.frame.part-of-whole.v1": (
        """
        Signals signal PROPN NNS 1 nsubj
        reach   reach  VERB  VBP 1 ROOT
        the     the    DET   DT  4 det
        dorsal  dorsal ADJ   JJ  4 amod
        horn    horn   NOUN  NN  1 dobj
        of      of     ADP   IN  4 prep
        the     the    DET   DT  8 det
        spinal  spinal ADJ   JJ  8 amod
        cord    cord   NOUN  NN  5 pobj
        .       .      PUNCT .   1 punct
        """,
        [(3, 5, "AnatomicalEntity", "spinal-cord-dorsal-horn"), (7, 9, "AnatomicalEntity", "spinal-cord")],
        ("spinal-cord-dorsal-horn", "partOf", "spinal-cord", "part-of-whole"),
    ),
    # an indefinite apposition names the class
    "ldn.frame.class-apposition.v1": (
        """
        Naloxone   naloxone   PROPN NNP 0 ROOT
        ,          ,          PUNCT ,   0 punct
        an         an         DET   DT  4 det
        opioid     opioid     ADJ   JJ  4 amod
        antagonist antagonist NOUN  NN  0 appos
        .          .          PUNCT .   0 punct
        """,
        [(0, 1, "Drug", NALOXONE), (3, 5, "ChemicalRole", "opioid-receptor-antagonist")],
        (NALOXONE, "subclassOf", "opioid-receptor-antagonist", "class-apposition"),
    ),
    # a measure higher in a group with a condition goes with the condition
    "ldn.frame.comparison.v1": (
        """
        IL6         il6       PROPN NNP 1 compound
        levels      level     NOUN  NNS 2 nsubj
        were        be        AUX   VBD 2 ROOT
        higher      high      ADJ   JJR 2 acomp
        in          in        ADP   IN  3 prep
        patients    patient   NOUN  NNS 4 pobj
        with        with      ADP   IN  5 prep
        fibromyalgia fibromyalgia NOUN NN 6 pobj
        .           .         PUNCT .   2 punct
        """,
        [(0, 1, "Protein", IL6), (7, 8, "Disease", FIBROMYALGIA)],
        (IL6, "associatedWith", FIBROMYALGIA, "comparison-in-population"),
    ),
    # a protein "on" a cell: where it is
    "ldn.frame.located-in.v1": (
        """
        TLR4      tlr4      PROPN NNP 3 nsubj
        on        on        ADP   IN  0 prep
        microglia microglia NOUN  NNS 1 pobj
        rises     rise      VERB  VBZ 3 ROOT
        .         .         PUNCT .   3 punct
        """,
        [(0, 1, "Protein", TLR4), (2, 3, "Cell", MICROGLIA)],
        (TLR4, "locatedIn", MICROGLIA, "located-in"),
    ),
    # a production noun: the cell its "from" phrase names makes what its "of" phrase names
    "ldn.frame.producer-of.v1": (
        """
        Release     release     NOUN  NN  5 nsubj
        of          of          ADP   IN  0 prep
        IL-6        il-6        PROPN NNP 1 pobj
        from        from        ADP   IN  0 prep
        macrophages macrophage  NOUN  NNS 3 pobj
        rises       rise        VERB  VBZ 5 ROOT
        .           .           PUNCT .   5 punct
        """,
        [(2, 3, "Protein", IL6), (4, 5, "Cell", "macrophage")],
        ("macrophage", "produces", IL6, "producer-of"),
    ),
    # a metabolite noun: the drug its "of" phrase (or possessor) names produces what it names
    "ldn.frame.metabolite-of.v1": (
        """
        Norketamine norketamine PROPN NNP 1 nsubj
        is          be          AUX   VBZ 1 ROOT
        a           a           DET   DT  3 det
        metabolite  metabolite  NOUN  NN  1 attr
        of          of          ADP   IN  3 prep
        ketamine    ketamine    PROPN NNP 4 pobj
        .           .           PUNCT .   1 punct
        """,
        [(0, 1, "ChemicalEntity", "norketamine"), (5, 6, "Drug", "ketamine")],
        ("ketamine", "produces", "norketamine", "metabolite-of"),
    ),
    # "the dose of X is 3 mg of Y": Y is X's active ingredient
    "ldn.frame.dose-of.v1": (
        """
        The        the        DET   DT  1 det
        dose       dose       NOUN  NN  4 nsubj
        of         of         ADP   IN  1 prep
        LDN        ldn        PROPN NNP 2 pobj
        is         be         AUX   VBZ 4 ROOT
        3          3          NUM   CD  6 nummod
        mg         mg         NOUN  NN  4 attr
        of         of         ADP   IN  6 prep
        naltrexone naltrexone NOUN  NN  7 pobj
        .          .          PUNCT .   4 punct
        """,
        [(3, 4, "Drug", LDN), (8, 9, "Drug", NALTREXONE)],
        (LDN, "hasActiveIngredient", NALTREXONE, "dose-of"),
    ),
    # patients on the drug under discussion notice a symptom: a side effect
    "ldn.frame.patient-report.v1": (
        """
        On         on         ADP   IN  4 prep
        naltrexone naltrexone NOUN  NN  0 pobj
        ,          ,          PUNCT ,   4 punct
        patients   patient    NOUN  NNS 4 nsubj
        noticed    notice     VERB  VBD 4 ROOT
        insomnia   insomnia   NOUN  NN  4 dobj
        .          .          PUNCT .   4 punct
        """,
        [(1, 2, "Drug", NALTREXONE), (5, 6, "PhenotypicFeature", "insomnia")],
        (NALTREXONE, "hasSideEffect", "insomnia", "patient-report"),
    ),
    # "reported less X": an improvement, not a side effect
    "patient-report, less": (
        """
        On         on         ADP   IN  4 prep
        naltrexone naltrexone NOUN  NN  0 pobj
        ,          ,          PUNCT ,   4 punct
        patients   patient    NOUN  NNS 4 nsubj
        reported   report     VERB  VBD 4 ROOT
        less       less       ADJ   JJR 6 amod
        fatigue    fatigue    NOUN  NN  4 dobj
        .          .          PUNCT .   4 punct
        """,
        [(1, 2, "Drug", NALTREXONE), (6, 7, "PhenotypicFeature", "fatigue")],
        (NALTREXONE, "decreases", "fatigue", "patient-report-less"),
    ),
    # "side effects of X are Y"
    "ldn.frame.side-effect-list.v1": (
        """
        Side       side       NOUN  NN  1 compound
        effects    effect     NOUN  NNS 4 nsubj
        of         of         ADP   IN  1 prep
        naltrexone naltrexone NOUN  NN  2 pobj
        are        be         AUX   VBP 4 ROOT
        nausea     nausea     NOUN  NN  4 attr
        .          .          PUNCT .   4 punct
        """,
        [(3, 4, "Drug", NALTREXONE), (5, 6, "PhenotypicFeature", "nausea")],
        (NALTREXONE, "hasSideEffect", "nausea", "side-effect-list"),
    ),
    # "made by": a molecule's producer (the trigger takes molecules only)
    "verb, made by": (
        """
        IL-6       il-6       PROPN NNP 2 nsubjpass
        is         be         AUX   VBZ 2 auxpass
        made       make       VERB  VBN 2 ROOT
        by         by         ADP   IN  2 agent
        microglia  microglia  NOUN  NNS 3 pobj
        .          .          PUNCT .   2 punct
        """,
        [(0, 1, "Protein", IL6), (4, 5, "Cell", MICROGLIA)],
        (MICROGLIA, "produces", IL6, "active-passive"),
    ),
    # a cause verb over a production noun: more of the molecule
    "verb, synthesis of": (
        """
        Naloxone   naloxone   PROPN NNP 1 nsubj
        induces    induce     VERB  VBZ 1 ROOT
        the        the        DET   DT  3 det
        synthesis  synthesis  NOUN  NN  1 dobj
        of         of         ADP   IN  3 prep
        IL-6       il-6       PROPN NNP 4 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", NALOXONE), (5, 6, "Protein", IL6)],
        (NALOXONE, "increases", IL6, "active-verb"),
    ),
    # "X is one of the Ys": class membership
    "copula, one of": (
        """
        IL-6       il-6       PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        one        one        NUM   CD  1 attr
        of         of         ADP   IN  2 prep
        the        the        DET   DT  5 det
        cytokines  cytokine   NOUN  NNS 3 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Protein", IL6), (5, 6, "MolecularEntity", "cytokine")],
        (IL6, "subclassOf", "cytokine", "copula-class"),
    ),
    # a comparison with placebo: "no better" is a negated treats of the condition under discussion
    "ldn.frame.versus-placebo.v1": (
        """
        Psoriasis  psoriasis  NOUN  NN  1 nsubj
        itches     itch       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        Naloxone   naloxone   PROPN NNP 4 nsubj
        was        be         AUX   VBD 4 ROOT
        no         no         ADV   RB  6 neg
        better     well       ADJ   JJR 4 acomp
        than       than       ADP   IN  6 prep
        placebo    placebo    NOUN  NN  7 pobj
        .          .          PUNCT .   4 punct
        """,
        [(0, 1, "Disease", PSORIASIS), (3, 4, "Drug", NALOXONE)],
        (NALOXONE, "treats", PSORIASIS, "versus-placebo"),
    ),
    # "X expression in Y": the protein is in that place
    "located-in, expression": (
        """
        TLR4       tlr4       PROPN NNP 1 compound
        expression expression NOUN  NN  4 nsubj
        in         in         ADP   IN  1 prep
        microglia  microglia  NOUN  NNS 2 pobj
        rose       rise       VERB  VBD 4 ROOT
        .          .          PUNCT .   4 punct
        """,
        [(0, 1, "Protein", TLR4), (3, 4, "Cell", MICROGLIA)],
        (TLR4, "locatedIn", MICROGLIA, "located-in"),
    ),
    # a subordinate clause parsed as one noun phrase
    "verbless-clause, subordinate": (
        """
        It         it         PRON  PRP 1 nsubj
        helps      help       VERB  VBZ 1 ROOT
        because    because    SCONJ IN  5 mark
        naloxone   naloxone   NOUN  NN  4 compound
        blocks     block      NOUN  NNS 5 compound
        TLR4       tlr4       PROPN NNP 1 advcl
        .          .          PUNCT .   1 punct
        """,
        [(3, 4, "Drug", NALOXONE), (5, 6, "Protein", TLR4)],
        (NALOXONE, "decreases", TLR4, "verbless-clause"),
    ),
    # an indefinite apposition naming a class no lexicon knows: a local class over its entity modifiers
    "class-apposition, local class": (
        """
        Naloxone   naloxone   PROPN NNP 6 nsubj
        ,          ,          PUNCT ,   0 punct
        a          a          DET   DT  4 det
        TLR4       tlr4       PROPN NNP 4 compound
        blocker    blocker    NOUN  NN  0 appos
        ,          ,          PUNCT ,   0 punct
        works      work       VERB  VBZ 6 ROOT
        .          .          PUNCT .   6 punct
        """,
        [(0, 1, "Drug", NALOXONE), (3, 4, "Protein", TLR4)],
        (NALOXONE, "subclassOf", "tlr4-blocker", "class-apposition"),
    ),
    # "X are necessary for Y" with "for" hung on the copula
    "adjective, preposition on the copula": (
        """
        TLR4       tlr4       PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        necessary  necessary  ADJ   JJ  1 acomp
        for        for        ADP   IN  1 prep
        pain       pain       NOUN  NN  3 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Protein", TLR4), (4, 5, "PhenotypicFeature", "pain")],
        (TLR4, "causes", "pain", "adjective"),
    ),
    # a participle after a copula's complement: the copula's subject ("derived from": the source chemical)
    "adjective, participle after a copula": (
        """
        Naloxone   naloxone   PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        an         an         DET   DT  3 det
        opioid     opioid     NOUN  NN  1 attr
        derived    derive     VERB  VBN 3 acl
        from       from       ADP   IN  4 prep
        thebaine   thebaine   NOUN  NN  5 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", NALOXONE), (6, 7, "ChemicalEntity", "thebaine")],
        (NALOXONE, "hasActiveIngredient", "thebaine", "adjective"),
    ),
    # a conjoined complement reads as the first: "an agonist at X and an antagonist at Y"
    "nominal, conjoined complement": (
        """
        Naloxone   naloxone   PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        an         an         DET   DT  3 det
        agonist    agonist    NOUN  NN  1 attr
        and        and        CCONJ CC  3 cc
        an         an         DET   DT  6 det
        antagonist antagonist NOUN  NN  3 conj
        at         at         ADP   IN  6 prep
        TLR4       tlr4       PROPN NNP 7 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", NALOXONE), (8, 9, "Protein", TLR4)],
        (NALOXONE, "decreases", TLR4, "nominal"),  # an antagonist lowers its target's activity
    ),
    # "X blockers such as A": a role class no lexicon knows, its modifier taken in
    "such-as, local role class": (
        """
        TLR4       tlr4       PROPN NNP 1 compound
        blockers   blocker    NOUN  NNS 5 nsubj
        such       such       ADJ   JJ  3 amod
        as         as         ADP   IN  1 prep
        naloxone   naloxone   NOUN  NN  3 pobj
        work       work       VERB  VBP 5 ROOT
        .          .          PUNCT .   5 punct
        """,
        [(0, 1, "Protein", TLR4), (4, 5, "Drug", NALOXONE)],
        (NALOXONE, "subclassOf", "tlr4-blocker", "such-as"),
    ),
    # "X increases the risk of Y" (a disease): X causes Y
    "verb, risk of": (
        """
        Naloxone   naloxone   PROPN NNP 1 nsubj
        increases  increase   VERB  VBZ 1 ROOT
        the        the        DET   DT  3 det
        risk       risk       NOUN  NN  1 dobj
        of         of         ADP   IN  3 prep
        psoriasis  psoriasis  NOUN  NN  4 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", NALOXONE), (5, 6, "Disease", PSORIASIS)],
        (NALOXONE, "causes", PSORIASIS, "active-verb"),
    ),
    # "X presents with Y": a sign of X
    "verb, presents with": (
        """
        Psoriasis  psoriasis  NOUN  NN  1 nsubj
        presents   present    VERB  VBZ 1 ROOT
        with       with       ADP   IN  1 prep
        fatigue    fatigue    NOUN  NN  2 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Disease", PSORIASIS), (3, 4, "PhenotypicFeature", "fatigue")],
        (PSORIASIS, "associatedWith", "fatigue", "active-verb"),
    ),
    # "Mice lacking X have fewer Y": a knockout says what X does, the other way round (X increases Y)
    "comparison, knockout": (
        """
        Mice       mouse      NOUN  NNS 3 nsubj
        lacking    lack       VERB  VBG 0 acl
        TLR4       tlr4       PROPN NNP 1 dobj
        have       have       VERB  VBP 3 ROOT
        fewer      few        ADJ   JJR 5 amod
        microglia  microglia  NOUN  NNS 3 dobj
        .          .          PUNCT .   3 punct
        """,
        [(2, 3, "Protein", TLR4), (5, 6, "Cell", MICROGLIA)],
        (TLR4, "increases", MICROGLIA, "knockout"),
    ),
    # "Blocking X reduced Y" (a gerund that removes X): X causes the condition
    "verb, knockout": (
        """
        Blocking   block      VERB  VBG 2 csubj
        TLR4       tlr4       PROPN NNP 0 dobj
        reduced    reduce     VERB  VBD 2 ROOT
        fatigue    fatigue    NOUN  NN  2 dobj
        .          .          PUNCT .   2 punct
        """,
        [(1, 2, "Protein", TLR4), (3, 4, "PhenotypicFeature", "fatigue")],
        (TLR4, "causes", "fatigue", "knockout"),
    ),
    # "X, a receptor expressed by Y": the participle describes X, which the apposition renames
    "verb, participle on an apposition": (
        """
        TLR4       tlr4       PROPN NNP 0 ROOT
        ,          ,          PUNCT ,   0 punct
        a          a          DET   DT  3 det
        receptor   receptor   NOUN  NN  0 appos
        expressed  express    VERB  VBN 3 acl
        by         by         ADP   IN  4 agent
        microglia  microglia  NOUN  NNS 5 pobj
        .          .          PUNCT .   0 punct
        """,
        [(0, 1, "Protein", TLR4), (6, 7, "Cell", MICROGLIA)],
        (TLR4, "locatedIn", MICROGLIA, "inverse-passive"),
    ),
    # a complication noun names a side effect of the drugs its "of" phrase names, with no "side"/"adverse"
    "side-effect-list, complication": (
        """
        Neuropathy  neuropathy  NOUN  NN  1 nsubj
        is          be          AUX   VBZ 1 ROOT
        a           a           DET   DT  3 det
        toxicity    toxicity    NOUN  NN  1 attr
        of          of          ADP   IN  3 prep
        oxaliplatin oxaliplatin NOUN  NN  4 pobj
        .           .           PUNCT .   1 punct
        """,
        [(0, 1, "Disease", "peripheral-neuropathy"), (5, 6, "Drug", "oxaliplatin")],
        ("oxaliplatin", "hasSideEffect", "peripheral-neuropathy", "side-effect-list"),
    ),
    # side effects reported during a drug's treatment, no patients named
    "patient-report, on drug": (
        """
        Nausea     nausea     NOUN  NN  2 nsubjpass
        was        be         AUX   VBD 2 auxpass
        reported   report     VERB  VBN 2 ROOT
        during     during     ADP   IN  2 prep
        naltrexone naltrexone NOUN  NN  5 compound
        treatment  treatment  NOUN  NN  3 pobj
        .          .          PUNCT .   2 punct
        """,
        [(0, 1, "PhenotypicFeature", "nausea"), (4, 5, "Drug", NALTREXONE)],
        (NALTREXONE, "hasSideEffect", "nausea", "reported-on-drug"),
    ),
    # "Affected men report X": a feature of the condition under discussion, not a drug's side effect
    "patient-report, affected": (
        """
        Patients   patient    NOUN  NNS 1 nsubj
        took       take       VERB  VBD 1 ROOT
        naltrexone naltrexone NOUN  NN  1 dobj
        .          .          PUNCT .   1 punct
        Psoriasis  psoriasis  NOUN  NN  5 nsubj
        itches     itch       VERB  VBZ 5 ROOT
        .          .          PUNCT .   5 punct
        Affected   affected   ADJ   JJ  8 amod
        men        man        NOUN  NNS 9 nsubj
        report     report     VERB  VBP 9 ROOT
        fatigue    fatigue    NOUN  NN  9 dobj
        .          .          PUNCT .   9 punct
        """,
        [(2, 3, "Drug", NALTREXONE), (4, 5, "Disease", PSORIASIS), (10, 11, "PhenotypicFeature", "fatigue")],
        (PSORIASIS, "associatedWith", "fatigue", "affected-report"),
    ),
    # "Symptoms include A": features of the condition under discussion
    "ldn.frame.condition-list.v1": (
        """
        Psoriasis  psoriasis  NOUN  NN  1 nsubj
        itches     itch       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        Symptoms   symptom    NOUN  NNS 4 nsubj
        include    include    VERB  VBP 4 ROOT
        fatigue    fatigue    NOUN  NN  4 dobj
        .          .          PUNCT .   4 punct
        """,
        [(0, 1, "Disease", PSORIASIS), (5, 6, "PhenotypicFeature", "fatigue")],
        (PSORIASIS, "associatedWith", "fatigue", "condition-symptoms"),
    ),
    # "The causes are A, followed by B": each causes the condition under discussion
    "condition-list, causes": (
        """
        Psoriasis  psoriasis  NOUN  NN  1 nsubj
        itches     itch       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        The        the        DET   DT  4 det
        causes     cause      NOUN  NNS 5 nsubj
        are        be         AUX   VBP 5 ROOT
        lithium    lithium    NOUN  NN  5 attr
        ,          ,          PUNCT ,   5 punct
        followed   follow     VERB  VBN 5 advcl
        by         by         ADP   IN  8 agent
        naltrexone naltrexone NOUN  NN  9 pobj
        .          .          PUNCT .   5 punct
        """,
        [(0, 1, "Disease", PSORIASIS), (6, 7, "Drug", "lithium"), (10, 11, "Drug", NALTREXONE)],
        (NALTREXONE, "causes", PSORIASIS, "condition-causes"),
    ),
    # "the condition": the condition under discussion
    "verb, the condition": (
        """
        Psoriasis  psoriasis  NOUN  NN  1 nsubj
        itches     itch       VERB  VBZ 1 ROOT
        .          .          PUNCT .   1 punct
        Lithium    lithium    NOUN  NN  4 nsubj
        induces    induce     VERB  VBZ 4 ROOT
        the        the        DET   DT  6 det
        condition  condition  NOUN  NN  4 dobj
        .          .          PUNCT .   4 punct
        """,
        [(0, 1, "Disease", PSORIASIS), (3, 4, "Drug", "lithium")],
        ("lithium", "causes", PSORIASIS, "active-verb"),
    ),
    # a negated modal over "take X with Y": a contraindication
    "ldn.frame.cannot-take-with.v1": (
        """
        You        you        PRON  PRP 3 nsubj
        can        can        AUX   MD  3 aux
        not        not        PART  RB  3 neg
        take       take       VERB  VB  3 ROOT
        tramadol   tramadol   NOUN  NN  3 dobj
        with       with       ADP   IN  3 prep
        naltrexone naltrexone NOUN  NN  5 pobj
        .          .          PUNCT .   3 punct
        """,
        [(4, 5, "Drug", TRAMADOL), (6, 7, "Drug", NALTREXONE)],
        (NALTREXONE, "contraindicatedWith", TRAMADOL, "cannot-take-with"),
    ),
    # an outcome in a population, the drug named in the sentence before: it treats their condition
    "ldn.frame.outcome-in-population.v1": (
        """
        Patients   patient    NOUN  NNS 1 nsubj
        took       take       VERB  VBD 1 ROOT
        naltrexone naltrexone NOUN  NN  1 dobj
        .          .          PUNCT .   1 punct
        A          a          DET   DT  5 det
        response   response   NOUN  NN  7 nsubjpass
        was        be         AUX   VBD 7 auxpass
        seen       see        VERB  VBN 7 ROOT
        in         in         ADP   IN  7 prep
        patients   patient    NOUN  NNS 8 pobj
        with       with       ADP   IN  9 prep
        psoriasis  psoriasis  NOUN  NN  10 pobj
        .          .          PUNCT .   7 punct
        """,
        [(2, 3, "Drug", NALTREXONE), (11, 12, "Disease", PSORIASIS)],
        (NALTREXONE, "treats", PSORIASIS, "outcome-in-population"),
    ),
    # "X did not differ": the drug under discussion did not lower X
    "ldn.frame.no-difference.v1": (
        """
        With       with       ADP   IN  6 prep
        naltrexone naltrexone NOUN  NN  0 pobj
        ,          ,          PUNCT ,   6 punct
        fatigue    fatigue    NOUN  NN  6 nsubj
        did        do         AUX   VBD 6 aux
        not        not        PART  RB  6 neg
        differ     differ     VERB  VB  6 ROOT
        .          .          PUNCT .   6 punct
        """,
        [(1, 2, "Drug", NALTREXONE), (3, 4, "PhenotypicFeature", "fatigue")],
        (NALTREXONE, "decreases", "fatigue", "no-difference"),
    ),
    # a change verb with the drug's arm: "X fell in the LDN group"
    "ldn.frame.arm-outcome.v1": (
        """
        Calprotectin calprotectin NOUN  NN  1 nsubj
        fell         fall         VERB  VBD 1 ROOT
        in           in           ADP   IN  1 prep
        the          the          DET   DT  5 det
        LDN          ldn          PROPN NNP 5 compound
        group        group        NOUN  NN  2 pobj
        .            .            PUNCT .   1 punct
        """,
        [(0, 1, "Protein", "calprotectin"), (4, 5, "Drug", LDN)],
        (LDN, "decreases", "calprotectin", "arm-outcome"),
    ),
    # an agentless passive of a decrease trigger, in the patients given the drug
    "arm-outcome, patients given": (
        """
        Pain       pain       NOUN  NN  2 nsubjpass
        was        be         AUX   VBD 2 auxpass
        reduced    reduce     VERB  VBN 2 ROOT
        in         in         ADP   IN  2 prep
        patients   patient    NOUN  NNS 3 pobj
        given      give       VERB  VBN 4 acl
        naltrexone naltrexone NOUN  NN  5 dobj
        .          .          PUNCT .   2 punct
        """,
        [(0, 1, "PhenotypicFeature", "pain"), (6, 7, "Drug", NALTREXONE)],
        (NALTREXONE, "decreases", "pain", "arm-outcome"),
    ),
    # a comparative after the drug: "X was weaker after LDN (than after placebo)"
    "comparison, arm": (
        """
        Staining staining NOUN  NN  1 nsubj
        was      be       AUX   VBD 1 ROOT
        weaker   weak     ADJ   JJR 1 acomp
        after    after    ADP   IN  2 prep
        LDN      ldn      PROPN NNP 3 pobj
        .        .        PUNCT .   1 punct
        """,
        [(0, 1, "Protein", "interleukin-8"), (4, 5, "Drug", LDN)],
        (LDN, "decreases", "interleukin-8", "comparison-arm"),
    ),
    # "X remained unchanged": the drug under discussion did not change X
    "no-difference, unchanged": (
        """
        With       with       ADP   IN  4 prep
        naltrexone naltrexone NOUN  NN  0 pobj
        ,          ,          PUNCT ,   4 punct
        pain       pain       NOUN  NN  4 nsubj
        remained   remain     VERB  VBD 4 ROOT
        unchanged  unchanged  ADJ   JJ  4 acomp
        .          .          PUNCT .   4 punct
        """,
        [(1, 2, "Drug", NALTREXONE), (3, 4, "PhenotypicFeature", "pain")],
        (NALTREXONE, "regulates", "pain", "remained-unchanged"),
    ),
    # a drug "for" a condition treats it
    "ldn.frame.drug-for.v1": (
        """
        Naltrexone naltrexone PROPN NNP 0 ROOT
        for        for        ADP   IN  0 prep
        fibromyalgia fibromyalgia NOUN NN 1 pobj
        """,
        [(0, 1, "Drug", NALTREXONE), (2, 3, "Disease", FIBROMYALGIA)],
        (NALTREXONE, "treats", FIBROMYALGIA, "drug-for"),
    ),
    # a past form right after a drug, in a sentence parsed as one noun phrase: "LDN reduced disease extent
    # and pain in X"; the population's condition is treated, not reduced
    "verbless-clause, past after a drug": (
        """
        LDN      ldn      PROPN NNP 3 nsubj
        reduced  reduce   VERB  VBN 3 amod
        disease  disease  NOUN  NN  3 compound
        extent   extent   NOUN  NN  3 ROOT
        and      and      CCONJ CC  3 cc
        pain     pain     NOUN  NN  3 conj
        in       in       ADP   IN  3 prep
        psoriasis psoriasis NOUN NN 6 pobj
        .        .        PUNCT .   3 punct
        """,
        [(0, 1, "Drug", LDN), (5, 6, "PhenotypicFeature", "pain"), (7, 8, "Disease", PSORIASIS)],
        (LDN, "decreases", "pain", "verbless-clause"),
    ),
    # a drug ranked among a condition's treatments treats it
    "ldn.frame.ranked-treatment.v1": (
        """
        Gabapentin gabapentin PROPN NNP 1 nsubj
        is         be         AUX   VBZ 1 ROOT
        a          a          DET   DT  6 det
        first      first      ADJ   JJ  5 amod
        -          -          PUNCT HYPH 5 punct
        line       line       NOUN  NN  6 compound
        drug       drug       NOUN  NN  1 attr
        for        for        ADP   IN  6 prep
        neuralgia  neuralgia  NOUN  NN  7 pobj
        .          .          PUNCT .   1 punct
        """,
        [(0, 1, "Drug", "gabapentin"), (8, 9, "Disease", "neuralgia")],
        ("gabapentin", "treats", "neuralgia", "ranked-treatment"),
    ),
    # what limits a drug's use is its side effect
    "ldn.frame.limits-use.v1": (
        """
        Nausea   nausea   NOUN  NN  1 nsubj
        limits   limit    VERB  VBZ 1 ROOT
        the      the      DET   DT  3 det
        use      use      NOUN  NN  1 dobj
        of       of       ADP   IN  3 prep
        morphine morphine NOUN  NN  4 pobj
        .        .        PUNCT .   1 punct
        """,
        [(0, 1, "PhenotypicFeature", "nausea"), (5, 6, "Drug", "morphine")],
        ("morphine", "hasSideEffect", "nausea", "limits-use"),
    ),
    # the small model's noun phrase for "LDN treats fibromyalgia.": the verb taken for a plural noun
    "ldn.frame.verbless-clause.v1": (
        """
        LDN          ldn          PROPN NNP 2 compound
        treats       treat        NOUN  NNS 2 compound
        fibromyalgia fibromyalgia NOUN  NN  2 ROOT
        .            .            PUNCT .   2 punct
        """,
        [(0, 1, "Drug", LDN), (2, 3, "Disease", FIBROMYALGIA)],
        (LDN, "treats", FIBROMYALGIA, "verbless-clause"),
    ),
}


def _frame(case: str) -> str:
    return case if case in DEFAULT_FRAMES else f"ldn.frame.{case.split(',')[0]}.v1"


@pytest.mark.parametrize("case", sorted(HAND_BUILT))
def test_frames_read_hand_built_parses(nlp, case):
    table, ents, expected = HAND_BUILT[case]
    frame = _frame(case)
    # The frame alone finds the relation...
    assert expected in found(nlp, parse(nlp, table, ents), [frame])
    # ... and the others without it do not find it by this rule.
    others = [f for f in DEFAULT_FRAMES if f != frame]
    assert expected not in found(nlp, parse(nlp, table, ents), others)


def test_frames_every_default_frame_has_a_hand_built_case():
    assert {_frame(case) for case in HAND_BUILT} == set(DEFAULT_FRAMES)


# Each case: the frame, a plain sentence, and a relation with its rule, as the shipped model reads it.
MODEL_PARSED = [
    (
        "ldn.frame.verb.v1",
        "Naloxone blocks the mu-opioid receptor.",
        (NALOXONE, "decreases", "mu-opioid-receptor", "active-verb"),
    ),
    (
        "ldn.frame.verb.v1",
        "Neuropathic pain is caused by activated microglia.",
        (MICROGLIA, "causes", "neuropathic-pain", "active-passive"),
    ),
    (
        "ldn.frame.verb.v1",
        "Patients with psoriasis often benefit from naltrexone.",
        (NALTREXONE, "treats", PSORIASIS, "inverse-verb"),
    ),
    (
        "ldn.frame.verb.v1",
        "LDN was also associated with a higher incidence of nausea.",
        (LDN, "associatedWith", "nausea", "counterpart-passive"),
    ),
    (
        "ldn.frame.nominal.v1",
        "Ketamine causes a rapid increase in interleukin-6 levels.",
        ("ketamine", "increases", IL6, "nominal"),
    ),
    (
        "ldn.frame.adjective.v1",
        "Gabapentin is helpful in neuropathic pain.",
        ("gabapentin", "treats", "neuropathic-pain", "adjective"),
    ),
    (
        "ldn.frame.adjective.v1",
        "Gabapentin and pregabalin are prescribed for neuropathic pain.",
        ("pregabalin", "treats", "neuropathic-pain", "adjective"),
    ),
    (
        "ldn.frame.adjective.v1",
        "Amitriptyline is often prescribed with opioids for neuropathic pain.",
        ("amitriptyline", "treats", "neuropathic-pain", "adjective"),
    ),
    (
        "ldn.frame.adjective.v1",
        "TLR4 is located on microglia.",
        (TLR4, "locatedIn", MICROGLIA, "adjective"),
    ),
    (
        "ldn.frame.verb.v1",
        "In rats, administration of lipopolysaccharide induces fever.",
        ("lipopolysaccharide", "causes", "fever", "active-verb"),
    ),
    (
        "ldn.frame.verb.v1",
        "Minocycline attenuated the development of allodynia.",
        ("minocycline", "decreases", "allodynia", "active-verb"),
    ),
    (
        "ldn.frame.ranked-treatment.v1",
        "Gabapentin and pregabalin are first-line drugs for neuropathic pain.",
        ("pregabalin", "treats", "neuropathic-pain", "ranked-treatment"),
    ),
    (
        "ldn.frame.limits-use.v1",
        "Gabapentin relieves neuropathic pain, although dry mouth and dizziness limit its use.",
        ("gabapentin", "hasSideEffect", "dry-mouth", "limits-use"),
    ),
    (
        "ldn.frame.copula.v1",
        "Naloxone is an opioid antagonist.",
        (NALOXONE, "subclassOf", "opioid-receptor-antagonist", "copula-class"),
    ),
    (
        "ldn.frame.copula.v1",
        "Fibromyalgia is a chronic pain disorder.",
        (FIBROMYALGIA, "associatedWith", "chronic-pain", "copula-feature"),
    ),
    (
        "ldn.frame.verbless-clause.v1",
        "Minocycline, a tetracycline antibiotic, inhibits microglial activation.",
        ("minocycline", "decreases", "microglial-cell-activation", "verb-after-apposition"),
    ),
    (
        "ldn.frame.verb.v1",
        "Rats received minocycline. Pre-emptive treatment attenuated the development of allodynia.",
        ("minocycline", "decreases", "allodynia", "active-verb"),
    ),
    (
        "ldn.frame.class-apposition.v1",
        "The opioid antagonist naloxone reversed the effect.",
        (NALOXONE, "subclassOf", "opioid-receptor-antagonist", "class-before-name"),
    ),
    (
        "ldn.frame.class-apposition.v1",
        "Naltrexone, an opioid antagonist, reduced fatigue.",
        (NALTREXONE, "subclassOf", "opioid-receptor-antagonist", "class-apposition"),
    ),
    (
        "ldn.frame.copula.v1",
        "Complex regional pain syndrome is a form of chronic pain.",
        ("complex-regional-pain-syndrome", "subclassOf", "chronic-pain", "copula-class"),
    ),
    (
        "ldn.frame.verb.v1",
        "LDN has been reported to help in Crohn disease.",
        (LDN, "treats", "crohns-disease", "active-verb"),
    ),
    (
        "ldn.frame.verb.v1",
        "Naloxone inhibits the growth of pancreatic cancer.",
        (NALOXONE, "decreases", "pancreatic-cancer", "active-verb"),
    ),
    (
        "ldn.frame.verb.v1",
        "Complex regional pain syndrome most often follows a fracture.",
        ("complex-regional-pain-syndrome", "associatedWith", "bone-fracture", "active-verb"),
    ),
    (
        "ldn.frame.verb.v1",
        "Fibromyalgia often coexists with irritable bowel syndrome.",
        (FIBROMYALGIA, "associatedWith", "irritable-bowel-syndrome", "active-verb"),
    ),
    (
        "ldn.frame.treated-population.v1",
        "There was a reduction in pain among fibromyalgia patients who started naltrexone.",
        (NALTREXONE, "treats", FIBROMYALGIA, "treated-population"),
    ),
    (
        "ldn.frame.such-as.v1",
        "Naltrexone treats autoimmune diseases such as psoriasis.",
        (PSORIASIS, "subclassOf", "autoimmune-disease", "such-as"),
    ),
    (
        "ldn.frame.parenthetical-part.v1",
        "The central nervous system (brain and spinal cord) is affected.",
        ("brain", "partOf", CNS, "parenthetical-part"),
    ),
    (
        "ldn.frame.part-of-whole.v1",
        "Pain signals reach the dorsal horn of the spinal cord.",
        ("spinal-cord-dorsal-horn", "partOf", "spinal-cord", "part-of-whole"),
    ),
    (
        "ldn.frame.located-in.v1",
        "Microglia are the resident immune cells of the brain.",
        (MICROGLIA, "locatedIn", "brain", "located-in"),
    ),
    (
        "ldn.frame.producer-of.v1",
        "The release of interleukin-6 from macrophages is increased in rheumatoid arthritis.",
        ("macrophage", "produces", IL6, "producer-of"),
    ),
    (
        "ldn.frame.metabolite-of.v1",
        "Norketamine is a metabolite of ketamine.",
        ("ketamine", "produces", "norketamine", "metabolite-of"),
    ),
    (
        "ldn.frame.dose-of.v1",
        "The dose of low-dose naltrexone is 3 mg of naltrexone.",
        (LDN, "hasActiveIngredient", NALTREXONE, "dose-of"),
    ),
    (
        "ldn.frame.patient-report.v1",
        "Patients took naltrexone. Some patients noticed insomnia.",
        (NALTREXONE, "hasSideEffect", "insomnia", "patient-report"),
    ),
    (
        "ldn.frame.side-effect-list.v1",
        "Naloxone is safe. Its most common side effects are fatigue and insomnia.",
        (NALOXONE, "hasSideEffect", "fatigue", "side-effect-list"),
    ),
    (
        "ldn.frame.side-effect-list.v1",
        "Tardive dyskinesia is a serious complication of haloperidol.",
        ("haloperidol", "hasSideEffect", "tardive-dyskinesia", "side-effect-list"),
    ),
    (
        "ldn.frame.patient-report.v1",
        "Dizziness and dry mouth were reported more often with amitriptyline.",
        ("amitriptyline", "hasSideEffect", "dry-mouth", "reported-on-drug"),
    ),
    (
        "ldn.frame.patient-report.v1",
        "Opioid-induced hypogonadism is common. Affected men report erectile dysfunction and fatigue.",
        ("hypogonadism", "associatedWith", "erectile-dysfunction", "affected-report"),
    ),
    (
        "ldn.frame.condition-list.v1",
        "Migraine is a common neurological disorder. Its symptoms include nausea and photophobia.",
        ("migraine-disorder", "associatedWith", "photophobia", "condition-symptoms"),
    ),
    (
        "ldn.frame.condition-list.v1",
        "Drug-induced lupus erythematosus is an autoimmune disorder. The classic causes are hydralazine and "
        "procainamide, followed by isoniazid and minocycline.",
        ("minocycline", "causes", "drug-induced-lupus-erythematosus", "condition-causes"),
    ),
    (
        "ldn.frame.verb.v1",
        "Crohn's disease is a chronic inflammatory bowel disease. Infliximab relieves the disease, which is "
        "otherwise hard to treat.",
        ("infliximab", "treats", "crohns-disease", "active-verb"),
    ),
    (
        "ldn.frame.verb.v1",
        "Interleukin-6 is made by macrophages.",
        ("macrophage", "produces", IL6, "active-passive"),
    ),
    (
        "ldn.frame.verb.v1",
        "Lipopolysaccharide induces the synthesis of TNF-alpha.",
        ("lipopolysaccharide", "increases", "tumor-necrosis-factor", "active-verb"),
    ),
    (
        "ldn.frame.copula.v1",
        "Naloxone is one of the opioid antagonists.",
        (NALOXONE, "subclassOf", "opioid-receptor-antagonist", "copula-class"),
    ),
    (
        "ldn.frame.versus-placebo.v1",
        "Pregabalin was superior to placebo for pain.",
        ("pregabalin", "treats", "pain", "versus-placebo"),
    ),
    (
        "ldn.frame.located-in.v1",
        "Ligation increased P2X4 expression in spinal microglia.",
        ("purinergic-receptor-p2x-4", "locatedIn", MICROGLIA, "located-in"),
    ),
    (
        "ldn.frame.verbless-clause.v1",
        "It is not recommended for young men, because exogenous testosterone suppresses spermatogenesis.",
        ("testosterone", "decreases", "spermatogenesis", "verbless-clause"),
    ),
    (
        "ldn.frame.verb.v1",
        "Opioids also raise prolactin and blunt the cortisol response.",
        ("opioid-analgesic", "increases", "prolactin", "active-verb"),
    ),
    (
        "ldn.frame.class-apposition.v1",
        "Duloxetine, a serotonin-norepinephrine reuptake inhibitor, relieves pain.",
        ("duloxetine", "subclassOf", "serotonin-norepinephrine-reuptake-inhibitor", "class-apposition"),
    ),
    (
        "ldn.frame.adjective.v1",
        "Buprenorphine is a semi-synthetic opioid derived from thebaine.",
        ("buprenorphine", "hasActiveIngredient", "thebaine", "adjective"),
    ),
    (
        "ldn.frame.adjective.v1",
        "P2X4 receptors are necessary for neuropathic pain.",
        ("purinergic-receptor-p2x-4", "causes", "neuropathic-pain", "adjective"),
    ),
    (
        "ldn.frame.nominal.v1",
        "Naloxone is a weak agonist at the delta-opioid receptor and an antagonist at the mu-opioid "
        "receptor.",
        (NALOXONE, "decreases", "mu-opioid-receptor", "nominal"),
    ),
    (
        "ldn.frame.such-as.v1",
        "The risk is lower than with full agonists such as methadone or heroin.",
        ("heroin", "subclassOf", "full-agonist", "such-as"),
    ),
    (
        "ldn.frame.verb.v1",
        "Janus kinase inhibitors such as tofacitinib interrupt signalling. They are taken by mouth, but they "
        "increase the risk of herpes zoster.",
        ("janus-kinase-inhibitors", "causes", "herpes-zoster", "active-verb"),
    ),
    (
        "ldn.frame.adjective.v1",
        "Buprenorphine is a semi-synthetic opioid. Transdermal patches and buccal films are used for chronic "
        "pain.",
        ("buprenorphine", "treats", "chronic-pain", "adjective"),
    ),
    (
        "ldn.frame.verb.v1",
        "Lyme disease presents with fever and rash.",
        ("lyme-disease", "associatedWith", "fever", "active-verb"),
    ),
    (
        "ldn.frame.cannot-take-with.v1",
        "You cannot take tramadol with naltrexone.",
        (NALTREXONE, "contraindicatedWith", TRAMADOL, "cannot-take-with"),
    ),
    (
        "ldn.frame.outcome-in-population.v1",
        "Patients took naltrexone. A response was seen in patients with psoriasis.",
        (NALTREXONE, "treats", PSORIASIS, "outcome-in-population"),
    ),
    (
        "ldn.frame.comparison.v1",
        "Rats received minocycline. Levels of interleukin-6 were lower in treated animals than in controls.",
        ("minocycline", "decreases", IL6, "comparison-treated"),
    ),
    (
        "ldn.frame.treated-population.v1",
        "There was a significant reduction in pain scores among fibromyalgia patients who received LDN.",
        (LDN, "treats", FIBROMYALGIA, "treated-population"),
    ),
    (
        "ldn.frame.no-difference.v1",
        "Patients took naltrexone. Fatigue did not differ between groups.",
        (NALTREXONE, "decreases", "fatigue", "no-difference"),
    ),
    (
        "ldn.frame.arm-outcome.v1",
        "Faecal calprotectin fell by a median of 280 mg/kg in the LDN group.",
        (LDN, "decreases", "leukocyte-l1-antigen-complex", "arm-outcome"),
    ),
    (
        "ldn.frame.arm-outcome.v1",
        "In patients given duloxetine, pain scores decreased by 30%.",
        ("duloxetine", "decreases", "pain", "arm-outcome"),
    ),
    (
        "ldn.frame.comparison.v1",
        "Interleukin-8 staining was weaker after LDN than after placebo.",
        (LDN, "decreases", "c-x-c-motif-chemokine-ligand-8", "comparison-arm"),
    ),
    (
        "ldn.frame.drug-for.v1",
        "Low-dose naltrexone for fibromyalgia.",
        (LDN, "treats", FIBROMYALGIA, "drug-for"),
    ),
    (
        "ldn.frame.verbless-clause.v1",
        "Naltrexone, an opioid antagonist, reduced fatigue.",
        (NALTREXONE, "decreases", "fatigue", "verb-after-apposition"),
    ),
    (
        "ldn.frame.verbless-clause.v1",
        "LDN treats fibromyalgia.",
        (LDN, "treats", FIBROMYALGIA, "verbless-clause"),
    ),
]


@pytest.mark.parametrize(("frame", "text", "expected"), MODEL_PARSED)
def test_frames_read_the_models_parse(nlp, frame, text, expected):
    doc = nlp(text)
    assert expected in {(r.subject, r.predicate, r.object, r.evidence.rule) for r in doc._.ldn_relations}
    # The same parse read by this frame alone gives it too: the rule is this frame's.
    doc._.ldn_relations = None
    assert expected in found(nlp, doc, [frame])


def test_frames_every_default_frame_is_read_on_the_models_parse():
    assert {frame for frame, _, _ in MODEL_PARSED} == set(DEFAULT_FRAMES)


def test_frames_negative_findings_keep_their_polarity(nlp):
    # "did not differ" is negated by its cue; "remained unchanged" by its words; a contraindication is
    # asserted although its sentence has "not".
    doc = nlp("Patients took naltrexone. Fatigue did not differ between groups. Pain remained unchanged.")
    negated = {(r.predicate, r.object): r.evidence.negated for r in doc._.ldn_relations}
    assert negated[("decreases", "fatigue")] is True
    assert negated[("regulates", "pain")] is True
    doc = nlp("You cannot take tramadol with naltrexone.")
    assert [r.evidence.negated for r in doc._.ldn_relations] == [False]


def test_frames_config_key_lists_the_frames(nlp):
    config = nlp.get_pipe_config("ldn_relation_extractor")
    assert config["frames"] == list(DEFAULT_FRAMES)
    # A pipeline whose config drops the verb frame reads no verb.
    blank = spacy.blank("en")
    pipe = blank.add_pipe("ldn_relation_extractor", config={"frames": ["ldn.frame.copula.v1"]})
    assert isinstance(pipe, RelationExtractor)
    assert not pipe.frames.by_trigger_frame
    assert [f.name for f in pipe.frames.sentence_frames] == ["copula"]
    assert blank.config["components"]["ldn_relation_extractor"]["frames"] == ["ldn.frame.copula.v1"]


def test_frames_unknown_name_is_one_line_error():
    with pytest.raises(
        ModelError, match=r"^\[components\.ldn_relation_extractor\] frames: unknown frame 'x'"
    ):
        load_frames(["ldn.frame.copula.v1", "x"])


def test_frames_two_frames_for_the_same_triggers_is_an_error():
    @FRAMES.register("test.frame.second-verb.v1")
    def second_verb() -> Frame:
        return Frame(
            "second-verb", apply=lambda reader, trigger, token: False, trigger_frames=frozenset(("active",))
        )

    with pytest.raises(ModelError, match="frames 'verb' and 'second-verb' both read 'active' triggers"):
        load_frames(["ldn.frame.verb.v1", "test.frame.second-verb.v1"])


def test_frames_a_registered_frame_runs_from_the_config(nlp):
    # A frame of another package: every drug of a sentence "binds" the sentence's proteins.
    def read(reader) -> None:
        ents = reader.sentence_entities()
        drugs = [e for e in ents if e.label_ == "Drug"]
        proteins = [e for e in ents if e.label_ == "Protein"]
        reader.emit(drugs, "binds", proteins, reader.tokens[0], "test-cooccurrence")

    @FRAMES.register("test.frame.cooccurrence.v1")
    def cooccurrence() -> Frame:
        return Frame("cooccurrence", read=read, lemmas=frozenset(("near",)))

    table, ents, _ = HAND_BUILT["ldn.frame.verb.v1"]
    frames = ["test.frame.cooccurrence.v1"]
    assert not found(nlp, parse(nlp, table, ents), frames)  # no "near": the frame does not read it
    near = table.replace("blocks    block ", "near      near  ")
    assert found(nlp, parse(nlp, near, ents), frames) == {(NALOXONE, "binds", TLR4, "test-cooccurrence")}


def test_frames_word_classes_are_data():
    words = word_classes()
    assert "mg" in words["dose-unit"] and "alongside" in words["contraindication-prep"]
    with pytest.raises(DataError, match=r"^word-classes\.tsv: no word class 'no-such-class'"):
        words["no-such-class"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("class\tword\nDose Unit\tmg\n", r"^word-classes\.tsv:2: bad class name 'Dose Unit'"),
        (
            "class\tword\n# a comment\ndose-unit\t\n",
            r"^word-classes\.tsv:3: class 'dose-unit' needs one word",
        ),
        ("class\tword\ndose-unit\tmilli gram\n", r"^word-classes\.tsv:2: class 'dose-unit' needs one word"),
        ("klass\tword\ndose-unit\tmg\n", r"^word-classes\.tsv:1: header lacks column\(s\) class"),
    ],
)
def test_frames_word_classes_bad_rows_are_one_line_errors(text, message):
    with pytest.raises(DataError, match=message):
        read_word_classes(tsv_rows(text, "word-classes.tsv", ("class", "word")))


def test_frames_a_passive_treat_with_names_the_drug_not_a_counterpart(nlp):
    """'treat' is no counterpart verb: in "Patients were treated with LDN" the drug is the instrument, and
    the patients are not what LDN is related to."""
    doc = nlp("Patients were treated with LDN.")
    assert not [r for r in doc._.ldn_relations if r.evidence.rule == "counterpart-passive"]


def test_frames_patients_on_another_treatment_report_no_side_effect_of_the_topic_drug(nlp):
    """ "Patients treated with interferon-alpha ... develop depression": the patients' own treatment, a
    therapeutic protein, not the drug of the sentence before."""
    doc = nlp("Ketamine relieves pain. Patients treated with interferon-alpha often develop depression.")
    assert not [r for r in doc._.ldn_relations if r.predicate == "hasSideEffect"]
    doc = nlp("Ketamine relieves pain. Patients often develop depression.")
    assert ("ketamine", "hasSideEffect") in {(r.subject, r.predicate) for r in doc._.ldn_relations}


def test_frames_past_stems():
    from ldn_graph.pipeline.frames.verbless import past_stems

    assert "reduce" in past_stems("reduced") and "block" in past_stems("blocked")
    assert "stop" in past_stems("stopped") and "modify" in past_stems("modified")
    assert past_stems("reduces") == ()


def test_frames_an_indefinite_treatment_noun_is_no_drug_of_an_earlier_sentence(nlp):
    doc = nlp(
        "Rats received minocycline. A therapy that lowers pain was sought. Other drugs reduce allodynia."
    )
    assert not [r for r in doc._.ldn_relations if r.subject == "minocycline"]


def test_frames_a_comparison_in_untreated_or_vehicle_treated_groups_is_no_drug_effect(nlp):
    for group in ("untreated animals", "vehicle-treated controls"):
        doc = nlp(f"Rats received minocycline. Spinal levels of interleukin-6 were lower in {group}.")
        assert not [r for r in doc._.ldn_relations if r.evidence.rule == "comparison-treated"]


def test_frames_a_drug_that_lowers_a_sought_state_does_not_treat_it(nlp):
    """ "Analgesia is attenuated by naloxone": naloxone lowers analgesia, and does not treat it."""
    read = {
        (r.subject, r.predicate, r.object)
        for r in nlp("Analgesia is attenuated by naloxone.")._.ldn_relations
    }
    assert (NALOXONE, "decreases", "analgesia") in read
    assert (NALOXONE, "treats", "analgesia") not in read


def test_frames_condition_lists_and_complications_keep_to_what_the_words_name(nlp):
    # "Withdrawal symptoms" are another thing's; "a complication of diabetes" names no drug; "the
    # idiopathic disease" is not the condition under discussion.
    doc = nlp(
        "Migraine is a common neurological disorder. Withdrawal symptoms include nausea and diarrhea. "
        "Neuropathy is a common complication of diabetes. Ibuprofen relieves the idiopathic disease."
    )
    triples = {(r.subject, r.predicate, r.object) for r in doc._.ldn_relations}
    assert not any(s == "migraine-disorder" and p == "associatedWith" for s, p, _ in triples)
    neuropathy = {p for _, p, o in triples if o == "peripheral-neuropathy"}
    assert not neuropathy & {"hasSideEffect", "subclassOf"}
    assert ("ibuprofen", "treats", "migraine-disorder") not in triples


def test_frames_a_conjoined_unchanged_clause_is_the_drug_under_discussion_not_a_populations(nlp):
    # "but fatigue was not reduced" is a clause of its own: the drug under discussion did not lower it;
    # a drug that only says who patients were ("those who were given morphine") is not that drug.
    doc = nlp(
        "Patients took naltrexone. Patients who had been given methadone improved more than those who were "
        "given morphine. Quality of life improved, but fatigue was not reduced."
    )
    changes = {(r.subject, r.predicate, r.object, r.evidence.negated) for r in doc._.ldn_relations}
    assert (NALTREXONE, "decreases", "fatigue", True) in changes
    assert not any(s in ("methadone", "morphine") and o == "fatigue" for s, _, o, _ in changes)


def test_frames_a_comparison_with_placebo_keeps_its_polarity_and_needs_placebo(nlp):
    doc = nlp(
        "Migraine is a common neurological disorder. Amitriptyline was not more effective than placebo. "
        "Pregabalin was superior to placebo. Placebo was better than nothing. "
        "Ibuprofen was better than aspirin."
    )
    treats = {
        (r.subject, r.object): r.evidence.negated for r in doc._.ldn_relations if r.predicate == "treats"
    }
    assert treats[("amitriptyline", "migraine-disorder")] is True
    assert treats[("pregabalin", "migraine-disorder")] is False
    assert ("ibuprofen", "migraine-disorder") not in treats
    # the subject two clauses share
    doc = nlp("Amitriptyline improved sleep but was no better than placebo for pain.")
    assert [(r.subject, r.predicate, r.object, r.evidence.negated) for r in doc._.ldn_relations] == [
        ("amitriptyline", "treats", "pain", True)
    ]


def test_frames_an_indefinite_apposition_is_a_class_not_a_member_of_the_slot(nlp):
    # The class's own words (serotonin, norepinephrine) are neither entities of their own here nor
    # subjects of the verb.
    doc = nlp("Duloxetine, a serotonin-norepinephrine reuptake inhibitor, relieves pain.")
    subjects = {r.subject for r in doc._.ldn_relations if r.predicate == "treats"}
    assert subjects == {"duloxetine"}
    assert "norepinephrine" not in {e.kb_id_ for e in doc.ents}


def test_frames_a_role_noun_is_not_the_thing_it_acts_on(nlp):
    # "TNF inhibitors ... induce the condition": the inhibitors (and the ones listed) do, not TNF.
    doc = nlp(
        "Drug-induced lupus erythematosus is an autoimmune disorder. TNF inhibitors such as infliximab can "
        "also induce the condition."
    )
    causes = {r.subject for r in doc._.ldn_relations if r.predicate == "causes"}
    assert "infliximab" in causes
    # the class: the lexicon's (MeSH "TNF Inhibitors") where it names it, else a local class entity
    assert any(c.startswith(("tnf-inhibitor", "tumor-necrosis-factor-inhibitor")) for c in causes)
    assert "tumor-necrosis-factor" not in causes


def test_frames_a_report_by_patients_on_a_named_drug_is_that_drugs(nlp):
    doc = nlp("Duloxetine was compared with placebo. Headache was reported by 12% of patients on LDN.")
    effects = {(r.subject, r.object) for r in doc._.ldn_relations if r.predicate == "hasSideEffect"}
    assert effects == {(LDN, "headache")}


def test_frames_a_participle_inside_a_name_is_no_verb(nlp):
    doc = nlp("Opioids act on mu-opioid receptors to suppress the release of gonadotropin-releasing hormone.")
    found_ = {(r.subject, r.predicate, r.object) for r in doc._.ldn_relations}
    assert ("opioid-analgesic", "decreases", "gonadotropin-releasing-hormone") in found_
    assert ("opioid-analgesic", "produces", "gonadotropin-releasing-hormone") not in found_


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # knockouts, of other shapes and verbs: the removed entity does the opposite of what its removal did
        ("Rats lacking TLR4 developed less allodynia.", (TLR4, "causes", "allodynia", False)),
        ("Mice lacking TLR4 have fewer microglia.", (TLR4, "increases", MICROGLIA, False)),
        ("Deletion of TLR4 reduced neuropathic pain in rats.", (TLR4, "causes", "neuropathic-pain", False)),
        ("Blocking TNF reduced joint pain.", ("tumor-necrosis-factor", "causes", "arthralgia", False)),
        # a trial of a drug stands for the drug, as its use does; "did not" negates what it did
        (
            "A large trial of vitamin D did not reduce the incidence of cancer.",
            ("vitamin-d", "decreases", "cancer", True),
        ),
        (
            "Two trials of aspirin reduced the risk of stroke.",
            ("acetylsalicylic-acid", "decreases", "stroke-disorder", False),
        ),
        (
            "Prescription of opioids was associated with constipation.",
            ("opioid-analgesic", "associatedWith", "constipation-disorder", False),
        ),
        # multiplying a risk noun of a condition: causes it
        (
            "Obesity doubles the risk of type 2 diabetes.",
            ("obesity-disorder", "causes", "type-2-diabetes-mellitus", False),
        ),
        # "protect from/against", "slow"
        (
            "Minocycline protects against neuropathic pain.",
            ("minocycline", "decreases", "neuropathic-pain", False),
        ),
        ("Lecanemab slows cognitive decline.", ("lecanemab", "decreases", "mental-deterioration", False)),
        # a participle on an apposition that names no entity describes the noun it renames
        (
            "TREM2, a receptor expressed by microglia, binds lipids.",
            ("triggering-receptor-expressed-on-myeloid-cells-2", "locatedIn", MICROGLIA, False),
        ),
        (
            "The drug targets CX3CR1, a receptor found on microglia.",
            ("c-x3-c-motif-chemokine-receptor-1", "locatedIn", MICROGLIA, False),
        ),
        # signalling verbs: phosphorylation regulates, recruitment binds, channels opened and closed
        (
            "Protein kinase A phosphorylates the NMDA receptor.",
            ("cyclic-amp-dependent-protein-kinases", "regulates", "n-methyl-d-aspartate-receptors", False),
        ),
        ("Morphine is a weak recruiter of beta-arrestin 2.", ("morphine", "binds", "arrestin-beta-2", False)),
        (
            "Enkephalin opens potassium channels and closes calcium channels.",
            ("enkephalin", "decreases", "calcium-channels", False),
        ),
        # a trigger noun as the copula's subject: its possessor or "of" phrase is the object
        ("The main ligands of TLR4 are lipopolysaccharides.", ("lipopolysaccharide", "binds", TLR4, False)),
        (
            "TNF is a cytokine. Its main inhibitor is infliximab.",
            ("infliximab", "decreases", "tumor-necrosis-factor", False),
        ),
        # "carry/pose a risk (of Y)": X causes Y, else the condition under discussion
        (
            "Celecoxib carries a risk of heart attack.",
            ("celecoxib", "causes", "myocardial-infarction", False),
        ),
        (
            "Rheumatoid arthritis is an autoimmune disease. Smoking carries a high risk.",
            ("smoking", "causes", "rheumatoid-arthritis", False),
        ),
        # an active counterpart verb whose subject is who found it: the object and the preposition's object
        (
            "Researchers linked TNF to depression.",
            ("tumor-necrosis-factor", "associatedWith", "depressive-disorder", False),
        ),
        # what occurs in a population defined by its drug is a side effect of the drug
        (
            "Nausea developed in several patients receiving morphine.",
            ("morphine", "hasSideEffect", "nausea", False),
        ),
        (
            "Headache appeared among patients who took naltrexone.",
            (NALTREXONE, "hasSideEffect", "headache", False),
        ),
        # "X adds to Y": a condition only
        ("Smoking adds to the risk of stroke.", ("smoking", "causes", "stroke-disorder", False)),
        # an effect noun whose apposition lists what the effects are
        (
            "Morphine causes several adverse effects, namely nausea, sedation and constipation.",
            ("morphine", "causes", "nausea", False),
        ),
    ],
)
def test_frames_general_constructions_on_the_models_parse(nlp, text, expected):
    doc = nlp(text)
    assert expected in {(r.subject, r.predicate, r.object, r.evidence.negated) for r in doc._.ldn_relations}


def test_frames_a_knockout_is_not_read_without_a_removal_or_an_amount(nlp):
    # the drug of a gerund that does not remove anything, and an amount word with no removal, stay as they are
    doc = nlp("Mice given TLR4 have fewer microglia. Patients lacking insurance had more hospital visits.")
    assert not [r for r in doc._.ldn_relations if r.evidence.rule == "knockout"]
    doc = nlp("Mice lacking TLR4 developed allodynia.")
    assert not [r for r in doc._.ldn_relations if r.evidence.rule == "knockout"]
    # "synapse loss" is not synapses: a knockout changes the slot's own entity only
    doc = nlp("Blocking TLR4 reduced synapse loss.")
    assert not [r for r in doc._.ldn_relations if r.evidence.rule == "knockout"]


def test_frames_a_drug_that_slows_the_course_of_a_condition_does_not_treat_the_course(nlp):
    doc = nlp("LDN slowed disease progression.")
    found = {(r.predicate, r.object) for r in doc._.ldn_relations}
    assert ("decreases", "disease-progression") in found
    assert ("treats", "disease-progression") not in found


def test_frames_a_definite_noun_names_the_entity_with_its_head(nlp):
    # "the receptor": the receptor the text is about (an earlier subject), not the latest receptor named
    doc = nlp(
        "The kappa-opioid receptor is a G-protein-coupled receptor. "
        "Activation of the receptor produces analgesia."
    )
    assert ("kappa-opioid-receptor", "causes", "analgesia") in {
        (r.subject, r.predicate, r.object) for r in doc._.ldn_relations
    }
    assert not [
        r
        for r in doc._.ldn_relations
        if r.subject == "g-protein-coupled-receptors" and r.object == "analgesia"
    ]


def test_frames_a_noun_after_unlike_is_not_the_clause_subjects_doing(nlp):
    doc = nlp(
        "The kappa-opioid receptor is a G-protein-coupled receptor. "
        "Unlike activation of the mu-opioid receptor, it does not cause euphoria."
    )
    assert not [r for r in doc._.ldn_relations if r.object == "mu-opioid-receptor"]
    assert ("kappa-opioid-receptor", "causes", "euphoria", True) in {
        (r.subject, r.predicate, r.object, r.evidence.negated) for r in doc._.ldn_relations
    }


def test_frames_add_to_is_about_a_condition_only(nlp):
    doc = nlp("Clinicians added naloxone to the regimen of patients with chronic pain.")
    assert not [r for r in doc._.ldn_relations if r.predicate == "increases"]


def test_frames_a_purpose_hung_on_the_companion_is_the_subjects(nlp):
    # "X is prescribed with Y for Z", with "for Z" attached to Y: Z is still what X is prescribed for.
    doc = parse(
        nlp,
        """
        Gabapentin   gabapentin  PROPN NNP 2 nsubjpass
        is           be          AUX   VBZ 2 auxpass
        prescribed   prescribe   VERB  VBN 2 ROOT
        with         with        ADP   IN  2 prep
        opioids      opioid      NOUN  NNS 3 pobj
        for          for         ADP   IN  4 prep
        pain         pain        NOUN  NN  5 pobj
        .            .           PUNCT .   2 punct
        """,
        [
            (0, 1, "Drug", "gabapentin"),
            (4, 5, "ChemicalEntity", "opioid-analgesic"),
            (6, 7, "PhenotypicFeature", "pain"),
        ],
    )
    relations = found(nlp, doc, ["ldn.frame.adjective.v1"])
    assert ("gabapentin", "treats", "pain", "adjective") in relations
    # a purpose on the verb itself is read as before, and nothing comes from a companion without one
    plain = parse(
        nlp,
        """
        Gabapentin   gabapentin  PROPN NNP 2 nsubjpass
        is           be          AUX   VBZ 2 auxpass
        prescribed   prescribe   VERB  VBN 2 ROOT
        with         with        ADP   IN  2 prep
        opioids      opioid      NOUN  NNS 3 pobj
        .            .           PUNCT .   2 punct
        """,
        [(0, 1, "Drug", "gabapentin"), (4, 5, "ChemicalEntity", "opioid-analgesic")],
    )
    assert not found(nlp, plain, ["ldn.frame.adjective.v1"])


def test_frames_an_arm_outcome_needs_a_drugs_arm_and_keeps_its_polarity(nlp):
    records = nlp(
        "C-reactive protein was not significantly reduced in the naltrexone group. Pain scores fell in the "
        "placebo group. Duloxetine reduced pain in the first week."
    )._.ldn_relations
    arm = {
        (r.subject, r.predicate, r.object, r.evidence.negated)
        for r in records
        if r.evidence.rule == "arm-outcome"
    }
    # the negation cue applies; placebo is no drug; a verb with an object is the verb frame's
    assert arm == {(NALTREXONE, "decreases", "c-reactive-protein", True)}


def test_frames_a_past_form_after_a_drug_reads_the_population_as_treated(nlp):
    table, ents, _expected = HAND_BUILT["verbless-clause, past after a drug"]
    read = found(nlp, parse(nlp, table, ents), ["ldn.frame.verbless-clause.v1"])
    assert (LDN, "treats", PSORIASIS, "in-population") in read
    assert not any(o == PSORIASIS and p == "decreases" for _s, p, o, _r in read)
    # "the pain caused by X": a participle after no drug is no verb of a clause
    doc = parse(
        nlp,
        """
        pain   pain   NOUN NN  0 ROOT
        caused cause  VERB VBN 0 acl
        by     by     ADP  IN  1 agent
        stress stress NOUN NN  2 pobj
        """,
        [(0, 1, "PhenotypicFeature", "pain"), (3, 4, "PhenotypicFeature", "stress")],
    )
    assert not found(nlp, doc, ["ldn.frame.verbless-clause.v1"])


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # a structured abstract's label is a sentence of its own, in any case, one word or several
        ("Conclusions: LDN reduced pain.", ["Conclusions:", "LDN reduced pain."]),
        ("MATERIALS AND METHODS: We gave LDN.", ["MATERIALS AND METHODS:", "We gave LDN."]),
        ("Pain fell. Results: LDN helped.", ["Pain fell.", "Results:", "LDN helped."]),
        # a colon after words that are no section label, or inside a sentence, splits nothing
        ("Fair warning: LDN is no miracle drug.", ["Fair warning: LDN is no miracle drug."]),
        (
            "Two outcomes were measured, results: pain and sleep.",
            ["Two outcomes were measured, results: pain and sleep."],
        ),
    ],
)
def test_frames_section_labels_are_sentences_of_their_own(nlp, text, sentences):
    assert [s.text for s in nlp(text).sents] == sentences
