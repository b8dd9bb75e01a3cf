"""Docs built by hand from word tables, for the tests of the linker's span rules (no parse: words,
lemmas, parts of speech and spaces only)."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def parse(nlp, table: str, ents: list[tuple[int, int, str, str]]) -> Doc:
    """A doc from a table, one token a line: word, lemma, POS, whitespace after it (1 or 0); entities as
    (start, end, category, concept key)."""
    rows = [line.split() for line in table.strip().splitlines()]
    doc = Doc(
        nlp.vocab,
        words=[r[0] for r in rows],
        spaces=[r[3] == "1" for r in rows],
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
    )
    doc._.ldn_local_concepts = {}
    if ents:
        doc.ents = [Span(doc, s, e, label=label, kb_id=key) for s, e, label, key in ents]
    return doc


def texts(spans: list[Span]) -> dict[str, tuple[str, str]]:
    """Each span's text -> (category, concept key)."""
    return {s.text: (s.label_, s.kb_id_) for s in spans}
