"""Surface forms as the entity linker compares them, without spaCy: one function for the lexicon builder,
the lexicon loader and the matcher, so that a form written in a lexicon and the same words read in a text
give the same key.

A key is the form's words, case-folded (NFKC, straight apostrophes), joined by one space. Dashes and
slashes separate words and are dropped ("TNF-alpha" and "TNF alpha" meet), as are possessives ("Crohn's
disease" and "Crohn disease" meet). spaCy splits a text's tokens at spaces and punctuation; the words of its
tokens, put through `token_key` and joined, give the key of the form they spell.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " ", "“": '"', "”": '"'})
DASH_CHARS = "-‐‑‒–—/"
_DASHES = re.compile(f"[{re.escape(DASH_CHARS)}]+")
_SKIPPED = frozenset(("'s", "'", "s'"))


def fold(text: str) -> str:
    """Case-folded, NFKC, straight quotes (the same as `pipeline.words.norm`)."""
    if text.isascii() and "`" not in text:  # the common case, fast: NFKC and the quotes change nothing
        return text.lower()
    return unicodedata.normalize("NFKC", text).translate(APOSTROPHES).casefold()


def token_key(text: str) -> str:
    """The key words of one token's text ("IL-6" -> "il 6"); empty for dashes and possessive marks."""
    low = fold(text)
    if low in _SKIPPED:
        return ""
    if low.endswith("'s"):
        low = low[:-2]
    elif low.endswith("s'"):
        low = low[:-1]
    if "'" in low:
        low = low.replace("'", "")
    return " ".join(_DASHES.sub(" ", low).split())


_PLAIN = re.compile(r"[a-z0-9 ./-]*")


def form_key(form: str) -> str:
    """The key of a lexicon surface form: "Crohn’s Disease" -> "crohn disease"."""
    if form.isascii():
        low = form.lower()
        if _PLAIN.fullmatch(low):  # the common case, fast: letters, digits, spaces, dashes
            return " ".join(low.replace("-", " ").replace("/", " ").split())
    words = (token_key(w) for w in fold(form).replace("(", " ( ").replace(")", " ) ").split())
    return " ".join(w for w in words if w)


def singulars(word: str) -> list[str]:
    """The word and the singular forms it may be the plural of (English, regular plurals only)."""
    out = [word]
    if len(word) > 3 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith(("ses", "xes", "zes", "ches", "shes")):
        out.append(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        out.append(word[:-1])
    return out


def key_variants(key: str) -> list[str]:
    """The key and the keys with its last word made singular."""
    head, _, last = key.rpartition(" ")
    return [f"{head} {w}" if head else w for w in singulars(last)]
