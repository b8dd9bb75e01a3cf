"""Helpers for tests that read sentences: relations as (subject, predicate, object) key tuples."""

from __future__ import annotations


def relations(nlp, text: str) -> set[tuple[str, str, str]]:
    doc = nlp(text)
    return {(r.subject, r.predicate, r.object) for r in doc._.ldn_relations}


def relation_records(nlp, text: str):
    return nlp(text)._.ldn_relations


def entities(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(e.text, e.kb_id_) for e in doc.ents]
