"""The lexicon: concepts with their names and identifiers; `forms.py` keys their surface forms, `builder/`
makes the ontology lexicon file this module reads.

Two files: `ontology/lexicon.tsv`, made by hand (one row per concept, validated on load so that a curator's
typo fails with the line it is on), on top of `ontology/lexicon-ontologies.tsv.gz`, built from the standard
ontologies by `ldn-graph lexicon build` (builder/). The hand-made lexicon wins ties.
"""

from __future__ import annotations

import csv
import functools
import gzip
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

from ldn_graph.errors import DataError
from ldn_graph.lexicon.forms import form_key, key_variants, singulars
from ldn_graph.model import ENTITY_CATEGORIES, Concept, slugify
from ldn_graph.namespaces import CURIE_BASES

COLUMNS = ("key", "label", "category", "synonyms", "abbreviations", "xrefs", "note")
CATEGORIES = frozenset(ENTITY_CATEGORIES)


class Lexicon:
    """Concepts by key, with the surface forms that name them.

    Two layers: the hand-made concepts (full `Concept` objects) and, optionally, the built ontology lexicon,
    kept compact (parallel lists of strings, one row per concept; `Concept` objects are made on demand).
    A hand concept whose identifiers meet an ontology concept absorbs it: the ontology concept's forms name
    the hand concept (unless another hand concept has them), and a hand concept without identifiers takes
    those of the ontology concept whose label it shares.
    """

    def __init__(self, concepts: Iterable[Concept] = (), built: BuiltRows | None = None) -> None:
        self.hand: dict[str, Concept] = {}
        for concept in concepts:
            if concept.key in self.hand:
                raise DataError(f"concept key {concept.key!r} is defined twice")
            self.hand[concept.key] = concept
        self.built = built if built is not None else BuiltRows()
        self.owner: list[str] = []  # per built row: the key its forms name (its own, or a hand concept's)
        self.row: dict[str, int] = {}  # key -> built row, for rows that are concepts of their own
        self._made: dict[str, Concept] = {}
        self._index: tuple[dict[str, str], dict[str, str]] | None = None
        self._xrefs: dict[str, str] | None = None  # identifier -> concept key, made on first use
        if len(self.built):
            self._layer()

    # -- mapping interface -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.hand) + len(self.row)

    def __iter__(self) -> Iterator[Concept]:
        yield from self.hand.values()
        for key in self.row:
            yield self[key]

    def __contains__(self, key: object) -> bool:
        return key in self.hand or key in self.row

    def __getitem__(self, key: str) -> Concept:
        concept = self.get(key)
        if concept is None:
            raise KeyError(key)
        return concept

    def get(self, key: str) -> Concept | None:
        concept = self.hand.get(key) or self._made.get(key)
        if concept is None and key in self.row:
            concept = self._made[key] = self.built.concept(self.row[key], key)
        return concept

    @property
    def concepts(self) -> Mapping[str, Concept]:
        """All concepts by key (a read-only view; ontology concepts are made when looked up)."""
        return _ConceptView(self)

    def category(self, key: str) -> str:
        """The category of a concept, without making it."""
        hand = self.hand.get(key)
        return hand.category if hand is not None else self.built.category(self.row[key])

    # -- surface forms -----------------------------------------------------------------------------------
    def ontology_forms(self) -> Iterator[tuple[str, str]]:
        """(form key, concept key) of the ontology layer's case-insensitive forms, absorbed rows first."""
        stop = ontology_stoplist()
        rows = sorted(range(len(self.built)), key=lambda n: self.owner[n] not in self.hand)
        for n in rows:
            owner = self.owner[n]
            if not owner:
                continue
            for form in self.built.synonyms[n].split("|"):
                key = form_key(form)
                if key and key not in stop:
                    yield key, owner

    def ontology_symbols(self) -> Iterator[tuple[str, str]]:
        """(symbol, concept key) of the ontology layer's case-sensitive forms, hand-absorbed rows first."""
        stop = ontology_stoplist()
        rows = sorted(range(len(self.built)), key=lambda n: self.owner[n] not in self.hand)
        for n in rows:
            owner = self.owner[n]
            if owner and self.built.symbols[n]:
                for symbol in self.built.symbols[n].split("|"):
                    if form_key(symbol) not in stop:
                        yield symbol, owner

    def ontology_index(self) -> tuple[dict[str, str], dict[str, str]]:
        """(form key -> concept key, symbol -> concept key) of the ontology layer, made once."""
        if self._index is None:
            forms: dict[str, str] = {}
            for key, owner in self.ontology_forms():
                forms.setdefault(sys.intern(key), owner)
            symbols: dict[str, str] = {}
            for symbol, owner in self.ontology_symbols():
                symbols.setdefault(symbol, owner)
            self._index = (forms, symbols)
        return self._index

    def by_xref(self, xref: str) -> str | None:
        """The key of the concept with an identifier (a CURIE such as `MESH:D009271`), or None."""
        if self._xrefs is None:
            index: dict[str, str] = {}
            for concept in self.hand.values():
                for x in concept.xrefs:
                    index.setdefault(x, concept.key)
            for n, owner in enumerate(self.owner):
                if owner:
                    for x in self.built.xrefs[n].split("|"):
                        if x:
                            index.setdefault(x, owner)
            self._xrefs = index
        return self._xrefs.get(xref)

    # -- layering ----------------------------------------------------------------------------------------
    def _layer(self) -> None:
        """Absorb the ontology rows that hand concepts name; give the others unique keys."""
        by_xref: dict[str, str] = {}
        by_form: dict[str, str] = {}
        for concept in self.hand.values():
            for x in concept.xrefs:
                by_xref.setdefault(x, concept.key)
            for form in (concept.label, *concept.synonyms):
                by_form.setdefault(form_key(form), concept.key)
        adopted: dict[str, tuple[str, ...]] = {}
        gained: dict[str, list[str]] = {}
        absorbed: dict[str, list[str]] = {}
        rows = self.built
        for n in range(len(rows)):
            met = {by_xref[x] for x in rows.xrefs[n].split("|") if x in by_xref}
            if not met:
                hand = by_form.get(form_key(rows.labels[n]))
                named = self.hand.get(hand) if hand else None
                if named is not None and not named.xrefs and _same_kind(named.category, rows.category(n)):
                    met = {named.key}
                    adopted.setdefault(named.key, tuple(rows.xrefs[n].split("|")))
            if len(met) > 1:
                self.owner.append("")  # between two hand concepts: names neither
                continue
            if met:
                owner = met.pop()
                self.owner.append(owner)
                gained.setdefault(owner, []).extend(
                    f for f in rows.synonyms[n].split("|") if f and by_form.get(form_key(f), owner) == owner
                )
                # The identifiers of what it absorbs too: a hand "morphine" with ChEBI gains its MeSH id.
                absorbed.setdefault(owner, []).extend(x for x in rows.xrefs[n].split("|") if x)
                continue
            key = rows.keys[n]
            if key in self.hand or key in self.row:
                key = f"{key}-{slugify(rows.xrefs[n].split('|')[0])}"
            self.owner.append(key)
            self.row[key] = n
        for key in sorted(set(adopted) | set(gained) | set(absorbed)):
            c = self.hand[key]
            known = {form_key(f) for f in (c.label, *c.synonyms)}
            extra = []
            for form in gained.get(key, ()):
                k = form_key(form)
                if not any(v in known for v in key_variants(k)):  # new, and not a plural of a known form
                    known.add(k)
                    extra.append(form)
            xrefs = tuple(dict.fromkeys((*(c.xrefs or adopted.get(key, ())), *absorbed.get(key, ()))))
            self.hand[key] = replace(c, synonyms=(*c.synonyms, *extra), xrefs=xrefs)


