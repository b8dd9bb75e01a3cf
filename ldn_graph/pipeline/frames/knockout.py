"""Knockouts: a subject that removes X ("mice lacking X", "deleting X", "X-deficient mice", "blocking
them") says what X does the other way round: "Mice lacking X have fewer Y" (X increases Y), "Deleting X
protected mice from Y" (X causes Y)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.tokens import WORDS, pobjs, unique

REMOVAL = WORDS["removal"]
GREATER = WORDS["greater-amount"]
SMALLER = WORDS["smaller-amount"]
CONDITIONS = ("Disease", "PhenotypicFeature")


def is_removal(token: Token) -> bool:
    return token.lemma_.lower() in REMOVAL or token.lower_ in REMOVAL


def removed(reader: SentenceReader, subject: Token) -> list[Span]:
    """The entities a subject phrase says are missing: "deleting X" and "blocking them" (a gerund with
    its object), "mice lacking X" (animals or people, with a participle after the noun), "X-deficient
    mice", "X knockout mice", "X deletion", "deletion of X"; [] for any other subject."""
    if subject.tag_ == "VBG" and is_removal(subject):
        return unique(e for c in subject.children if c.dep_ == "dobj" for e in reader.phrase(c))
    if subject.dep_ == "nsubj" and any(
        c.dep_ == "csubj"
        and c.i < subject.i
        and c.tag_ == "VBG"
        and is_removal(c)
        and not any(d.dep_ == "dobj" for d in c.children)
        for c in subject.head.children
    ):
        return reader.phrase(subject)  # "deleting NLRP3 protected": the gerund's object taken for the subject
    children = reader.children(subject)
    if is_removal(subject) and subject.pos_ in ("NOUN", "PROPN"):
        # "deletion of X", "TREM2 deficiency"
        heads = [p for c in children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c)]
        heads += [c for c in children if c.i < subject.i and c.dep_ in ("compound", "nmod", "amod")]
        return unique(e for t in heads for e in reader.phrase(t, members=False))
    found: list[Span] = []
    if reader.is_population(subject):  # "mice lacking X"
        for child in children:
            if child.dep_ == "acl" and child.tag_ == "VBG" and is_removal(child):
                found += [e for c in child.children if c.dep_ == "dobj" for e in reader.phrase(c)]
    modifiers = [c for c in children if c.i < subject.i and c.dep_ not in ("det", "poss", "case")]
    removal = [c for c in modifiers if is_removal(c)]
    if removal:
        # "IL-6-deficient mice", "TLR4 knockout mice": the entities before the removal word; "deleting
        # NLRP3 protected ..." parsed with the gerund a modifier of the subject: the subject itself
        found += [e for c in modifiers if c.i < removal[0].i for e in reader.entities_in(c)]
        own = reader.entity_of(subject)
        if own is not None and removal[0].tag_ == "VBG":
            found.append(own)
    return unique(found)


def changed(reader: SentenceReader, objects: list[Span], holders: list[Token]) -> list[Span]:
    """The objects a knockout changes: the slot's own entity or what a transparent head passes on
    ("levels of X"), not the modifier of another noun ("synapse loss" is not synapses)."""
    own = [
        o
        for o in objects
        if any(o.start <= t.i < o.end or t.lemma_.lower() in WORDS["transparent"] for t in holders)
    ]
    return own


def reversed_predicate(predicate: str, objects: list[Span]) -> str | None:
    """What X does to Y when removing X does `predicate` to Y: the opposite change; a condition the
    removal lowers is one X causes. None: a predicate with no opposite."""
    if predicate in ("decreases", "treats"):
        return "causes" if objects and all(o.label_ in CONDITIONS for o in objects) else "increases"
    if predicate in ("increases", "causes"):
        return "decreases"
    return None


def amount_word(noun: Token) -> str | None:
    """ "more", "fewer", "stronger", ... before a noun (on it or on one of its modifiers): 'greater',
    'smaller' or None."""
    for t in noun.subtree:
        if t.i >= noun.i:
            break
        if t.lower_ in GREATER:
            return "greater"
        if t.lower_ in SMALLER:
            return "smaller"
    return None


def read_knockouts(reader: SentenceReader) -> None:
    """ "Mice lacking X have fewer Y and more Z", "X-deficient mice showed stronger Y, developed less W":
    X increases Y and W (causes a condition) and decreases Z."""
    for subject in reader.tokens:
        if subject.dep_ != "nsubj" or subject.head.pos_ not in ("VERB", "AUX"):
            continue
        genes = removed(reader, subject)
        if not genes:
            continue
        verbs = [subject.head]
        for verb in verbs:  # the clauses that share the subject: "showed Y, developed W and had Z"
            verbs += [
                c
                for c in verb.children
                if c.dep_ == "conj"
                and c.pos_ == "VERB"
                and not any(d.dep_.startswith("nsubj") for d in c.children)
            ]
        for verb in verbs:
            if reader.rules.triggers_for(verb.lemma_.lower(), "VERB"):
                continue  # a trigger verb is the verb frame's ("Mice lacking X showed reduced Y" is not)
            for obj in (c for c in verb.children if c.dep_ == "dobj"):
                amount = amount_word(obj)
                members = [obj] + [c for c in obj.children if c.dep_ == "conj"]
                for noun in members:
                    amount = amount_word(noun) or amount  # "less Y and Z": Z takes the first's word
                    if amount is None:
                        continue
                    objects = changed(reader, reader.phrase(noun, members=False), [noun])
                    change = "decreases" if amount == "smaller" else "increases"
                    predicate = reversed_predicate(change, objects)
                    if predicate is not None:
                        reader.emit(genes, predicate, objects, verb, "knockout", (noun,))
