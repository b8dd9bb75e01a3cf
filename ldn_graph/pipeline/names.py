"""Names learned from the annotated corpora: a mention's normalised words -> the concept ids annotators gave.

The corpora link each mention to MeSH (chemicals, diseases), NCBI Gene, NCBI Taxonomy... A name seen in
training with the same ids most of the time is a strong, in-domain way to link the same name in new text;
it complements the ontology lexicon, whose names and identifier choices differ from the annotators'
(MeSH supplementary records for drugs, "Gentamicins" for "gentamicin"). Built by `make train`, saved with
the entity linker (`names.tsv` in the pipeline folder).
"""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ldn_graph.errors import DataError

MIN_AGREEMENT = 0.5  # the commonest ids of a name must account for at least this share of its mentions
HEADER = "name\tlabel\tids\tpreferred\tcount"
SPECIES_MARK = "@"  # a key's last word "@10090": the name in documents about that NCBI Taxonomy id
# The NER labels whose ids are per organism: an NCBI Gene id is one organism's gene; MeSH ids of chemicals
# and diseases are not.
PER_SPECIES = frozenset(("GENE",))
MESH_NAMES_FILE = "mesh-names.tsv.gz"  # in ontology/, built by `ldn-graph lexicon build`
# Between the ids of a row. Not "|": tmVar's variant ids are made of "|"-separated fields
# ("p|SUB|E|333|D"); the corpora separate a mention's ids with "," (`corpora.pubtator.split_ids`), so no
# id holds one.
ID_SEPARATOR = ","


@dataclass(frozen=True)
class Name:
    """What the corpora say a name is."""

    label: str  # NER label, e.g. "DISEASE"
    ids: tuple[str, ...]  # corpus ids, e.g. ("D003920",)
    preferred: str  # the commonest surface form of these ids
    count: int  # mentions seen


def curie(corpus_id: str, label: str) -> str | None:
    """A corpus id as a CURIE the graph can carry, or None for schemes it does not (variants)."""
    if corpus_id[:1] in "DC" and corpus_id[1:].isdigit():
        return f"MESH:{corpus_id}"
    if corpus_id.isdigit() and label == "GENE":
        return f"NCBIGene:{corpus_id}"
    return None  # taxa, cell lines, variants: schemes the graph does not use


def species_key(key: str, species: str) -> str:
    """The key of a name as the documents about one species use it ("il 10 @10090": mouse IL-10)."""
    return f"{key} {SPECIES_MARK}{species}"


def document_organism(taxa: Sequence[str]) -> str:
    """The organism a document is about: the NCBI Taxonomy id it names most often, the first named on a
    tie; "" when it names none. Read the same way from the training corpora and from the recogniser."""
    return Counter(taxa).most_common(1)[0][0] if taxa else ""


def build_names(
    mentions: Iterable[tuple[str, str, tuple[str, ...], str]]
    | Iterable[tuple[str, str, tuple[str, ...], str, str]],
) -> dict[str, Name]:
    """(name key, NER label, ids, surface text[, the document's species]) per training mention -> the names
    table. A name whose commonest reading in the documents about one species differs from its commonest
    reading overall gets a row of its own for that species (`species_key`): the corpora give a gene the
    NCBI Gene id of the organism the abstract is about, so "IL-10" is one gene in mouse abstracts and
    another in human ones."""
    seen: dict[str, Counter[tuple[str, tuple[str, ...]]]] = {}
    surfaces: dict[tuple[str, ...], Counter[str]] = {}
    for key, label, ids, text, *context in mentions:
        if not key or not ids:
            continue
        seen.setdefault(key, Counter())[(label, ids)] += 1
        if context and context[0] and label in PER_SPECIES:
            seen.setdefault(species_key(key, context[0]), Counter())[(label, ids)] += 1
        surfaces.setdefault(ids, Counter())[text] += 1
    table = {}
    for key in sorted(seen):
        counts = seen[key]
        (label, ids), n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        total = sum(counts.values())
        if n / total >= MIN_AGREEMENT:
            preferred = max(surfaces[ids].items(), key=lambda kv: (kv[1], kv[0]))[0]
            table[key] = Name(label, ids, preferred, total)
    general = {k: v for k, v in table.items() if SPECIES_MARK not in k}
    return {
        k: v
        for k, v in table.items()
        if SPECIES_MARK not in k or (g := general.get(k.rpartition(" ")[0])) is None or g.ids != v.ids
    }


def write_names(table: dict[str, Name], path: Path) -> None:
    """Save the table as TSV, sorted (the same table gives the same bytes)."""
    lines = [HEADER]
    for key in sorted(table):
        n = table[key]
        lines.append(f"{key}\t{n.label}\t{ID_SEPARATOR.join(n.ids)}\t{n.preferred}\t{n.count}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_name_index(path: Path) -> dict[str, str]:
    """A names table (gzipped when its name ends in `.gz`) as key -> its other columns, unparsed: the
    quarter of a million rows of `ontology/mesh-names.tsv.gz` load in a fraction of a second, and
    `parse_name` reads the few that are looked up."""
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        lines = data.decode("utf-8").splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read the names table: {err}", where=str(path)) from None
    if not lines or lines[0] != HEADER:
        raise DataError(f"expected the header {HEADER!r}", where=f"{path}:1")
    index = {}
    for number, line in enumerate(lines[1:], 2):
        key, tab, rest = line.partition("\t")
        if not tab or rest.count("\t") != 3 or not rest.rpartition("\t")[2].isdigit():
            raise DataError("expected 5 tab-separated columns, the last a count", where=f"{path}:{number}")
        index[key] = rest
    return index


def parse_name(rest: str) -> Name:
    """A row of `read_name_index` (label, ids, preferred, count) as a name."""
    label, ids, preferred, count = rest.split("\t")
    return Name(label, tuple(ids.split(ID_SEPARATOR)), preferred, int(count))


def read_names(path: Path) -> dict[str, Name]:
    """Read a table written by `write_names`."""
    return {key: parse_name(rest) for key, rest in read_name_index(path).items()}
