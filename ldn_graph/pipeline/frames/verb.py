"""Verbs: a trigger verb's subject acts on its object, in active or passive voice, in clauses that share
the subject, and in reports of an unattributed change."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.knockout import changed, removed, reversed_predicate
from ldn_graph.pipeline.frames.mechanism import cleaved_into, released_from
from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    CHANGE_PREDICATES,
    DRUG_CATEGORIES,
    WORDS,
    is_to_infinitive,
    pobjs,
    unique,
)
from ldn_graph.pipeline.rules import Trigger


def apply_verb(reader: SentenceReader, trigger: Trigger, token: Token) -> bool:
    """A trigger verb: subjects and objects by voice ("X blocks Y", "Y is caused by X", "Y caused by X"),
    swapped for an `inverse` trigger ("Z benefits from X"); whether it found a relation."""
    if token.dep_ == "amod" and token.pos_ == "VERB":
        if reader.entity_of(token) is not None:
            return False  # part of a name: "gonadotropin-releasing hormone"
        if token.i - 2 >= reader.sent.start and reader.doc[token.i - 1].text == "-":
            return compound_participle(reader, trigger, token)
        return trigger.frame == "active" and misparsed_participle(reader, trigger, token)
    if token.pos_ not in ("VERB", "AUX"):
        return False
    # A light verb over a nominal trigger ("causes an increase in X") leaves the relation to the noun.
    # Not when the noun names no argument and lists what it stands for ("causes adverse effects, namely
    # nausea and sedation").
    # Only the verb's first object: "produces allodynia in rats, an effect prevented by Z" is no light verb.
    first_object = next((c for c in token.children if c.dep_ == "dobj"), None)
    if (
        token.lemma_.lower() in WORDS["light-verb"]
        and first_object is not None
        and reader.rules.triggers_for(first_object.lemma_, "NOUN")
        and reader.entity_of(first_object) is None
        and not any(d.dep_ == "appos" for d in first_object.children)
    ):
        return False
    if trigger.lemma in WORDS["source-verb"] and not reader.is_passive(token):
        # "cleaved from", "derived from": read in the passive only; but "X cleaves Y into its active form"
        return trigger.lemma in WORDS["cleavage-verb"] and cleaved_into(reader, token)
    obj_tokens = [
        t
        for t in reader.objects(trigger, token)
        if not (t.dep_ == "pobj" and t.head.lower_ in WORDS["through-prep"]) or receptor_like(t)
    ]
    if reader.is_passive(token):
        patients = [c for c in token.children if c.dep_ == "nsubjpass"]
        if token.dep_ == "conj" and not patients:  # "Y was rare and was not associated with X"
            patients = reader.subjects(token)
        if token.dep_ == "acl" and not patients:
            patients = [reader.described(token)]
        agents = reader.agents(token)
        if not agents and patients and trigger.lemma in WORDS["counterpart-verb"]:
            # "X was associated with Y", "X is bound to Y", "X is implicated in Y": with no agent, the
            # trigger's own preposition names the other party, whatever the voice of the active frame.
            others = [
                p for c in token.children if c.dep_ == "prep" and c.lower_ in trigger.preps for p in pobjs(c)
            ]
            if others:
                return passive_counterpart(reader, trigger, token, patients, others)
        if not agents and patients and trigger.lemma in WORDS["source-verb"]:
            # "a peptide cleaved from POMC", "peptides derived from prodynorphin": the precursor makes it
            sources = [
                p for c in token.children if c.dep_ == "prep" and c.lower_ in trigger.preps for p in pobjs(c)
            ]
            if sources:
                return passive_counterpart(reader, trigger, token, sources, patients, "source-passive")
        subj_tokens = agents
        if not agents and trigger.predicate == "treats" and trigger.frame == "active":
            # "patients treated with interferon-alpha for hepatitis C": the drug treats what it was for
            subj_tokens = [
                p
                for c in token.children
                if c.dep_ == "prep" and c.lower_ in WORDS["instrument-prep"]
                for p in pobjs(c)
            ]
            if subj_tokens:
                agents = subj_tokens
                # "for Y" on the verb, or hung by the parser on the drug or the last of a list of drugs
                # ("treated with infliximab, etanercept or adalimumab for rheumatoid arthritis")
                holders = [token, *(d for t in subj_tokens for d in (t, *t.conjuncts))]
                patients += [
                    p
                    for h in holders
                    for c in reader.children(h)
                    if c.dep_ == "prep" and c.lower_ == "for"
                    for p in pobjs(c)
                ]
        # "QoL improved, but numbness was not reduced": a conjoined clause of its own, whose change is
        # unattributed (below); other shared clauses with no agent give nothing.
        if (
            not agents
            and patients
            and token.dep_ in ("xcomp", "advcl", "conj")
            and not (token.dep_ == "conj" and trigger.predicate in CHANGE_PREDICATES)
        ):
            return False
        obj_tokens = patients or obj_tokens
        if not agents:
            subj_tokens = reader.subjects(token.head) if token.dep_ in ("xcomp",) else []
    else:
        subj_tokens = reader.subjects(token)
    if trigger.frame == "inverse":
        subj_tokens, obj_tokens = obj_tokens, subj_tokens
    elif trigger.predicate in CHANGE_PREDICATES and not any(reader.phrase(t) for t in subj_tokens):
        # "Morning stiffness was reduced by half", "her joint pain had improved": in a report about a
        # drug, an unattributed change is the drug's.
        intransitive = not reader.is_passive(token) and not any(c.dep_ == "dobj" for c in token.children)
        if reader.is_passive(token) or intransitive:
            drug = reader.topic(window=2)
            if intransitive:
                obj_tokens = [c for c in token.children if c.dep_ == "nsubj"]
            if drug is not None and obj_tokens:
                objects = unique(o for t in obj_tokens for o in reader.phrase(t))
                objects = [o for o in objects if o.label_ in ("PhenotypicFeature", "Disease")]
                return (
                    reader.emit(
                        [drug],
                        trigger.predicate,
                        objects,
                        token,
                        "unattributed-change",
                        tuple(obj_tokens),
                    )
                    > 0
                )
    subjects = unique(s for t in subj_tokens for s in reader.phrase(t) + reader.local_slot(t))
    objects = unique(o for t in obj_tokens for o in object_phrase(reader, trigger, t) + reader.local_slot(t))
    if (
        subj_tokens
        and not subjects
        and trigger.lemma in WORDS["counterpart-verb"]
        and not reader.is_passive(token)
    ):
        # "Studies linked the use of NSAIDs with a lower incidence of AD": the subject is who found it; the
        # object and the trigger's preposition name the two parties.
        firsts = [c for c in token.children if c.dep_ == "dobj"]
        others = [
            p for c in token.children if c.dep_ == "prep" and c.lower_ in trigger.preps for p in pobjs(c)
        ]
        if firsts and others:
            return passive_counterpart(reader, trigger, token, firsts, others, "counterpart-active")
    if trigger.predicate in ("treats", "associatedWith"):  # "benefit ... patients with psoriasis"
        objects = unique(objects + [o for t in obj_tokens for o in reader.population_conditions(t)])
    if (
        not objects
        and trigger.predicate == "increases"
        and obj_tokens
        and all(t.lemma_.lower() in WORDS["risk-noun"] for t in obj_tokens)
        and (condition := reader.topic_condition()) is not None
    ):
        objects = [condition]  # "Opioids carry the highest risk": of the condition under discussion
    if trigger.object_categories:
        objects = [o for o in objects if o.label_ in trigger.object_categories]
    if (
        not objects
        and trigger.lemma in WORDS["intransitive-treatment-verb"]
        and not any(c.dep_ in ("dobj", "xcomp", "ccomp") for c in token.children)
        and (condition := reader.topic_condition()) is not None
    ):
        # "Low-dose naltrexone has been reported to help in small case series": with the condition under
        # discussion ("helps to restore function" is no such thing)
        objects = [condition]
    if trigger.object_categories and not objects:
        return False
    if not subj_tokens and (token.tag_ == "VBG" or is_to_infinitive(token)):
        subjects = fallback_subject(reader, trigger, token, objects)
    if not objects and trigger.predicate == "associatedWith":
        objects = [e for e in reader.sentence_entities() if e.label_ == "Disease" and e not in subjects][:1]
    rule = f"{trigger.frame}-{'passive' if reader.is_passive(token) else 'verb'}"
    predicate = trigger.predicate
    if (
        predicate == "causes"
        and obj_tokens
        and all(t.lemma_.lower() in WORDS["production-noun"] | WORDS["activation-noun"] for t in obj_tokens)
    ):
        # "IL-6 induces the synthesis of CRP": more CRP; "triggers assembly of the inflammasome": more of it
        predicate = "increases"
    if (
        predicate == "increases"
        and obj_tokens
        and all(t.lemma_.lower() in WORDS["risk-noun"] for t in obj_tokens)
        and objects
        and all(o.label_ in ("Disease", "PhenotypicFeature") for o in objects)
    ):
        predicate = "causes"  # "they increase the risk of herpes zoster"
    if trigger.frame == "active" and not reader.is_passive(token):
        genes = unique(e for t in subj_tokens for e in removed(reader, t))
        if genes:  # "Deleting X protected mice from Y": X causes Y
            objects = changed(reader, objects, [t for o in obj_tokens for t in (o, *o.conjuncts)])
            opposite = reversed_predicate(predicate, objects)
            return opposite is not None and reader.emit(genes, opposite, objects, token, "knockout") > 0
    if predicate == "produces" and (producers := released_from(reader, token)):
        # "AM1241 releases beta-endorphin from keratinocytes": the cells make it, the subject raises it
        reader.emit(producers, predicate, objects, token, "released-from", tuple(obj_tokens))
        predicate = "increases"
    # "..., an effect prevented by Z": what an experiment showed, not a treatment
    summed_up = token.dep_ == "acl" and token.head.lemma_.lower() in WORDS["clause-summary-noun"]
    n = reader.emit(subjects, predicate, objects, token, rule, tuple(obj_tokens), paired=not summed_up)
    if n:
        reader.contrast(predicate, objects, token, tuple(obj_tokens))
    if n and trigger.predicate in ("decreases", "treats"):
        treats_population(reader, subjects, [token, *obj_tokens], token)
    if trigger.predicate != "binds":  # what it acts through, whatever its object
        n += acts_through(reader, subjects, token)
    return n > 0


def acts_through(reader: SentenceReader, subjects: list[Span], verb: Token) -> int:
    """ "Histamine excites C fibres through the H1 receptor", "substance P activates them via MRGPRX2":
    the subject binds the receptor it acts through."""
    receptors = [
        e
        for c in reader.children(verb)
        if c.dep_ == "prep" and c.lower_ in WORDS["through-prep"]
        for p in pobjs(c)
        if receptor_like(p)
        for e in reader.phrase(p)
        if e.label_ in ("Protein", "ProteinFamily")
    ]
    return reader.emit(subjects, "binds", receptors, verb, "acts-through") if receptors else 0


def passive_counterpart(
    reader: SentenceReader,
    trigger: Trigger,
    token: Token,
    patients: list[Token],
    others: list[Token],
    rule: str = "counterpart-passive",
) -> bool:
    """The relation between a passive trigger's subject (or an active one's object) and its preposition's
    object."""
    subjects = unique(s for t in patients for s in reader.phrase(t) + reader.local_slot(t))
    objects = unique(o for t in others for o in object_phrase(reader, trigger, t) + reader.local_slot(t))
    if trigger.object_categories:
        objects = [o for o in objects if o.label_ in trigger.object_categories]
    return reader.emit(subjects, trigger.predicate, objects, token, rule, tuple(others)) > 0


def compound_participle(reader: SentenceReader, trigger: Trigger, token: Token) -> bool:
    """ "ATP-stimulated microglia", "exercise-induced analgesia": the entity before the hyphen acts on the
    noun; "IL-17-producing lymphocytes", "TLR4-expressing cells": the noun acts on it."""
    prefix = reader.entity_at.get(token.i - 2)
    if prefix is None or prefix.end != token.i - 1:
        return False
    nouns = unique(reader.phrase(token.head))
    if token.tag_ == "VBN":
        subjects, objects = [prefix], nouns
    elif token.tag_ == "VBG":
        subjects, objects = nouns, [prefix]
    else:
        return False
    if trigger.frame == "inverse":
        subjects, objects = objects, subjects
    if trigger.object_categories:
        objects = [o for o in objects if o.label_ in trigger.object_categories]
    return reader.emit(subjects, trigger.predicate, objects, token, "compound-participle") > 0


def receptor_like(noun: Token) -> bool:
    """Whether a noun phrase after "through" names a receptor ("the H1 receptor", "the adaptor DAP12",
    "MRGPRX2, a receptor that ..."), not a mediator downstream ("acting through BDNF")."""
    words = WORDS["receptor-noun"]
    return any(
        t.lemma_.lower() in words or t.lower_ in words
        for c in (noun, *noun.children)
        if c.i == noun.i or c.dep_ in ("compound", "amod", "appos", "conj", "nmod")
        for t in (c, *(d for d in c.children if d.dep_ in ("compound", "amod")))
    )


def misparsed_participle(reader: SentenceReader, trigger: Trigger, token: Token) -> bool:
    """ "X was tolerated and reduced pain" parsed with "reduced" as an adjective of "pain": read it as
    the verb it is when a coordinating word or a gerund shows it heads a clause of its own."""
    coordinated = any(c.dep_ == "cc" for c in token.children) or reader.doc[token.i - 1].lower_ in (
        "and",
        ",",
    )
    if not (token.tag_ == "VBG" or (coordinated and token.tag_ in ("VBD", "VBN"))):
        return False
    noun = token.head
    objects = object_phrase(reader, trigger, noun)
    clause = noun.head
    hops = 0
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i and hops < 4:
        clause, hops = clause.head, hops + 1
    subjects = (
        [e for t in reader.subjects(clause) for e in reader.phrase(t)]
        if clause.pos_ in ("VERB", "AUX")
        else []
    )
    n = reader.emit(subjects, trigger.predicate, objects, token, "active-verb", (noun,), paired=True)
    if n and trigger.predicate in ("decreases", "treats"):
        treats_population(reader, subjects, [token, noun], token)
    return n > 0


def treats_population(
    reader: SentenceReader, subjects: list[Span], holders: list[Token], trigger: Token
) -> None:
    """ "reduced pain in women with fibromyalgia": the drug treats the population's condition."""
    conditions = [
        e
        for h in holders
        for c in h.children
        if c.dep_ == "prep" and c.lower_ in WORDS["population-place-prep"]
        for p in pobjs(c)
        # "in women with fibromyalgia", or "relapse in opioid dependence"
        for e in reader.population_conditions(p) + [d for d in reader.phrase(p) if d.label_ == "Disease"]
    ]
    drugs = [s for s in subjects if s.label_ in DRUG_CATEGORIES]
    reader.emit(drugs, "treats", conditions, trigger, "in-population", tuple(holders[1:]))


