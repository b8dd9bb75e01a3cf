"""Contraindications and cautions: "you cannot take X with Y", "X should not be combined with Y",
"combining X with Y should be avoided", "X should be used with caution in people with Y"."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    CONTRAINDICATION_VERBS,
    DRUG_CATEGORIES,
    WORDS,
    pobjs,
)


def read_contraindications(reader: SentenceReader) -> None:
    """ "you cannot take X with Y", "X should not be combined with Y", "combining X with Y should be
    avoided"."""
    for token in reader.tokens:
        if token.lemma_.lower() not in CONTRAINDICATION_VERBS:
            continue
        chain = [token, token.head] if token.dep_ in ("xcomp",) else [token]
        negated = any(c.dep_ == "neg" for t in chain for c in t.children)
        modal = any(c.lower_ in WORDS["contraindication-modal"] for t in chain for c in t.children)
        # "Combining X with Y should be avoided": the combination is the subject of a verb of avoiding
        avoided = token.tag_ == "VBG" and token.head.lemma_.lower() in WORDS["avoidance-verb"]
        cautious = is_cautious(reader, token)
        if not (negated and modal) and not avoided and not cautious:
            continue
        if (negated and modal) or cautious:
            # "It should be used with caution in people with heart block", "should not be given to people
            # with Y": the drug is contraindicated in the people's condition
            # "It should be used with caution": a drug, past a finding that is the last sentence's subject
            users = [
                e
                for c in token.children
                if c.dep_ == "nsubjpass"
                for e in (
                    reader.resolve_pronoun(c, DRUG_CATEGORIES) if c.pos_ == "PRON" else reader.phrase(c)
                )
            ]
            conditions = warned_conditions(reader, token)
            reader.emit(users, "contraindicatedWith", conditions, token, "caution", negated=False)
        slots = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        # "with Y" on the verb, on "together", or hung by the parser on the first drug ("combining X with Y")
        holders = [token] + [
            c for c in token.children if (c.dep_ == "advmod" and c.lower_ == "together") or c.dep_ == "dobj"
        ]
        withs = [
            c
            for h in holders
            for c in h.children
            if c.dep_ == "prep" and c.lower_ in WORDS["contraindication-prep"]
        ]
        # an object after the "with" phrase continues it ("combining X with SSRIs, particularly CYP2D6
        # inhibitors", the second parsed as another object)
        after = [t for t in slots if withs and t.dep_ == "dobj" and t.i > min(w.i for w in withs)]
        first = [e for c in slots if c not in after for e in reader.phrase(c)]
        second = [e for c in withs for p in pobjs(c) for e in reader.phrase(p)]
        second += [e for c in after for e in reader.phrase(c) if e not in second]
        # The drug under discussion (in earlier sentences) is the one with the contraindication.
        topic = reader.discourse.topic_drug(reader.number)
        if topic is not None and any(e.kb_id_ == topic.kb_id_ for e in first):
            first, second = second, first
        if reader.emit(second, "contraindicatedWith", first, token, "cannot-take-with", negated=False) == 0:
            reader.emit(first, "contraindicatedWith", second, token, "cannot-take-with", negated=False)


def is_cautious(reader: SentenceReader, verb: Token) -> bool:
    """ "used with caution", "used cautiously", "given with care": a warning on the verb."""
    return any(
        c.lower_ in WORDS["caution-word"]
        or (c.dep_ == "prep" and any(p.lower_ in WORDS["caution-word"] for p in pobjs(c)))
        for c in reader.children(verb)
    )


def warned_conditions(reader: SentenceReader, verb: Token) -> list[Span]:
    """The conditions of the people a warning is about: "(used with caution) in people with Y", "given to
    people with Y", "in Y"; the "in" phrase may hang on the caution noun."""
    holders = [verb] + [
        p
        for c in reader.children(verb)
        if c.dep_ == "prep"
        for p in pobjs(c)
        if p.lower_ in WORDS["caution-word"]
    ]
    places = [
        p
        for h in holders
        for c in reader.children(h)
        if c.dep_ in ("prep", "dative") and c.lower_ in WORDS["warned-population-prep"]
        for p in pobjs(c)
    ]
    found = [e for p in places for e in reader.population_conditions(p) + reader.phrase(p)]
    return [e for e in found if e.label_ in ("Disease", "PhenotypicFeature")]


@FRAMES.register("ldn.frame.cannot-take-with.v1")
def cannot_take_with_frame() -> Frame:
    """Negated modal verbs of taking or combining, and verbs of use with a caution."""
    return Frame("cannot-take-with", read=read_contraindications, lemmas=CONTRAINDICATION_VERBS)
