"""Findings named by likeness: "depressive-like behaviour", "anxiety-like behaviour", "multiple
sclerosis-like illness", "flu-like symptoms". A disease or a state with "-like" and a noun of findings
after it names a finding of its own (what an animal model shows, what resembles the disease), not the
disease: the words are one entity, the lexicon's concept when it has one, else a local finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from ldn_graph.pipeline.matcher import LexiconMatcher, term_key
from ldn_graph.pipeline.span_rules import NAME_POS, local_concept

LIKE_CATEGORY = "PhenotypicFeature"  # what a likeness names when the lexicon does not know the words
HYPHENS = frozenset("-‐‑")


def link_like_findings(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token], heads: frozenset[str]
) -> list[Span]:
    """The spans with each "X-like HEAD" made one finding (`heads`: the nouns of `like-finding-head`,
    `ontology/word-classes.tsv`): X is the entity that ends before the hyphen, else the one word there;
    the spans inside the phrase give way to it. `tokens`: the doc's."""
    out = list(spans)
    for like in tokens:
        i = like.i
        if like.lower_ != "like" or i < 2 or i + 1 >= len(tokens) or tokens[i - 1].text not in HYPHENS:
            continue
        if tokens[i - 2].whitespace_ or tokens[i - 1].whitespace_:
            continue  # "pain - like" written apart is no compound
        head = tokens[i + 1]
        if head.pos_ not in NAME_POS or (head.lemma_ or head.text).lower() not in heads:
            continue
        before = next((s for s in out if s.end == i - 1), None)
        start, end = (before.start if before is not None else i - 2), i + 2
        if not tokens[start].is_alpha:
            continue
        concept = matcher.lookup(term_key(tokens[start:end]))
        if concept is not None:
            category = matcher.lexicon.category(concept)
        else:
            category, text = LIKE_CATEGORY, doc[start:end].text
            concept = local_concept(doc, matcher.lexicon, text.lower(), category, text)
        out = [s for s in out if s.end <= start or s.start >= end]
        out.append(Span(doc, start, end, label=category, kb_id=concept))
    return sorted(out, key=lambda s: s.start)
