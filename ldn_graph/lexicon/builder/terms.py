"""What the source readers produce (`Term`, `Mapping`) and the rules that filter their surface forms.

The rules are data: `ontology/lexicon-rules.toml` (lengths, category priorities, MeSH branches) and
`ontology/lexicon-stoplist.txt` (everyday words that ontologies list as names), validated on load.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ldn_graph.errors import DataError
from ldn_graph.lexicon import CATEGORIES, Stoplist, read_stoplist
from ldn_graph.lexicon.forms import form_key
from ldn_graph.namespaces import CURIE_BASES

SKIP = "skip"


@dataclass(frozen=True)
class Term:
    """One class of one source: its identifier, names and the identifiers it says are the same thing."""

    id: str  # CURIE, e.g. "MONDO:0007170"
    label: str
    category: str  # one of ldn_graph.lexicon.CATEGORIES
    synonyms: tuple[str, ...] = ()  # matched case-insensitively unless they look like symbols
    symbols: tuple[str, ...] = ()  # always matched case-sensitively (gene symbols)
    xrefs: tuple[str, ...] = ()  # CURIEs of known prefixes only

    @property
    def prefix(self) -> str:
        return self.id.partition(":")[0]


@dataclass(frozen=True)
class Mapping:
    """A cross-reference stated by a mapping table rather than by either term."""

    a: str
    b: str


@dataclass
class Rules:
    """Form filters and choices of the builder (ontology/lexicon-rules.toml + lexicon-stoplist.txt)."""

    min_length: int = 4
    min_symbol_length: int = 3
    max_words: int = 8
    max_length: int = 60
    adjective_endings: tuple[str, ...] = ()
    relation_words: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    mesh_branches: dict[str, str] = field(default_factory=dict)
    stoplist: Stoplist = field(default_factory=Stoplist)

    def mesh_category(self, tree_numbers: list[str]) -> str | None:
        """The category of a descriptor from its tree numbers: the longest matching prefix of any, best
        category first; None when every tree number is skipped or under no prefix."""
        found: set[str] = set()
        for number in tree_numbers:
            best = max((p for p in self.mesh_branches if number.startswith(p)), key=len, default=None)
            if best is not None and self.mesh_branches[best] != SKIP:
                found.add(self.mesh_branches[best])
        if not found:
            return None
        return min(found, key=self.rank)

    def rank(self, category: str) -> int:
        """Position of a category in the priority list (lower wins)."""
        return self.priority.index(category) if category in self.priority else len(self.priority)

    def stopped(self, form: str) -> bool:
        return form_key(form) in self.stoplist

    def adjective(self, form: str, category: str) -> bool:
        """A one-word synonym of a disease or phenotype that reads as an adjective ("allergic")."""
        word = form.strip().lower()
        return (
            category in ("Disease", "PhenotypicFeature")
            and " " not in word
            and word.isalpha()
            and word.endswith(self.adjective_endings)
        )


LIST_KEYS = {"adjective_endings": "word endings", "relation_words": "words"}
FORM_KEYS = {"min_length", "min_symbol_length", "max_words", "max_length", *LIST_KEYS}


def _data(name: str) -> Path:
    return Path(str(files("ldn_graph.ontology").joinpath(name)))


def read_rules(path: Path | None = None, stoplist: Path | None = None) -> Rules:
    """The builder's rules, validated: unknown keys, categories or values fail with the file named."""
    source = path or _data("lexicon-rules.toml")
    where = str(source)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise DataError(f"cannot read lexicon rules: {err}", where=where) from None
    unknown = set(data) - {"forms", "categories", "mesh"}
    if unknown:
        raise DataError(f"unknown section(s) {sorted(unknown)}", where=where)
    forms = data.get("forms", {})
    if set(forms) - FORM_KEYS:
        raise DataError(f"unknown key(s) in [forms]: {sorted(set(forms) - FORM_KEYS)}", where=where)
    for key, value in forms.items():
        if key in LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise DataError(f"[forms] {key} must be a list of {LIST_KEYS[key]}", where=where)
            forms[key] = tuple(value)
        elif not isinstance(value, int) or value < 0:
            raise DataError(f"[forms] {key} must be a non-negative integer", where=where)
    priority = tuple(data.get("categories", {}).get("priority", ()))
    if set(data.get("categories", {})) - {"priority"}:
        raise DataError("[categories] has only `priority`", where=where)
    branches = dict(data.get("mesh", {}).get("branches", {}))
    if set(data.get("mesh", {})) - {"branches"}:
        raise DataError("[mesh] has only `branches`", where=where)
    for category in (*priority, *branches.values()):
        if category not in CATEGORIES and category != SKIP:
            raise DataError(f"unknown category {category!r}", where=where)
    if sorted(priority) != sorted(CATEGORIES):
        raise DataError("[categories] priority must list every category once", where=where)
    return Rules(
        **{k: forms[k] for k in FORM_KEYS if k in forms},
        priority=priority,
        mesh_branches=branches,
        stoplist=read_stoplist(stoplist),
    )


