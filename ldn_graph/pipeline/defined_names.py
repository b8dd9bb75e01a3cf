"""Names cut in two by the abbreviation they define: "the N-methyl-D-aspartate (NMDA) receptor", "tumour
necrosis factor (TNF) inhibitors", "sphingosine-1-phosphate (S1P) receptor modulators". The writer defines
the short form of the first words and goes on with the name; the whole, read without the parenthesis, is
the lexicon's term (the receptor, the drug class), not the chemical or protein of its first words.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from ldn_graph.pipeline.extensions import abbreviations
from ldn_graph.pipeline.matcher import LexiconMatcher, term_key

MAX_HEAD_WORDS = 3  # the words after the parenthesis that end the name ("receptor modulators")


def link_defined_names(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token]
) -> list[Span]:
    """The spans with each "LONG (SHORT) HEAD" whose LONG HEAD is a lexicon term made one entity of that
    term, over the parenthesis; the spans inside give way. `tokens`: the doc's."""
    out = list(spans)
    for short, long_ in abbreviations(doc).values():
        close = short.end
        if short.start < 1 or tokens[short.start - 1].text != "(" or close >= len(tokens):
            continue
        if tokens[close].text != ")" or long_.end != short.start - 1:
            continue
        for n in range(MAX_HEAD_WORDS, 0, -1):
            end = close + 1 + n
            head = tokens[close + 1 : end]
            if end > len(tokens) or any(t.is_punct or t.is_space for t in head):
                continue
            concept = matcher.lookup((*term_key(long_), *term_key(head)))
            if concept is None:
                continue
            out = [s for s in out if s.end <= long_.start or s.start >= end]
            out.append(Span(doc, long_.start, end, label=matcher.lexicon.category(concept), kb_id=concept))
            break
    return sorted(out, key=lambda s: s.start)
