"""Copular clauses: class membership ("X is an opioid antagonist", "X are a type of Y") and the
features a disorder's name gives ("X is a chronic pain disorder")."""

from __future__ import annotations

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
            if attr.lemma_.lower() in WORDS["complication-noun"] and any(
                c.dep_ == "prep" and c.lower_ in WORDS["effect-of-prep"] for c in attr.children
            ):
                continue  # "X is a toxicity of A": a side effect of A (side-effect-list), not a class
            if attr.lemma_.lower() in WORDS["class-head"]:
                objects = [
                    e
                    for c in attr.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for p in pobjs(c)
                    for e in reader.phrase(p, members=False)
                ]
            else:
                ent = reader.entity_of(attr) or reader.local_entity(attr, named_generic=True)
                objects = [ent] if ent is not None else []
                if reader.entity_of(attr) is None and attr.lemma_.lower() in reader.rules.generic_nouns:
                    # "Fibromyalgia is a chronic pain disorder": a disorder of which pain is a feature.
                    features = [reader.entity_at[c.i] for c in attr.lefts if c.i in reader.entity_at]
                    reader.emit(subjects, "associatedWith", unique(features), token, "copula-feature")
            reader.emit(subjects, "subclassOf", objects, token, "copula-class")


@FRAMES.register("ldn.frame.copula.v1")
def copula_frame() -> Frame:
    """Copular clauses, for sentences with a copula."""
    return Frame("copula", read=read_copula_classes, lemmas=COPULAS)
