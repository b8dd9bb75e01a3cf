"""Read and write annotated abstracts in PubTator and BioC XML, the formats of BioRED and BC5CDR.

Both formats give a title, an abstract, entity mentions with character offsets into
`title + " " + abstract`, and document-level relations between concept ids. The readers return the
same `AnnotatedDocument`s for the PubTator and the BioC XML versions of a corpus.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ldn_graph.errors import DataError, InputError

# Identifiers that mean "no concept": BC5CDR writes -1, BioRED writes -.
NO_ID = frozenset({"", "-", "-1"})
_TITLE_LINE = re.compile(r"^([^|\t]+)\|([ta])\|(.*)$")
# A `|`-separated id list is a BC5CDR composite only when every piece is a MeSH id: BioRED's tmVar
# variant ids (`p|SUB|E|333|D`) use `|` inside one id.
_MESH_ID = re.compile(r"^(?:MESH:)?[A-Z]\d+$|^-1?$")
_ENTITY_DECL = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[")


@dataclass(frozen=True, order=True)
class Annotation:
    """One entity mention: character offsets into `AnnotatedDocument.text`, type and concept ids."""

    start: int
    end: int
    text: str
    type: str
    ids: tuple[str, ...]


@dataclass(frozen=True, order=True)
class PairRelation:
    """A document-level relation between two concept ids; `novel` is BioRED's Novel/No flag."""

    type: str
    id1: str
    id2: str
    novel: str | None = None


@dataclass
class AnnotatedDocument:
    """A PubMed abstract with its gold (or predicted) mentions and relations."""

    pmid: str
    title: str
    abstract: str
    annotations: list[Annotation] = field(default_factory=list)
    relations: list[PairRelation] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text that annotation offsets count in."""
        return self.title + " " + self.abstract


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (byte {err.start})", where=str(path)) from None
    except OSError as err:
        raise InputError(err.strerror or "cannot read file", where=str(path)) from None


def bare_id(identifier: str) -> str:
    """An id without whitespace or the `MESH:` prefix, so BioRED and BC5CDR ids compare equal."""
    identifier = identifier.strip()
    return identifier[5:] if identifier.upper().startswith("MESH:") else identifier


def split_ids(field_: str) -> tuple[str, ...]:
    """The concept ids of one mention's id column; no-concept markers give ()."""
    ids: list[str] = []
    for part in field_.split(","):
        pieces = part.split("|")
        if len(pieces) > 1 and not all(_MESH_ID.match(p.strip()) for p in pieces):
            pieces = [part]
        ids.extend(bare_id(p) for p in pieces)
    return tuple(dict.fromkeys(i for i in ids if i not in NO_ID))


def read_exclusions(path: str | Path, *, for_file: str | Path | None = None) -> frozenset[str]:
    """The PMIDs of a `pmid<TAB>file` list (optional header, `#` comments).

    With `for_file`, only the rows naming that file (its path ends with the row's file, and a row may
    name several files joined by ` + `); without it, every PMID of the list.
    """
    wanted = Path(for_file).as_posix() if for_file is not None else None
    pmids: set[str] = set()
    for number, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        pmid, _, files = line.partition("\t")
        pmid = pmid.strip()
        if not pmid.isdigit():
            if not pmids and pmid.lower() == "pmid":
                continue  # the header
            raise DataError(f"expected a PMID (digits) in column 1, got {pmid!r}", where=f"{path}:{number}")
        if wanted is None or any(_names(wanted, f.strip()) for f in files.split(" + ")):
            pmids.add(pmid)
    return frozenset(pmids)


def _names(path: str, file: str) -> bool:
    return bool(file) and (path == file or path.endswith("/" + file))


def read_corpus(path: str | Path, exclude: frozenset[str] = frozenset()) -> list[AnnotatedDocument]:
    """Read BioC XML or PubTator, told apart by content (XML starts with `<`)."""
    text = _read_text(path)
    if text.lstrip().startswith("<"):
        return parse_bioc(text, where=str(path), exclude=exclude)
    return parse_pubtator(text, where=str(path), exclude=exclude)


def read_pubtator(path: str | Path, exclude: frozenset[str] = frozenset()) -> list[AnnotatedDocument]:
    """Read a PubTator file, leaving out the documents whose PMID is in `exclude`."""
    return parse_pubtator(_read_text(path), where=str(path), exclude=exclude)


