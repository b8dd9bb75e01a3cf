"""A document's text as the graph keeps it: checked (not binary, not empty, within the size limit, Unicode),
control characters replaced one for one (offsets hold), and its metadata fields on one line.
"""

from __future__ import annotations

import hashlib
import re

from ldn_graph.errors import InputError
from ldn_graph.inputs.streams import MAX_BYTES

# Control characters a document's text may not hold (all but tab, line feed, form feed, carriage return).
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str, *, where: str) -> str:
    """The text of a document as the graph keeps it, or InputError when it is not prose to read (control
    characters, empty, oversize, not Unicode). Other control characters become spaces (offsets hold)."""
    if _control_share(text) > 0.05:
        raise InputError("binary file (mostly control characters), expected text", where=where)
    if not text.strip():
        raise InputError("empty document (no text to read)", where=where)
    if len(text) > MAX_BYTES:
        raise InputError(f"document has {len(text):,} characters, over the {MAX_BYTES:,} limit", where=where)
    bad = SURROGATE.search(text)
    if bad:
        raise InputError(
            f"text holds a lone surrogate (U+{ord(bad.group()):04X}) at character {bad.start()}, "
            "which is not Unicode text",
            where=where,
        )
    return CONTROL.sub(" ", text)


def clean_field(value: str) -> str:
    """A metadata value (title, name) on one line: control characters and extra whitespace removed."""
    return " ".join(CONTROL.sub(" ", SURROGATE.sub("\ufffd", value)).split())


def sha256(text: str) -> str:
    """The content hash of a document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guess_title(text: str, *, fallback: str) -> str:
    """The first line that reads like a title: not a navigation crumb, not a byline."""
    for line in text.splitlines()[:12]:
        line = line.strip().lstrip("#").strip()  # a Markdown heading
        words = line.split()
        if len(words) < 2 or line.lower().startswith(("by ", "return to", "home", "posted")):
            continue
        if len(line) <= 200 and not line.endswith((".", "?")):
            return line
    return fallback


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bad / len(sample)
