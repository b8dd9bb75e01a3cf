"""Class names beside a name: "Naltrexone, an opioid antagonist, ..." and "the opioid antagonist naloxone"
say what the named thing is, as "Naltrexone is an opioid antagonist" does."""

from __future__ import annotations

from itertools import pairwise

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame

INDEFINITE = frozenset(("a", "an"))
CLASS_CATEGORIES = frozenset(("ChemicalRole",))  # what a class noun before a name must be


def read_class_appositions(reader: SentenceReader) -> None:
    """ "X, an opioid antagonist, ...": an indefinite apposition names X's class; "the opioid antagonist
    naloxone": a class directly before a name, after a determiner, does too."""
    entities = reader.sentence_entities()
    for ent in entities:
        for child in ent.root.children:
            if child.dep_ != "appos" or child.i < ent.end:
                continue
            if not any(c.dep_ == "det" and c.lower_ in INDEFINITE for c in child.children):
                continue  # "naltrexone (LDN)", "the receptor, the target": not a class
            classes = [reader.entity_at[t.i] for t in child.subtree if t.i in reader.entity_at]
            classes = [c for c in classes if c.root.i == child.i]
            if not classes and child.i not in reader.entity_at:
                # "duloxetine, a serotonin-norepinephrine reuptake inhibitor": a class no lexicon knows
                local = reader.local_entity(child, absorb=True)
                classes = [local] if local is not None and local.label_ in CLASS_CATEGORIES else []
            reader.emit([ent], "subclassOf", classes, child, "class-apposition")
    for before, after in pairwise(entities):
        if before.end != after.start or before.label_ not in CLASS_CATEGORIES:
            continue
        first = reader.doc[before.start - 1] if before.start > reader.sent.start else None
        if first is None or first.dep_ != "det":
            continue
        reader.emit([after], "subclassOf", [before], after.root, "class-before-name")


@FRAMES.register("ldn.frame.class-apposition.v1")
def class_apposition_frame() -> Frame:
    """Class names in apposition or before a name, for every sentence."""
    return Frame("class-apposition", read=read_class_appositions)
