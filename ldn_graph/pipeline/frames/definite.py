"""Definite and named noun phrases: what "the channel", "the cytokine interleukin-6" and "the NLRP3
inflammasome" refer to (read by `Mentions.phrase`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.sentence import SentenceState
from ldn_graph.pipeline.frames.tokens import COPULAS, WORDS, is_plural


def close_apposition(state: SentenceState, token: Token, ent: Span) -> bool:
    """Whether a definite class noun has the name of what it means right after it, with no comma
    ("the cytokine interleukin-6", "the protease cathepsin S")."""
    return token.i == ent.root.i and names_its_member(
        ent.end, state.children(token), state.entity_at.__contains__
    )


def names_its_member(end: int, children: Iterable[Token], is_entity: Callable[[int], bool]) -> bool:
    """Whether a class noun, the root of an entity ending at token `end`, with these `children`, is definite
    and has an entity (`is_entity` of a token index) in apposition right after it: "the cytokine
    interleukin-6" means interleukin-6."""
    children = list(children)
    return any(c.dep_ == "det" and c.lower_ == "the" for c in children) and any(
        c.dep_ == "appos" and c.left_edge.i == end and is_entity(c.i) for c in children
    )


def complex_protein(state: SentenceState, ent: Span) -> Span | None:
    """The protein that names a complex ("the NLRP3 inflammasome": NLRP3, an entity of its own before
    the complex noun's); None for any other entity."""
    if ent.root.lemma_.lower() not in WORDS["complex-noun"] or ent.start == 0:
        return None
    before = state.entity_at.get(ent.start - 1)
    if (
        before is None
        or before.label_ not in ("Protein", "ProteinFamily")
        or before.root.head.i != ent.root.i
        or before.root.dep_ not in ("compound", "nmod", "amod")
    ):
        return None
    return before


def classed_antecedent(state: SentenceState, token: Token) -> Span | None:
    """Antecedent of "the channel": the latest earlier entity the text named with that noun, as the
    subject of "is a ... channel", beside "a ... channel" in apposition, or before it ("the TRPV1
    channel"); None when there is none."""
    lemma = token.lemma_.lower()
    here = [e for i, e in sorted(state.entity_at.items()) if e.end <= token.i][::-1]
    previous = [e for _, e in state.discourse.entities[::-1]]
    for ent in dict.fromkeys(here + previous):
        root = ent.root
        if is_plural(ent) or ent.label_ not in ("Protein", "ProteinFamily", "Cell", "MolecularEntity"):
            continue
        if root.dep_ in ("compound", "appos") and root.head.i > root.i:
            said = [root.head]  # "the TRPV1 channel", "the channel TRPV1"
        else:
            # "Transient receptor potential vanilloid 1 (TRPV1) is a cation channel": the name renamed
            node = root.head if root.dep_ == "appos" else root
            said = [c for c in node.children if c.dep_ == "appos"]
            if node.dep_ in ("nsubj", "nsubjpass") and node.head.lemma_.lower() in COPULAS:
                said += [c for c in node.head.children if c.dep_ == "attr"]
        if any(t.lemma_.lower() == lemma for t in said):
            return ent
    return None
