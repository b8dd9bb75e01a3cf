"""A PDF paper and an HTML paper built into the graph: every evidence offset slices the kept text
(`ldn:text`) to its sentence, and a PDF's evidence says its page."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, URIRef

from ldn_graph.cli import main
from ldn_graph.namespaces import LDN, OA
from ldn_graph.store.catalog import load_graph
from tests.pdf_fixture import make_pdf

PAGE_ONE = ["Low-dose naltrexone in chronic pain", "Naloxone blocks the mu-opioid receptor in microglia."]
PAGE_TWO = ["Results", "In a pilot study, naltrexone may treat fibromyalgia (in women)."]
HTML = """<!DOCTYPE html><html><head><title>LDN notes</title><style>p { color: red }</style>
<script>var naloxone = "blocks";</script></head><body><nav><a href="/">Home</a></nav>
<h1>Low-dose naltrexone &amp; pain</h1>
<p>Naloxone blocks the <i>mu-opioid</i> receptor.</p>
<p>In a pilot study, naltrexone may treat fibromyalgia &mdash; in women.</p></body></html>
"""


def _evidence(ds: Dataset) -> list[tuple[str, int, int, str, int | None]]:
    """(document text, start, end, quoted sentence, page) of every evidence of the graph."""
    rows = []
    for target in set(ds.subjects(OA.hasSource, None)):
        doc = ds.value(target, OA.hasSource)
        text = str(ds.value(doc, LDN.text))
        start = end = exact = None
        for selector in ds.objects(target, OA.hasSelector):
            if ds.value(selector, OA.start) is not None:
                start, end = int(ds.value(selector, OA.start)), int(ds.value(selector, OA.end))
            else:
                exact = str(ds.value(selector, OA.exact))
        page = ds.value(target, LDN.page)
        assert start is not None and end is not None and exact is not None
        rows.append((text, start, end, exact, None if page is None else int(page)))
    return rows


def _build(tmp_path: Path, name: str, data: bytes) -> Dataset:
    paper = tmp_path / name
    paper.write_bytes(data)
    assert main(["build", str(paper), "-q", "-o", str(tmp_path / "out")]) == 0
    return load_graph(tmp_path / "out" / "graph.trig")


def test_input_papers_pdf_offsets_slice_to_sentences_with_pages(tmp_path):
    ds = _build(tmp_path, "paper.pdf", make_pdf([PAGE_ONE, PAGE_TWO], title="LDN pilot"))
    doc = URIRef("https://w3id.org/ldn-graph/doc/paper")
    assert str(ds.value(doc, URIRef("http://purl.org/dc/terms/title"))) == "LDN pilot"
    text = str(ds.value(doc, LDN.text))
    assert text == "\n".join(PAGE_ONE) + "\n\f" + "\n".join(PAGE_TWO) + "\n"  # pages joined by a form feed
    evidence = _evidence(ds)
    assert evidence, "no relation read from the PDF"
    pages = set()
    for kept, start, end, exact, page in evidence:
        assert kept[start:end] == exact  # every offset resolves in the kept text
        assert page == (1 if start < text.index("\f") else 2)
        pages.add(page)
    assert pages == {1, 2}  # one relation read on each page


def test_input_papers_html_offsets_slice_the_visible_text(tmp_path):
    ds = _build(tmp_path, "notes.html", HTML.encode("utf-8"))
    text = str(ds.value(URIRef("https://w3id.org/ldn-graph/doc/notes"), LDN.text))
    # The text kept is the visible text read, not the markup: offsets index it.
    assert "<" not in text and "var naloxone" not in text and "&amp;" not in text
    evidence = _evidence(ds)
    assert len(evidence) >= 2
    for kept, start, end, exact, page in evidence:
        assert kept == text and kept[start:end] == exact and page is None
    sentences = {exact.strip() for *_, exact, _ in evidence}
    assert "Naloxone blocks the mu-opioid receptor." in sentences
