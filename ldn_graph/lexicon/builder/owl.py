"""Reader of OWL functional-syntax files, such as the Cell Ontology's edit file (`cl-edit.owl`).

Only the annotation assertions about a class are read (label, exact synonyms, cross-references,
deprecation); a cross-reference that annotates another annotation (a definition's source) is not one of
the class's own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from ldn_graph.errors import DataError
from ldn_graph.lexicon.builder.terms import Term, curie

_STRING = r'"((?:[^"\\]|\\.)*)"'
_ANNOTATION = r'Annotation\((?:[^()"]|"(?:[^"\\]|\\.)*")*\)\s*'
ASSERTION = re.compile(
    rf"^AnnotationAssertion\((?:{_ANNOTATION})*(\S+) obo:([A-Za-z]+)_(\w+) (?:{_STRING}|(\S+))"
)
PROPERTIES = {
    "rdfs:label": "label",
    "oboInOwl:hasExactSynonym": "synonym",
    "oboInOwl:hasDbXref": "xref",
    "owl:deprecated": "deprecated",
}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def read_owl(path: Path, prefix: str, category: str) -> Iterator[Term]:
    """The non-deprecated classes of `path` whose id has `prefix`, in file order."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read OWL file: {err}", where=str(path)) from None
    if not any(line.startswith("Ontology(") for line in lines[:200]):
        raise DataError("not an OWL functional-syntax file (no Ontology( header)", where=str(path))
    classes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in lines:
        m = ASSERTION.match(line)
        if m is None or m.group(2) != prefix or m.group(1) not in PROPERTIES:
            continue
        value = _unescape(m.group(4)) if m.group(4) is not None else (m.group(5) or "")
        classes[f"{prefix}:{m.group(3)}"][PROPERTIES[m.group(1)]].append(value)
    for ident, fields in classes.items():
        labels = fields.get("label", [])
        if not labels or any(v.startswith("true") for v in fields.get("deprecated", ())):
            continue
        xrefs = []
        for value in fields.get("xref", ()):
            p, _, local = value.partition(":")
            c = curie(p, local)
            if c is not None and c != ident and c not in xrefs:
                xrefs.append(c)
        synonyms = tuple(dict.fromkeys(s for s in fields.get("synonym", ()) if s != labels[0]))
        yield Term(ident, labels[0], category, synonyms, xrefs=tuple(xrefs))
