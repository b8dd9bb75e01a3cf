"""The relation classifier's loss: each mention pair a yes/no decision per label."""

import numpy
import pytest

from ldn_graph.pipeline.pair_loss import pair_cross_entropy, sigmoid


def _batch(seed: int = 0):
    rng = numpy.random.default_rng(seed)
    logits = rng.normal(size=(5, 3))
    truth = numpy.zeros((5, 3))
    truth[[0, 1], 0] = 1.0
    mask = numpy.ones((5, 3))
    mask[:, 1] = 0.0  # label 1: not annotated by the documents' corpus
    return logits, truth, mask


def test_gradient_matches_finite_differences():
    logits, truth, mask = _batch(1)
    _loss, grad = pair_cross_entropy(logits, truth, mask)
    step = 1e-6
    for i in range(logits.shape[0]):
        for j in range(logits.shape[1]):
            up, down = logits.copy(), logits.copy()
            up[i, j] += step
            down[i, j] -= step
            numeric = (pair_cross_entropy(up, truth, mask)[0] - pair_cross_entropy(down, truth, mask)[0]) / (
                2 * step
            )
            assert grad[i, j] == pytest.approx(numeric, abs=1e-6)


def test_a_label_the_corpus_does_not_annotate_takes_no_gradient_and_no_loss():
    logits, truth, mask = _batch(2)
    _loss, grad = pair_cross_entropy(logits, truth, mask)
    assert not grad[:, 1].any()
    moved = logits.copy()
    moved[:, 1] += 5.0
    assert pair_cross_entropy(moved, truth, mask)[0] == pytest.approx(
        pair_cross_entropy(logits, truth, mask)[0]
    )


def test_sigmoid_does_not_overflow():
    assert sigmoid(numpy.array([-1e6, 0.0, 1e6])).tolist() == pytest.approx([0.0, 0.5, 1.0])
