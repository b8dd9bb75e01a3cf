"""Adjectives: "LDN is helpful in cancer", "X is contraindicated in Y"."""

from __future__ import annotations

from spacy.tokens import Token

from ldn_graph.pipeline.frames.contraindication import is_cautious
from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    CONTRAINDICATION_VERBS,
    COPULAS,
    PRONOUNS_SINGULAR,
    WORDS,
    pobjs,
    unique,
)
from ldn_graph.pipeline.rules import Trigger


def apply_adjective(reader: SentenceReader, trigger: Trigger, adj: Token) -> bool:
    """ "LDN is helpful in cancer", "X is contraindicated in Y", "activation is involved"."""
    if adj.pos_ not in ("ADJ", "VERB"):
        return False
    # "contraindicated in patients taking X and in those with Y": coordinated prepositions too
    preps = [c for c in adj.children if c.dep_ == "prep" and c.lower_ in trigger.preps]
    if not preps and adj.dep_ == "acomp":  # "X are necessary for Y" with "for" hung on the copula
        preps = [
            c for c in adj.head.children if c.dep_ == "prep" and c.lower_ in trigger.preps and c.i > adj.i
        ]
    if not preps and adj.dep_ == "conj" and adj.head.pos_ in ("ADJ", "VERB"):
        # "in whom these drugs are poorly tolerated or contraindicated", "safe and effective in Y": the
        # phrase the coordinated predicates share, hung on the first
        preps = [c for c in adj.head.children if c.dep_ == "prep" and c.lower_ in trigger.preps]
    if not preps:
        # "prescribed together with opioids for chronic pain", "given by intrathecal infusion for chronic
        # pain": "for" hung on the companion or on the route
        preps = [
            d
            for c in adj.children
            if (c.dep_ == "prep" and c.lower_ in WORDS["companion-prep"])
            or (c.dep_ in ("prep", "agent") and c.lower_ in WORDS["route-prep"])
            for p in pobjs(c)
            for d in p.children
            if d.dep_ == "prep" and d.lower_ in trigger.preps
        ]
    preps += [d for c in preps for d in c.children if d.dep_ == "conj" and d.lower_ in trigger.preps]
    objects = [e for c in preps for p in pobjs(c) for e in reader.phrase(p)]
    for c in preps:
        for p in pobjs(c):
            objects.extend(reader.population_conditions(p))
            for pc in p.children:  # "helpful in treating X"
                if pc.dep_ == "dobj":
                    objects.extend(reader.phrase(pc))
        for pc in c.children:
            if pc.dep_ == "pcomp":
                objects.extend(e for d in pc.children if d.dep_ == "dobj" for e in reader.phrase(d))
    # "X is approved in Japan for Y; ...": a clause the parser hung as a complement of the next
    subj_tokens = reader.subjects(adj) if adj.dep_ in ("acomp", "xcomp", "ROOT", "conj", "ccomp") else []
    if adj.dep_ in ("amod", "acl"):
        subj_tokens = [reader.described(adj)]
        if adj.head.dep_ == "attr" and adj.head.head.lemma_.lower() in COPULAS:
            # "X is a semi-synthetic opioid derived from Y": what the copula's subject is
            subj_tokens = [c for c in adj.head.head.children if c.dep_ == "nsubj"] or subj_tokens
    if (
        trigger.predicate == "treats"
        and adj.pos_ == "VERB"
        and not reader.is_passive(adj)
        and adj.lower_ not in WORDS["failure-adjective"]
    ):
        # "Clinicians prescribe X for Y", "many people take X for Y": in the active, the object is the drug
        subj_tokens = [c for c in adj.children if c.dep_ == "dobj"] or subj_tokens
    # "it" is of a kind the predicate takes as its subject ("It is contraindicated in ...": a drug, past a
    # finding that was the last sentence's subject)
    kinds = reader.rules.subject_types.get(trigger.predicate)
    subjects = unique(
        e
        for t in subj_tokens
        for e in (
            reader.resolve_pronoun(t, kinds)
            if t.pos_ == "PRON" and t.lower_ in PRONOUNS_SINGULAR and kinds and "*" not in kinds
            else reader.phrase(t)
        )
    )
    if trigger.predicate == "treats" and warned(reader, adj, preps):
        return False  # "should not be used in people with Y", "used with caution in Y": a contraindication
    if trigger.object_categories:
        objects = [o for o in objects if o.label_ in trigger.object_categories]
    if not objects and trigger.predicate == "treats":
        # "approved in Europe for frequent flares": a condition no lexicon knows, named by its head word
        objects = [e for c in preps for p in pobjs(c) for e in reader.local_slot(p)]
        if trigger.object_categories:
            objects = [o for o in objects if o.label_ in trigger.object_categories]
        if not objects and any(
            reader.is_population(p) and not any(d.dep_ in ("relcl", "acl", "prep") for d in p.children)
            for c in preps
            if c.lower_ in WORDS["purpose-prep"] or trigger.lemma in WORDS["recommendation-verb"]
            for p in pobjs(c)
        ):
            # "Opioids are reserved for refractory cases", "X is preferred in frail elderly patients": for
            # people who have the condition under discussion ("tested in healthy volunteers", "not
            # recommended for men who wish to father children" are not)
            condition = reader.topic_condition()
            objects = [condition] if condition is not None else []
    if not objects and trigger.predicate == "associatedWith":
        objects = [e for e in reader.sentence_entities() if e.label_ == "Disease" and e not in subjects][:1]
    rule = "adjective"
    if not preps and not objects and trigger.predicate == "treats" and adj.dep_ == "acomp":
        # "Oxcarbazepine is similarly effective", "Opioids are generally ineffective": for the condition
        # under discussion
        condition = reader.topic_condition()
        objects, rule = ([condition] if condition is not None else []), "adjective-topic"
    # "ineffective", "useless": a finding that it does not, by its words (with "not", it does again)
    negated = None
    if adj.lower_ in WORDS["failure-adjective"]:
        negated = not any(c.dep_ == "neg" for c in (*adj.children, *adj.head.children))
    n = reader.emit(subjects, trigger.predicate, unique(objects), adj, rule, negated=negated)
    if n and negated is None:
        reader.contrast(trigger.predicate, unique(objects), adj, (adj,))
    return n > 0


def warned(reader: SentenceReader, verb: Token, preps: list[Token]) -> bool:
    """Whether a verb of use warns against the drug in a population rather than gives its purpose: "should
    not be used in people with Y", "used with caution in Y" (not "should not be used for mild pain")."""
    if verb.lemma_.lower() not in CONTRAINDICATION_VERBS or any(
        c.lower_ in WORDS["purpose-prep"] for c in preps
    ):
        return False
    modal = any(c.lower_ in WORDS["contraindication-modal"] for c in verb.children)
    return (modal and any(c.dep_ == "neg" for c in verb.children)) or is_cautious(reader, verb)


@FRAMES.register("ldn.frame.adjective.v1")
def adjective_frame() -> Frame:
    """Trigger adjectives of the `adjective` frame of triggers.tsv."""
    return Frame("adjective", apply=apply_adjective, trigger_frames=frozenset(("adjective",)))
