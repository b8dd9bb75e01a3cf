"""Reading inputs into `Document`s, with clear errors for what cannot be read.

One document per file: plain text, Markdown (read as text), HTML (its visible text) and PDF (its text
layer, pages joined by form feeds: ldn_graph/pdf.py). Many documents per file: PubMed XML (a
`PubmedArticleSet`, as PubMed and its baseline files give it) and JSON Lines (`{"id", "title", "text",
...}` per line); either may be gzipped, and both are streamed within the limits of ldn_graph/streams.py.

A document's text is the text read: the file's characters for text and Markdown, the visible text of an
HTML page, the text layer of a PDF, the abstract of a PubMed record. Evidence offsets index that text, and
the graph keeps it (`ldn:text`, docs/data-model.md), so that every offset resolves. Control characters
other than tab, line feed, form feed and carriage return are replaced by spaces as the text is read: one
character for one, so offsets into the cleaned text are offsets into the decoded input too, and no NUL or
escape code reaches the graph or an export. Metadata (titles, names) have them removed with the rest of
their extra whitespace.

A folder is searched for these files, leaving out hidden ones, the files a folder usually carries besides
its papers (README, LICENSE, CHANGELOG...: ontology/skipped-input-names.txt; read when named on their own)
and links that lead out of the folder (a warning says which).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.html_text import html_to_text, looks_like_html
from ldn_graph.model import Document, slugify
from ldn_graph.namespaces import is_web_iri
from ldn_graph.streams import CHUNK, MAX_BYTES, MAX_ID_CHARS, MAX_URL_CHARS, BoundedStream, read_bounded

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")  # one document per file
COLLECTION_SUFFIXES = (".xml", ".xml.gz", ".jsonl", ".jsonl.gz")  # many documents per file
SUFFIXES = TEXT_SUFFIXES + COLLECTION_SUFFIXES
MAX_PDF_BYTES = 5 * MAX_BYTES  # a PDF carries fonts and figures besides its text
# Control characters a document's text may not hold (all but tab, line feed, form feed, carriage return).
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile("[\ud800-\udfff]")


def input_kind(path: Path) -> str:
    """How a file is read, from its name: "pubmed", "jsonl", "html", "pdf" or "text" (anything else)."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".xml"):
        return "pubmed"
    if name.endswith(".jsonl"):
        return "jsonl"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith(".pdf"):
        return "pdf"
    return "text"


def warn(message: str) -> None:
    """The command line's warning: one line on stderr."""
    print(f"ldn-graph: warning: {message}", file=sys.stderr, flush=True)


