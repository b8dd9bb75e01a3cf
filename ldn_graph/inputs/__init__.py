"""Inputs in, `Document`s out: a reader per input format, within streamed size limits.

- `documents.py`: files and folders to Documents (text, Markdown, HTML, PDF, and the collections below)
- `records.py`: many documents per file, PubMed XML and JSON Lines
- `html_text.py`: the visible text of an HTML page; `pdf.py`: the text layer of a PDF, page by page
- `streams.py`: bytes read within limits, checked as they arrive
- `text_checks.py`: a document's text and metadata checked and cleaned as the graph keeps them
"""