def parse_pubtator(
    text: str, *, where: str, exclude: frozenset[str] = frozenset()
) -> list[AnnotatedDocument]:
    """Parse PubTator text; `where` names it in errors (`where:line`)."""
    docs: list[AnnotatedDocument] = []
    seen: set[str] = set()
    for first, block in _blocks(text.splitlines()):
        doc = _parse_block(block, first, where)
        if doc.pmid in seen:
            raise DataError(f"document {doc.pmid} appears twice", where=f"{where}:{first}")
        seen.add(doc.pmid)
        if doc.pmid not in exclude:
            docs.append(doc)
    return docs


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Blank-line separated groups of lines, each with the line number of its first line."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if line.strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _parse_block(block: list[str], first: int, where: str) -> AnnotatedDocument:
    parts = []
    for offset, kind in enumerate("ta"):
        match = _TITLE_LINE.match(block[offset]) if offset < len(block) else None
        if not match or match[2] != kind:
            name = "title" if kind == "t" else "abstract"
            raise DataError(f"expected the {name} line `PMID|{kind}|...`", where=f"{where}:{first + offset}")
        parts.append(match)
    pmid = parts[0][1]
    if parts[1][1] != pmid:
        raise DataError(f"abstract of {parts[1][1]} follows title of {pmid}", where=f"{where}:{first + 1}")
    doc = AnnotatedDocument(pmid, parts[0][3], parts[1][3])
    for number, line in enumerate(block[2:], first + 2):
        _parse_line(doc, line, f"{where}:{number}")
    return doc


def _parse_line(doc: AnnotatedDocument, line: str, where: str) -> None:
    cols = line.split("\t")
    if cols[0] != doc.pmid:
        raise DataError(f"line of document {cols[0]!r} inside document {doc.pmid}", where=where)
    if len(cols) < 4:
        raise DataError(
            f"expected a mention or relation line, got {len(cols)} tab-separated columns", where=where
        )
    if cols[1].strip().isdigit():
        doc.annotations.append(_mention(cols, len(doc.text), where))
    elif len(cols) > 5:  # a relation line has at most a novelty flag after its two ids
        raise DataError(f"mention start {cols[1]!r} is not an integer", where=where)
    else:
        novel = (cols[4].strip() or None) if len(cols) > 4 else None
        doc.relations.append(PairRelation(cols[1].strip(), bare_id(cols[2]), bare_id(cols[3]), novel))


def _mention(cols: list[str], length: int, where: str) -> Annotation:
    if len(cols) < 5:
        raise DataError("mention line needs PMID, start, end, mention and type", where=where)
    if not cols[2].strip().isdigit():
        raise DataError(f"mention end {cols[2]!r} is not an integer", where=where)
    start, end = int(cols[1]), int(cols[2])
    if not start <= end <= length:
        raise DataError(f"mention offsets {start}-{end} outside the text (length {length})", where=where)
    return Annotation(start, end, cols[3], cols[4].strip(), split_ids(cols[5]) if len(cols) > 5 else ())


def write_pubtator(docs: Iterable[AnnotatedDocument], stream: TextIO) -> None:
    """Write documents as PubTator, readable back by `read_pubtator` (no ids are written as `-`)."""
    for index, doc in enumerate(docs):
        if index:
            stream.write("\n")
        _check_writable(doc)
        stream.write(f"{doc.pmid}|t|{doc.title}\n{doc.pmid}|a|{doc.abstract}\n")
        for a in doc.annotations:
            stream.write(f"{doc.pmid}\t{a.start}\t{a.end}\t{a.text}\t{a.type}\t{','.join(a.ids) or '-'}\n")
        for r in doc.relations:
            novel = f"\t{r.novel}" if r.novel else ""
            stream.write(f"{doc.pmid}\t{r.type}\t{r.id1}\t{r.id2}{novel}\n")


def _check_writable(doc: AnnotatedDocument) -> None:
    # A line break or tab inside a field would silently shift the columns read back.
    fields = [doc.pmid, doc.title, doc.abstract]
    fields += [f for a in doc.annotations for f in (a.text, a.type, *a.ids)]
    fields += [f for r in doc.relations for f in (r.type, r.id1, r.id2, r.novel or "")]
    for value in fields:
        if any(c in value for c in "\t\r\n"):
            raise DataError(
                f"cannot write {value[:40]!r} to PubTator: it has a tab or line break", where=doc.pmid
            )
    if any("," in i for a in doc.annotations for i in a.ids):
        raise DataError("cannot write an id containing ',' to PubTator", where=doc.pmid)