def find_inputs(paths: Iterable[Path], *, on_warning: Callable[[str], None] = warn) -> list[Path]:
    """Expand folders (recursively) into their readable files; keep files as given. Sorted, no repeats.

    In a folder, hidden files and folders, README/LICENSE-like files and links that lead out of the folder
    are left out (the last with a warning through `on_warning`)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inner = folder_inputs(path, on_warning)
            if not inner:
                raise InputError(
                    "folder has no .txt, .md, .html, .pdf, .xml or .jsonl files", where=str(path)
                )
            found.extend(inner)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise InputError("not a regular file", where=str(path))
        else:
            raise InputError("no such file or folder", where=str(path))
    unique = list(dict.fromkeys(found))
    return unique


@lru_cache(maxsize=1)
def skipped_names() -> frozenset[str]:
    """File names (without extension, upper case) a folder carries besides its papers."""
    text = files("ldn_graph.ontology").joinpath("skipped-input-names.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().upper() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def folder_inputs(folder: Path, on_warning: Callable[[str], None] = warn) -> list[Path]:
    """The files of a folder (and its subfolders) that are read as inputs, sorted.

    Links are followed only when they lead to a place inside the folder; a link out of it (`notes.txt ->
    /etc/passwd`) is left out with a warning. Linked folders are not entered.
    """
    root = folder.resolve()
    found: list[Path] = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not _outside(Path(top, d), root, on_warning)
        )
        for name in names:
            path = Path(top, name)
            if name.startswith(".") or not name.lower().endswith(SUFFIXES) or _skipped(name):
                continue
            if not _outside(path, root, on_warning) and path.is_file():
                found.append(path)
    return sorted(found)


def _skipped(name: str) -> bool:
    stem = name.split(".", 1)[0].upper().replace("-", "_")
    return stem in skipped_names()


def _outside(path: Path, root: Path, on_warning: Callable[[str], None]) -> bool:
    """True (with a warning) when `path` is a link that leads out of `root`; a link inside it is followed."""
    if not path.is_symlink():
        return False
    target = path.resolve()
    if target == root or root in target.parents:
        return False
    on_warning(f"{path}: a link to {target}, outside the folder {root}; not read")
    return True


def read_document(path: Path, *, name: str | None = None) -> Document:
    """Read one file as a Document, or raise InputError saying why it cannot be read."""
    kind = input_kind(path)
    data = read_bounded(path, MAX_PDF_BYTES if kind == "pdf" else MAX_BYTES)
    source, where = name or path.name, str(path)
    if kind == "pdf":
        return pdf_document(data, source=source, where=where)
    return parse_document(data, source=source, where=where, is_html=kind == "html")


def parse_document(data: bytes, *, source: str, where: str, is_html: bool = False) -> Document:
    """Decode and check raw bytes; `source` names the document in the graph."""
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), expected UTF-8 text", where=where)
    if data.startswith(b"%PDF-"):
        raise InputError("a PDF file: name it .pdf to read its text layer", where=where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at line {line})", where=where
        ) from None
    if is_html or looks_like_html(text):
        text = html_to_text(text)
    text = check_text(text, where=where)
    stem = Path(source).stem
    return Document(
        key=slugify(stem),
        text=text,
        source=source,
        title=guess_title(text, fallback=stem),
        sha256=sha256(text),
    )


def pdf_document(data: bytes, *, source: str, where: str) -> Document:
    """The text layer of a PDF as a Document: pages joined by form feeds, where each page starts kept."""
    from ldn_graph.pdf import PAGE_BREAK, pdf_text

    pages, title = pdf_text(data, where=where)
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + len(PAGE_BREAK)
    text = check_text(PAGE_BREAK.join(pages), where=where)
    stem = Path(source).stem
    return Document(
        key=slugify(stem),
        text=text,
        source=source,
        title=clean_field(title or "") or guess_title(text, fallback=stem),
        sha256=sha256(text),
        pages=tuple(starts),
    )


def check_text(text: str, *, where: str) -> str:
    """The text of a document as the graph keeps it, or InputError when it is not prose to read (control
    characters, empty, oversize, not Unicode). Other control characters become spaces (offsets hold)."""
    if _control_share(text) > 0.05:
        raise InputError("binary file (mostly control characters), expected text", where=where)
    if not text.strip():
        raise InputError("empty document (no text to read)", where=where)
    if len(text) > MAX_BYTES:
        raise InputError(f"document has {len(text):,} characters, over the {MAX_BYTES:,} limit", where=where)
    bad = SURROGATE.search(text)
    if bad:
        raise InputError(
            f"text holds a lone surrogate (U+{ord(bad.group()):04X}) at character {bad.start()}, "
            "which is not Unicode text",
            where=where,
        )
    return CONTROL.sub(" ", text)


def clean_field(value: str) -> str:
    """A metadata value (title, name) on one line: control characters and extra whitespace removed."""
    return " ".join(CONTROL.sub(" ", SURROGATE.sub("\ufffd", value)).split())


def sha256(text: str) -> str:
    """The content hash of a document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iter_documents(paths: Iterable[Path]) -> Iterator[Document]:
    """Documents from files and folders, in order, with distinct keys.

    A key made from a file name that repeats gets a numeric suffix (`notes`, `notes-2`); a key made from an
    identifier (a PMID, a JSONL id) names one document, so a repeat of it is an error.
    """
    seen: dict[str, int] = {}
    first: dict[str, str] = {}
    for path in find_inputs(paths):
        for doc, where, from_id in _read_with_origin(path):
            n = seen.get(doc.key, 0)
            if n and from_id:
                raise InputError(f"document {doc.key!r} was already read from {first[doc.key]}", where=where)
            seen[doc.key] = n + 1
            first.setdefault(doc.key, where)
            if n:
                doc = replace(doc, key=f"{doc.key}-{n + 1}")
                seen[doc.key] = seen.get(doc.key, 0) + 1
                first.setdefault(doc.key, where)
            yield doc


