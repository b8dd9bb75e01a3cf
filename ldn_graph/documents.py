"""Reading input files into `Document`s: plain text and HTML, with clear errors for what cannot be read."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.model import Document, slugify

SUFFIXES = (".txt", ".html", ".htm")
MAX_BYTES = 20 * 1024 * 1024  # a single document larger than this is almost surely not prose


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Expand folders (recursively) into their .txt/.html files; keep files as given. Sorted, no repeats."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inner = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not inner:
                raise InputError("folder has no .txt or .html files", where=str(path))
            found.extend(inner)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise InputError("not a regular file", where=str(path))
        else:
            raise InputError("no such file or folder", where=str(path))
    unique = list(dict.fromkeys(found))
    return unique


def read_document(path: Path, *, name: str | None = None) -> Document:
    """Read one file as a Document, or raise InputError saying why it cannot be read."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit", where=where)
        data = path.read_bytes()
    except OSError as err:
        raise InputError(err.strerror or "cannot read file", where=where) from None
    return parse_document(
        data, source=name or path.name, where=where, is_html=path.suffix.lower() in (".html", ".htm")
    )


def parse_document(data: bytes, *, source: str, where: str, is_html: bool = False) -> Document:
    """Decode and check raw bytes; `source` names the document in the graph."""
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), expected UTF-8 text", where=where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at line {line})", where=where
        ) from None
    if is_html or _looks_like_html(text):
        text = html_to_text(text)
    if _control_share(text) > 0.05:
        raise InputError("binary file (mostly control characters), expected text", where=where)
    if not text.strip():
        raise InputError("empty document (no text to read)", where=where)
    return Document(
        key=slugify(Path(source).stem),
        text=text,
        source=source,
        title=guess_title(text, fallback=Path(source).stem),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def iter_documents(paths: Iterable[Path]) -> Iterator[Document]:
    """Documents from files and folders, with distinct keys (a repeated name gets a numeric suffix)."""
    seen: dict[str, int] = {}
    for path in find_inputs(paths):
        doc = read_document(path)
        n = seen.get(doc.key, 0)
        seen[doc.key] = n + 1
        if n:
            doc = Document(f"{doc.key}-{n + 1}", doc.text, doc.source, doc.title, doc.sha256)
        yield doc


def guess_title(text: str, *, fallback: str) -> str:
    """The first line that reads like a title: not a navigation crumb, not a byline."""
    for line in text.splitlines()[:12]:
        line = line.strip()
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


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, with block elements on lines of their own."""

    BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "table",
            "section",
            "article",
            "header",
            "footer",
            "title",
            "blockquote",
        ]
    )
    SKIP = frozenset(("script", "style", "noscript", "template", "svg"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document, paragraphs separated by blank lines."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
