"""Reading inputs into `Document`s, with clear errors for what cannot be read.

One document per file: plain text, Markdown (read as text), HTML (its visible text) and PDF (its text
layer, pages joined by form feeds: pdf.py). Many documents per file: PubMed XML (a `PubmedArticleSet`,
as PubMed and its baseline files give it) and JSON Lines (`{"id", "title", "text", ...}` per line;
records.py); either may be gzipped, and both are streamed within the limits of streams.py.

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

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.inputs.html_text import html_to_text, looks_like_html
from ldn_graph.inputs.records import read_jsonl, read_pubmed
from ldn_graph.inputs.streams import MAX_BYTES, read_bounded
from ldn_graph.inputs.text_checks import check_text, clean_field, guess_title, sha256
from ldn_graph.model import Document, slugify

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")  # one document per file
COLLECTION_SUFFIXES = (".xml", ".xml.gz", ".jsonl", ".jsonl.gz")  # many documents per file
SUFFIXES = TEXT_SUFFIXES + COLLECTION_SUFFIXES
MAX_PDF_BYTES = 5 * MAX_BYTES  # a PDF carries fonts and figures besides its text


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
    /etc/passwd`) is left out with a warning. Linked folders are not entered. A folder that cannot be
    listed is passed over, as `os.walk` does. Each entry's kind comes with the listing (`os.scandir`):
    only a link costs a call to the file system, which at 20,000 files is most of the walk's time.
    """
    root = folder.resolve()
    found: list[str] = []
    folders = [str(folder)]
    while folders:  # depth first, subfolders in name order, as os.walk goes
        top = folders.pop()
        try:
            with os.scandir(top) as listing:
                entries = list(listing)
        except OSError:
            continue
        subfolders: list[os.DirEntry[str]] = []
        inputs: list[os.DirEntry[str]] = []
        for entry in entries:
            (subfolders if _is_dir(entry) else inputs).append(entry)
        names = []
        for entry in subfolders:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():  # never entered; one that leads out of the folder is said
                _outside(Path(entry.path), root, on_warning)
                continue
            names.append(entry.name)
        names.sort()
        folders.extend(os.path.join(top, name) for name in reversed(names))
        for entry in inputs:
            name = entry.name
            if name.startswith(".") or not name.lower().endswith(SUFFIXES) or _skipped(name):
                continue
            if entry.is_symlink():
                if _outside(Path(entry.path), root, on_warning) or not Path(entry.path).is_file():
                    continue
            elif not entry.is_file():
                continue
            found.append(entry.path)
    # Sorted as paths are, part by part ("a/b/c" before "a/b-c").
    return [Path(p) for p in sorted(found, key=lambda p: p.split(os.sep))]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


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
    from ldn_graph.inputs.pdf import PAGE_BREAK, pdf_text

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


def iter_documents(paths: Iterable[Path]) -> Iterator[Document]:
    """Documents from files and folders, in order, with distinct keys (`DocumentKeys`)."""
    keys = DocumentKeys()
    for path in find_inputs(paths):
        for doc, where, from_id in read_with_origin(path):
            key = keys.name(doc.key, where, from_id)
            yield doc if key == doc.key else replace(doc, key=key)


class DocumentKeys:
    """The keys of a run's documents, made distinct in the order the documents come.

    A key made from a file name that repeats gets a numeric suffix (`notes`, `notes-2`); a key made from an
    identifier (a PMID, a JSONL id) names one document, so a repeat of it is an error.
    """

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.first: dict[str, str] = {}

    def name(self, key: str, where: str, from_id: bool) -> str:
        """The key of the next document, read from `where` with `key`; InputError for a repeated id."""
        n = self.seen.get(key, 0)
        if n and from_id:
            raise InputError(f"document {key!r} was already read from {self.first[key]}", where=where)
        self.seen[key] = n + 1
        self.first.setdefault(key, where)
        if n:
            key = f"{key}-{n + 1}"
            self.seen[key] = self.seen.get(key, 0) + 1
            self.first.setdefault(key, where)
        return key


def read_documents(path: Path) -> Iterator[Document]:
    """The documents of one file: one for text, Markdown and HTML, many for PubMed XML and JSON Lines."""
    for doc, _, _ in read_with_origin(path):
        yield doc


def read_with_origin(path: Path) -> Iterator[tuple[Document, str, bool]]:
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