def read_documents(path: Path) -> Iterator[Document]:
    """The documents of one file: one for text, Markdown and HTML, many for PubMed XML and JSON Lines."""
    for doc, _, _ in _read_with_origin(path):
        yield doc


def _read_with_origin(path: Path) -> Iterator[tuple[Document, str, bool]]:
    """(document, where it was read, whether its key comes from an identifier) for each document of a file."""
    kind = input_kind(path)
    if kind == "pubmed":
        for doc, where in read_pubmed(path):
            yield doc, where, True
    elif kind == "jsonl":
        for doc, where in read_jsonl(path):
            yield doc, where, True
    else:
        yield read_document(path), str(path), False


# -- PubMed XML ---------------------------------------------------------------------------------------------


def read_pubmed(path: Path) -> Iterator[tuple[Document, str]]:
    """Each `PubmedArticle` of a `PubmedArticleSet` file as a Document keyed `pmid-<PMID>`, streamed.

    The text is the title, then each abstract section on its own paragraph, a labelled one as
    "BACKGROUND: ...". An article with neither title nor abstract has nothing to read and is skipped. An
    article is held to the document size limit as its bytes arrive: one that goes on past it is refused
    before it fills memory.
    """
    where = str(path)
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    state = _PubmedState(path)
    try:
        with BoundedStream(path) as stream:
            while chunk := stream.read(CHUNK):
                parser.feed(chunk)
                yield from state.articles(parser.read_events())
                state.boundary_at(stream.read_bytes)
                if stream.read_bytes - state.boundary > MAX_BYTES:
                    raise InputError(
                        f"PubmedArticle {state.count + 1} runs past the {MAX_BYTES:,}-byte document limit",
                        where=where,
                    )
            parser.close()
            yield from state.articles(parser.read_events())
    except ET.ParseError as err:
        line, column = err.position
        reason = re.sub(r":? line \d+, column \d+$", "", str(err))
        raise InputError(f"invalid XML at line {line}, column {column}: {reason}", where=where) from None
    except RecursionError:
        raise InputError("XML nested too deep to read", where=where) from None
    if state.root is None:
        raise InputError("empty XML file", where=where)


