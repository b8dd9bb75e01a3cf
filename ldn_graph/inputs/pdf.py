"""The text layer of a PDF, page by page, read with pypdf (pure Python).

A document read from a PDF is its pages' text joined by `PAGE_BREAK` (a form feed, as `pdftotext`
separates pages); the Document records where each page starts, so that an evidence offset says its page
(rdf/write.py writes it as `ldn:page`). A PDF without a text layer (scanned pages) has nothing to read: an
error says so, rather than an empty graph. pypdf's own limits on decompressed streams apply while it reads.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from ldn_graph.errors import InputError
from ldn_graph.inputs.streams import MAX_BYTES

PAGE_BREAK = "\f"


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs each repair of a damaged file as a warning; a build prints one line or none."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def pdf_text(data: bytes, *, where: str) -> tuple[list[str], str | None]:
    """The text of each page of a PDF (each ending with a line end), and the title its metadata gives."""
    from pypdf import PdfReader

    pages: list[str] = []
    total = 0
    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError("PDF is encrypted with a password: its text cannot be read", where=where)
            metadata = reader.metadata
            title = metadata.title if metadata is not None else None
            for number, page in enumerate(reader.pages, 1):
                text = (page.extract_text() or "").rstrip()
                text = text + "\n" if text else ""
                total += len(text) + len(PAGE_BREAK)
                if total > MAX_BYTES:
                    raise InputError(
                        f"text layer passes the {MAX_BYTES:,}-character limit on page {number}", where=where
                    )
                pages.append(text)
    except InputError:
        raise
    except RecursionError:
        raise InputError("cannot read PDF: objects nested too deep", where=where) from None
    except Exception as err:  # pypdf raises many kinds on a damaged file: each is one line for the user
        reason = " ".join(str(err).split()) or type(err).__name__
        raise InputError(f"cannot read PDF: {reason}", where=where) from None
    if not any(page.strip() for page in pages):
        raise InputError(
            "PDF has no text layer (scanned pages?): run OCR on it first, e.g. ocrmypdf", where=where
        )
    return pages, title if isinstance(title, str) else None
