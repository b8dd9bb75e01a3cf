"""Rule data for relation extraction, read from `ontology/`: triggers, cues, word lists, type constraints.

Each file is validated on load; a header without a needed column or an unknown value names the file and
line. The relation extractor's config names each file (`RULE_FILES`; "" for the bundled one).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ldn_graph.errors import DataError
from ldn_graph.lexicon import CATEGORIES
from ldn_graph.lexicon.forms import form_key

PREDICATES = frozenset(
    [
        "treats",
        "increases",
        "decreases",
        "regulates",
        "binds",
        "produces",
        "causes",
        "partOf",
        "locatedIn",
        "subclassOf",
        "hasActiveIngredient",
        "hasSideEffect",
        "contraindicatedWith",
        "associatedWith",
    ]
)
FRAMES = frozenset(("active", "inverse", "nominal", "nominal-inverse", "adjective"))
POS = frozenset(("VERB", "NOUN", "ADJ"))
CUE_KINDS = frozenset(("hedge", "negation"))
CUE_SCOPES = frozenset(("aux", "governor", "noun", "det", "prep"))


@dataclass(frozen=True)
class Trigger:
    """A word that expresses a relation, with how its arguments are found."""

    lemma: str
    pos: str
    predicate: str
    frame: str
    preps: frozenset[str]
    object_categories: frozenset[str]


@dataclass(frozen=True)
class Cue:
    """A hedging or negation cue and the syntactic scope it takes."""

    word: str
    kind: str
    scope: str


@dataclass(frozen=True)
class Rules:
    """All rule data, loaded once."""

    triggers: dict[tuple[str, str], tuple[Trigger, ...]]
    cues: dict[str, tuple[Cue, ...]]
    generic_nouns: frozenset[str]
    generic_categories: dict[str, frozenset[str]]
    local_heads: dict[str, str]  # "word:pain" / "suffix:itis" -> category
    populations: frozenset[str]
    subject_types: dict[str, frozenset[str]]
    object_types: dict[str, frozenset[str]]

    def local_category(self, head_lemma: str) -> str | None:
        """The category a head word gives a phrase no lexicon knows, or None."""
        word = head_lemma.lower()
        if f"word:{word}" in self.local_heads:
            return self.local_heads[f"word:{word}"]
        for pattern, category in self.local_heads.items():
            if (
                pattern.startswith("suffix:")
                and word.endswith(pattern[7:])
                and len(word) > len(pattern) - 7 + 2
            ):
                return category
        return None

    def triggers_for(self, lemma: str, pos: str) -> tuple[Trigger, ...]:
        return self.triggers.get((lemma.lower(), pos), ())

    def type_ok(self, predicate: str, subject_category: str, object_category: str) -> bool:
        subj = self.subject_types.get(predicate)
        obj = self.object_types.get(predicate)
        return (subj is None or "*" in subj or subject_category in subj) and (
            obj is None or "*" in obj or object_category in obj
        )


def ontology_rows(name: str, columns: tuple[str, ...] = ()) -> list[tuple[int, dict[str, str]]]:
    """(line number, row by column) of a TSV under `ontology/`, comment lines skipped; a header that lacks
    one of `columns` is a one-line error naming the file, not a KeyError later."""
    return tsv_rows(files("ldn_graph.ontology").joinpath(name).read_text(encoding="utf-8"), name, columns)


def tsv_rows(text: str, name: str, columns: tuple[str, ...] = ()) -> list[tuple[int, dict[str, str]]]:
    """`ontology_rows` of a TSV's text; `name` is what errors call the file."""
    lines = [
        (n, line) for n, line in enumerate(text.splitlines(), start=1) if line and not line.startswith("#")
    ]
    if not lines:
        raise DataError("empty rule file", where=name)
    header = lines[0][1].split("\t")
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(f"header lacks column(s) {', '.join(missing)}", where=f"{name}:{lines[0][0]}")
    out = []
    for n, line in lines[1:]:
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        out.append((n, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))))
    return out


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _set(cell: str) -> frozenset[str]:
    return frozenset(v.strip() for v in cell.split("|") if v.strip())


def check_value(value: str, allowed: frozenset[str] | tuple[str, ...], what: str, where: str) -> str:
    """The value, when it is one of `allowed`; else a one-line error naming file and line."""
    if value not in allowed:
        raise DataError(f"unknown {what} {value!r}", where=where)
    return value


# The rule files, by the relation extractor's config key: the bundled file's name under `ontology/`, and
# the columns its header must have.
RULE_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "triggers": ("triggers.tsv", ("lemma", "pos", "predicate", "frame", "preps", "object_categories")),
    "cues": ("cues.tsv", ("cue", "kind", "scope")),
    "predicate_types": ("predicate-types.tsv", ("predicate", "subject_categories", "object_categories")),
    "generic_nouns": ("generic-nouns.tsv", ("noun", "categories")),
    "local_entity_heads": ("local-entity-heads.tsv", ("pattern", "category")),
    "populations": ("populations.txt", ()),
}


