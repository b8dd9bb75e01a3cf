"""Findings named by the substance they come from: "opioid withdrawal", "morphine tolerance", "opioid
misuse". A chemical, drug or drug class the lexicon found, with a noun after it that makes the two a state
of the people who take it (`substance-finding-head` in `ontology/word-classes.tsv`), is that finding, not
the substance: the lexicon's concept for the words when it has one ("drug withdrawal"), else a local
finding. Not with "of" after the noun: "withdrawal of the overused medication" is stopping it.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from spacy.tokens import Doc, Span, Token

from ldn_graph.pipeline.matcher import LexiconMatcher, term_key
from ldn_graph.pipeline.span_rules import NAME_POS, local_concept

SUBSTANCE_CATEGORIES = frozenset(("ChemicalEntity", "Drug", "ChemicalRole", "MolecularEntity"))
SUBSTANCE_FINDING_CATEGORY = "PhenotypicFeature"  # what the words are when the lexicon does not know them


def link_substance_findings(
    doc: Doc, spans: list[Span], matcher: LexiconMatcher, tokens: Sequence[Token], heads: Set[str]
) -> list[Span]:
    """The spans with each substance and a noun of `heads` after it made one finding; the noun's own span,
    if any, gives way. `tokens`: the doc's."""
    out: list[Span] = []
    for span in spans:
        if out and span.start < out[-1].end:
            continue  # the noun after a substance: inside the finding
        noun = tokens[span.end] if span.end < len(tokens) else None
        if span.label_ not in SUBSTANCE_CATEGORIES or noun is None or not _finding_noun(noun, heads):
            out.append(span)
            continue
        words = term_key(tokens[span.start : noun.i + 1])
        concept = matcher.lookup(words)
        if concept is not None:
            category = matcher.lexicon.category(concept)
        else:
            category = SUBSTANCE_FINDING_CATEGORY
            concept = local_concept(
                doc, matcher.lexicon, " ".join(words), category, doc[span.start : noun.i + 1].text
            )
        out.append(Span(doc, span.start, noun.i + 1, label=category, kb_id=concept))
    return out


def _finding_noun(noun: Token, heads: Set[str]) -> bool:
    """Whether a noun makes the substance before it a finding: one of `heads`, not followed by "of"."""
    if noun.pos_ not in NAME_POS or (noun.lemma_ or noun.text).lower() not in heads:
        return False
    after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    return after is None or after.lower_ != "of"
