"""The lexicon: concepts with their names and identifiers, loaded from `ontology/lexicon.tsv`.

Each row is one concept; the file is validated on load so that a curator's typo fails with the line it is on.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path

from ldn_graph.errors import DataError
from ldn_graph.model import Concept
from ldn_graph.namespaces import CURIE_BASES

COLUMNS = ("key", "label", "category", "synonyms", "abbreviations", "xrefs", "note")
CATEGORIES = frozenset(
    [
        "Drug",
        "ChemicalEntity",
        "MolecularEntity",
        "ChemicalRole",
        "Protein",
        "ProteinFamily",
        "Cell",
        "AnatomicalEntity",
        "BiologicalProcess",
        "Disease",
        "PhenotypicFeature",
        "Population",
    ]
)


class Lexicon:
    """Concepts by key, with the surface forms that name them."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: dict[str, Concept] = {}
        for concept in concepts:
            if concept.key in self.concepts:
                raise DataError(f"concept key {concept.key!r} is defined twice")
            self.concepts[concept.key] = concept

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts.values())

    def __contains__(self, key: object) -> bool:
        return key in self.concepts

    def __getitem__(self, key: str) -> Concept:
        return self.concepts[key]

    def get(self, key: str) -> Concept | None:
        return self.concepts.get(key)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def read_lexicon(path: Path | None = None) -> Lexicon:
    """Read a lexicon TSV (default: the bundled `ontology/lexicon.tsv`)."""
    source = path if path is not None else files("ldn_graph.ontology").joinpath("lexicon.tsv")
    where = str(source)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read lexicon: {err}", where=where) from None
    return Lexicon(parse_lexicon(text.splitlines(), where=where))


def parse_lexicon(lines: Iterable[str], *, where: str = "lexicon") -> Iterator[Concept]:
    """Concepts from the lines of a lexicon TSV, validated."""
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise DataError(f"header must be {' '.join(COLUMNS)}", where=f"{where}:1")
    for lineno, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        at = f"{where}:{lineno}"
        if len(row) < 3:
            raise DataError("row has fewer than 3 columns", where=at)
        cells = dict(zip(COLUMNS, row + [""] * (len(COLUMNS) - len(row)), strict=False))
        if cells["category"] not in CATEGORIES:
            raise DataError(f"unknown category {cells['category']!r}", where=at)
        xrefs = _split(cells["xrefs"])
        for x in xrefs:
            if x.partition(":")[0] not in CURIE_BASES or not x.partition(":")[2]:
                raise DataError(f"unknown identifier prefix in {x!r}", where=at)
        yield Concept(
            key=cells["key"].strip(),
            label=cells["label"].strip(),
            category=cells["category"],
            synonyms=_split(cells["synonyms"]),
            abbreviations=_split(cells["abbreviations"]),
            xrefs=xrefs,
        )


@functools.lru_cache(maxsize=4)
def default_lexicon() -> Lexicon:
    """The bundled lexicon, read once per process."""
    return read_lexicon()
