"""A population defined by the drug it received: "a reduction in pain among fibromyalgia patients who
received LDN" — the drug treats the population's condition, and the change found in that population is
the drug's."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import DRUG_CATEGORIES, WORDS, pobjs, unique

THERAPEUTIC_CATEGORIES = frozenset(("Protein",))
MAX_HOPS = 3  # from the population up to the change noun: its preposition, a verb, the noun


def read_treated_population(reader: SentenceReader) -> None:
    """For a sentence with a population-verb ("who received", "taking"): its drug, the population's
    conditions, and the change nouns whose place is that population."""
    for verb in reader.tokens:
        if verb.dep_ not in ("relcl", "acl") or verb.lemma_.lower() not in WORDS["population-verb"]:
            continue
        population = verb.head
        if (
            not reader.is_population(population)
            and population.dep_ == "pobj"
            and population.head.lower_ in WORDS["population-prep"]
        ):
            # "patients with Crohn's disease who started infliximab": the relative clause hung on the disease
            population = population.head.head
        if not reader.is_population(population):
            continue
        drugs = [
            e
            for d in _drug_slots(reader, verb)
            for e in reader.phrase(d)
            # what patients take or receive is a drug, an antibody too ("who started infliximab")
            if e.label_ in DRUG_CATEGORIES or e.label_ in THERAPEUTIC_CATEGORIES
        ]
        if not drugs:
            continue
        conditions = [e for e in _modifier_conditions(reader, population) if e not in drugs]
        reader.emit(drugs, "treats", conditions, verb, "treated-population", (population,))
        # "vivid dreams occurred in a few patients taking LDN": what occurs in them is a side effect
        place = population.head
        if population.dep_ == "pobj" and place.lower_ in WORDS["population-place-prep"]:
            event = place.head
            lemma = event.lemma_.lower()
            # "optic neuritis has been described in people treated with D": what is seen in them too, when
            # the subject names it ("reductions in pain were observed" is a change, not an event)
            seen = lemma in WORDS["observation-verb"] and reader.is_passive(event)
            if event.pos_ == "VERB" and (lemma in WORDS["occurrence-verb"] or seen):
                effects = [
                    e
                    for c in event.children
                    if c.dep_ == "nsubj" or (seen and c.dep_ == "nsubjpass" and c.i in reader.entity_at)
                    for e in reader.phrase(c)
                    if e.label_ in ("Disease", "PhenotypicFeature")
                    and e not in conditions
                    and not resembled(e)
                ]
                reader.emit(drugs, "hasSideEffect", effects, event, "treated-population", (population,))
        for noun in _changes_in(reader, population):
            for trigger in reader.rules.triggers_for(noun.lemma_, "NOUN"):
                if trigger.frame != "nominal" or trigger.predicate not in ("decreases", "increases"):
                    continue
                objects = unique(
                    e
                    for c in noun.children
                    if c.dep_ == "prep" and c.lower_ in trigger.preps
                    for p in pobjs(c)
                    for e in reader.phrase(p)
                    if e not in drugs
                )
                reader.emit(drugs, trigger.predicate, objects, noun, "treated-population", (population,))


def resembled(ent: Span) -> bool:
    """Whether an entity only names what something resembles ("a multiple sclerosis-like illness")."""
    doc = ent.doc
    after = [t.lower_ for t in doc[ent.end : min(ent.end + 2, len(doc))]]
    return after[:1] == ["like"] or after == ["-", "like"]


def _drug_slots(reader: SentenceReader, verb: Token) -> list[Token]:
    """Where a population verb names the drug: its object ("patients taking D"), or the instrument of a
    passive ("patients treated with D")."""
    if verb.tag_ == "VBN" and reader.is_passive(verb):
        return [
            p
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in WORDS["instrument-prep"]
            for p in pobjs(c)
        ]
    return [d for d in verb.children if d.dep_ == "dobj"]


def _modifier_conditions(reader: SentenceReader, population: Token) -> list[Span]:
    """The conditions of "patients with fibromyalgia" and of "fibromyalgia patients"."""
    named = [
        e
        for c in population.children
        if c.dep_ in ("amod", "compound") and c.i < population.i
        for e in reader.phrase(c)
        if e.label_ in ("Disease", "PhenotypicFeature")
    ]
    return unique(reader.population_conditions(population) + named)


def _changes_in(reader: SentenceReader, population: Token) -> list[Token]:
    """Change nouns placed in the population: "a reduction in pain among patients ...", "a reduction in
    pain was observed in patients ...", "there was a reduction ... among patients ..."."""
    place = population.head
    if population.dep_ != "pobj" or place.lower_ not in WORDS["population-place-prep"]:
        return []
    found: list[Token] = []
    head, hops = place.head, 0
    while hops < MAX_HOPS:
        if head.pos_ == "NOUN" and reader.rules.triggers_for(head.lemma_, "NOUN"):
            found.append(head)
        if head.pos_ in ("VERB", "AUX"):
            found += [
                c
                for c in head.children
                if c.dep_ in ("nsubj", "nsubjpass", "attr", "dobj")
                and reader.rules.triggers_for(c.lemma_, "NOUN")
            ]
            break
        if head.head.i == head.i:
            break
        head, hops = head.head, hops + 1
    return list({t.i: t for t in found}.values())


@FRAMES.register("ldn.frame.treated-population.v1")
def treated_population_frame() -> Frame:
    """A population defined by the drug it received, for sentences with a population verb."""
    return Frame("treated-population", read=read_treated_population, lemmas=WORDS["population-verb"])
