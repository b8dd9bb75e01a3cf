"""Purpose phrases: "low-dose naltrexone for pain and fatigue in fibromyalgia"."""

from __future__ import annotations

from spacy.tokens import Span

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    DRUG_CATEGORIES,
    WORDS,
    pobjs,
    unique,
)


def read_drug_for(reader: SentenceReader) -> None:
    """ "Low-dose naltrexone for pain and fatigue in fibromyalgia": a drug for a condition treats it."""
    for ent in reader.sentence_entities():
        if ent.label_ not in DRUG_CATEGORIES:
            continue
        for child in ent.root.children:
            if child.dep_ != "prep" or child.lower_ not in WORDS["purpose-prep"] or child.i < ent.end:
                continue
            objects: list[Span] = []
            for p in pobjs(child):
                objects += reader.phrase(p)
                for pc in p.children:  # "for pain in fibromyalgia"
                    if pc.dep_ == "prep" and pc.lower_ in WORDS["population-place-prep"]:
                        objects += [
                            e for q in pobjs(pc) for e in reader.phrase(q) + reader.population_conditions(q)
                        ]
                objects += reader.population_conditions(p)
            reader.emit([ent], "treats", unique(objects), child, "drug-for")


@FRAMES.register("ldn.frame.drug-for.v1")
def drug_for_frame() -> Frame:
    """A drug "for" or "against" a condition."""
    return Frame("drug-for", read=read_drug_for)