def read_bioc(path: str | Path, exclude: frozenset[str] = frozenset()) -> list[AnnotatedDocument]:
    """Read a BioC XML collection (BioRED's layout), leaving out the PMIDs in `exclude`."""
    return parse_bioc(_read_text(path), where=str(path), exclude=exclude)


def parse_bioc(text: str, *, where: str, exclude: frozenset[str] = frozenset()) -> list[AnnotatedDocument]:
    """Parse BioC XML text; `where` names it in errors.

    A DOCTYPE naming an external DTD (BioRED's `BioC.dtd`) is accepted, since ElementTree never
    fetches it; entity declarations and internal DTD subsets are refused (entity expansion attacks).
    """
    if _ENTITY_DECL.search(text):
        raise DataError("XML with entity declarations or an internal DTD subset is refused", where=where)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line, column = err.position
        reason = str(err.msg).split(": line ")[0]  # expat repeats the position we already give
        raise DataError(f"invalid XML: {reason}", where=f"{where}:{line}:{column}") from None
    if root.tag != "collection":
        raise DataError(f"expected a BioC <collection>, got <{root.tag}>", where=where)
    docs: list[AnnotatedDocument] = []
    seen: set[str] = set()
    for elem in root.iter("document"):
        doc = _bioc_document(elem, where)
        if doc.pmid in seen:
            raise DataError(f"document {doc.pmid} appears twice", where=where)
        seen.add(doc.pmid)
        if doc.pmid not in exclude:
            docs.append(doc)
    return docs


def _infons(elem: ET.Element) -> dict[str, str]:
    return {i.get("key", ""): (i.text or "") for i in elem.findall("infon")}


def _bioc_document(elem: ET.Element, where: str) -> AnnotatedDocument:
    pmid = (elem.findtext("id") or "").strip()
    if not pmid:
        raise DataError("<document> without an <id>", where=where)
    where = f"{where}: document {pmid}"
    passages = elem.findall("passage")
    if not passages:
        raise DataError("document has no passage", where=where)
    title, abstract = _bioc_text(passages, where)
    doc = AnnotatedDocument(pmid, title, abstract)
    for passage in passages:
        for ann in passage.findall("annotation"):
            doc.annotations.append(_bioc_annotation(ann, len(doc.text), where))
    for rel in elem.iter("relation"):
        infons = _infons(rel)
        missing = [k for k in ("type", "entity1", "entity2") if not infons.get(k, "").strip()]
        if missing:
            raise DataError(f"relation {rel.get('id')!r} has no {', '.join(missing)} infon", where=where)
        ids = bare_id(infons["entity1"]), bare_id(infons["entity2"])
        doc.relations.append(PairRelation(infons["type"].strip(), *ids, infons.get("novel") or None))
    return doc


def _bioc_text(passages: list[ET.Element], where: str) -> tuple[str, str]:
    """Title (the first passage) and abstract (the others, laid out at their offsets)."""
    text = ""
    for index, passage in enumerate(passages):
        offset_text = (passage.findtext("offset") or "").strip()
        if not offset_text.isdigit():
            raise DataError(f"passage {index + 1} has no integer <offset>", where=where)
        offset = int(offset_text)
        if offset < len(text):
            raise DataError(f"passage {index + 1} at offset {offset} overlaps the one before", where=where)
        # Offsets are document-wide: pad gaps so mention offsets stay valid in title + " " + abstract.
        text = text.ljust(offset) + (passage.findtext("text") or "")
        if index == 0:
            title = text
    return title, text[len(title) + 1 :]


def _bioc_annotation(ann: ET.Element, length: int, where: str) -> Annotation:
    infons = _infons(ann)
    spans = []
    for loc in ann.findall("location"):
        offset, size = loc.get("offset", ""), loc.get("length", "")
        if not (offset.isdigit() and size.isdigit()):
            raise DataError(f"annotation {ann.get('id')!r} has a non-integer location", where=where)
        spans.append((int(offset), int(offset) + int(size)))
    if not spans:
        raise DataError(f"annotation {ann.get('id')!r} has no location", where=where)
    # A discontinuous mention is kept as the span covering all its pieces.
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    if end > length:
        raise DataError(f"annotation {ann.get('id')!r} ends at {end}, past the text ({length})", where=where)
    ids = split_ids(infons.get("identifier", ""))
    return Annotation(start, end, ann.findtext("text") or "", infons.get("type", "").strip(), ids)