def rule_text(bundled: str, path: str = "") -> tuple[str, str]:
    """A rule file's text and what errors call it: the file at `path`, or with "" the bundled
    `ontology/<bundled>`."""
    if not path:
        return files("ldn_graph.ontology").joinpath(bundled).read_text(encoding="utf-8"), bundled
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except FileNotFoundError:
        raise DataError("rule file not found", where=path) from None
    except UnicodeDecodeError:
        raise DataError("rule file is not UTF-8 text", where=path) from None
    except OSError as err:
        raise DataError(f"cannot read rule file: {err.strerror or err}", where=path) from None


def load_rules(**paths: str) -> Rules:
    """The rule data: for each `RULE_FILES` key given a path, that file, else the bundled one. Read once
    per set of files."""
    unknown = sorted(set(paths) - set(RULE_FILES))
    if unknown:
        raise TypeError(f"unknown rule file key(s): {', '.join(unknown)}")
    return _load_rules(tuple(paths.get(key, "") for key in RULE_FILES))


@functools.lru_cache(maxsize=4)
def _load_rules(paths: tuple[str, ...]) -> Rules:
    texts = {key: rule_text(RULE_FILES[key][0], path) for key, path in zip(RULE_FILES, paths, strict=True)}

    def read(key: str) -> tuple[str, list[tuple[int, dict[str, str]]]]:
        text, name = texts[key]
        return name, tsv_rows(text, name, RULE_FILES[key][1])

    name, rows = read("triggers")
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    for n, row in rows:
        at = f"{name}:{n}"
        cats = _set(row["object_categories"])
        for c in cats:
            check_value(c, CATEGORIES, "category", at)
        t = Trigger(
            lemma=row["lemma"].lower(),
            pos=check_value(row["pos"], POS, "part of speech", at),
            predicate=check_value(row["predicate"], PREDICATES, "predicate", at),
            frame=check_value(row["frame"], FRAMES, "frame", at),
            preps=_set(row["preps"]),
            object_categories=cats,
        )
        triggers.setdefault((t.lemma, t.pos), []).append(t)
    cues: dict[str, list[Cue]] = {}
    name, rows = read("cues")
    for n, row in rows:
        at = f"{name}:{n}"
        cue = Cue(
            row["cue"].lower(),
            check_value(row["kind"], CUE_KINDS, "cue kind", at),
            check_value(row["scope"], CUE_SCOPES, "cue scope", at),
        )
        cues.setdefault(cue.word, []).append(cue)
    subject_types: dict[str, frozenset[str]] = {}
    object_types: dict[str, frozenset[str]] = {}
    name, rows = read("predicate_types")
    for n, row in rows:
        at = f"{name}:{n}"
        p = check_value(row["predicate"], PREDICATES, "predicate", at)
        subject_types[p] = _set(row["subject_categories"])
        object_types[p] = _set(row["object_categories"])
        for c in (subject_types[p] | object_types[p]) - {"*"}:
            check_value(c, CATEGORIES, "category", at)
    generic: dict[str, frozenset[str]] = {}
    name, rows = read("generic_nouns")
    for n, row in rows:
        cats = _set(row["categories"])
        for c in cats:
            check_value(c, CATEGORIES, "category", f"{name}:{n}")
        generic[row["noun"].lower()] = cats
    local_heads: dict[str, str] = {}
    name, rows = read("local_entity_heads")
    for n, row in rows:
        kind, _, word = row["pattern"].partition(":")
        if kind not in ("word", "suffix") or not word:
            raise DataError(
                f"pattern must be word:X or suffix:X, not {row['pattern']!r}", where=f"{name}:{n}"
            )
        local_heads[row["pattern"].lower()] = check_value(
            row["category"], CATEGORIES, "category", f"{name}:{n}"
        )
    return Rules(
        triggers={k: tuple(v) for k, v in triggers.items()},
        cues={k: tuple(v) for k, v in cues.items()},
        generic_nouns=frozenset(generic),
        generic_categories=generic,
        local_heads=local_heads,
        populations=_words(texts["populations"][0]),
        subject_types=subject_types,
        object_types=object_types,
    )


class WordClasses(dict[str, frozenset[str]]):
    """Word classes by name; a class the file lacks is a one-line error naming the file, not a KeyError."""

    def __missing__(self, name: str) -> frozenset[str]:
        raise DataError(f"no word class {name!r} (the relation frames need it)", where=WORD_CLASSES)


WORD_CLASSES = "word-classes.tsv"
WORD_CLASS_NAME = re.compile(r"[a-z]+(?:-[a-z]+)*")


