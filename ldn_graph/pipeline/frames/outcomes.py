"""Outcomes of the drug under discussion: a response in patients with a condition, and negative findings
("X did not differ between groups", "X remained unchanged")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline import context
from ldn_graph.pipeline.frames.arms import ARM_PREPS, arm_drugs
from ldn_graph.pipeline.frames.knockout import REMOVAL, read_knockouts
from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    COPULAS,
    DRUG_CATEGORIES,
    WORDS,
    pobjs,
    unique,
)

DIFFER_VERBS = WORDS["no-difference-verb"]  # "X did not differ": X is the subject
DIFFERENCE_NOUNS = WORDS["no-difference-noun"]  # "no difference in X"
UNCHANGED_WORDS = WORDS["unchanged-adjective"]  # "X remained unchanged"
NO_CHANGE_WORDS = DIFFER_VERBS | DIFFERENCE_NOUNS | UNCHANGED_WORDS


def read_outcomes(reader: SentenceReader) -> None:
    """ "a response ... in patients with Crohn's disease": the drug under discussion treats it. For a
    sentence with an outcome noun."""
    if any(e.label_ in DRUG_CATEGORIES for e in reader.entity_at.values()):
        return
    drug = reader.discourse.topic_drug(reader.number, window=2)
    if drug is None:
        return
    for token in reader.tokens:
        for e in reader.population_conditions(token):
            reader.emit([drug], "treats", [e], token, "outcome-in-population")


def read_unchanged_outcomes(reader: SentenceReader) -> None:
    """ "X did not differ between groups", "no significant difference in X", "X remained unchanged":
    the drug under discussion did not change X."""
    drug = reader.topic(window=2)
    if drug is None:
        return
    for token in reader.tokens:
        lemma = token.lemma_.lower()
        if lemma in DIFFER_VERBS and token.pos_ == "VERB":
            targets = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        elif lemma in DIFFERENCE_NOUNS and token.pos_ == "NOUN":
            targets = [
                p
                for c in token.children
                if c.dep_ == "prep" and c.lower_ in WORDS["difference-prep"]
                for p in pobjs(c)
            ]
        else:
            targets = []
        # Only a negative finding says something of the drug's effect (a difference has no direction).
        if targets and context.is_negated(reader.rules, token, (token,)):
            objects = [e for t in targets for e in reader.phrase(t)]
            reader.emit([drug], "decreases", objects, token, "no-difference", (token,))
        elif lemma in UNCHANGED_WORDS and token.dep_ in ("acomp", "oprd", "xcomp"):
            targets = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            objects = [e for t in targets for e in reader.phrase(t)]
            # "remained unchanged" says the drug did not change it: negated.
            reader.emit([drug], "regulates", objects, token, "remained-unchanged", negated=True)


# "Treated animals" are the study's: its drug may have been named several sentences before (methods).
STUDY_DRUG_WINDOW = 6
HIGHER = WORDS["comparative-higher"]
LOWER = WORDS["comparative-lower"]
ALTERED = WORDS["comparative-altered"]
FREQUENT = WORDS["frequency-adjective"]


def read_comparisons(reader: SentenceReader) -> None:
    """ "Spinal levels of IL-1β were lower in treated animals than in controls": the drug under discussion
    lowers what the subject measures; "IL-6 concentrations are higher in patients with depression": the
    measure goes with the group's condition."""
    for token in reader.tokens:
        word = token.lower_  # the comparative as written: "higher", "lower"
        if word not in HIGHER | LOWER | ALTERED:
            continue
        if token.dep_ in ("acomp", "attr", "oprd") and token.head.lemma_.lower() in COPULAS:
            clause = token.head
        elif word in ALTERED and token.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in token.children):
            clause = token  # "Plasma nociceptin levels are altered in fibromyalgia"
        else:
            continue
        measured = [e for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for e in reader.phrase(c)]
        # "IL-8 staining was weaker after LDN than after placebo", "lower in the LDN group": the drug's arm
        arms = [
            p
            for c in (*token.children, *clause.children)
            if c.dep_ == "prep" and c.lower_ in ARM_PREPS
            for p in pobjs(c)
        ][:1]
        drugs = [d for p in arms for d in arm_drugs(reader, p)]
        if drugs and word not in ALTERED:
            predicate = "increases" if word in HIGHER else "decreases"
            reader.emit(drugs, predicate, [e for e in measured if e not in drugs], token, "comparison-arm")
            continue
        groups = [
            p
            for c in (*token.children, *clause.children)
            if c.dep_ == "prep" and c.lower_ in WORDS["comparison-prep"]
            for p in pobjs(c)
        ][:1]  # the first group: "higher in A than in B" is about A
        for group in groups:
            # "treated animals"; not "vehicle-treated controls" (a modifier of its own) nor "untreated"
            treated = [c for c in group.children if c.lower_ in WORDS["treated-modifier"]]
            if treated and not any(t.n_lefts for t in treated):
                drug = reader.topic(window=STUDY_DRUG_WINDOW)
                if drug is not None:
                    predicate = (
                        "increases" if word in HIGHER else "decreases" if word in LOWER else "regulates"
                    )
                    reader.emit([drug], predicate, measured, token, "comparison-treated")
            else:
                # "higher in patients with Y", "in depressed patients"; "altered in fibromyalgia and migraine"
                conditions = reader.population_conditions(group) or [
                    e for e in reader.phrase(group) if e.label_ == "Disease"
                ]
                reader.emit(measured, "associatedWith", conditions, token, "comparison-in-population")


