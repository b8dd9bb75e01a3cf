"""Cells named by a marker they carry: "CD4-positive T cells", "CD4+ T cells", "TRPV1-negative neurons". A
protein the lexicon found, joined by a hyphen to "positive" or "negative" (or followed by "+" or "-"), before
a cell the lexicon found, names a kind of that cell, not the protein and the cell apart: the lexicon's
concept for the words when it has one, else a local cell of the whole name.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from ldn_graph.pipeline.matcher import LexiconMatcher, term_key
from ldn_graph.pipeline.span_rules import local_concept

MARKER_CATEGORIES = frozenset(("Protein", "ProteinFamily"))
CELL_CATEGORY = "Cell"
MARKER_WORDS = frozenset(("positive", "negative", "expressing"))  # "CD4-positive", "TRPV1-expressing"
MARKER_SIGNS = frozenset(("+", "-", "−"))  # "CD4+", "CD25-"


def link_marker_cells(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token]
) -> list[Span]:
    """The spans with each marker and the cell after it made one cell. `tokens`: the doc's."""
    out: list[Span] = []
    for span in spans:
        marker = out[-1] if out else None
        if span.label_ != CELL_CATEGORY or marker is None or marker.label_ not in MARKER_CATEGORIES:
            out.append(span)
            continue
        between = tokens[marker.end : span.start]
        if not _marks(between):
            out.append(span)
            continue
        words = term_key(tokens[marker.start : span.end])
        concept = matcher.lookup(words)
        category = matcher.lexicon.category(concept) if concept is not None else CELL_CATEGORY
        if concept is None:
            text = doc[marker.start : span.end].text
            concept = local_concept(doc, matcher.lexicon, text, CELL_CATEGORY, text)
        out[-1] = Span(doc, marker.start, span.end, label=category, kb_id=concept)
    return out


def _marks(between: Sequence[Token]) -> bool:
    """Whether the words between a protein and a cell say the cell carries it ("-positive", "+")."""
    if len(between) == 1:
        sign = between[0]
        return sign.text in MARKER_SIGNS and not sign.nbor(-1).whitespace_
    if len(between) == 2:
        dash, word = between
        return dash.text in "-‐‑" and not dash.nbor(-1).whitespace_ and word.lower_ in MARKER_WORDS
    return False
