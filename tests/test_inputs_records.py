"""Reading collections: PubMed XML and JSON Lines into Documents with metadata; bad records named by line."""

from __future__ import annotations

import gzip
import shutil

import pytest

from ldn_graph.errors import InputError
from ldn_graph.inputs.documents import find_inputs, input_kind, iter_documents, read_documents
from tests.conftest import ROOT

INPUTS = ROOT / "tests" / "data" / "inputs"
PUBMED = INPUTS / "pubmed-sample.xml"
JSONL = INPUTS / "abstracts.jsonl"


def test_inputs_pubmed_articles_become_documents():
    docs = list(read_documents(PUBMED))
    assert [d.key for d in docs] == ["pmid-90000001", "pmid-90000002", "pmid-90000003"]
    first = docs[0]
    # Title first, then each section on a paragraph of its own behind its label; inline <i> kept as text.
    assert first.text == (
        "Low-dose naltrexone for fibromyalgia: a pilot trial.\n\n"
        "BACKGROUND: Fibromyalgia is a chronic pain disorder. "
        "Low-dose naltrexone (LDN) inhibits microglia.\n\n"
        "RESULTS: LDN reduced pain by 30% compared with placebo.\n\n"
        "CONCLUSIONS: LDN may treat fibromyalgia.\n"
    )
    assert first.title == "Low-dose naltrexone for fibromyalgia: a pilot trial."
    assert first.source == "pubmed-sample.xml"
    assert len(first.sha256) == 64


def test_inputs_pubmed_metadata():
    first, second, third = read_documents(PUBMED)
    assert (first.pmid, first.year, first.journal) == ("90000001", 2021, "Journal of Pain Research Fixtures")
    assert first.doi == "10.0000/fixture.0001"
    # The withdrawn author (ValidYN="N") is left out; a collective name is kept.
    assert first.authors == ("Fixture AB", "LDN Fixture Study Group")
    assert first.url == "https://pubmed.ncbi.nlm.nih.gov/90000001/"
    # A MedlineDate gives its first year; a journal without full title gives its abbreviation.
    assert (second.year, second.journal, second.authors, second.doi) == (1998, "Fixt Neurol", None, None)
    # No issue year: the electronic publication's. No abstract: the title alone is the text.
    assert (third.year, third.text) == (2019, "Microglia and Toll-like receptor 4 in chronic pain.\n")


def test_inputs_pubmed_gzipped_and_in_folders(tmp_path):
    # Baseline files come gzipped; folders are searched for collections too.
    (tmp_path / "sub").mkdir()
    with PUBMED.open("rb") as src, gzip.open(tmp_path / "sub" / "pubmed.xml.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.copy(JSONL, tmp_path / "abstracts.jsonl")
    assert [p.name for p in find_inputs([tmp_path])] == ["abstracts.jsonl", "pubmed.xml.gz"]
    keys = [d.key for d in iter_documents([tmp_path])]
    assert keys == ["pmid-90000011", "12", "note-3", "pmid-90000001", "pmid-90000002", "pmid-90000003"]


def test_inputs_jsonl_records():
    first, second, third = read_documents(JSONL)
    # The key is the slug of the id; unknown keys ("mesh") are ignored.
    assert (first.key, first.title, first.pmid, first.year) == (
        "pmid-90000011",
        "Naltrexone and microglia",
        "90000011",
        2020,
    )
    assert first.authors == ("Fixture AB", "Example C")
    assert (first.journal, first.doi, first.url) == (
        "Fixture Journal",
        "10.0000/fixture.0011",
        "https://example.org/a/11",
    )
    # A numeric id, a year as a string, no title: the title falls back to the id.
    assert (second.key, second.year, second.title, second.pmid) == ("12", 2018, "12", None)
    assert third.text == "Enkephalin binds the delta opioid receptor."
    assert all(d.source == "abstracts.jsonl" for d in (first, second, third))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "text": "x."', "line 2: not valid JSON (Expecting ',' delimiter at column 25)"),
        ('["a", "b"]', "line 2: expected a JSON object, got list"),
        ('{"text": "No id."}', 'line 2: "id" is missing or not a string or number'),
        ('{"id": true, "text": "Bool id."}', 'line 2: "id" is missing or not a string or number'),
        ('{"id": "a"}', 'line 2: "text" is missing or not a string'),
        ('{"id": "a", "text": "   "}', "line 2: empty document"),
        ('{"id": "a", "text": "x.", "year": "May 2019"}', 'line 2: "year" must be a four-digit year'),
        ('{"id": "a", "text": "x.", "authors": [1, 2]}', 'line 2: "authors" must be a list of names'),
        ('{"id": "a", "text": "x.", "journal": 5}', 'line 2: "journal" must be a string, got int'),
        ('{"id": "a", "text": "x.", "pmid": "PMC123"}', 'line 2: "pmid" must be a PubMed id (digits)'),
        ('{"id": "a", "text": "x.", "doi": "pain.2019"}', 'line 2: "doi" must be a DOI (10.prefix/suffix)'),
        ('{"id": "a", "text": "x.", "url": "ftp://x.org/a"}', 'line 2: "url" must be an http(s) address'),
        ('{"id": "a", "text": "x.", "url": "https://x.org/a b"}', 'line 2: "url" must be an http(s) address'),
        ('{"id": "a", "text": "x.", "url": "http://x.org/a%zz"}', 'line 2: "url" must be an http(s) address'),
    ],
)
def test_inputs_jsonl_bad_line(tmp_path, line, message):
    # The good first line is read; the bad second one is named, on one line of text.
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "text": "Fine."}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_documents(path))
    assert str(err.value).startswith(f"{path}: {message}")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("given", "pmid", "doi"),
    [
        ('"pmid": 123, "doi": "10.1000/ab.1"', "123", "10.1000/ab.1"),
        ('"pmid": "PMID: 123", "doi": "doi:10.1000/ab.1"', "123", "10.1000/ab.1"),
        ('"pmid": " 123 ", "doi": "https://doi.org/10.1000/ab.1"', "123", "10.1000/ab.1"),
    ],
)
def test_inputs_jsonl_identifiers_as_the_graph_writes_them(tmp_path, given, pmid, doi):
    # Common ways of writing a PMID and a DOI are read as the bare identifiers.
    path = tmp_path / "ids.jsonl"
    path.write_text('{"id": "a", "text": "Fine.", ' + given + "}\n", encoding="utf-8")
    (document,) = read_documents(path)
    assert (document.pmid, document.doi) == (pmid, doi)


