"""Copular clauses: class membership ("X is an opioid antagonist", "X are a type of Y") and the
features a disorder's name gives ("X is a chronic pain disorder"); verbs of classing, which say the same
("X is considered a variant of Y", "regarded as a form of Y")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    COPULAS,
    WORDS,
    pobjs,
    unique,
)


def read_copula_classes(reader: SentenceReader) -> None:
    """ "Naltrexone is an opioid antagonist", "Microglia are a type of glial cell"."""
    for token in reader.tokens:
        if token.lemma_.lower() not in COPULAS:
            continue
        subj = [c for c in token.children if c.dep_ == "nsubj"]
        attrs = [c for c in token.children if c.dep_ == "attr"]
        # "X is a kappa agonist and a powerful hallucinogen", "... and one of the opioid receptors": each
        # conjoined complement with a determiner of its own is a class of X ("a cause of Y and death" is not)
        attrs += [
            c
            for a in attrs
            for c in a.conjuncts
            if c.i > a.i
            and (
                c.lemma_.lower() in WORDS["class-head"]
                or (c.i in reader.entity_at and any(d.dep_ == "det" for d in c.children))
            )
        ]
        if not subj or not attrs:
            continue
        if any(c.dep_ == "neg" for c in token.children):
            continue
        # not what the subject's noun stands for after the copula ("The commonest adverse effects are
        # hypotension and bradycardia": the members the effects noun lists are the complement itself)
        subjects = [e for s in subj for e in reader.phrase(s) if e.start < token.i]
        for attr in attrs:
            emit_classes(reader, subjects, attr, token, "copula-class")


def emit_classes(reader: SentenceReader, subjects: list[Span], attr: Token, verb: Token, rule: str) -> None:
    """The classes a complement gives its subjects ("an opioid antagonist", "a type of Y", "a variant of
    Y"), and the features a disorder noun names ("a chronic pain disorder")."""
    if attr.lemma_.lower() in WORDS["complication-noun"] and any(
        c.dep_ == "prep" and c.lower_ in WORDS["effect-of-prep"] for c in attr.children
    ):
        return  # "X is a toxicity of A": a side effect of A (side-effect-list), not a class
    if attr.lemma_.lower() in WORDS["class-head"]:
        objects = [
            e
            for c in attr.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for p in pobjs(c)
            for e in reader.phrase(p, members=False)
        ]
        if not objects and not any(c.dep_ == "prep" for c in attr.children):
            # "Frontal fibrosing alopecia is considered a clinical variant": of the condition under discussion
            condition = reader.topic_condition()
            objects = [condition] if condition is not None and subjects_are_conditions(subjects) else []
    else:
        ent = reader.entity_of(attr) or reader.local_entity(attr, named_generic=True)
        objects = [ent] if ent is not None else []
        if reader.entity_of(attr) is None and attr.lemma_.lower() in reader.rules.generic_nouns:
            # "Fibromyalgia is a chronic pain disorder": a disorder of which pain is a feature.
            features = [reader.entity_at[c.i] for c in attr.lefts if c.i in reader.entity_at]
            reader.emit(subjects, "associatedWith", unique(features), verb, "copula-feature")
    reader.emit(subjects, "subclassOf", objects, verb, rule)


def subjects_are_conditions(subjects: list[Span]) -> bool:
    return bool(subjects) and all(s.label_ == "Disease" for s in subjects)


def read_classification_verbs(reader: SentenceReader) -> None:
    """ "X is considered a clinical variant", "X is regarded as a form of Y", "X, classified as a Y":
    a verb of classing in the passive gives its subject the class of its complement, as a copula does."""
    for verb in reader.tokens:
        if verb.lemma_.lower() not in WORDS["classification-verb"] or verb.pos_ != "VERB":
            continue
        if not reader.is_passive(verb):
            continue
        children = reader.children(verb)
        negated = any(c.dep_ == "neg" for c in children)
        # "considered a Y", "regarded as a Y", "considered to be a Y"
        complements = [c for c in children if c.dep_ in ("oprd", "attr")]
        complements += [p for c in children if c.dep_ == "prep" and c.lower_ == "as" for p in pobjs(c)]
        complements += [
            a
            for c in children
            if c.dep_ == "xcomp" and c.lemma_.lower() in COPULAS
            for a in reader.children(c)
            if a.dep_ == "attr"
        ]
        if verb.dep_ == "acl":
            # "Y is an alopecia, regarded as a variant of Z": what the noun it describes is
            noun = reader.described(verb)
            slots = [noun]
            if noun.dep_ == "attr" and noun.head.lemma_.lower() in COPULAS:
                slots = [c for c in noun.head.children if c.dep_ == "nsubj"] or slots
        else:
            slots = [c for c in children if c.dep_ == "csubjpass"] + reader.subjects(verb)
        subjects = [e for t in slots for e in reader.phrase(t) if e.start < verb.i]
        for attr in complements:
            if attr.pos_ not in ("NOUN", "PROPN"):  # "considered safe" classes nothing
                continue
            if negated:  # "X is not regarded as a Y" says how X is not classed, not what it is
                reader.decline(subjects, reader.phrase(attr))
            else:
                emit_classes(reader, subjects, attr, verb, "classed-as")


def read_classes(reader: SentenceReader) -> None:
    """Classes given by a copula or by a verb of classing."""
    read_copula_classes(reader)
    read_classification_verbs(reader)


@FRAMES.register("ldn.frame.copula.v1")
def copula_frame() -> Frame:
    """Copular clauses and verbs of classing, for sentences with either."""
    return Frame("copula", read=read_classes, lemmas=COPULAS | WORDS["classification-verb"])
