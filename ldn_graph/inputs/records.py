"""Many documents per file: PubMed XML (a `PubmedArticleSet`) and JSON Lines (`{"id", "title", "text", ...}`
per line), either gzipped or not, streamed within the limits of streams.py.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.inputs.streams import CHUNK, MAX_BYTES, MAX_ID_CHARS, MAX_URL_CHARS, BoundedStream
from ldn_graph.inputs.text_checks import check_text, clean_field, guess_title, sha256
from ldn_graph.model import Document, slugify
from ldn_graph.namespaces import is_web_iri


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
