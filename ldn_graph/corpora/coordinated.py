"""The corpus reading of coordinated names: a recogniser's span that coordinates names sharing a head or a
modifier, or that is one conjunct of such a coordination, stands for each of the names
(`pipeline/coordination.py`), as the corpora's annotators read it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ldn_graph.pipeline.coordination import COORDINATORS, coordinated_names
from ldn_graph.pipeline.matcher import term_key

if TYPE_CHECKING:
    from ldn_graph.pipeline.entities import EntityLinker

MIN_LINKED_CONJUNCTS = 2  # a coordination is read as its names only when two of them link
# A lexicon concept's key and a role -> the concept's ids in the corpus's scheme for the role.
ConceptIds = Callable[[str, str], tuple[str, ...]]


def coordinated_ids(linker: EntityLinker, concept_ids: ConceptIds, span: Span) -> tuple[str, ...]:
    """The ids of the names a coordination stands for ("renal or hepatic toxicity": renal toxicity, hepatic
    toxicity; `pipeline/coordination.py`), each the first reading of its conjunct that links; () unless
    at least two conjuncts link. `span.label_`: the role."""
    found: list[str] = []
    linked = 0
    for readings in coordinated_names([t.text for t in span]):
        for words in readings:
            ids = phrase_ids(linker, concept_ids, words, span.label_)
            if ids:
                found.extend(ids)
                linked += 1
                break
    return tuple(dict.fromkeys(found)) if linked >= MIN_LINKED_CONJUNCTS else ()


def phrase_ids(
    linker: EntityLinker, concept_ids: ConceptIds, words: tuple[str, ...], role: str
) -> tuple[str, ...]:
    """The corpus ids of words read alone as a name of a role: the corpora's name, the lexicon's concept,
    the MeSH record of the words or of their organ's diseases (no head phrase: these words are made)."""
    doc = linker.nlp.make_doc(" ".join(words))
    span = Span(doc, 0, len(doc), label=role)
    name = linker.learned_name(span)
    if name is not None and name.label == role:
        return name.ids
    key = linker.matcher.lookup(term_key(span))
    ids = concept_ids(key, role) if key else ()
    if not ids:
        name = linker.mesh_name(span) or linker.organ_disease(span)
        ids = name.ids if name is not None else ()
    return ids


def shared_head_range(span: Span, read: Sequence[tuple[Span, tuple[str, ...]]]) -> tuple[int, int] | None:
    """The tokens of the coordination a recogniser's span is the last or the first conjunct of, when the
    words next to it that it shares a head or a modifier with are in no other recogniser span: ("renal and
    hepatic toxicity" around "hepatic toxicity"; "ventricular tachycardia and fibrillation" around
    "ventricular tachycardia", where the recogniser found "fibrillation" and nothing links it). `read`: the
    document's recogniser spans and their ids. None when there is none."""
    doc = span.doc
    taken = {i for s, _ids in read if s != span for i in range(s.start, s.end)}
    linked = {i for s, ids in read if s != span and ids for i in range(s.start, s.end)}
    start = span.start
    # Back over "X ,", "X and", "X or": one plain word, then a coordinator, as long as they last.
    while start >= 2 and doc[start - 1].lower_ in COORDINATORS and _plain(doc[start - 2], taken):
        start -= 2
        while start >= 1 and doc[start - 1].text == "," and start - 1 not in taken:
            start -= 1  # "X, and Y Z": the comma before the conjunction
    if start < span.start:
        return start, span.end
    # Forward over "and Y" with one word Y that nothing else links, after a name of two words or more.
    end = span.end
    if (
        len(span) >= 2
        and end + 1 < len(doc)
        and doc[end].lower_ in COORDINATORS
        and doc[end + 1].is_alpha
        and end + 1 not in linked
        and (end + 2 == len(doc) or not doc[end + 2].is_alpha)
    ):
        return span.start, end + 2
    return None


def _plain(token: Token, taken: set[int]) -> bool:
    """A single word of letters (or a dashed one) in no other recogniser span."""
    return token.i not in taken and token.text.replace("-", "").isalpha()
