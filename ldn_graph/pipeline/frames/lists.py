"""Lists hung on a class: "autoimmune conditions such as MS and lupus", "like psoriatic arthritis"."""

from __future__ import annotations

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    WORDS,
    is_member_prep,
    pobjs,
)


def read_member_classes(reader: SentenceReader) -> None:
    """ "autoimmune conditions such as MS, lupus" / "like psoriatic arthritis": members are subclasses."""
    for token in reader.tokens:
        if not (token.dep_ == "prep" and is_member_prep(token)):
            continue
        head = token.head
        cls = reader.entity_of(head)
        if cls is None and reader.rules.local_category(head.lemma_) == "ChemicalRole":
            # "TNF inhibitors such as infliximab", "full agonists such as methadone": a class no lexicon knows
            cls = reader.local_entity(head, absorb=True)
        if cls is None:
            continue
        members = [e for p in pobjs(token) for e in reader.phrase(p, stop_as_well=True)]
        reader.emit(members, "subclassOf", [cls], token, "such-as")


@FRAMES.register("ldn.frame.such-as.v1")
def such_as_frame() -> Frame:
    """ "such as" / "like" / "including" lists."""
    return Frame("such-as", read=read_member_classes, lowers=frozenset(("as",)) | WORDS["member-prep"])
