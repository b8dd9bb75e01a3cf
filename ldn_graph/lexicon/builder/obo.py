"""Reader of OBO flat files (format 1.2/1.4), such as UBERON (`uberon_import.obo`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ldn_graph.errors import DataError
from ldn_graph.lexicon.builder.terms import Term, curie

# synonym: "text" SCOPE [TYPE] [xrefs]; only EXACT synonyms name the same thing.
SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(EXACT|RELATED|NARROW|BROAD)\b')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def read_obo(path: Path, prefix: str, category: str) -> Iterator[Term]:
    """The non-obsolete [Term] stanzas of `path` whose id has `prefix`, with EXACT synonyms and xrefs."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read OBO file: {err}", where=str(path)) from None
    if "[Term]" not in text:
        raise DataError("no [Term] stanza: not an OBO file", where=str(path))
    for stanza in text.split("\n[")[1:]:
        head, _, body = stanza.partition("\n")
        if head.strip() != "Term]":
            continue
        fields: dict[str, list[str]] = {}
        for line in body.splitlines():
            tag, sep, value = line.partition(": ")
            if sep:
                fields.setdefault(tag.strip(), []).append(value.strip())
        ident = (fields.get("id") or [""])[0]
        name = (fields.get("name") or [""])[0]
        if not ident.startswith(prefix + ":") or not name or fields.get("is_obsolete") == ["true"]:
            continue
        synonyms = []
        for value in fields.get("synonym", ()):
            m = SYNONYM.match(value)
            if m and m.group(2) == "EXACT":
                synonyms.append(_unescape(m.group(1)))
        xrefs = []
        for value in fields.get("xref", ()):
            p, _, local = value.split(" ", 1)[0].partition(":")
            c = curie(p, local)
            if c is not None and c != ident:
                xrefs.append(c)
        yield Term(ident, name, category, tuple(dict.fromkeys(synonyms)), xrefs=tuple(dict.fromkeys(xrefs)))