# Categories one thing may be filed under by different sources ("duloxetine": a Drug here, a chemical entity
# in ChEBI): a hand concept adopts the identifiers of an ontology concept of its name within one family.
KINDS = ({"Drug", "ChemicalEntity", "MolecularEntity"}, {"Disease", "PhenotypicFeature"})


def _same_kind(a: str, b: str) -> bool:
    return a == b or any(a in kind and b in kind for kind in KINDS)


class _ConceptView(Mapping[str, Concept]):
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __getitem__(self, key: str) -> Concept:
        return self.lexicon[key]

    def __contains__(self, key: object) -> bool:
        return key in self.lexicon

    def __iter__(self) -> Iterator[str]:
        yield from self.lexicon.hand
        yield from self.lexicon.row

    def __len__(self) -> int:
        return len(self.lexicon)


class BuiltRows:
    """The built ontology lexicon in compact form: one list per column, one string per cell."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.labels: list[str] = []
        self.categories = bytearray()  # index into CATEGORY_ORDER
        self.xrefs: list[str] = []  # "|"-joined, preferred first
        self.synonyms: list[str] = []  # "|"-joined forms matched case-insensitively
        self.symbols: list[str] = []  # "|"-joined forms matched case-sensitively

    def __len__(self) -> int:
        return len(self.keys)

    def category(self, n: int) -> str:
        return CATEGORY_ORDER[self.categories[n]]

    def concept(self, n: int, key: str) -> Concept:
        label = self.labels[n]
        return Concept(
            key=key,
            label=label,
            category=self.category(n),
            synonyms=tuple(f for f in self.synonyms[n].split("|") if f and f != label),
            abbreviations=tuple(f for f in self.symbols[n].split("|") if f),
            xrefs=tuple(x for x in self.xrefs[n].split("|") if x),
        )


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


BUILT_COLUMNS = ("key", "label", "category", "xrefs", "synonyms", "symbols")
BUILT_FILE = "lexicon-ontologies.tsv.gz"
STOPLIST_FILE = "lexicon-stoplist.txt"
CATEGORY_ORDER = tuple(sorted(CATEGORIES))


def read_built_lexicon(path: Path) -> BuiltRows:
    """Read a lexicon built by `ldn-graph lexicon build` (gzip TSV), validated as it is read."""
    rows = BuiltRows()
    category_index = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    where = str(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as f:
            lines = f.read().split("\n")
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read built lexicon: {err}", where=where) from None
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        n += 1
    if n >= len(lines) or tuple(lines[n].split("\t")) != BUILT_COLUMNS:
        raise DataError(f"header must be {' '.join(BUILT_COLUMNS)}", where=f"{where}:{n + 1}")
    keys, labels, xrefs, synonyms, symbols = rows.keys, rows.labels, rows.xrefs, rows.synonyms, rows.symbols
    categories = rows.categories
    for lineno in range(n + 1, len(lines)):
        line = lines[lineno]
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != 6:
            raise DataError(f"row has {len(cells)} cells, not 6", where=f"{where}:{lineno + 1}")
        index = category_index.get(cells[2])
        if index is None:
            raise DataError(f"unknown category {cells[2]!r}", where=f"{where}:{lineno + 1}")
        keys.append(cells[0])
        labels.append(cells[1])
        categories.append(index)
        xrefs.append(cells[3])
        synonyms.append(cells[4])
        symbols.append(cells[5])
    return rows


class Stoplist:
    """Form keys never taken from the ontologies: exact forms, and two-word forms by their last word
    (`* face`) or first word (`body *`)."""

    def __init__(self, lines: Iterable[str] = ()) -> None:
        exact: set[str] = set()
        ends: set[str] = set()
        starts: set[str] = set()
        for line in lines:
            text = line.split("#", 1)[0].strip()
            if text.startswith("* "):
                ends.add(form_key(text[2:]))
            elif text.endswith(" *"):
                starts.add(form_key(text[:-2]))
            elif text:
                exact.add(form_key(text))
        self.exact, self.ends, self.starts = frozenset(exact), frozenset(ends), frozenset(starts)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self.exact or (" " not in key and any(w in self.exact for w in singulars(key)[1:])):
            return True  # a word's regular plural too: "enzyme" stops "Enzymes"
        first, sep, last = key.partition(" ")
        return bool(sep) and " " not in last and (last in self.ends or first in self.starts)

    def __len__(self) -> int:
        return len(self.exact) + len(self.ends) + len(self.starts)


def read_stoplist(path: Path | None = None) -> Stoplist:
    """The stop-list of the ontology layer (default: the bundled `ontology/lexicon-stoplist.txt`)."""
    source = path if path is not None else files("ldn_graph.ontology").joinpath(STOPLIST_FILE)
    try:
        return Stoplist(source.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read stop-list: {err}", where=str(source)) from None


@functools.lru_cache(maxsize=1)
def ontology_stoplist() -> Stoplist:
    """The bundled stop-list, read once."""
    return read_stoplist()


def built_lexicon_path() -> Path | None:
    """The bundled built lexicon, when there is one."""
    source = files("ldn_graph.ontology").joinpath(BUILT_FILE)
    return Path(str(source)) if source.is_file() else None


@functools.lru_cache(maxsize=4)
def default_lexicon() -> Lexicon:
    """The bundled lexicon (hand-made, on top of the built ontology lexicon when present), read once."""
    return load_lexicon("", "")  # the same cache entry as the components' default config


NO_ONTOLOGY = "none"


@functools.lru_cache(maxsize=4)
def load_lexicon(hand: str = "", ontology: str = "") -> Lexicon:
    """A lexicon from files, read once per pair of paths: `hand` a lexicon TSV, `ontology` a built ontology
    lexicon (`.tsv.gz`); "" for the bundled one, and `ontology="none"` for none. The components' config
    keys `lexicon` and `ontology_lexicon` name them."""
    concepts = read_lexicon(Path(hand) if hand else None)
    path = None if ontology == NO_ONTOLOGY else (Path(ontology) if ontology else built_lexicon_path())
    if path is None:
        return concepts
    if not path.is_file():
        raise DataError("ontology lexicon not found", where=str(path))
    return Lexicon(concepts, built=read_built_lexicon(path))