# The local part each prefix takes: a source's malformed cross-reference ("MESH:1622152") is left out.
LOCAL_PATTERNS = {
    "CHEBI": re.compile(r"[1-9]\d*"),
    "CL": re.compile(r"\d{7}"),
    "UBERON": re.compile(r"\d{7}"),
    "MONDO": re.compile(r"\d{7}"),
    "DOID": re.compile(r"\d+"),
    "GO": re.compile(r"\d{7}"),
    "HP": re.compile(r"\d{7}"),
    "PR": re.compile(r"\d{9}"),
    "MESH": re.compile(r"[CD]\d{6,9}"),
    "HGNC": re.compile(r"[1-9]\d*"),
    "NCBIGene": re.compile(r"[1-9]\d*"),
}


def curie(prefix: str, local: str) -> str | None:
    """A well-formed CURIE of a prefix the project knows ("MSH" is MeSH's other name), else None."""
    prefix = {"MSH": "MESH", "MESH": "MESH", "NCBIGENE": "NCBIGene"}.get(prefix.upper(), prefix.upper())
    local = local.strip()
    if local.upper().startswith(prefix + ":"):
        local = local.split(":", 1)[1]
    pattern = LOCAL_PATTERNS.get(prefix)
    if pattern is None or prefix not in CURIE_BASES or not pattern.fullmatch(local):
        return None
    return f"{prefix}:{local}"


def is_symbol(form: str) -> bool:
    """Whether a form is written one way only: one of its words has an upper-case letter after its first
    character (an acronym or symbol: "IL-6", "TNFα", "mRNA", "ME/CFS", "MEN 1", "T-cell ALL"). Such forms
    match case-sensitively."""
    return any(any(c.isupper() for c in word[1:]) for word in re.split(r"[\s/‐‑–—-]+", form))


def looks_like_acronym(short: str, longs: list[str]) -> bool:
    """Whether a one-word lower-case form is an acronym of a longer name whose case an export lost
    ("cold" for chronic obstructive lung disease, "read" for rectum adenocarcinoma): its letters occur in
    order in the name, spread over more than one of its words, starting at its first letter."""
    if " " in short or not short.isalnum() or not short.islower() or len(short) > 6:
        return False
    for long in longs:
        words = [w for w in long.lower().replace("-", " ").split() if w]
        if len(words) < 2 or not words[0].startswith(short[0]):
            continue
        used: set[int] = set()
        w, pos = 0, 0
        ok = True
        for ch in short:
            while w < len(words) and ch not in words[w][pos:]:
                w, pos = w + 1, 0
            if w == len(words):
                ok = False
                break
            pos = words[w].index(ch, pos) + 1
            used.add(w)
        if ok and len(used) > 1:
            return True
    return False
