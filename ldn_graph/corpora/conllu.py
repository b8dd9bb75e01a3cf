"""CoNLL-U gold trees (the GENIA treebank in UD form), and a spaCy model's tagger and parser scored on them.

The reader is spaCy-free; only `score_parser` needs a loaded spaCy pipeline. In the GENIA files column 4
(UPOS) holds PTB tags, not UD ones, so the gold tag is column 5 (XPOS) and column 4 is ignored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_graph.errors import DataError, InputError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.language import Language

# Gold PTB tags counted as punctuation (left out of UAS / LAS without punctuation).
PUNCT_TAGS = frozenset({",", ".", ":", "``", "''", "-LRB-", "-RRB-", "#", "$", "HYPH", "NFP"})
# Components that are not the model's tagger / parser and are not run when scoring.
SKIPPED_PREFIXES = ("ldn_", "bio_")


@dataclass
class Sentence:
    """One gold sentence: words, trailing spaces, PTB tags, 0-based heads (self for the root), labels."""

    words: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    deps: list[str] = field(default_factory=list)


def read_conllu(path: str | Path) -> list[Sentence]:
    """Read a CoNLL-U file into `Sentence`s.

    Comment lines (`#`) are skipped, as are multiword-token lines (`1-2`) and empty nodes (`1.1`).
    SpaceAfter=No in the MISC column makes a word's space False; otherwise True, except the last word's.
    Raises `DataError` naming `path:line` for a wrong column count, a non-integer id or head, or a head
    out of range.
    """
    sentences: list[Sentence] = []
    rows: list[tuple[int, list[str]]] = []  # (line number, columns) of the current sentence

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(
            f"cannot read CoNLL-U file: {getattr(err, 'strerror', None) or err}", where=str(path)
        ) from None
    lines = text.splitlines(keepends=True)
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if rows:
                sentences.append(_sentence(path, rows))
                rows = []
            continue
        if line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 10:
            raise DataError(
                f"expected 10 tab-separated columns, found {len(columns)}", where=f"{path}:{number}"
            )
        if "-" in columns[0] or "." in columns[0]:
            continue  # multiword token or empty node
        rows.append((number, columns))
    if rows:
        sentences.append(_sentence(path, rows))
    return sentences


def _sentence(path: str | Path, rows: list[tuple[int, list[str]]]) -> Sentence:
    """Build one sentence from its word rows, checking ids and heads."""
    sentence = Sentence()
    n = len(rows)
    for position, (number, columns) in enumerate(rows):
        where = f"{path}:{number}"
        try:
            word_id = int(columns[0])
        except ValueError:
            raise DataError(f"word id {columns[0]!r} is not an integer", where=where) from None
        if word_id != position + 1:
            raise DataError(f"word id {word_id} out of sequence (expected {position + 1})", where=where)
        try:
            head = int(columns[6])
        except ValueError:
            raise DataError(f"head {columns[6]!r} is not an integer", where=where) from None
        if not 0 <= head <= n:
            raise DataError(f"head {head} out of range (the sentence has {n} words)", where=where)
        misc = columns[9].split("|")
        sentence.words.append(columns[1])
        sentence.spaces.append("SpaceAfter=No" not in misc and position < n - 1)
        sentence.tags.append(columns[4])
        sentence.heads.append(position if head == 0 else head - 1)
        sentence.deps.append(columns[7])
    return sentence


def is_punct(word: str, tag: str) -> bool:
    """Whether a gold token counts as punctuation: a punctuation PTB tag, or a word of punctuation only."""
    return tag in PUNCT_TAGS or (bool(word) and all(unicodedata.category(c).startswith("P") for c in word))


def _label(dep: str) -> str:
    """A dependency label as compared: lowercased, with spaCy's `ROOT` as UD's `root`."""
    return "root" if dep == "ROOT" else dep.lower()


def score_parser(nlp: Language, sentences: Iterable[Sentence]) -> dict[str, Any]:
    """Score a spaCy model's tagger and parser on gold sentences, with the gold tokenization.

    Each sentence becomes `Doc(nlp.vocab, words=..., spaces=...)` and goes through the pipeline's
    components in order, except `ner` and our own (`ldn_*`, `bio_*`). Returned figures (fractions):

    - `tag_acc`: token.tag_ equal to the gold XPOS, over all tokens;
    - `uas`: head right, over tokens that are not punctuation (see `is_punct`);
    - `las`: head right and label right, the labels compared after lowercasing (spaCy's `ROOT` read as
      `root`) and with no other mapping, over tokens that are not punctuation;
    - `uas_with_punct`, `las_with_punct`: the same over all tokens.

    LAS is labelled, labels compared after lowercasing: spaCy's English models use ClearNLP-style labels
    (prep, pobj, ...) where GENIA-UD uses UD v1 ones (case, nmod, ...), so LAS counts only the labels the
    two schemes share, and is not comparable with a parser trained on UD.
    """
    from spacy.tokens import Doc

    components = [
        proc for name, proc in nlp.pipeline if name != "ner" and not name.startswith(SKIPPED_PREFIXES)
    ]
    n_sentences = tokens = tag_right = 0
    scored = uas = las = 0  # without punctuation
    uas_all = las_all = 0
    for sentence in sentences:
        doc = Doc(nlp.vocab, words=sentence.words, spaces=sentence.spaces)
        for proc in components:
            doc = proc(doc)
        n_sentences += 1
        for token, word, tag, head, dep in zip(
            doc, sentence.words, sentence.tags, sentence.heads, sentence.deps, strict=True
        ):
            tokens += 1
            tag_right += token.tag_ == tag
            head_right = token.head.i == head
            both_right = head_right and _label(token.dep_) == _label(dep)
            uas_all += head_right
            las_all += both_right
            if not is_punct(word, tag):
                scored += 1
                uas += head_right
                las += both_right

    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    return {
        "sentences": n_sentences,
        "tokens": tokens,
        "tag_acc": ratio(tag_right, tokens),
        "uas": ratio(uas, scored),
        "las": ratio(las, scored),
        "uas_with_punct": ratio(uas_all, tokens),
        "las_with_punct": ratio(las_all, tokens),
    }
