"""CoNLL-U reader and the tagger / parser scorer (GENIA treebank in UD form)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_graph.corpora.conllu import read_conllu, score_parser
from ldn_graph.errors import DataError

# Column 4 deliberately differs from column 5: the gold tag is column 5 (XPOS).
GOLD = (
    "# sent_id = 1\n"
    "# text = The cells grow.\n"
    "1\tThe\tthe\tX\tDT\t_\t2\tdet\t_\t_\n"
    "2\tcells\tcell\tX\tNNS\t_\t3\tnsubj\t_\t_\n"
    "3\tgrow\tgrow\tX\tVBP\t_\t0\troot\t_\tSpaceAfter=No\n"
    "4\t.\t.\tX\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "# sent_id = 2\n"
    "1-2\tIL-2's\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "1\tIL-2\til-2\tX\tNN\t_\t2\tnsubj\t_\t_\n"
    "2\tactivates\tactivate\tX\tVBZ\t_\t0\troot\t_\t_\n"
    "2.1\tghost\tghost\tX\tNN\t_\t_\t_\t_\t_\n"
    "3\tT\tt\tX\tNN\t_\t4\tcompound\t_\t_\n"
    "4\tcells\tcell\tX\tNNS\t_\t2\tdobj\t_\tSpaceAfter=No\n"
    "5\t.\t.\tX\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
)


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.conllu"
    path.write_text(GOLD, encoding="utf-8")
    return path


def test_read_conllu_fields(gold_file: Path) -> None:
    first, second = read_conllu(gold_file)
    assert first.words == ["The", "cells", "grow", "."]
    assert first.spaces == [True, True, False, False]
    assert first.tags == ["DT", "NNS", "VBP", "."]
    assert first.heads == [1, 2, 2, 2]  # 0-based, the root its own head
    assert first.deps == ["det", "nsubj", "root", "punct"]
    assert second.words == ["IL-2", "activates", "T", "cells", "."]  # no multiword line, no empty node
    assert second.heads == [1, 1, 3, 1, 1]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2\tcells\tcell\tX\tNNS\t_\tx\tnsubj\t_\t_\n", "not an integer"),
        ("2\tcells\tcell\tX\tNNS\t_\t9\tnsubj\t_\t_\n", "out of range"),
        ("2\tcells\tcell\tX\tNNS\t_\t3\tnsubj\n", "10 tab-separated columns"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.conllu"
    lines = GOLD.splitlines(keepends=True)
    lines[3] = line  # the word `cells`, on line 4
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        read_conllu(path)
    assert caught.value.where == f"{path}:4"


def test_score_parser_with_the_small_english_model(gold_file: Path) -> None:
    from ldn_graph.pipeline import load_model

    nlp = load_model(shipped=False)
    sentences = read_conllu(gold_file)
    scores = score_parser(nlp, sentences)
    assert scores["sentences"] == 2
    assert scores["tokens"] == sum(len(s.words) for s in sentences) == 9
    for key in ("tag_acc", "uas", "las", "uas_with_punct", "las_with_punct"):
        assert 0.0 <= scores[key] <= 1.0
    assert scores["uas"] > 0.5
    assert scores["tag_acc"] > 0.5
