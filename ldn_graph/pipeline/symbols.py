"""Gene and protein symbols as authors write them: "Bcl-2", "BCL 2" and the HGNC symbol BCL2 are one symbol.

The lexicon matches its symbols case-sensitively and word by word, as they are spelled in the sources
("BCL2", "TGFB1", "IL1B"). Abstracts write the same symbols with dashes, spaces, dots, other cases and
Greek letters spelled either way ("Bcl-2", "TGF-β1", "IL-1beta", "PPAR-gamma"). A symbol key folds those:
upper case, Greek letters to the Latin letter symbols use (`ontology/greek-letters.tsv`), dashes, spaces,
dots and slashes dropped. The entity linker looks a span the recogniser calls a gene up by this key among
the lexicon's gene and protein symbols, where one concept owns the key.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from ldn_graph.pipeline.rules import ontology_rows

GREEK_LETTERS = "greek-letters.tsv"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—./_]+")
MIN_KEY = 2  # a one-character key ("A", "8") is no symbol
MAX_WORDS = 3  # longer text is a name, not a symbol
MIN_SPELLED = 4  # Greek names shorter than this ("mu", "pi", "eta") spell too much else to be replaced


@functools.cache
def _greek() -> tuple[dict[str, str], re.Pattern[str], dict[str, str]]:
    """(Greek letter -> Latin letter, the pattern of a part ending in a spelled name, name -> Latin)."""
    rows = [row for _n, row in ontology_rows(GREEK_LETTERS, ("letter", "name", "latin"))]
    letters = {row["letter"]: row["latin"] for row in rows}
    names = {row["name"].lower(): row["latin"] for row in rows if len(row["name"]) >= MIN_SPELLED}
    alternatives = "|".join(sorted(names, key=len, reverse=True))
    # A part of a symbol that is, or ends in, a spelled name, perhaps with a number after it: "alpha",
    # "TNFalpha", "1beta", "gamma2"; the name's case must differ from a letter before it ("TNFalpha"), so
    # that words which merely end in one ("Zeta" is a name, "Beta" too, "Alphabeta" is not a symbol) stay.
    ending = re.compile(rf"^(|.*[0-9]|.*[A-Z])({alternatives})([0-9]*)$", re.IGNORECASE)
    return letters, ending, names


def symbol_key(text: str) -> str:
    """The key a symbol and its variants share ("Bcl-2" -> "BCL2", "TGF-β1" -> "TGFB1", "IL-1beta" ->
    "IL1B"); empty for text that is no symbol (more than a few words, or one character)."""
    letters, ending, names = _greek()
    folded = unicodedata.normalize("NFKC", text)
    parts = _SEPARATORS.split(folded)
    if len(parts) > MAX_WORDS:
        return ""
    out = []
    for part in parts:
        part = "".join(letters.get(c.lower(), c) for c in part)
        match = ending.match(part)
        if match and (
            not match.group(1)
            or match.group(1)[-1:].isupper() != match.group(2)[:1].isupper()
            or match.group(1)[-1:].isdigit()
        ):
            part = f"{match.group(1)}{names[match.group(2).lower()]}{match.group(3)}"
        out.append(part)
    key = "".join(out).upper()
    return key if len(key) >= MIN_KEY else ""


def symbol_index(symbols: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Symbol key -> concept key, from (symbol, concept key) pairs; a key two concepts share is left out
    (a variant spelling that could be either is not linked)."""
    owners: dict[str, str | None] = {}
    for symbol, owner in symbols:
        key = symbol_key(symbol)
        if key:
            owners[key] = owner if owners.get(key, owner) == owner else None
    return {key: owner for key, owner in owners.items() if owner is not None}
