"""Names written as a coordination that shares a head or a modifier: the names each conjunct stands for.

"renal or hepatic toxicity" names renal toxicity and hepatic toxicity; "ventricular tachycardia and
fibrillation" ventricular tachycardia and ventricular fibrillation. The corpora's annotators give such a
mention the ids of every name it stands for (BC5CDR writes them joined by "|"); the corpus reading of a
recogniser's span that links as a whole to nothing takes them (`corpora/predict.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

COORDINATORS = frozenset(("and", "or", "and/or", ",", "/", "&"))


def coordinated_names(words: Sequence[str]) -> list[list[tuple[str, ...]]]:
    """The names a coordination of words stands for: one list per conjunct of its readings, the likeliest
    first; [] for words that are no coordination of this kind.

    A shared head: every conjunct but the last one word ("renal or hepatic toxicity", "myoclonic, atonic,
    and absence seizures"); the last conjunct is read as written, each other one with a head taken from
    the end of the last, the longest first ("sagittal and left transverse sinus thrombosis": "sagittal
    transverse sinus thrombosis", then "sagittal sinus thrombosis", then "sagittal thrombosis"). A
    shared modifier: two conjuncts, the last one word ("cleft lip and palate": "cleft palate")."""
    segments: list[list[str]] = [[]]
    for word in words:
        if word.lower() in COORDINATORS:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append(word)
    segments = [s for s in segments if s]
    if len(segments) < 2 or any(not w[:1].isalnum() for s in segments for w in s):
        return []  # brackets, dashes: not a plain coordination
    *firsts, last = segments
    if all(len(s) == 1 for s in firsts) and len(last) >= 2:
        heads = [tuple(last[k:]) for k in range(1, len(last))]
        return [[(s[0], *head) for head in heads] for s in firsts] + [[tuple(last)]]
    if len(segments) == 2 and len(firsts[0]) >= 2 and len(last) == 1:
        first = firsts[0]
        return [[tuple(first)], [(*first[:-1], last[0])]]
    return []