@functools.lru_cache(maxsize=1)
def word_classes() -> WordClasses:
    """Closed word classes from `ontology/word-classes.tsv`: class name -> words (lower case)."""
    return read_word_classes(ontology_rows(WORD_CLASSES, ("class", "word")))


def read_word_classes(rows: list[tuple[int, dict[str, str]]]) -> WordClasses:
    """Word classes of `word-classes.tsv` rows; a bad row is a one-line error naming its line."""
    classes: dict[str, set[str]] = {}
    for n, row in rows:
        name, word = row["class"].strip(), row["word"].strip()
        if not WORD_CLASS_NAME.fullmatch(name):
            raise DataError(
                f"bad class name {name!r} (lower-case words joined by '-')", where=f"{WORD_CLASSES}:{n}"
            )
        if not word or " " in word:
            raise DataError(f"class {name!r} needs one word, not {word!r}", where=f"{WORD_CLASSES}:{n}")
        classes.setdefault(name, set()).add(word.lower())
    return WordClasses({name: frozenset(words) for name, words in classes.items()})


ORGAN_ADJECTIVES = "organ-adjectives.tsv"


@functools.lru_cache(maxsize=1)
def organ_adjectives() -> dict[str, str]:
    """Modifier -> the organ as MeSH names it in its diseases heading (`ontology/organ-adjectives.tsv`),
    keys normalised as the lexicon's forms are; a row without an organ is a one-line error naming it."""
    table: dict[str, str] = {}
    for n, row in ontology_rows(ORGAN_ADJECTIVES, ("modifier", "organ")):
        modifier, organ = form_key(row["modifier"]), row["organ"].strip().lower()
        if not modifier or not organ:
            raise DataError("a row needs a modifier and an organ", where=f"{ORGAN_ADJECTIVES}:{n}")
        table[modifier] = organ
    return table


@functools.lru_cache(maxsize=1)
def organ_combining_forms() -> dict[str, str]:
    """Modifier -> the organ's combining form in compound names of harm ("hepatic": "hepato"), for the rows
    of `ontology/organ-adjectives.tsv` that give one; keys normalised as the lexicon's forms are."""
    return {
        form_key(row["modifier"]): form.lower()
        for _n, row in ontology_rows(ORGAN_ADJECTIVES, ("modifier", "organ", "combining_form"))
        if (form := row["combining_form"].strip())
    }


DRUG_NAME_STEMS = "drug-name-stems.tsv"


@dataclass(frozen=True)
class DrugStems:
    """INN stems (`ontology/drug-name-stems.tsv`): the endings and beginnings of drugs' names."""

    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...]

    def names_a_drug(self, word: str) -> bool:
        """Whether a word is a drug's name by its stem: it ends (or begins) with one and has at least
        MIN_STEM_REST letters besides ("tocilizumab", not "mab")."""
        word = word.lower()
        return any(
            len(word) - len(stem) >= MIN_STEM_REST and word.endswith(stem) for stem in self.suffixes
        ) or any(len(word) - len(stem) >= MIN_STEM_REST and word.startswith(stem) for stem in self.prefixes)


MIN_STEM_REST = 4  # letters a drug's name has besides its stem


@functools.lru_cache(maxsize=1)
def drug_name_stems() -> DrugStems:
    """The INN stems of `ontology/drug-name-stems.tsv`; a stem without its dash, or with other than letters,
    is a one-line error naming the line."""
    suffixes: list[str] = []
    prefixes: list[str] = []
    for n, row in ontology_rows(DRUG_NAME_STEMS, ("stem", "class")):
        stem = row["stem"].strip().lower()
        if not re.fullmatch(r"-[a-z]+|[a-z]+-", stem):
            raise DataError(
                f"a stem is '-letters' (an ending) or 'letters-' (a beginning), not {stem!r}",
                where=f"{DRUG_NAME_STEMS}:{n}",
            )
        (suffixes if stem.startswith("-") else prefixes).append(stem.strip("-"))
    return DrugStems(tuple(suffixes), tuple(prefixes))


FAMILY_SYMBOLS = "family-symbols.tsv"


@functools.lru_cache(maxsize=1)
def family_symbols() -> dict[str, str]:
    """Family name key -> the symbol prefix of its members (`ontology/family-symbols.tsv`: "cytochrome
    P450" -> "CYP"); a row without both is a one-line error naming its line."""
    table: dict[str, str] = {}
    for n, row in ontology_rows(FAMILY_SYMBOLS, ("family", "prefix")):
        family, prefix = form_key(row["family"]), row["prefix"].strip()
        if not family or not prefix.isalnum():
            raise DataError("a row needs a family name and a symbol prefix", where=f"{FAMILY_SYMBOLS}:{n}")
        table[family] = prefix
    return table
