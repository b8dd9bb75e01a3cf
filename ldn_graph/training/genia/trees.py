"""GENIA treebank v1 XML -> phrase-structure trees with the null elements taken out.

A GENIA file is one abstract: `<sentence>` elements holding `<cons cat=.. role=.. syn=.. null=..>` phrases
and `<tok cat=..>` words. The whitespace between elements is the abstract's own spacing, so each word
keeps whether a space followed it. Null elements (`null="NONE"` traces and PRO, `null="T"` wh-traces,
right-node-raising, ...) are dropped from the tree, but what the conversion needs from them is kept on
the phrase that held them: that a VP held an object trace (a passive), and what a wh-phrase's trace was
(subject, object).
"""

from __future__ import annotations

import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ldn_graph.errors import DataError

# GENIA's names for the punctuation and possessive-pronoun tags -> the Penn Treebank tags spaCy uses.
TAG_NAMES = {
    "PERIOD": ".",
    "COMMA": ",",
    "COLON": ":",
    "LRB": "-LRB-",
    "RRB": "-RRB-",
    "LQT": "``",
    "RQT": "''",
    "PRPP": "PRP$",
    "WPP": "WP$",
}
UNPARSED_WORDS = 4  # a top phrase of more bare words than this was left unparsed
PUNCT_TAGS = frozenset({".", ",", ":", "-LRB-", "-RRB-", "``", "''", "HYPH", "NFP"})


@dataclass
class Word:
    """A word of a sentence: its text, PTB tag, whether a space follows, and (once converted) its head
    (index in the sentence, -1 for the root) and ClearNLP label."""

    index: int
    text: str
    tag: str
    space: bool = True
    head: int = -1
    dep: str = ""

    @property
    def is_punct(self) -> bool:
        """Whether the word is punctuation by its tag."""
        return self.tag in PUNCT_TAGS


@dataclass
class Phrase:
    """A phrase (GENIA `cons`) with its null children taken out."""

    cat: str
    children: list[Phrase | Word] = field(default_factory=list)
    role: str = ""  # SBJ, PRD, LGS, DTV, ...
    func: str = ""  # ADV, NOM
    adv: str = ""  # TMP
    coordinated: bool = False  # syn="COOD"
    ident: str = ""
    object_trace: bool = False  # held an NP null element (the object of a passive or reduced relative)
    subject_trace: str = ""  # the ref of a null subject ("" if none or an overt subject)
    null_subject: bool = False  # held a null subject (PRO or trace)
    wh: bool = False  # held a wh-phrase (also a null one): a relative or wh-clause
    traces: dict[str, str] = field(default_factory=dict)  # ref -> "subj" / "obj" / "other", below here


@dataclass
class Sentence:
    """One sentence: its words and its tree(s) (GENIA allows more than one top phrase)."""

    words: list[Word]
    roots: list[Phrase]
    ident: str = ""

    @property
    def annotated(self) -> bool:
        """False for the few sentences GENIA left unparsed: a clause of more than a few bare words."""
        return not any(
            len(r.children) > UNPARSED_WORDS and all(isinstance(k, Word) for k in r.children)
            for r in self.roots
        )


@dataclass
class Abstract:
    """One GENIA file: the PMID and its sentences (title first)."""

    pmid: str
    sentences: list[Sentence]


def read_abstract(text: str, where: str) -> Abstract:
    """Parse one GENIA XML file's text; a `DataError` naming `where` if it is not one."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        raise DataError(f"not well-formed XML: {err}", where=where) from None
    pmid = (root.findtext(".//PMID") or "").strip()
    if not pmid:
        raise DataError("no <PMID>", where=where)
    sentences = [read_sentence(s, f"{where}:{s.get('id', '?')}") for s in root.iter("sentence")]
    if not sentences:
        raise DataError("no <sentence>", where=where)
    return Abstract(pmid, sentences)


def read_sentence(element: ET.Element, where: str) -> Sentence:
    """One `<sentence>` element -> words and phrases (null elements removed)."""
    words: list[Word] = []
    roots: list[Phrase] = []
    for child in element:
        if child.tag != "cons":
            raise DataError(f"unexpected <{child.tag}> directly under <sentence>", where=where)
        phrase = _phrase(child, words, where)
        if child.tail and words and not child.tail.strip():
            words[-1].space = True
        if phrase is not None:
            roots.append(phrase)
    if not words or not roots:
        raise DataError("sentence without words", where=where)
    return Sentence(words, roots, element.get("id", ""))


def _phrase(element: ET.Element, words: list[Word], where: str) -> Phrase | None:
    """Read a `cons`; None for a null element (or a phrase of null elements only)."""
    cat = element.get("cat")
    if not cat:
        raise DataError("<cons> without cat", where=where)
    if element.get("null"):
        return None
    phrase = Phrase(
        cat=cat,
        role=element.get("role", ""),
        func=element.get("func", ""),
        adv=element.get("adv", ""),
        coordinated=element.get("syn") == "COOD",
        ident=element.get("id", ""),
    )
    for child in element:
        if child.tag == "tok":
            tag = child.get("cat")
            text = (child.text or "").strip()
            if not tag or not text:
                raise DataError("<tok> without cat or text", where=where)
            words.append(Word(len(words), text, TAG_NAMES.get(tag, tag), space=False))
            phrase.children.append(words[-1])
        elif child.tag == "cons":
            if child.get("null"):
                _note_null(phrase, child)
            else:
                sub = _phrase(child, words, where)
                if sub is not None:
                    phrase.children.append(sub)
                    phrase.traces.update(sub.traces)
                    phrase.wh = phrase.wh or (cat == "SBAR" and sub.cat.startswith("WH"))
        else:
            raise DataError(f"unexpected <{child.tag}> in <cons>", where=where)
        if child.tail and words and not child.tail.strip():
            words[-1].space = True
    return phrase if phrase.children else None


def _note_null(phrase: Phrase, null: ET.Element) -> None:
    """Keep on `phrase` what its null child tells the conversion."""
    kind, cat, ref = null.get("null", ""), null.get("cat", ""), null.get("ref", "")
    if null.get("role") == "SBJ":
        phrase.null_subject = True
        phrase.subject_trace = ref
        if ref:
            phrase.traces[ref] = "subj"
    elif cat == "NP" and kind in ("NONE", "T"):
        if phrase.cat == "VP":
            phrase.object_trace = True
        if ref:
            phrase.traces[ref] = "obj" if phrase.cat == "VP" else "other"
    elif ref:
        phrase.traces[ref] = "other"
    if cat.startswith("WH") and phrase.cat == "SBAR":
        phrase.wh = True


def read_archive(path: Path) -> Iterator[Abstract]:
    """The abstracts of the GENIA treebank tarball (or a folder of its XML files), in file-name order."""
    if path.is_dir():
        for file in sorted(path.rglob("*.xml")):
            yield read_abstract(file.read_text(encoding="utf-8"), str(file))
        return
    try:
        with tarfile.open(path, "r:*") as archive:
            members = sorted(
                (m for m in archive.getmembers() if m.isfile() and m.name.endswith(".xml")),
                key=lambda m: m.name,
            )
            for member in members:
                data = archive.extractfile(member)
                if data is None:
                    continue
                yield read_abstract(data.read().decode("utf-8"), f"{path}:{member.name}")
    except (OSError, tarfile.TarError) as err:
        raise DataError(f"cannot read the GENIA treebank: {err}", where=str(path)) from None
