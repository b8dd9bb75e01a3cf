"""Complexes named after a protein in them: "the NLRP3 inflammasome", "the AIM2 inflammasome". The class
noun after a protein the lexicon found (`complex-head` in `ontology/word-classes.tsv`) names that protein's
complex, which texts and annotators file under the protein: the noun joins the protein's span, whose
concept it keeps, and is no entity of its own there (not MeSH's class "Inflammasomes").
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from spacy.tokens import Doc, Span, Token

COMPLEX_MEMBER_CATEGORIES = frozenset(("Protein",))


def join_complex_nouns(doc: Doc, spans: list[Span], tokens: Sequence[Token], heads: Set[str]) -> list[Span]:
    """The spans with each protein and the complex noun of `heads` right after it made one span of the
    protein's concept; the noun's own span, if any, gives way. `tokens`: the doc's."""
    out: list[Span] = []
    for span in spans:
        if out and span.start < out[-1].end:
            continue  # the complex noun's own span: inside the protein's now
        noun = tokens[span.end] if span.end < len(tokens) else None
        if (
            span.label_ in COMPLEX_MEMBER_CATEGORIES
            and noun is not None
            and noun.pos_ in ("NOUN", "PROPN")
            and (noun.lemma_ or noun.text).lower() in heads
        ):
            span = Span(doc, span.start, noun.i + 1, label=span.label_, kb_id=span.kb_id_)
        out.append(span)
    return out
