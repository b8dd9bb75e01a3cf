"""Parts and places: "the CNS (brain and spinal cord)", "the dorsal horn of the spinal cord", "TLR4 on
microglia"."""

from __future__ import annotations

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    COPULAS,
    WORDS,
    pobjs,
)


def read_parenthetical_parts(reader: SentenceReader) -> None:
    """ "the central nervous system (brain and spinal cord)": parts in parentheses."""
    for ent in set(reader.entity_at.values()):
        if ent.label_ != "AnatomicalEntity":
            continue
        for child in ent.root.children:
            if child.dep_ != "appos" or child.i < ent.end:
                continue
            if not (child.i > 0 and reader.doc[child.left_edge.i - 1].text == "("):
                continue
            parts = [
                p for p in reader.phrase(child) if p.label_ == "AnatomicalEntity" and p.kb_id_ != ent.kb_id_
            ]
            reader.emit(parts, "partOf", [ent], child, "parenthetical-part")


def read_anatomical_parts(reader: SentenceReader) -> None:
    """ "the dorsal horn of the spinal cord": a part of an anatomical structure."""
    for ent in set(reader.entity_at.values()):
        if ent.label_ != "AnatomicalEntity":
            continue
        for child in ent.root.children:
            if child.dep_ != "prep" or child.lower_ not in WORDS["part-prep"] or child.i < ent.end:
                continue
            wholes = [
                w
                for t in pobjs(child)
                for w in reader.phrase(t, members=False)
                if w.label_ == "AnatomicalEntity" and w.kb_id_ != ent.kb_id_
            ]
            reader.emit([ent], "partOf", wholes, child, "part-of-whole")


def read_located_in(reader: SentenceReader) -> None:
    """ "glial cell of the CNS", "receptors in the gut": a cell or protein in an anatomical place."""
    for ent in set(reader.entity_at.values()):
        if ent.label_ not in ("Cell", "Protein", "ProteinFamily"):
            continue
        # "TLR4 on microglia", "TLR4 (signalling|expressed) on microglia"
        preps = [c for c in ent.root.children if c.dep_ == "prep"] + [
            p for c in ent.root.children if c.dep_ == "acl" for p in c.children if p.dep_ == "prep"
        ]
        # "P2X4 expression in spinal microglia", "expression of P2X4 in microglia"
        root = ent.root
        noun = root.head if root.dep_ == "compound" else root.head.head if root.dep_ == "pobj" else None
        if (
            noun is not None
            and noun.lemma_.lower() in WORDS["expression-noun"]
            and (root.dep_ == "compound" or root.head.lower_ == "of")
        ):
            preps += [c for c in noun.children if c.dep_ == "prep" and c.i > root.i]
            if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
                # "CB2 expression rises in spinal microglia and in macrophages": the place is the clause's
                verb = noun.head
                here = [c for c in verb.children if c.dep_ == "prep" and c.i > noun.i]
                preps += here + [d for c in here for d in c.children if d.dep_ == "conj" and d.pos_ == "ADP"]
        for child in preps:
            if child.lower_ not in WORDS["place-prep"]:
                continue
            place_types = ("AnatomicalEntity", "Cell") if ent.label_ != "Cell" else ("AnatomicalEntity",)
            places = [
                p for t in pobjs(child) for p in reader.phrase(t, members=False) if p.label_ in place_types
            ]
            if not places:
                continue
            holders = [ent]
            # "Microglia are a type of glial cell of the CNS", "... are the immune cells of the CNS":
            # the place is the subject's.
            node = ent.root
            if node.dep_ == "attr" and node.head.lemma_.lower() in COPULAS:
                holders = [
                    e for c in node.head.children if c.dep_ == "nsubj" for e in reader.phrase(c)
                ] or holders
            if node.dep_ == "pobj" and node.head.head.lemma_.lower() in WORDS["class-head"]:
                attr = node.head.head
                if attr.dep_ == "attr":
                    holders = [e for c in attr.head.children if c.dep_ == "nsubj" for e in reader.phrase(c)]
            reader.emit(holders, "locatedIn", places, child, "located-in")


@FRAMES.register("ldn.frame.parenthetical-part.v1")
def parenthetical_part_frame() -> Frame:
    """Anatomical parts in parentheses."""
    return Frame("parenthetical-part", read=read_parenthetical_parts)


@FRAMES.register("ldn.frame.part-of-whole.v1")
def part_of_whole_frame() -> Frame:
    """ "the X of the Y" between anatomical entities."""
    return Frame("part-of-whole", read=read_anatomical_parts)


@FRAMES.register("ldn.frame.located-in.v1")
def located_in_frame() -> Frame:
    """A cell or protein in an anatomical place."""
    return Frame("located-in", read=read_located_in)