def drugs_with(reader: SentenceReader, adjective: Token) -> list[Span]:
    """The drugs a comparative on a copula names with "with", "on", "during" ("more common with LDN")."""
    return unique(
        e
        for c in (*adjective.children, *adjective.head.children)
        if c.dep_ == "prep" and c.lower_ in WORDS["treatment-time-prep"]
        for p in pobjs(c)
        for e in reader.phrase(p)
        if e.label_ in DRUG_CATEGORIES
    )


def read_risk_with(reader: SentenceReader) -> None:
    """ "The risk (of Y) was highest with fluoxetine and paroxetine": the drugs cause Y, else the condition
    under discussion."""
    for token in reader.tokens:
        if (
            token.lower_ not in HIGHER
            or token.dep_ not in ("acomp", "attr")
            or token.head.lemma_.lower() not in COPULAS
        ):
            continue
        clause = token.head
        risks = [c for c in clause.children if c.dep_ == "nsubj" and c.lemma_.lower() in WORDS["risk-noun"]]
        if not risks:
            continue
        drugs = drugs_with(reader, token)
        conditions = [
            e
            for r in risks
            for c in r.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for p in pobjs(c)
            for e in reader.phrase(p)
            if e.label_ in ("Disease", "PhenotypicFeature")
        ]
        if not conditions and (condition := reader.topic_condition()) is not None:
            conditions = [condition]
        reader.emit(drugs, "causes", conditions, token, "risk-with")


def read_more_frequent(reader: SentenceReader) -> None:
    """ "Vivid dreams and headache were more common with LDN", "more pronounced with methadone": side
    effects of the drug the patients were on; "less common with LDN" is none (declined)."""
    for token in reader.tokens:
        if token.lower_ not in FREQUENT or token.dep_ != "acomp" or token.head.lemma_.lower() not in COPULAS:
            continue
        degree = [c.lower_ for c in token.children if c.dep_ == "advmod"]
        if not any(w in WORDS["more"] | WORDS["less"] for w in degree):
            continue
        clause = token.head
        drugs = drugs_with(reader, token)
        effects = [
            e
            for c in clause.children
            if c.dep_ in ("nsubj", "nsubjpass")
            for e in reader.phrase(c)
            if e.label_ in ("PhenotypicFeature", "Disease")
        ]
        if any(w in WORDS["more"] for w in degree):
            reader.emit(drugs, "hasSideEffect", effects, token, "more-frequent-with")
        else:  # "Headache was less common with LDN": compared with another arm, no side effect of it
            reader.decline(drugs, effects)


@FRAMES.register("ldn.frame.comparison.v1")
def comparison_frame() -> Frame:
    """A measure higher or lower in a group, for sentences with a comparative or a removal word."""
    return Frame(
        "comparison", read=read_all_comparisons, lowers=HIGHER | LOWER | ALTERED | FREQUENT | REMOVAL
    )


def read_all_comparisons(reader: SentenceReader) -> None:
    """A measure higher or lower in a group; in animals that lack X ("Mice lacking X have fewer Y")."""
    read_comparisons(reader)
    read_more_frequent(reader)
    read_risk_with(reader)
    read_knockouts(reader)


@FRAMES.register("ldn.frame.outcome-in-population.v1")
def outcome_in_population_frame() -> Frame:
    """Outcome nouns in a population."""
    return Frame("outcome-in-population", read=read_outcomes, lemmas=WORDS["outcome-noun"])


@FRAMES.register("ldn.frame.no-difference.v1")
def no_difference_frame() -> Frame:
    """Negative findings, for sentences with a no-change word."""
    return Frame("no-difference", read=read_unchanged_outcomes, lemmas=NO_CHANGE_WORDS)
