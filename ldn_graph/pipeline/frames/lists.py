"""Lists hung on a class: "autoimmune conditions such as MS and lupus", "like psoriatic arthritis"."""

from __future__ import annotations

from spacy.tokens import Token

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
        if role_members(reader, token):
            continue  # "inhibitors of TNF, such as infliximab": members of the role, not of its target
        cls = reader.entity_of(head)
        if cls is None and reader.rules.local_category(head.lemma_) == "ChemicalRole":
            # "TNF inhibitors such as infliximab", "full agonists such as methadone": a class no lexicon knows
            cls = reader.local_entity(head, absorb=True)
        if cls is None:
            continue
        members = [e for p in pobjs(token) for e in reader.phrase(p, stop_as_well=True)]
        reader.emit(members, "subclassOf", [cls], token, "such-as")
        # "autoimmune diseases such as lupus, as well as migraine": what follows leaves the class
        after = [e for p in pobjs(token) for e in reader.phrase(p) if e not in members]
        reader.decline(after, [cls])


def role_members(reader: SentenceReader, prep: Token) -> bool:
    """ "Inhibitors of TNF, such as infliximab and adalimumab", "antibodies against IL-17A, such as
    secukinumab": the members act on the target as the role noun says (a trigger noun of the nominal
    frame), whether the list hangs on the role or on its target; whether the list was read so."""
    head = prep.head
    if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ == "NOUN":
        role, targets = head.head.head, [head]  # the list hung on the target
        preps = [head.head.lower_]
    else:
        role = head
        targets = [p for c in reader.children(role) if c.dep_ == "prep" and c.i < prep.i for p in pobjs(c)]
        preps = [c.lower_ for c in reader.children(role) if c.dep_ == "prep" and c.i < prep.i]
    if reader.rules.local_category(role.lemma_) != "ChemicalRole":
        return False  # an agent ("inhibitors of X"), not a process ("an increase in cytokines such as IL-6")
    triggers = [
        t
        for t in reader.rules.triggers_for(role.lemma_, "NOUN")
        if t.frame == "nominal"
        and t.predicate in ("decreases", "increases", "binds")
        and set(preps) & t.preps
    ]
    if not triggers or not targets:
        return False
    members = [e for p in pobjs(prep) for e in reader.phrase(p, stop_as_well=True)]
    objects = [e for t in targets for e in reader.phrase(t, members=False)]
    return reader.emit(members, triggers[0].predicate, objects, prep, "such-as-role") > 0


def read_example_parentheses(reader: SentenceReader) -> None:
    """ "opioid painkillers (e.g. tramadol or codeine)": the entities after "e.g." in the parentheses are
    members of the class just before them, however the parser hung them."""
    for token in reader.tokens:
        if token.lower_ not in WORDS["example-marker"] or token.i < reader.sent.start + 2:
            continue
        opening = reader.doc[token.i - 1]
        cls = reader.entity_at.get(token.i - 2)
        if opening.text != "(" or cls is None or cls.end != opening.i:
            continue
        members = []
        for i in range(token.i + 1, reader.sent.end):
            if reader.doc[i].text == ")":
                break
            ent = reader.entity_at.get(i)
            if ent is not None and ent not in members:
                members.append(ent)
        reader.emit(members, "subclassOf", [cls], token, "such-as")


def read_misparsed_such_as(reader: SentenceReader) -> None:
    """ "fever and serositis such as pleurisy" with "such as" hung elsewhere by the parser: the entity
    right before "such as" is the class, the list of entities right after it its members."""
    for token in reader.tokens:
        if token.lower_ != "such" or token.i + 2 >= reader.sent.end:
            continue
        as_ = reader.doc[token.i + 1]
        cls = reader.entity_at.get(token.i - 1)
        if as_.lower_ != "as" or cls is None or cls.end != token.i:
            continue
        if is_member_prep(as_) and reader.entity_of(as_.head) is cls and pobjs(as_):
            continue  # read on the parse
        members = []
        for i in range(as_.i + 1, reader.sent.end):
            ent = reader.entity_at.get(i)
            if ent is not None:
                if ent not in members:
                    members.append(ent)
            elif reader.doc[i].lower_ not in WORDS["list-joiner"]:
                break
        reader.emit(members, "subclassOf", [cls], token, "such-as")


def read_all_member_classes(reader: SentenceReader) -> None:
    """Lists hung on a class, and examples in parentheses after it."""
    read_member_classes(reader)
    read_misparsed_such_as(reader)
    read_example_parentheses(reader)


@FRAMES.register("ldn.frame.such-as.v1")
def such_as_frame() -> Frame:
    """ "such as" / "like" / "including" lists; "(e.g. A or B)" after a class."""
    return Frame(
        "such-as",
        read=read_all_member_classes,
        lowers=frozenset(("as", "such")) | WORDS["member-prep"] | WORDS["example-marker"],
    )
