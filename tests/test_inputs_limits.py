"""Bounded reading: size and decompression limits enforced while the bytes stream in, long texts read in
parts, identifiers of bounded length, and every failure one line of text."""

from __future__ import annotations

import fcntl
import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ldn_graph.errors import InputError
from ldn_graph.extract.local import text_parts
from ldn_graph.inputs.documents import read_document, read_documents
from tests.conftest import ROOT
from tests.pdf_fixture import make_pdf

MB = 1024 * 1024


def gzip_bomb(path: Path, head: bytes, filler: bytes, tail: bytes, megabytes: int) -> Path:
    """A gzip file of `head`, `megabytes` MB of `filler` repeated, then `tail`: gzip members put end to
    end (a reader reads them as one stream), so a gigabyte takes a moment to write."""
    block = gzip.compress(filler * (MB // len(filler)), compresslevel=9, mtime=0)
    with path.open("wb") as out:
        out.write(gzip.compress(head, mtime=0))
        for _ in range(megabytes):
            out.write(block)
        out.write(gzip.compress(tail, mtime=0))
    return path


def _one_line(err: pytest.ExceptionInfo[InputError]) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


XML_HEAD = (
    b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Abstract><AbstractText>"
)
XML_TAIL = b"</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"


@pytest.mark.parametrize(
    ("name", "head", "tail", "message"),
    [
        # One abstract of a gigabyte: refused once its article passes the document limit.
        ("bomb.xml.gz", XML_HEAD, XML_TAIL, "PubmedArticle 1 runs past the 20,971,520-byte document limit"),
        # One JSON Lines record of a gigabyte: refused once its line passes the limit.
        ("bomb.jsonl.gz", b'{"id": "a", "text": "', b'"}\n', "line 1: line is over"),
    ],
)
def test_input_limits_gigabyte_in_a_megabyte_is_refused_in_bounded_memory(
    tmp_path, name, head, tail, message
):
    bomb = gzip_bomb(tmp_path / name, head, b"a", tail, 1024)
    assert bomb.stat().st_size < 1.1 * MB
    # Read in a process of its own, to measure its peak memory: forked from a small Python, since Linux
    # keeps the peak of the process a child was started from (here pytest's, spaCy loaded) across exec.
    code = textwrap.dedent(
        f"""
        import os, resource, sys
        pid = os.fork()
        if pid == 0:
            from ldn_graph.cli import main
            os._exit(main(["build", {str(bomb)!r}, "-q", "-o", {str(tmp_path / "out")!r}]))
        _, status = os.waitpid(pid, 0)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
        sys.exit(os.waitstatus_to_exitcode(status))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr
    assert int(proc.stdout) < 500, f"peak RSS {proc.stdout.strip()} MB"
    assert not (tmp_path / "out").exists()


def test_input_limits_decompression_ratio(tmp_path):
    # Records each under the document limit, but far more text than a gzip file of this size holds.
    records = b"".join(
        b'{"id": "r%d", "text": "' % n + b"naltrexone " * (MB // 11) + b'"}\n' for n in range(40)
    )
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress(records, compresslevel=9, mtime=0))
    with pytest.raises(InputError) as err:
        list(read_documents(path))
    assert "more than 100 times its size: refused as a likely decompression bomb" in _one_line(err)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        # A lone surrogate, which JSON can escape but UTF-8 cannot hold.
        ('{"id": "a", "text": "pain \\ud800 relief"}', "lone surrogate (U+D800) at character 5"),
        # Nested deeper than the JSON reader goes.
        ('{"id": "a", "text": "x", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}", "JSON nested too deep"),
        # An identifier of a megabyte: it would become an IRI.
        (
            '{"id": "' + "a" * MB + '", "text": "x"}',
            '"id" is 1,048,576 characters long, over the 256-character',
        ),
        ('{"id": "a", "text": "x", "pmid": "' + "1" * 300 + '"}', '"pmid" is 300 characters long'),
    ],
)
def test_input_limits_bad_jsonl_records_are_one_line(tmp_path, record, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_documents(path))
    assert _one_line(err).startswith(f"{path}: line 1: ") and message in str(err.value)


def test_input_limits_xml_nested_deep(tmp_path):
    path = tmp_path / "deep.xml"
    article = "<MedlineCitation><PMID>1</PMID><Article><ArticleTitle>" + "<i>" * 100_000
    path.write_text(
        "<PubmedArticleSet><PubmedArticle>"
        + article
        + "T"
        + "</i>" * 100_000
        + "</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
        encoding="utf-8",
    )
    # Read without recursion: a hundred thousand levels are no trouble.
    assert [d.title for d in read_documents(path)] == ["T"]


def test_input_limits_control_characters_become_spaces(tmp_path):
    # NUL and escape codes never reach the text (nor, through it, an export); offsets stay as read.
    path = tmp_path / "ctl.jsonl"
    record = {
        "id": "a",
        "title": "LDN\u0000 and\u001b pain",
        "text": "Naloxone\u0000blocks\u0085 the\u007freceptor.",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = read_documents(path)
    assert doc.text == "Naloxone blocks  the receptor."
    assert len(doc.text) == len(record["text"])
    assert doc.title == "LDN and pain"
    # A NUL past the start of a text file (the binary check reads only the start).
    text = tmp_path / "late-nul.txt"
    text.write_bytes(b"Naloxone blocks receptors.\n" * 400 + b"Then a\x00NUL.\n")
    assert read_document(text).text.endswith("Then a NUL.\n")


def test_input_limits_pdf_failures_are_one_line(tmp_path):
    cases = {
        "damaged.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage", "cannot read PDF"),
        "scanned.pdf": (make_pdf([[]]), "PDF has no text layer"),
        "renamed.txt": (make_pdf([["Text."]]), "a PDF file: name it .pdf"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as err:
            read_document(path)
        assert message in _one_line(err), name


def test_input_limits_text_parts():
    text = "First paragraph here.\n\nSecond one, longer than the first.\n\nThird."
    parts = text_parts(text, 30)
    assert "".join(part for _, part in parts) == text  # nothing lost, nothing added
    assert all(len(part) <= 30 and text[offset : offset + len(part)] == part for offset, part in parts)
    assert parts[0][1] == "First paragraph here.\n\n"  # cut after a paragraph break
    assert text_parts("short", 30) == [(0, "short")]
    # No break at all: cut at the limit.
    assert [len(p) for _, p in text_parts("x" * 70, 30)] == [30, 30, 10]


def test_input_limits_long_documents_are_read_in_parts(nlp):
    from ldn_graph.extract.local import extract
    from ldn_graph.model import Document

    paragraph = (
        "Naloxone blocks the mu-opioid receptor. In a pilot study, naltrexone may treat fibromyalgia.\n\n"
    )
    text = paragraph * 40
    document = Document(key="long", text=text, source="long.txt", title="Long", sha256="0" * 64)
    (whole,) = extract(nlp, [document])
    saved = nlp.max_length
    nlp.max_length = 1000  # read in parts of at most 1,000 characters
    try:
        (parted,) = extract(nlp, [document])
    finally:
        nlp.max_length = saved
    # The same records as one reading: offsets and sentence numbers count from the document's start.
    assert sorted(r.evidence for r in parted.relations) == sorted(r.evidence for r in whole.relations)
    assert len(parted.relations) >= 80
    for relation in parted.relations:
        assert text[relation.evidence.start : relation.evidence.end] == relation.evidence.text
    assert sorted((m.start, m.end) for m in parted.mentions) == sorted(
        (m.start, m.end) for m in whole.mentions
    )


@pytest.mark.slow
def test_input_limits_a_text_past_spacys_max_length_builds_in_parts(tmp_path):
    # One and a half times spaCy's max_length (1,000,000 characters): read in parts, not refused, no
    # traceback. Prose, with a relation in one paragraph of twenty. (Five megabytes took three minutes of
    # the suite and tested nothing two parts do not.)
    prose = (
        "The committee met in the spring and reviewed the budget for the coming year. Several members "
        "asked about the schedule, and the chair promised a written answer before the summer.\n\n"
    )
    chapter = prose * 19 + "Naloxone blocks the mu-opioid receptor in microglia of the spinal cord.\n\n"
    path = tmp_path / "big.txt"
    path.write_text(chapter * (3 * MB // 2 // len(chapter) + 1), encoding="utf-8")
    assert path.stat().st_size > 1_500_000
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ldn_graph",
            "build",
            str(path),
            "-q",
            "--no-export",
            "-o",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3000,
    )
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    # The last evidence is near the end of the text: offsets count from the start of the whole of it.
    oa = "http://www.w3.org/ns/oa#"
    query = f"SELECT (MAX(?s) AS ?last) WHERE {{ ?t <{oa}hasSelector>/<{oa}start> ?s }}"
    proc = subprocess.run(
        [sys.executable, "-m", "ldn_graph", "query", str(tmp_path / "o" / "store"), query, "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert int(proc.stdout.split()[-1]) > path.stat().st_size - 200, proc.stdout


def test_input_limits_stale_staging_folders_are_removed(tmp_path):
    from ldn_graph.export.publish import remove_stale_staging, write_outputs
    from ldn_graph.rdf.write import new_dataset

    out = tmp_path / "out"
    stale = out / ".ldn-graph-killed1"  # left by a build killed while it exported
    stale.mkdir(parents=True)
    (stale / "graph.ttl").write_text("partial", encoding="utf-8")
    busy = out / ".ldn-graph-running"  # a build exporting now: it holds the lock
    busy.mkdir()
    with (busy / ".lock").open("wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert remove_stale_staging(out) == [stale]
        assert not stale.exists() and busy.exists()
        # The next export cleans up too, and leaves no folder of its own.
        stale.mkdir()
        write_outputs(new_dataset(), out)
        assert sorted(p.name for p in out.iterdir() if p.name.startswith(".ldn-graph-")) == [busy.name]
    # A build with nothing to export cleans up as well (the killed one may have left the exports current).
    from ldn_graph.store import open_store
    from ldn_graph.store.publish import export_store

    with open_store(str(tmp_path / "store")) as store:
        export_store(store, out, validate=False)
        stale.mkdir()
        assert export_store(store, out, validate=False) == []  # the exports are current: nothing written...
    assert not stale.exists()  # ...and the stale folder still goes
    assert not [p for p in out.iterdir() if p.name.startswith(".ldn-graph-")]


def test_input_limits_store_write_failure_is_one_line(tmp_path):
    # A file size limit makes the store's first writes fail as a full disk does: an error from the kernel.
    code = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        from ldn_graph.cli import main
        sys.exit(main(["build", "-q", "--no-validate", "-o", {str(tmp_path / "out")!r}]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 1
    assert proc.stderr.startswith("ldn-graph: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot open the store" in proc.stderr and "File too large" in proc.stderr


def test_input_limits_full_disk_is_one_line(tmp_path):
    # A real full disk: the exports go to a 200 kB file system mounted in a namespace of the test's own.
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    build = f"{sys.executable} -m ldn_graph build -q -o {tiny / 'out'} --store {tmp_path / 'store'}"
    script = f"mount -t tmpfs -o size=200k tmpfs {tiny} || exit 77; {build}; echo rc=$?; ls -A {tiny / 'out'}"
    try:
        proc = subprocess.run(
            ["unshare", "--mount", "--map-root-user", "sh", "-c", script],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
    except FileNotFoundError:
        pytest.skip("no unshare command")
    if proc.returncode == 77 or "unshare:" in proc.stderr:
        pytest.skip("cannot mount a small file system here")
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot write the exports: No space left on device" in proc.stderr
    assert proc.stdout.splitlines() == ["rc=1"]  # and nothing published in OUTDIR
