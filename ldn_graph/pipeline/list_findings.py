"""Findings named by the list they are in: "dysphoria, sedation and diuresis", "burning and redness",
"weight gain, hypersalivation, sedation and orthostatic hypotension are common". A noun the lexicon and the
recogniser left alone, coordinated with findings they did name (signs, symptoms, diseases) and with nothing
else they named, is a finding of the same list: the writer has put it among them. It becomes a local finding
of its words (the noun and the adjectives and nouns before it), and enters the graph as the named findings
do, with or without a relation. Not a noun that only says what kind of thing it is (`generic-nouns.tsv`),
who the people are (`populations.txt`), or a measure of something (`list-finding-excluded` in
`ontology/word-classes.tsv`: "changes", "levels").
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from spacy.tokens import Doc, Span, Token

from ldn_graph.pipeline.matcher import LexiconMatcher, term_key
from ldn_graph.pipeline.rules import Rules, word_classes
from ldn_graph.pipeline.span_rules import FINDING_CATEGORIES, local_concept

LIST_FINDING_CATEGORY = "PhenotypicFeature"  # what a list's unnamed member is when the lexicon has no name
MODIFIER_POS = frozenset(("ADJ", "NOUN", "PROPN"))  # the words before the noun that are part of its name
MIN_LETTERS = 4  # a shorter word is no finding's name ("use", "gut")
HYPHENS = frozenset("-‐‑")  # "night-time sleep", "anti-dsDNA antibodies": one name
COMPARATIVE_TAGS = frozenset(("JJR", "JJS", "RBR", "RBS"))


def list_finding_excluded(rules: Rules) -> frozenset[str]:
    """The words that are no list finding's head: generic nouns, populations and measures (the module
    docstring)."""
    return rules.generic_nouns | rules.populations | word_classes()["list-finding-excluded"]


def link_list_findings(
    doc: Doc,
    spans: list[Span],
    matcher: LexiconMatcher,
    tokens: Sequence[Token],
    excluded: Set[str],
) -> tuple[list[Span], frozenset[str]]:
    """The spans with each unnamed member of a list of findings made a finding, and the keys of the local
    findings so made (they enter the graph as names do). `excluded`: the lemmas that are no finding's head
    (generic nouns, populations, measures). `tokens`: the doc's."""
    owner: dict[int, Span] = {}
    for span in spans:
        for i in range(span.start, span.end):
            owner[i] = span
    added: dict[tuple[int, int], Span] = {}
    for span in spans:
        if span.label_ not in FINDING_CATEGORIES:
            continue
        members = span.root.conjuncts
        if not members or any(_names_other(owner.get(m.i), span) for m in members):
            continue  # a list that names anything but findings is not one of findings
        for member in members:
            if member.i in owner or not _finding_noun(member, excluded):
                continue
            start = _name_start(member, tokens, owner)
            if start < 0 or tokens[start].text in HYPHENS or (start, member.i + 1) in added:
                continue
            words = term_key(tokens[start : member.i + 1])
            concept = matcher.lookup(words)
            if concept is not None:
                category = matcher.lexicon.category(concept)
            else:
                category, text = LIST_FINDING_CATEGORY, doc[start : member.i + 1].text
                concept = local_concept(doc, matcher.lexicon, " ".join(words), category, text)
            added[(start, member.i + 1)] = Span(doc, start, member.i + 1, label=category, kb_id=concept)
    if not added:
        return spans, frozenset()
    local = doc._.ldn_local_concepts or {}
    named = frozenset(s.kb_id_ for s in added.values() if s.kb_id_ in local)
    return sorted([*spans, *added.values()]), named


def _names_other(entity: Span | None, finding: Span) -> bool:
    """Whether a list member is an entity of another kind than findings (not the finding itself)."""
    return entity is not None and entity != finding and entity.label_ not in FINDING_CATEGORIES


def _finding_noun(token: Token, excluded: Set[str]) -> bool:
    """Whether a list member may be a finding's head noun: a common noun of letters, with no determiner,
    possessive or number before it, not a word of `excluded`."""
    if token.pos_ != "NOUN" or not token.is_alpha or len(token) < MIN_LETTERS:
        return False
    if (token.lemma_ or token.lower_).lower() in excluded or token.lower_ in excluded:
        return False
    return not any(c.dep_ in ("det", "poss", "nummod") for c in token.children)


def _name_start(noun: Token, tokens: Sequence[Token], owner: dict[int, Span]) -> int:
    """Where the name a list's noun heads starts: the adjectives and nouns right before it that depend on
    it (inside its subtree), words joined by a hyphen too; -1 where an entity or a comparative is among
    them."""
    start = noun.i
    while start - 1 >= noun.left_edge.i:
        before = tokens[start - 1]
        if before.i in owner:
            return -1  # "pain intensity": a measure of what the entity names, no finding of its own
        joined = before.text in HYPHENS and not before.whitespace_ and not tokens[start - 2].whitespace_
        if not joined and (before.pos_ not in MODIFIER_POS or not before.is_alpha):
            break
        if before.tag_ in COMPARATIVE_TAGS:
            return -1  # "more cardiovascular events": a comparison, not the finding's name
        start -= 1
    return start
