"""The hand-made lexicon (`ontology/lexicon.tsv`) as data: well-formed, unambiguous, and citing only
identifiers that were checked against the ontologies (`ontology/sources/`).

Fast and self-contained: reads the files with the standard library, no spaCy, no package import.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

ONTOLOGY = Path(__file__).parents[1] / "ontology"
LEXICON = ONTOLOGY / "lexicon.tsv"
SOURCES = ONTOLOGY / "sources"
VERIFIED = SOURCES / "verified-ontology-ids.tsv"
README = SOURCES / "README.md"

COLUMNS = ["key", "label", "category", "synonyms", "abbreviations", "xrefs", "note"]
CATEGORIES = {
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
}
# The local part each prefix takes (a CURIE of a known prefix with a malformed local part is a typo).
CURIE_PATTERNS = {
    "CHEBI": r"[1-9]\d*",
    "CL": r"\d{7}",
    "UBERON": r"\d{7}",
    "MONDO": r"\d{7}",
    "DOID": r"\d+",
    "GO": r"\d{7}",
    "HP": r"\d{7}",
    "PR": r"\d{9}",
    "MESH": r"[CD]\d{6,9}",
    "HGNC": r"[1-9]\d*",
}
# Class nouns that are not concepts: the relation extractor resolves them to the members a text lists.
GENERIC_NOUNS = {
    "condition",
    "disease",
    "disorder",
    "drug",
    "medication",
    "cell",
    "chemical",
    "molecule",
    "substance",
    "symptom",
    "body",
    "patient",
}
KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CURIE = re.compile(r"([A-Z]+):(\S+)")
DASHES = re.compile(r"[-‐‑‒–—/]")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def normalise(form: str) -> str:
    """A surface form as the entity linker compares it: case, apostrophes, possessives and dashes ignored."""
    text = unicodedata.normalize("NFKC", form).translate(APOSTROPHES).casefold()
    text = re.sub(r"'s\b|s'(?=\s|$)|'", " ", text)
    text = DASHES.sub(" ", text)
    return " ".join(text.split())


def singular(word: str) -> str:
    return (
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word
    )


@cache
def header_and_rows() -> tuple[list[str], list[dict[str, str]]]:
    with LEXICON.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        rows = [dict(zip(header, r, strict=False)) | {"_width": str(len(r))} for r in reader if any(r)]
    return header, rows


def rows() -> list[dict[str, str]]:
    return header_and_rows()[1]


@cache
def verified_ids() -> frozenset[str]:
    with VERIFIED.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == ["concept", "curie", "label", "source", "status"]
        return frozenset(r["curie"] for r in reader if r["status"] == "VERIFIED")


@cache
def self_confirmed() -> dict[str, str]:
    """CURIE -> label from the table of identifiers confirmed by hand in ontology/sources/README.md."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Identifiers confirmed by hand", 1)[1].split("\n## ", 1)[0]
    table: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4 and CURIE.fullmatch(cells[0]):
            assert cells[0] not in table, f"{cells[0]} listed twice in {README.name}"
            table[cells[0]] = cells[1]
    return table


def test_header_is_the_seven_columns() -> None:
    header, _ = header_and_rows()
    assert header == COLUMNS


def test_every_row_has_seven_cells_a_label_and_a_note() -> None:
    for row in rows():
        assert row["_width"] == "7", f"{row.get('key')}: {row['_width']} cells"
        assert row["label"].strip() == row["label"] and row["label"], row["key"]
        assert row["note"].strip(), f"{row['key']}: say where the ids come from (or that there are none)"