class _PubmedState:
    """What `read_pubmed` knows between two pieces of a file: the root, the articles read, and how many
    bytes had been read when the last child of the root ended (text, an article: all that the parser holds
    in memory until then)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.depth = 0
        self.root: ET.Element | None = None
        self.count = 0
        self.boundary = 0
        self._ended = False

    def boundary_at(self, read_bytes: int) -> None:
        """Called after each piece: a child of the root that ended in it moves the boundary to its end."""
        if self._ended or self.root is None:
            self.boundary = read_bytes
            self._ended = False

    def articles(self, events: Iterator[Any]) -> Iterator[tuple[Document, str]]:
        where = str(self.path)
        for event, elem in events:
            if event == "start":
                self.depth += 1
                if self.depth == 1:
                    self.root = elem
                    if elem.tag != "PubmedArticleSet":
                        raise InputError(
                            f"XML root is <{elem.tag}>, expected <PubmedArticleSet> (PubMed XML)", where=where
                        )
                continue
            self.depth -= 1
            if self.depth != 1 or self.root is None:  # only complete children of the root are read
                continue
            self._ended = True
            if elem.tag == "PubmedArticle":
                self.count += 1
                doc = pubmed_article(
                    elem, source=self.path.name, where=f"{where}: PubmedArticle {self.count}"
                )
                if doc is not None:
                    yield doc, f"{where}: PMID {doc.pmid}"
            self.root.clear()  # what was read is dropped: memory stays flat on baseline-size files


def pubmed_article(elem: ET.Element, *, source: str, where: str) -> Document | None:
    """One `PubmedArticle` element as a Document; None when it has no text."""
    citation = elem.find("MedlineCitation")
    pmid = _flat(citation.find("PMID")) if citation is not None else ""
    if not pmid:
        raise InputError("no MedlineCitation/PMID", where=where)
    check_identifier(pmid, "MedlineCitation/PMID", where)
    if not pmid.isascii() or not pmid.isdigit():
        raise InputError(f"MedlineCitation/PMID is not a PubMed id (digits): {pmid!r}", where=where)
    article = citation.find("Article") if citation is not None else None
    if article is None:
        raise InputError(f"PMID {pmid} has no MedlineCitation/Article", where=where)
    title = _flat(article.find("ArticleTitle")) or _flat(article.find("VernacularTitle"))
    sections = []
    for part in article.iterfind("Abstract/AbstractText"):
        body = _flat(part)
        if body:
            label = (part.get("Label") or "").strip()
            sections.append(f"{label}: {body}" if label else body)
    if not title and not sections:
        return None
    text = "\n\n".join([title, *sections] if title else sections) + "\n"
    text = check_text(text, where=f"{where} (PMID {pmid})")
    journal = _flat(article.find("Journal/Title")) or _flat(article.find("Journal/ISOAbbreviation"))
    return Document(
        key=f"pmid-{slugify(pmid)}",
        text=text,
        source=source,
        title=title or guess_title(text, fallback=f"PMID {pmid}"),
        sha256=sha256(text),
        pmid=pmid,
        doi=_pubmed_doi(elem, article),
        year=_pubmed_year(article),
        journal=journal or None,
        authors=_pubmed_authors(article),
        url=pubmed_url(pmid),
    )


def _flat(elem: ET.Element | None) -> str:
    """All the text inside an element (inline markup such as <i> or <sup> dropped), spaces normalised."""
    if elem is None:
        return ""
    return clean_field("".join(elem.itertext()))


# Where the year is: the date, else a MedlineDate ("1998 Dec-1999 Jan"), else the e-publication's.
PUBMED_YEARS = (
    "Journal/JournalIssue/PubDate/Year",
    "Journal/JournalIssue/PubDate/MedlineDate",
    "ArticleDate/Year",
)


def _pubmed_year(article: ET.Element) -> int | None:
    for path in PUBMED_YEARS:
        found = re.search(r"\b(1[89]|20)\d\d\b", _flat(article.find(path)))
        if found:
            return int(found.group())
    return None


def _pubmed_doi(elem: ET.Element, article: ET.Element) -> str | None:
    """The article's DOI, when PubMed gives one that reads as a DOI (a malformed one is left out)."""
    found = [
        _flat(n) for n in elem.iterfind("PubmedData/ArticleIdList/ArticleId") if n.get("IdType") == "doi"
    ]
    found += [_flat(n) for n in article.iterfind("ELocationID") if n.get("EIdType") == "doi"]
    for value in found:
        doi = DOI_PREFIX.sub("", value)
        if len(doi) <= MAX_ID_CHARS and DOI.fullmatch(doi):
            return doi
    return None


def _pubmed_authors(article: ET.Element) -> tuple[str, ...] | None:
    names = []
    for author in article.iterfind("AuthorList/Author"):
        if author.get("ValidYN") == "N":
            continue
        last, initials = _flat(author.find("LastName")), _flat(author.find("Initials"))
        name = f"{last} {initials}".strip() if last else _flat(author.find("CollectiveName"))
        if name:
            names.append(name)
    return tuple(names) or None


# -- JSON Lines ---------------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> Iterator[tuple[Document, str]]:
    """One Document per non-blank line `{"id", "text", "title"?, ...}`, keyed by the slug of its id.

    Optional metadata keys: pmid, doi, year, journal, authors (a list of names), url; other keys are
    ignored. A record with a PMID and no url gets its PubMed page. A line that is not such an object, or
    is longer than a document may be, is an error naming its line.
    """
    limit = MAX_BYTES + MAX_BYTES // 4  # the text at its longest, and room for the metadata
    with BoundedStream(path) as stream:
        number = 0
        while raw := stream.readline(limit + 1):
            number += 1
            where = f"{path}: line {number}"
            if len(raw) > limit:
                raise InputError(f"line is over {limit:,} bytes, longer than a document may be", where=where)
            if raw.strip():
                yield jsonl_record(raw, source=path.name, where=where), where


