"""Abbreviations defined in the text, after Schwartz & Hearst (2003).

"long form (SF)": the short form is 2-10 characters with a letter, starting with a letter or digit; the long
form is the shortest run of words before the parenthesis whose letters contain the short form's characters
in order, the first of them starting a word. The first definition of a short form in a document wins, so a
later "naltrexone (LDN)" cannot redefine LDN.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ldn_graph.pipeline.extensions import register_extensions

MAX_SHORT = 10


def is_short_form(text: str) -> bool:
    """Schwartz-Hearst's test for a candidate short form."""
    return (
        2 <= len(text) <= MAX_SHORT
        and text[0].isalnum()
        and any(c.isalpha() for c in text)
        and any(c.isupper() for c in text)
        and len(text.split()) <= 2
    )


def best_long_form(short: str, candidate: str) -> int | None:
    """Where the long form of `short` starts in `candidate`, or None (Schwartz-Hearst backward match)."""
    s_idx = len(short) - 1
    l_idx = len(candidate) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            candidate[l_idx].lower() != c or (s_idx == 0 and l_idx > 0 and candidate[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = candidate.rfind(" ", 0, l_idx + 1) + 1
    return start


def find_definitions(doc: Doc) -> list[tuple[Span, Span]]:
    """(short form, long form) spans for each "long form (SF)" in the doc, in text order."""
    found: list[tuple[Span, Span]] = []
    tokens = list(doc)  # spaCy makes a new Token object at each doc[i]: walk a list instead
    for i, token in enumerate(tokens):
        if token.text != "(" or i + 2 >= len(tokens) or tokens[i + 2].text != ")":
            continue
        short = tokens[i + 1]
        if not is_short_form(short.text):
            continue
        sent_start = token.sent.start if doc.has_annotation("SENT_START") else 0
        n_words = min(len(short.text) + 5, len(short.text) * 2)
        words: list[int] = []
        j = i - 1
        while j >= sent_start and len(words) < n_words:
            if tokens[j].text in {".", ";", ":", "(", ")", ","} or tokens[j].is_space:
                break
            if not tokens[j].is_punct:
                words.append(j)
            j -= 1
        if not words:
            continue
        first = min(words)
        candidate = doc[first:i]
        offset = best_long_form(short.text, candidate.text)
        if offset is None:
            continue
        long_span = doc.char_span(candidate.start_char + offset, candidate.end_char, alignment_mode="expand")
        if long_span is None or len(long_span.text) <= len(short.text):
            continue
        found.append((doc[i + 1 : i + 2], long_span))
    return found


class AbbreviationDetector:
    """spaCy component: sets `doc._.ldn_abbreviations`, short-form text -> (short Span, long Span)."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        defined: dict[str, tuple[Span, Span]] = {}
        for short, long_ in find_definitions(doc):
            defined.setdefault(short.text, (short, long_))  # the first definition wins
        doc._.ldn_abbreviations = defined
        return doc


@Language.factory("ldn_abbreviations", default_config={}, assigns=["doc._.ldn_abbreviations"])
def make_abbreviation_detector(nlp: Language, name: str) -> AbbreviationDetector:
    """Factory of the `ldn_abbreviations` component."""
    return AbbreviationDetector(nlp, name)
