"""Certainty and negation of a relation, scoped by the dependency parse.

A modal or adverb ("may", "not") scopes over its own clause and the clauses that share its subject
(xcomp, conjoined verbs, "by"-gerunds), not over adverbial or complement clauses: in "Because X blocks Y,
you cannot take Z", the negation does not reach "blocks". A hedging verb ("suggests", "it is suspected")
scopes over its complement clause. A "why"/"how" complement is presupposed, so "This may explain why a
study found X" leaves X asserted.
"""

from __future__ import annotations

from spacy.tokens import Token

from ldn_graph.pipeline.rules import Rules, word_classes

SHARED_CLAUSE = frozenset(("xcomp", "conj", "pcomp", "prep", "acomp", "aux", "auxpass"))
WORDS = word_classes()
WEAK_EVIDENCE = WORDS["weak-evidence"]  # "some evidence that X" hedges; "evidence that X" alone does not
FACTIVE_MARKERS = WORDS["factive-marker"]  # "explain why X": X is presupposed


def _clause_chain(trigger: Token) -> list[Token]:
    """The trigger and the heads it shares its clause with."""
    chain = [trigger]
    tok = trigger
    while tok.dep_ in SHARED_CLAUSE and tok.head.i != tok.i:
        if tok.dep_ == "conj" and tok.head.pos_ not in ("VERB", "AUX", "ADJ"):
            break
        if tok.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children):
            break  # a coordinated clause with its own subject does not share the other's modals
        if tok.dep_ == "conj" and any(
            c.dep_ in ("aux", "auxpass", "neg") and c.tag_ != "TO" for c in tok.children
        ):
            break  # nor one with its own auxiliary: "do not treat X and may worsen Y" (an infinitive's
            # "to" is no auxiliary of its own: "thought to sensitise X and to contribute to Y")
        tok = tok.head
        chain.append(tok)
    return chain


def _governors(trigger: Token) -> list[Token]:
    """Heads above the trigger's clause, up to a presupposed why/how clause."""
    out = []
    tok = trigger
    while tok.head.i != tok.i:
        if any(c.lower_ in FACTIVE_MARKERS and c.dep_ in ("advmod", "mark") for c in tok.children):
            break
        if tok.dep_ == "conj":
            break  # a coordinated clause is a sibling, not a complement
        tok = tok.head
        out.append(tok)
    return out


def _cues(rules: Rules, token: Token, kind: str, scope: str) -> bool:
    return any(c.kind == kind and c.scope == scope for c in rules.cues.get(token.lower_, ()))


def _lemma_cues(rules: Rules, token: Token, kind: str, scope: str) -> bool:
    return any(c.kind == kind and c.scope == scope for c in rules.cues.get(token.lemma_.lower(), ()))


def is_hedged(rules: Rules, trigger: Token) -> bool:
    """Whether a hedging cue scopes over the trigger."""
    chain = _clause_chain(trigger)
    for tok in chain:
        for child in tok.children:
            if child.dep_ in ("aux", "advmod") and _cues(rules, child, "hedge", "aux"):
                return True
    for gov in chain[1:] + _governors(chain[-1]):
        if gov.pos_ in ("VERB", "ADJ", "AUX") and _lemma_cues(rules, gov, "hedge", "governor"):
            return True
        if gov.pos_ == "NOUN" and _lemma_cues(rules, gov, "hedge", "noun"):
            weak = any(c.lower_ in WEAK_EVIDENCE for c in gov.children)
            if gov.lemma_.lower() != "evidence" or weak:
                return True
    return False


def is_negated(rules: Rules, trigger: Token, arguments: tuple[Token, ...] = ()) -> bool:
    """Whether a negation cue scopes over the trigger (or a 'no' determines one of its arguments)."""
    chain = _clause_chain(trigger)
    for tok in chain:
        for child in tok.children:
            if child.dep_ in ("neg", "advmod", "preconj", "cc") and _cues(rules, child, "negation", "aux"):
                if child.dep_ == "cc" and child.lower_ != "nor":
                    continue
                return True
    for gov in chain[1:] + _governors(chain[-1])[:3]:
        if _lemma_cues(rules, gov, "negation", "governor"):
            return True
        # "no evidence that X", "no indication that X": a negated noun over the clause
        if gov.pos_ == "NOUN" and any(
            c.dep_ == "det" and _cues(rules, c, "negation", "det") for c in gov.children
        ):
            return True
    for arg in arguments:
        if arg.left_edge.i < arg.i and _cues(rules, arg.left_edge, "negation", "det"):
            return True  # "no insomnia or vivid dreams", whatever the parser made of the list
        for c in arg.children:
            if c.dep_ == "det" and _cues(rules, c, "negation", "det"):
                return True  # "no insomnia"
            if c.dep_ in ("preconj", "cc") and c.lower_ in WORDS["correlative-negation"]:
                return True  # "neither pain nor diarrhoea was improved"
    return False
