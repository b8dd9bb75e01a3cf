"""The held-out figures of `ldn_graph.training.genia.measure`: tag accuracy, UAS/LAS without punctuation,
per-label F1, computed with en_core_web_sm on gold sentences."""

from __future__ import annotations

import pytest

from ldn_graph.corpora.conllu import Sentence
from ldn_graph.training.genia.measure import Scores, parse_gold_tokens, score

WORDS = ["IL-2", "is", "induced", "by", "NF-kappaB", "."]


@pytest.fixture(scope="module")
def small_nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm", exclude=["ner"])


def gold_of(nlp) -> Sentence:
    """A gold sentence equal to what the model gives (so every figure is 1 before it is perturbed)."""
    sentence = Sentence(words=list(WORDS), spaces=[True] * 4 + [False, False])
    doc = parse_gold_tokens(nlp, sentence)
    sentence.tags = [t.tag_ for t in doc]
    sentence.heads = [t.head.i for t in doc]
    sentence.deps = [t.dep_ for t in doc]
    return sentence


def test_genia_measure_perfect_then_wrong_head(small_nlp) -> None:
    # The model's own analysis as gold scores 1.0; moving one gold head costs exactly that word in UAS and
    # LAS (5 words without the full stop), and its label's precision and recall.
    gold = gold_of(small_nlp)
    perfect = score(small_nlp, [gold]).summary()
    assert perfect["uas"] == perfect["las"] == perfect["tag_acc"] == 1.0
    moved = next(i for i, d in enumerate(gold.deps) if d == "agent")
    gold.heads[moved] = 0 if gold.heads[moved] != 0 else 1
    gold.deps[moved] = "prep"
    worse = score(small_nlp, [gold]).summary(("prep",))
    assert worse["uas"] == worse["las"] == 0.8
    assert worse["labels"]["prep"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "gold": 1}


def test_genia_measure_skips_labels_and_punctuation(small_nlp) -> None:
    # Content-word UAS leaves out gold labels it is told to skip, and punctuation always.
    gold = gold_of(small_nlp)
    counts = score(small_nlp, [gold], skip=frozenset({"auxpass"}))
    assert counts.scored == 4 and counts.tokens == 6


def test_genia_measure_tag_accuracy_skips_missing_gold_tags(small_nlp) -> None:
    # A token whose gold tag is missing ("") counts neither for nor against tag accuracy.
    gold = gold_of(small_nlp)
    gold.tags[0] = ""
    assert score(small_nlp, [gold]).summary()["tag_acc"] == 1.0
    gold.tags[1] = "XX"
    assert score(small_nlp, [gold]).summary()["tag_acc"] == 0.8


def test_genia_measure_f1_arithmetic() -> None:
    scores = Scores()
    scores.gold["nsubj"], scores.predicted["nsubj"], scores.correct["nsubj"] = 4, 2, 2
    assert scores.summary(("nsubj",))["labels"]["nsubj"] == {"p": 1.0, "r": 0.5, "f1": 0.6667, "gold": 4}
