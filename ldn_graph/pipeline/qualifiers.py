"""Qualifiers in a sentence: doses and ranges, effect sizes, study years, populations, sample sizes.

Found with patterns over the sentence text (numbers and units are surface phenomena the parse adds little
to), then attached by the relation extractor to the relations of the same sentence they can qualify.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

from ldn_graph.model import Qualifier

NUM = r"(\d+(?:[.,]\d+)?)"
UNIT = r"(mg/kg/day|mg/kg|mg/day|mg|mcg|µg|μg|ug|ng|g|ml|mL|IU|units)"
DOSE_RANGE = re.compile(rf"\b(?:between\s+)?{NUM}\s*(?:{UNIT}\s*)?(?:to|-|–|and)\s*{NUM}\s*{UNIT}\b", re.I)
DOSE_MIN = re.compile(rf"\b{NUM}\s*{UNIT}\s+(?:or|and)\s+(?:more|above|higher|greater)\b", re.I)
DOSE_MAX = re.compile(rf"\b(?:up to|at most|no more than|less than|below|under)\s+{NUM}\s*{UNIT}\b", re.I)
DOSE_ONE = re.compile(rf"\b{NUM}\s*{UNIT}\b(?!\s*/\s*\w)", re.I)
PERCENT = re.compile(
    r"\b((?:up to|about|approximately|nearly|almost|over|more than|around)\s+)?"
    r"(\d+(?:\.\d+)?)\s*(?:%|percent\b)"
    r"((?:\s+(?:of\s+)?[A-Za-z-]+){0,6})",
    re.I,
)
YEAR = re.compile(
    r"\b(?:a|an|the|in|this|their)\s+((?:19[5-9]\d|20[0-4]\d))\s+"
    r"(?:study|trial|review|analysis|meta-analysis|report|paper|survey|cohort|experiment)\b"
    r"|\b(?:in|since|published in)\s+((?:19[5-9]\d|20[0-4]\d))\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?:\d{1,2},?\s+)?((?:19[5-9]\d|20[0-4]\d))\b",
    re.I,
)
DIGIT = re.compile(r"\d")  # every pattern above needs one: most sentences are skipped on this test alone
STOP_WORDS = frozenset(("and", "or", "but", "which", "that", "who", "with", "while", "the", "a", "an", "to"))


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _unit(text: str) -> str:
    return {"μg": "µg", "ug": "µg", "mcg": "µg", "ml": "mL"}.get(text, text.lower() if text != "IU" else "IU")


def doses(sent: Span, text: str | None = None) -> list[Qualifier]:
    """Doses in a sentence: ranges, open bounds, single values. `text`: the sentence's, when known."""
    text, base = sent.text if text is None else text, sent.start_char
    out: list[Qualifier] = []
    if DIGIT.search(text) is None:
        return out
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], **kw: float | str | None) -> None:
        if any(m.start() < e and s < m.end() for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        label = m.group(0).strip()
        out.append(Qualifier("dose", label, start=base + m.start(), end=base + m.end(), **kw))  # type: ignore[arg-type]

    for m in DOSE_RANGE.finditer(text):
        add(m, min_value=_num(m.group(1)), max_value=_num(m.group(3)), unit=_unit(m.group(4)))
    for m in DOSE_MIN.finditer(text):
        add(m, min_value=_num(m.group(1)), unit=_unit(m.group(2)))
    for m in DOSE_MAX.finditer(text):
        add(m, max_value=_num(m.group(1)), unit=_unit(m.group(2)))
    for m in DOSE_ONE.finditer(text):
        add(m, value=_num(m.group(1)), unit=_unit(m.group(2)))
    return sorted(out)


def effect_sizes(sent: Span, text: str | None = None) -> list[Qualifier]:
    """Percentages with the words that say what they measure ("30% reduction in symptom severity")."""
    out: list[Qualifier] = []
    text = sent.text if text is None else text
    if DIGIT.search(text) is None:
        return out
    for m in PERCENT.finditer(text):
        words = m.group(3).split()
        keep: list[str] = []
        for w in words:
            if w.lower() in STOP_WORDS and keep:
                break
            keep.append(w)
        label = (m.group(0)[: m.end(2) - m.start()] + "%" + (" " + " ".join(keep) if keep else "")).strip()
        label = re.sub(r"\s*(?:percent|%)\s*%", "%", label)
        value = float(m.group(2))
        qual = (m.group(1) or "").strip().lower()
        kw: dict[str, float] = {"max_value": value} if qual == "up to" else {"value": value}
        out.append(
            Qualifier(
                "effect_size",
                label,
                unit="%",
                start=sent.start_char + m.start(),
                end=sent.start_char + m.end(),
                **kw,
            )
        )
    return out


def years(sent: Span, text: str | None = None) -> list[Qualifier]:
    """Study years ("a 2010 study", "in 2015")."""
    out: list[Qualifier] = []
    text = sent.text if text is None else text
    if DIGIT.search(text) is None:
        return out
    for m in YEAR.finditer(text):
        year = m.group(1) or m.group(2) or m.group(3)
        out.append(
            Qualifier(
                "year",
                year,
                value=float(year),
                start=sent.start_char + m.start(),
                end=sent.start_char + m.end(),
            )
        )
    return out


def populations(
    sent: Span, population_nouns: frozenset[str], tokens: Sequence[Token] | None = None
) -> list[Qualifier]:
    """Study populations ("women with fibromyalgia", "120 patients") and sample sizes. `tokens`: the
    sentence's, when the caller has them (iterating a Span makes a new Token at each step)."""
    out = []
    for token in sent if tokens is None else tokens:
        if token.lemma_.lower() not in population_nouns and token.lower_ not in population_nouns:
            continue
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        # Only populations that a study was done in or on, or that are counted.
        counted = [c for c in token.children if c.dep_ == "nummod" and c.like_num]
        in_study = token.dep_ == "pobj" and token.head.lower_ in ("in", "on", "among", "of", "with")
        if not counted and not in_study:
            continue
        mods = [c for c in token.lefts if c.dep_ in ("amod", "compound") and not c.like_num]
        start = min([token.i, *(m.i for m in mods)])
        label = sent.doc[start : token.i + 1].text
        out.append(Qualifier("population", label, start=sent.doc[start].idx, end=token.idx + len(token.text)))
        for c in counted:
            try:
                n = float(c.text.replace(",", ""))
            except ValueError:
                continue
            out.append(
                Qualifier(
                    "sample_size", f"{c.text} {token.text}", value=n, start=c.idx, end=token.idx + len(token)
                )
            )
    return out