def test_keys_are_unique_slugs() -> None:
    keys = [row["key"] for row in rows()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    for key in keys:
        assert KEY.fullmatch(key), f"{key!r} is not a lowercase ascii slug"


def test_categories_are_known() -> None:
    for row in rows():
        assert row["category"] in CATEGORIES, f"{row['key']}: {row['category']!r}"


def test_xrefs_are_well_formed_curies() -> None:
    for row in rows():
        xrefs = split(row["xrefs"])
        assert len(xrefs) == len(set(xrefs)), f"{row['key']}: repeated xref"
        for x in xrefs:
            m = CURIE.fullmatch(x)
            assert m and m.group(1) in CURIE_PATTERNS, f"{row['key']}: {x!r} is not a CURIE of a known prefix"
            assert re.fullmatch(CURIE_PATTERNS[m.group(1)], m.group(2)), f"{row['key']}: malformed {x!r}"


def test_xrefs_were_checked_against_the_ontologies() -> None:
    known = verified_ids() | self_confirmed().keys()
    unchecked = {x: row["key"] for row in rows() for x in split(row["xrefs"]) if x not in known}
    assert not unchecked, f"identifiers neither VERIFIED nor confirmed by hand: {unchecked}"


def test_no_identifier_names_two_concepts() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for row in rows():
        for x in split(row["xrefs"]):
            owners[x].append(row["key"])
    assert not {x: keys for x, keys in owners.items() if len(keys) > 1}


def test_self_confirmed_table_is_well_formed_and_used() -> None:
    table = self_confirmed()
    assert table, "no identifiers parsed from the table in ontology/sources/README.md"
    for curie, label in table.items():
        prefix, _, local = curie.partition(":")
        assert prefix in CURIE_PATTERNS and re.fullmatch(CURIE_PATTERNS[prefix], local), curie
        assert label, f"{curie}: the label read in the source is missing"
    cited = {x for row in rows() for x in split(row["xrefs"])}
    assert not table.keys() - cited, f"confirmed but not cited: {sorted(table.keys() - cited)}"
    assert not table.keys() & verified_ids(), "already in verified-ontology-ids.tsv"


def test_no_surface_form_belongs_to_two_concepts() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in rows():
        for form in (row["label"], *split(row["synonyms"])):
            owners[normalise(form)].add(row["key"])
    shared = {form: sorted(keys) for form, keys in owners.items() if len(keys) > 1}
    assert not shared


def test_no_generic_noun_is_a_surface_form() -> None:
    for row in rows():
        for form in (row["label"], *split(row["synonyms"])):
            words = normalise(form).split()
            assert not (len(words) == 1 and singular(words[0]) in GENERIC_NOUNS), f"{row['key']}: {form!r}"


def test_abbreviations_are_short_and_uppercase() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for row in rows():
        for abbr in split(row["abbreviations"]):
            assert 2 <= len(abbr) <= 10, f"{row['key']}: {abbr!r}"
            assert any(c.isupper() for c in abbr), f"{row['key']}: {abbr!r} has no uppercase letter"
            assert not any(c.isspace() for c in abbr), f"{row['key']}: {abbr!r}"
            owners[abbr].append(row["key"])
    assert not {a: keys for a, keys in owners.items() if len(keys) > 1}


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ("low dose naltrexone", "low-dose-naltrexone"),
        ("microglia", "microglial-cell"),
        ("glia", "glial-cell"),
        ("Crohn’s disease", "crohns-disease"),
        ("opioid addiction", "opiate-dependence"),
        ("alcoholism", "alcohol-dependence"),
        ("neuroinflammation", "neuroinflammatory-response"),
        ("pain relief", "analgesia"),
        ("pain sensitivity", "hyperalgesia"),
        ("opioid growth factor", "met-enkephalin"),
        ("narcotic pain medication", "opioid-analgesic"),
        ("Hashimoto's thyroiditis", "hashimoto-thyroiditis"),
    ],
)
def test_common_surface_forms_reach_their_concept(form: str, key: str) -> None:
    owners = {normalise(f): row["key"] for row in rows() for f in (row["label"], *split(row["synonyms"]))}
    assert owners.get(normalise(form)) == key


@pytest.mark.parametrize(
    ("abbr", "key"),
    [
        ("LDN", "low-dose-naltrexone"),
        ("CNS", "central-nervous-system"),
        ("OGF", "met-enkephalin"),
        ("IL-6", "interleukin-6"),
    ],
)
def test_common_abbreviations_reach_their_concept(abbr: str, key: str) -> None:
    owners = {a: row["key"] for row in rows() for a in split(row["abbreviations"])}
    assert owners.get(abbr) == key
