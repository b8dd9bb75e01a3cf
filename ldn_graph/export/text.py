"""What every export does to text and identifiers before writing them: one rule, shared by the writers.

Text read from input documents may hold control characters (a NUL byte, a form feed, C1 codes from a
mis-decoded file) that XML 1.0 cannot hold and that TSV readers choke on; they never reach an export.
Identifiers (node and edge ids, document keys) are bounded in length: an input whose id is a megabyte
long must not produce a megabyte-long node id in every row that names it.
"""

from __future__ import annotations

import hashlib
import re

# C0 controls other than tab and line breaks, DEL and the C1 block, unpaired surrogates, and the two
# noncharacters XML forbids. Tab, line feed and carriage return are left to each writer (TSV cells
# turn them into spaces; GraphML keeps them escaped).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# The longest identifier an export writes. Longer ones keep their first characters and end in `~` and
# the first 16 hex digits of the SHA-256 of the whole identifier, so two long identifiers that share a
# beginning still differ, and the same identifier always gives the same result.
MAX_ID_LENGTH = 200
_DIGEST_LENGTH = 16


def strip_controls(text: str) -> str:
    """`text` without control characters (see CONTROL_CHARACTERS); tab and line breaks are kept."""
    return CONTROL_CHARACTERS.sub("", text)


def bounded_id(identifier: str, limit: int = MAX_ID_LENGTH) -> str:
    """`identifier` without control characters, cut to `limit` characters by the rule above when longer.

    `bounded_id("x" * 1000)` is 183 `x`, `~` and 16 hex digits: 200 characters.
    """
    text = strip_controls(identifier)
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGEST_LENGTH]
    return f"{text[: limit - _DIGEST_LENGTH - 1]}~{digest}"
