"""Reading inputs: text and HTML in, clear errors for what cannot be read."""

from __future__ import annotations

import pytest

from ldn_graph.errors import InputError
from ldn_graph.inputs.documents import find_inputs, html_to_text, parse_document, read_document


def test_documents_text_is_kept_as_read(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Naloxone Basics\n\nNaloxone  reverses overdose.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "Naloxone Basics\n\nNaloxone  reverses overdose.\n"
    assert doc.key == "note"
    assert doc.source == "note.txt"
    assert doc.title == "Naloxone Basics"
    assert len(doc.sha256) == 64


def test_documents_html_visible_text():
    # Scripts and styles are dropped, entities decoded, blocks become paragraphs.
    text = html_to_text(
        "<html><head><style>p{}</style><script>var x=1;</script></head>"
        "<body><h1>LDN &amp; pain</h1><p>Naltrexone blocks receptors.</p></body></html>"
    )
    assert "var x" not in text and "p{}" not in text
    assert text.split("\n\n") == ["LDN & pain", "Naltrexone blocks receptors.\n"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty document"),  # empty file
        (b"   \n\n  ", "empty document"),  # only whitespace
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),  # binary
        (b"caf\xe9 au lait", "not valid UTF-8 (byte 0xe9 at line 1)"),  # Latin-1, not UTF-8
        (b"\x01\x02\x03\x04\x05\x06 text \x07\x08", "binary file"),  # control characters
    ],
)
def test_documents_bad_input(data, message):
    with pytest.raises(InputError) as err:
        parse_document(data, source="x.txt", where="x.txt")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_documents_missing_and_huge(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="no such file"):
        find_inputs([tmp_path / "nope.txt"])
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    monkeypatch.setattr("ldn_graph.inputs.documents.MAX_BYTES", 1024)
    with pytest.raises(InputError, match="over the 1,024-byte limit"):
        read_document(big)


def test_documents_folders_are_searched(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("B text here.", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>A text.</p>", encoding="utf-8")
    (tmp_path / "skip.docx").write_bytes(b"PK")  # not a kind that is read
    assert [p.name for p in find_inputs([tmp_path])] == ["a.html", "b.txt"]


def test_documents_folder_leaves_out_readme_license_and_hidden(tmp_path):
    # What a folder of papers carries besides its papers is not read as a paper...
    for name in ("README.md", "LICENSE.txt", "CHANGELOG.md", "Code-of-Conduct.md", "notes.txt"):
        (tmp_path / name).write_text("Some text here.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("Hidden text.", encoding="utf-8")
    assert [p.name for p in find_inputs([tmp_path])] == ["notes.txt"]
    # ...unless it is named on its own.
    assert [p.name for p in find_inputs([tmp_path / "README.md"])] == ["README.md"]


def test_documents_links_out_of_the_folder_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Not to be read.", encoding="utf-8")
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.txt").write_text("A paper.", encoding="utf-8")
    (folder / "notes.txt").symlink_to(outside / "secret.txt")  # a file link out of the folder
    (folder / "more").symlink_to(outside, target_is_directory=True)  # a folder link out of it
    (folder / "again.txt").symlink_to(folder / "a.txt")  # a link inside the folder is followed
    warnings: list[str] = []
    found = find_inputs([folder], on_warning=warnings.append)
    assert [p.name for p in found] == ["a.txt", "again.txt"]
    assert len(warnings) == 2 and all("outside the folder" in w and "\n" not in w for w in warnings)
    assert {w.split(":")[0] for w in warnings} == {str(folder / "notes.txt"), str(folder / "more")}


def test_documents_linked_folders_inside_are_not_entered(tmp_path):
    # A folder link that stays inside the folder is not entered either (its files are read where they
    # are), and the walk gives the files in the order paths sort, part by part: "a/b/c" before "a/b-c".
    folder = tmp_path / "papers"
    (folder / "b" / "deep").mkdir(parents=True)
    (folder / "b" / "deep" / "c.txt").write_text("C.", encoding="utf-8")
    (folder / "b-c.txt").write_text("B-C.", encoding="utf-8")
    (folder / "b.txt").write_text("B.", encoding="utf-8")
    (folder / "alias").symlink_to(folder / "b", target_is_directory=True)
    warnings: list[str] = []
    found = find_inputs([folder], on_warning=warnings.append)
    assert [p.relative_to(folder).as_posix() for p in found] == ["b/deep/c.txt", "b-c.txt", "b.txt"]
    assert warnings == []