def test_inputs_jsonl_pmid_gives_the_pubmed_page(tmp_path):
    # A PMID and no url: the PubMed page; a url given is kept.
    path = tmp_path / "ids.jsonl"
    path.write_text(
        '{"id": "a", "text": "One.", "pmid": "PMID:321"}\n'
        '{"id": "b", "text": "Two.", "pmid": 654, "url": "https://example.org/b"}\n',
        encoding="utf-8",
    )
    first, second = read_documents(path)
    assert first.url == "https://pubmed.ncbi.nlm.nih.gov/321/"
    assert second.url == "https://example.org/b"


def test_inputs_jsonl_not_utf8_and_repeated_id(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"latin.jsonl: line 1: not valid UTF-8 \(byte 0xe9\)"):
        list(read_documents(path))
    # An id names one document: a repeat is an error that says where the first one was.
    path = tmp_path / "twice.jsonl"
    path.write_text('{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"twice.jsonl: line 2: document 'a' was already read from .*line 1"):
        list(iter_documents([path]))


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        # Not well-formed: the line and column of the fault.
        (
            "<PubmedArticleSet>\n<PubmedArticle>\n</PubmedArticleSet>",
            "invalid XML at line 3, column 2: mismatched tag",
        ),
        ("", "invalid XML at line 1, column 0: no element found"),
        # Well-formed, but not PubMed.
        ("<html><body>Hi</body></html>", "XML root is <html>, expected <PubmedArticleSet>"),
        # An article without its PMID.
        (
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><Article><ArticleTitle>T</ArticleTitle>"
            "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            "PubmedArticle 1: no MedlineCitation/PMID",
        ),
    ],
)
def test_inputs_pubmed_bad_xml(tmp_path, xml, message):
    path = tmp_path / "bad.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_documents(path))
    assert str(err.value).startswith(f"{path}")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_inputs_markdown_and_kinds(tmp_path):
    # Markdown is read as text (offsets stay valid); its heading gives the title.
    path = tmp_path / "notes.md"
    path.write_text("# LDN and microglia\n\nLDN inhibits *microglia*.\n", encoding="utf-8")
    (doc,) = read_documents(path)
    assert (doc.key, doc.title, doc.pmid) == ("notes", "LDN and microglia", None)
    assert doc.text.startswith("# LDN")
    assert [input_kind(tmp_path / n) for n in ("a.xml.gz", "b.JSONL", "c.htm", "d.md", "e.text")] == [
        "pubmed",
        "jsonl",
        "html",
        "text",
        "text",
    ]


def test_inputs_pending_documents_are_read_again_one_at_a_time(tmp_path):
    # What `build` extracts: the documents of its inputs with the keys it picked, in input order, read from
    # the files when iterated (a document changed meanwhile comes with its new text), never held; only the
    # files that hold them are read again.
    from ldn_graph.cli.build import Pending
    from ldn_graph.store.input_hashes import InputHashes, list_documents

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Text of {name}.\n", encoding="utf-8")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "a.txt").write_text("Another a.\n", encoding="utf-8")  # named a-2
    files: list = []
    list_documents([tmp_path], InputHashes(None, fingerprint=""), files)
    pending = Pending(files, {"c", "a", "a-2"})
    assert len(pending) == 3 and [p.name for p, _ in pending.files] == ["a.txt", "c.txt", "a.txt"]
    reading = iter(pending)
    assert next(reading).key == "a"
    (tmp_path / "c.txt").write_text("New text of c.\n", encoding="utf-8")
    assert [(d.key, d.text) for d in reading] == [("c", "New text of c.\n"), ("a-2", "Another a.\n")]
    assert [d.key for d in pending] == ["a", "c", "a-2"]  # iterated again, read again
    # A collection whose records changed between the listing and the reading: one line, say where.
    (tmp_path / "c.txt").unlink()
    (tmp_path / "c.jsonl").write_text('{"id": "x", "text": "X."}\n', encoding="utf-8")
    files = []
    list_documents([tmp_path], InputHashes(None, fingerprint=""), files)
    (tmp_path / "c.jsonl").write_text('{"id": "y", "text": "Y."}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.jsonl: line 1: changed while the build was reading it"):
        list(Pending(files, {"x"}))
