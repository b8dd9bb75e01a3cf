"""Outcomes in a drug's arm of a study: "Faecal calprotectin fell in the LDN group", "Pain improved with
amitriptyline but not with placebo", "In patients given duloxetine, pain scores decreased by 30%".

A trial's results name what changed as the subject of a verb with no object: an intransitive change verb
("fell", "rose": `change-down-verb` and `change-up-verb` in `ontology/word-classes.tsv`), a trigger verb
that lowers or treats ("decreased", "improved": its own predicate), or an agentless passive of a decrease
or increase trigger ("was reduced"). The drug is named only in a phrase that says which arm the change was
seen in (`arm-prep`): the drug itself ("with naltrexone", "on LDN", "after LDN"), its group ("in the LDN
group", `arm-noun`) or the patients given it ("in patients given duloxetine", `arm-verb`). The drug lowers,
raises or treats what the subject measures; a conjoined "but not with X" is negated by its own "not", the
first phrase by the negation cues around the verb ("was not significantly reduced in the naltrexone group").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import CHANGE_PREDICATES, DRUG_CATEGORIES, WORDS, pobjs, unique

DOWN_VERBS = WORDS["change-down-verb"]
UP_VERBS = WORDS["change-up-verb"]
ARM_PREPS = WORDS["arm-prep"]
ARM_NOUNS = WORDS["arm-noun"]
ARM_VERBS = WORDS["arm-verb"]


def read_arm_outcomes(reader: SentenceReader) -> None:
    """ "X fell/improved/was reduced in the D group | with D (but not with E) | in patients given D": D
    lowers, raises or treats X."""
    for token in reader.tokens:
        if token.pos_ != "VERB" or any(c.dep_ in ("dobj", "agent") for c in reader.children(token)):
            continue  # "D reduced X", "X was reduced by D": the verb frame's
        predicate = _direction(reader, token)
        if predicate is None:
            continue
        subjects = tuple(c for c in reader.children(token) if c.dep_ in ("nsubj", "nsubjpass"))
        measured = unique(e for s in subjects for e in reader.phrase(s) if e.label_ not in DRUG_CATEGORIES)
        if not measured:
            continue
        for c in reader.children(token):
            if c.dep_ != "prep" or c.lower_ not in ARM_PREPS:
                continue
            # "with amitriptyline but not with placebo": each arm phrase, the conjoined one with its own "not"
            for prep in (c, *(d for d in c.children if d.dep_ == "conj" and d.pos_ == "ADP")):
                drugs = unique(d for p in pobjs(prep) for d in arm_drugs(reader, p))
                negated = True if any(d.dep_ == "neg" for d in prep.children) else None
                reader.emit(
                    drugs, predicate, measured, token, "arm-outcome", subjects, paired=True, negated=negated
                )


def _direction(reader: SentenceReader, verb: Token) -> str | None:
    """What a drug does to a verb's subject when the change is seen in its arm: "decreases" or "increases"
    for a change verb or an agentless passive of such a trigger, an active trigger's own predicate when it
    lowers or treats ("decreased", "improved"), else None."""
    lemma = verb.lemma_.lower()
    if lemma in DOWN_VERBS:
        return "decreases"
    if lemma in UP_VERBS:
        return "increases"
    passive = any(c.dep_ == "auxpass" for c in reader.children(verb))
    triggers = reader.rules.triggers_for(lemma, "VERB")
    if passive:
        predicates = {t.predicate for t in triggers}
        if predicates == {"decreases"}:
            return "decreases"
        if predicates == {"increases"}:
            return "increases"
        return None
    first = next((t for t in triggers if t.frame == "active"), None)
    return first.predicate if first is not None and first.predicate in CHANGE_PREDICATES else None


def arm_drugs(reader: SentenceReader, arm: Token) -> list[Span]:
    """The drugs a study arm names: the drug itself ("with naltrexone"), its group ("the LDN group": a
    drug modifying an `arm-noun`), or the patients given it ("patients given duloxetine")."""
    named = [e for e in reader.phrase(arm) if e.label_ in DRUG_CATEGORIES]
    if named:
        return named
    if arm.lemma_.lower() in ARM_NOUNS:
        return [
            reader.entity_at[c.i]
            for c in arm.lefts
            if c.dep_ in ("compound", "amod", "nmod") and c.i in reader.entity_at
            if reader.entity_at[c.i].label_ in DRUG_CATEGORIES
        ]
    if reader.is_population(arm):
        return [
            e
            for c in reader.children(arm)
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in ARM_VERBS
            for d in reader.children(c)
            if d.dep_ in ("dobj", "dative") or (d.dep_ == "prep" and d.lower_ in ("with", "to"))
            for t in ([d] if d.dep_ != "prep" else pobjs(d))
            for e in reader.phrase(t)
            if e.label_ in DRUG_CATEGORIES
        ]
    return []


@FRAMES.register("ldn.frame.arm-outcome.v1")
def arm_outcome_frame() -> Frame:
    """Changes seen in a drug's arm, for sentences with a change verb or a decrease/increase verb."""
    return Frame("arm-outcome", read=read_arm_outcomes)
