"""Sequence-variant mentions -> the identifiers BioRED gives them: dbSNP `rs` numbers as written, else
tmVar's normal form (`p|SUB|V|37|I`, `c|SUB|A|1284|C`, `c|DEL|4153|A`, `c|INS|5382|C`).

Only what the mention itself spells out is normalised: "V37I" becomes `p|SUB|V|37|I`, never the rs number
a database would give the same change. The graph has no class for variants; this serves BioRED's measure.
"""

from __future__ import annotations

import re

AMINO_ACIDS = {
    "ala": "A", "arg": "R", "asn": "N", "asp": "D", "cys": "C", "gln": "Q", "glu": "E", "gly": "G",
    "his": "H", "ile": "I", "leu": "L", "lys": "K", "met": "M", "phe": "F", "pro": "P", "ser": "S",
    "thr": "T", "trp": "W", "tyr": "Y", "val": "V", "ter": "X", "stop": "X",
}  # fmt: skip
_THREE = "|".join(sorted(AMINO_ACIDS, key=len, reverse=True))
_ONE = "ACDEFGHIKLMNPQRSTVWYX*"
RS = re.compile(r"rs\d+")
PROTEIN = re.compile(
    rf"(?:p\.)?\(?(?P<ref>(?i:{_THREE})|[{_ONE}])(?P<pos>\d+)(?P<alt>(?i:{_THREE})|[{_ONE}])\)?"
)
DNA_SUB = re.compile(
    r"(?:(?P<kind>[cgm])\.)?(?P<pos>[-+*]?\d+(?:[-+_]\d+)*)\s*(?P<ref>[ACGT])\s*(?:>|-->|->|/)\s*(?P<alt>[ACGT])"
)
DNA_EDIT = re.compile(
    r"(?:(?P<kind>[cgm])\.)?(?P<pos>[-+*]?\d+(?:[-+_]\d+)*)\s*(?P<op>del|ins|dup)(?P<seq>[ACGT]*)"
)


def _amino(text: str) -> str:
    return AMINO_ACIDS.get(text.lower(), text.upper().replace("*", "X"))


def variant_id(mention: str) -> str | None:
    """The BioRED-style id a mention spells out, or None."""
    text = mention.strip()
    if match := RS.fullmatch(text):
        return match.group(0)
    if match := DNA_SUB.fullmatch(text):
        kind = match["kind"] or "c"
        return f"{kind}|SUB|{match['ref']}|{match['pos'].replace('_', '_')}|{match['alt']}"
    if match := DNA_EDIT.fullmatch(text):
        kind = match["kind"] or "c"
        return f"{kind}|{match['op'].upper()}|{match['pos']}|{match['seq']}"
    if match := PROTEIN.fullmatch(text):
        return f"p|SUB|{_amino(match['ref'])}|{match['pos']}|{_amino(match['alt'])}"
    return None