def object_phrase(reader: SentenceReader, trigger: Trigger, token: Token) -> list[Span]:
    """Entities of an object slot; an attachment the types reject is retried one phrase up."""
    spans = reader.phrase(token)
    if trigger.predicate in ("decreases", "increases", "regulates"):
        for span in list(spans):
            if span.label_ in ("BiologicalProcess",):
                for child in span.root.children:
                    if child.dep_ == "prep" and child.lower_ == "of":
                        spans += [s for p in pobjs(child) for s in reader.phrase(p) if s.label_ == "Cell"]
    allowed = reader.rules.object_types.get(trigger.predicate)
    if spans and allowed and not any(s.label_ in allowed for s in spans):
        up = token.head
        if up.dep_ == "prep" and up.head.pos_ in ("NOUN", "PROPN"):
            return reader.phrase(up.head)
        if token.dep_ == "pobj" and token.head.dep_ == "prep":
            return reader.phrase(token.head.head)
    return spans


def fallback_subject(
    reader: SentenceReader, trigger: Trigger, token: Token, objects: list[Span]
) -> list[Span]:
    """A participle or infinitive without a subject: the nearest earlier entity of the right type."""
    allowed = reader.rules.subject_types.get(trigger.predicate, frozenset())
    for ent in sorted({e for i, e in reader.entity_at.items() if i < token.i}, key=lambda e: -e.start):
        if ent.label_ in allowed and ent.label_ in DRUG_CATEGORIES and ent not in objects:
            return [ent]
    return []


@FRAMES.register("ldn.frame.verb.v1")
def verb_frame() -> Frame:
    """Trigger verbs of the `active` and `inverse` frames of triggers.tsv."""
    return Frame("verb", apply=apply_verb, trigger_frames=frozenset(("active", "inverse")))
