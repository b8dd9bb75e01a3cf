"""Doses: "the dose of X ... 4.5 mg of Y" names Y the active ingredient of X."""

from __future__ import annotations

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    DRUG_CATEGORIES,
    WORDS,
    pobjs,
)


def read_active_ingredient(reader: SentenceReader) -> None:
    """ "the dose of X ... 4.5 mg of Y": Y is the active ingredient of X."""
    if not reader.doses():
        return
    for token in reader.tokens:
        if token.lower_ != "of" or token.head.lower_ not in WORDS["dose-unit"]:
            continue
        ingredients = [
            e for p in pobjs(token) for e in reader.phrase(p, members=False) if e.label_ in DRUG_CATEGORIES
        ]
        if not ingredients:
            ingredients = [
                reader.entity_at[t.i]
                for t in token.subtree
                if t.i in reader.entity_at and reader.entity_at[t.i].label_ in DRUG_CATEGORIES
            ][:1]
        products = [
            e
            for t in reader.tokens
            if t.lemma_.lower() in WORDS["product-noun"]
            for c in t.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for p in pobjs(c)
            for e in reader.phrase(p, members=False)
            if e.label_ == "Drug"
        ]
        reader.emit(products, "hasActiveIngredient", ingredients, token, "dose-of")


@FRAMES.register("ldn.frame.dose-of.v1")
def dose_of_frame() -> Frame:
    """Active ingredients named by a dose."""
    return Frame("dose-of", read=read_active_ingredient)