def jsonl_record(raw: bytes, *, source: str, where: str) -> Document:
    """One JSON Lines record as a Document, or InputError saying what is wrong with it."""
    try:
        line = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 (byte 0x{raw[err.start]:02x})", where=where) from None
    try:
        record = json.loads(line.rstrip("\r\n"))  # a column past the end, not "line 2, column 1"
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON ({err.msg} at column {err.colno})", where=where) from None
    except RecursionError:
        raise InputError("JSON nested too deep to read", where=where) from None
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", where=where)
    ident = record.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int) or not str(ident).strip():
        raise InputError('"id" is missing or not a string or number', where=where)
    check_identifier(str(ident), '"id"', where)
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError('"text" is missing or not a string', where=where)
    text = check_text(text, where=where)
    title = _optional_str(record, "title", where) or guess_title(text, fallback=clean_field(str(ident)))
    pmid = _optional_pmid(record, where)
    url = _optional_url(record, where)
    return Document(
        key=slugify(str(ident)),
        text=text,
        source=source,
        title=title,
        sha256=sha256(text),
        pmid=pmid,
        doi=_optional_doi(record, where),
        year=_optional_year(record, where),
        journal=_optional_str(record, "journal", where),
        authors=_optional_authors(record, where),
        url=url or (pubmed_url(pmid) if pmid else None),
    )


def pubmed_url(pmid: str) -> str:
    """The PubMed page of a PMID."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def check_identifier(value: str, what: str, where: str, limit: int = MAX_ID_CHARS) -> None:
    """An identifier becomes an IRI and a file name: one longer than `limit` characters is refused."""
    if len(value) > limit:
        raise InputError(
            f"{what} is {len(value):,} characters long, over the {limit:,}-character limit", where=where
        )


def _optional_str(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f'"{key}" must be a string, got {type(value).__name__}', where=where)
    return clean_field(value) or None


# Identifiers as the graph writes them: a PubMed id is digits ("PMID:123" is read as 123), a DOI is bare
# ("10.1000/xyz"; a doi: prefix or a doi.org address is taken off), a page is an http(s) address that is
# also an IRI (`namespaces.is_web_iri`). Anything else is an error here, before the store is touched,
# not a SHACL failure later.
PMID_PREFIX = re.compile(r"(?i)^pmid:\s*")
DOI_PREFIX = re.compile(r"(?i)^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)")
DOI = re.compile(r"10\.[^\s/]+/\S+")


def _optional_pmid(record: dict[str, Any], where: str) -> str | None:
    value = record.get("pmid")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError('"pmid" must be a string or number', where=where)
    pmid = PMID_PREFIX.sub("", str(value).strip())
    check_identifier(pmid, '"pmid"', where)
    if not pmid.isascii() or not pmid.isdigit():
        raise InputError(f'"pmid" must be a PubMed id (digits), got {json.dumps(value)}', where=where)
    return pmid


def _optional_doi(record: dict[str, Any], where: str) -> str | None:
    value = _optional_str(record, "doi", where)
    if value is None:
        return None
    doi = DOI_PREFIX.sub("", value)
    check_identifier(doi, '"doi"', where)
    if not DOI.fullmatch(doi):
        raise InputError(f'"doi" must be a DOI (10.prefix/suffix), got {json.dumps(value)}', where=where)
    return doi


def _optional_url(record: dict[str, Any], where: str) -> str | None:
    value = _optional_str(record, "url", where)
    if value is not None:
        check_identifier(value, '"url"', where, MAX_URL_CHARS)
    if value is not None and not is_web_iri(value):
        raise InputError(f'"url" must be an http(s) address, got {json.dumps(value)}', where=where)
    return value


def _optional_year(record: dict[str, Any], where: str) -> int | None:
    value = record.get("year")
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return value
    raise InputError(f'"year" must be a four-digit year, got {json.dumps(value)}', where=where)


def _optional_authors(record: dict[str, Any], where: str) -> tuple[str, ...] | None:
    value = record.get("authors")
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise InputError('"authors" must be a list of names', where=where)
    names = tuple(clean_field(name) for name in value if clean_field(name))
    return names or None


def guess_title(text: str, *, fallback: str) -> str:
    """The first line that reads like a title: not a navigation crumb, not a byline."""
    for line in text.splitlines()[:12]:
        line = line.strip().lstrip("#").strip()  # a Markdown heading
        words = line.split()
        if len(words) < 2 or line.lower().startswith(("by ", "return to", "home", "posted")):
            continue
        if len(line) <= 200 and not line.endswith((".", "?")):
            return line
    return fallback


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bad / len(sample)
