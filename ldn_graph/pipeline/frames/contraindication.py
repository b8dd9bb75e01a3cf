"""Contraindications: "you cannot take X with Y", "X should not be combined with Y", "combining X with Y
should be avoided"."""

from __future__ import annotations

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    CONTRAINDICATION_VERBS,
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
        if not (negated and modal) and not avoided:
            continue
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


@FRAMES.register("ldn.frame.cannot-take-with.v1")
def cannot_take_with_frame() -> Frame:
    """Negated modal verbs of taking or combining."""
    return Frame("cannot-take-with", read=read_contraindications, lemmas=CONTRAINDICATION_VERBS)
