"""A drug compared with placebo: "gabapentin was no better than placebo", "pregabalin was superior to
placebo for pain" say whether the drug treats the condition (the one named there, else the condition under
discussion)."""

from __future__ import annotations

from spacy.tokens import Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import COPULAS, DRUG_CATEGORIES, WORDS, unique

CONDITION_CATEGORIES = frozenset(("Disease", "PhenotypicFeature"))


def better(adjective: Token) -> bool:
    """ "better", "superior", or any adjective after "more" ("more effective")."""
    return (
        adjective.lemma_.lower() in WORDS["better-adjective"]
        or adjective.lower_ in WORDS["better-adjective"]
        or any(c.dep_ == "advmod" and c.lower_ == "more" for c in adjective.children)
    )


def read_placebo_comparisons(reader: SentenceReader) -> None:
    """ "D was no better than placebo (for X)": D treats X, negated when "no"/"not" says so."""
    for verb in reader.tokens:
        if verb.lemma_.lower() not in COPULAS or verb.pos_ not in ("AUX", "VERB"):
            continue
        # "Amitriptyline improved sleep but was no better than placebo": the subject the clauses share
        drugs = [e for c in reader.subjects(verb) for e in reader.phrase(c) if e.label_ in DRUG_CATEGORIES]
        for adjective in reader.children(verb):
            if adjective.dep_ != "acomp" or not better(adjective):
                continue
            compared = list(adjective.subtree)
            if not any(t.lemma_.lower() in WORDS["placebo-word"] for t in compared):
                continue
            named = unique(
                e for t in compared if (e := reader.entity_of(t)) and e.label_ in CONDITION_CATEGORIES
            )
            condition = reader.topic_condition()
            conditions = named or ([condition] if condition is not None else [])
            negated = any(c.dep_ == "neg" for c in (*reader.children(verb), *reader.children(adjective)))
            reader.emit(
                drugs, "treats", conditions, adjective, "versus-placebo", (adjective,), negated=negated
            )


@FRAMES.register("ldn.frame.versus-placebo.v1")
def versus_placebo_frame() -> Frame:
    """Comparisons with placebo, for sentences with a placebo word."""
    return Frame("versus-placebo", read=read_placebo_comparisons, lemmas=WORDS["placebo-word"])
