"""The stat cache of a build's inputs (store/input_hashes.py): a file whose stat is what it was when it
was hashed is not read again; one that changed, or whose times are too recent to be trusted, is.

Real files in temporary folders. A file's listing is kept only once its times are `SETTLED_NS` old, so
the tests that need kept listings wait that long once after writing their files.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ldn_graph.cli import main
from ldn_graph.inputs.documents import iter_documents
from ldn_graph.store.catalog import metadata_hash
from ldn_graph.store.input_hashes import CACHE_FILE, SETTLED_NS, InputHashes, list_documents
from tests.conftest import ROOT

CODE = "0" * 64  # the code fingerprint the cache is kept for (any string does)
UNSEEN = ROOT / "tests" / "data" / "unseen"


def settle() -> None:
    """Wait until the files just written are old enough for their listing to be kept."""
    time.sleep(SETTLED_NS / 1e9 + 0.1)


def old_way(folder: Path) -> list[tuple[str, str, str]]:
    """The listing as `build` made it before the cache: every file read and hashed."""
    return [(d.key, d.sha256, metadata_hash(d)) for d in iter_documents([folder])]


def listing(folder: Path, **options: object) -> tuple[list[tuple[str, str, str]], InputHashes]:
    """The listing with the cache in `folder`/../cache, saved; and the cache's figures."""
    hashes = InputHashes(folder.parent / CACHE_FILE, fingerprint=CODE, **options)  # type: ignore[arg-type]
    listed = list_documents([folder], hashes)
    hashes.save()
    return listed, hashes


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Two texts, the same file name in a subfolder, and two JSON Lines records: five documents, four
    files, settled."""
    folder = tmp_path / "in"
    (folder / "more").mkdir(parents=True)
    (folder / "notes.txt").write_text("Naltrexone reduces pain in fibromyalgia.\n", encoding="utf-8")
    (folder / "more" / "notes.txt").write_text("Microglia express TLR4.\n", encoding="utf-8")
    (folder / "trial.md").write_text("Low-dose naltrexone was well tolerated.\n", encoding="utf-8")
    records = [{"id": "a1", "text": "Naloxone blocks opioid receptors."}, {"id": "a2", "text": "No."}]
    (folder / "abstracts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    settle()
    return folder


def test_input_hashes_unchanged_files_are_not_read(inputs):
    # The first listing reads every file; the second none, and both are the listing of the old way (the
    # repeated file name keyed `notes-2` from the cache too).
    first, hashes = listing(inputs)
    assert (hashes.hits, hashes.read) == (0, 4)
    assert first == old_way(inputs)
    assert {key for key, _, _ in first} == {"a1", "a2", "notes", "notes-2", "trial"}
    again, hashes = listing(inputs)
    assert (hashes.hits, hashes.read) == (4, 0)
    assert again == first


def test_input_hashes_changed_size_or_times_read_again(inputs):
    first, _ = listing(inputs)
    # A longer text: its size differs.
    (inputs / "trial.md").write_text("Low-dose naltrexone was well tolerated by most.\n", encoding="utf-8")
    listed, hashes = listing(inputs)
    assert (hashes.hits, hashes.read) == (3, 1)
    assert listed == old_way(inputs)
    # The same size, the modification time put back: the change time still moved.
    path = inputs / "notes.txt"
    before = path.stat()
    path.write_text("Naltrexone reduces pain in fibromyalgic.\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    listed, hashes = listing(inputs)
    # Read: that file, and trial.md again (written too recently for its listing to have been kept).
    assert (hashes.hits, hashes.read) == (2, 2) and listed == old_way(inputs)
    assert {k: h for k, h, _ in listed}["notes-2"] != {k: h for k, h, _ in first}["notes-2"]  # in/notes.txt


def test_input_hashes_recent_file_is_read_again(inputs):
    # A file written just now could be written again within its times' granularity: not kept.
    listing(inputs)
    (inputs / "late.txt").write_text("Written after the others.\n", encoding="utf-8")
    _, hashes = listing(inputs)
    assert (hashes.hits, hashes.read) == (4, 1)
    kept = json.loads((inputs.parent / CACHE_FILE).read_text(encoding="utf-8"))["files"]
    assert str(inputs / "late.txt") not in kept and str(inputs / "trial.md") in kept
    _, hashes = listing(inputs)
    assert (hashes.hits, hashes.read) == (4, 1)


def test_input_hashes_file_is_deterministic_and_sorted(inputs):
    listing(inputs)
    cache = inputs.parent / CACHE_FILE
    first = cache.read_bytes()
    cache.unlink()
    listing(inputs)
    assert cache.read_bytes() == first
    names = list(json.loads(first)["files"])
    assert names == sorted(names) and len(names) == 4


def test_input_hashes_rehash_reads_every_file(inputs):
    listing(inputs)
    _, hashes = listing(inputs, rehash=True)
    assert (hashes.hits, hashes.read) == (0, 4)


def test_input_hashes_other_code_reads_every_file_silently(inputs):
    listing(inputs)
    warnings: list[str] = []
    hashes = InputHashes(inputs.parent / CACHE_FILE, fingerprint="1" * 64, on_warning=warnings.append)
    list_documents([inputs], hashes)
    assert (hashes.hits, hashes.read, warnings) == (0, 4, [])


def _bad_hash(text: str) -> str:
    data = json.loads(text)
    entry = next(iter(data["files"].values()))
    entry[5][0][3] = "not a hash"
    return json.dumps(data)


def _bad_stat(text: str) -> str:
    data = json.loads(text)
    next(iter(data["files"].values()))[0] = "12"
    return json.dumps(data)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda text: text[: len(text) // 2],  # cut short (a disk full before the atomic writer was used)
        lambda text: "\x00\xff" + text,  # not text
        lambda text: json.dumps({"format": "something else", "files": {}}),  # another file's format
        lambda text: json.dumps([1, 2]),  # JSON, not an object
        _bad_hash,  # a document's hash that is not one
        _bad_stat,  # a size that is not a number
    ],
)
def test_input_hashes_corrupt_file_is_made_again(inputs, corrupt):
    # A cache that is not this format only saves time: a one-line warning, every file read, the file
    # written anew, and the next listing reads none.
    listing(inputs)
    cache = inputs.parent / CACHE_FILE
    cache.write_text(corrupt(cache.read_text(encoding="utf-8")), encoding="utf-8", errors="surrogateescape")
    warnings: list[str] = []
    hashes = InputHashes(cache, fingerprint=CODE, on_warning=warnings.append)
    assert list_documents([inputs], hashes) == old_way(inputs)
    hashes.save()
    assert hashes.read == 4 and len(warnings) == 1 and "\n" not in warnings[0]
    assert warnings[0].startswith(f"{cache}: ") and "read again" in warnings[0]
    _, hashes = listing(inputs)
    assert (hashes.hits, hashes.read) == (4, 0)


def test_input_hashes_repeated_id_names_where_from_the_cache(inputs, tmp_path):
    # An id repeated in a file added later is the old way's error, naming where the first was read, though
    # that file's listing came from the cache.
    from ldn_graph.errors import InputError

    listing(inputs)
    (inputs / "zz.jsonl").write_text(json.dumps({"id": "a2", "text": "Again."}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as old:
        old_way(inputs)
    with pytest.raises(InputError) as new:
        listing(inputs)
    assert str(new.value) == str(old.value) and "abstracts.jsonl: line 2" in str(new.value)


# -- build, as a user runs it --------------------------------------------------------------------------------


@pytest.mark.slow
def test_build_unchanged_rerun_reads_no_input(tmp_path, capsys):
    # An unchanged rerun reads no input; a touched but identical file is read, not extracted again, and
    # its listing kept with its new times; an edited one is extracted again; --rehash reads every file.
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name in ("blog-enkephalin.txt", "clinical-negation.txt"):
        (folder / name).write_bytes((UNSEEN / name).read_bytes())
    settle()

    def build(*options: str) -> str:
        capsys.readouterr()
        assert main(["build", str(folder), "-o", str(out), "-v", *options]) == 0
        return capsys.readouterr().err

    assert "0 known by their size and times, 2 read" in build()
    said = build()
    assert "2 known by their size and times, 0 read" in said and "nothing to do" in said

    touched = folder / "clinical-negation.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns - 10**9))
    settle()
    said = build()
    assert "1 known by their size and times, 1 read" in said and "nothing to do" in said
    kept = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))["files"][str(touched)]
    assert kept[1] == touched.stat().st_mtime_ns and kept[2] == touched.stat().st_ctime_ns
    assert "2 known by their size and times, 0 read" in build()

    assert "0 known by their size and times, 2 read" in build("--rehash")
    with touched.open("a", encoding="utf-8") as text:
        text.write("\nNaltrexone may reduce fatigue.\n")
    said = build()
    assert "1 known by their size and times, 1 read" in said and "0 new, 1 replaced, 1 unchanged" in said


@pytest.mark.slow
def test_build_killed_keeps_the_last_cache_and_resumes(tmp_path):
    # The cache is written once a build succeeded: one killed while storing leaves the last one as it was,
    # and the run after it stores what is left, no document twice.
    src, out = tmp_path / "abstracts.jsonl", tmp_path / "out"
    from tests.test_store import _sentences

    sentences = _sentences()
    records = [{"id": f"doc-{i:02d}", "text": " ".join(sentences[i * 2 : i * 2 + 3])} for i in range(20)]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    settle()

    def build(*options: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "ldn_graph", "build", str(src), "-o", str(out), *options]
        return subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)

    assert build("-q").wait(timeout=300) == 0
    cache = (out / CACHE_FILE).read_bytes()
    src.write_text("".join(json.dumps({**r, "year": 2002}) + "\n" for r in records), encoding="utf-8")
    process = build("-v")
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("stored doc:"):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=300)
    assert process.returncode == -signal.SIGKILL
    assert (out / CACHE_FILE).read_bytes() == cache
    resumed = build()
    _, said = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, said
    assert "0 new, " in said and ", 20 unchanged" not in said and "read 20 document(s)" in said
    again = build("-v")
    _, said = again.communicate(timeout=300)
    assert "nothing to do: 20 document(s)" in said


# -- what else an unchanged rerun did ---------------------------------------------------------------------


def test_store_ontology_written_once_is_current_in_the_next_process(tmp_path):
    # The ontology graph's revision was a hash of its N-Triples, whose blank nodes get new labels at each
    # parse: every build wrote the ontology again and read the catalogue again after it. Written by one
    # process, it is current for the next.
    def run(code: str) -> str:
        script = (
            "import sys; from ldn_graph.store.local import LocalStore; "
            "from ldn_graph.store.catalog import ontology_current, put_ontology; "
            f"s = LocalStore(sys.argv[1]); {code}; s.close()"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "store")], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("print(ontology_current(s)); put_ontology(s)") == "False"
    assert run("print(ontology_current(s))") == "True"
