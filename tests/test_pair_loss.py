"""The relation classifier's losses: mention pairs one by one, or bags of them (multiple-instance)."""

import numpy
import pytest

from ldn_graph.pipeline.pair_loss import bag_cross_entropy, bag_max, pair_cross_entropy, sigmoid


def _batch(seed: int = 0):
    rng = numpy.random.default_rng(seed)
    logits = rng.normal(size=(7, 3))
    bags = numpy.array([0, 0, 1, 2, 2, 2, 3])
    truth = numpy.zeros((7, 3))
    truth[[0, 1], 0] = 1.0  # bag 0 is related by label 0, every one of its rows says so
    truth[[3, 4, 5], 2] = 1.0
    mask = numpy.ones((7, 3))
    mask[6, :] = 0.0  # bag 3: no label annotated
    mask[:, 1] = 0.0  # label 1: not annotated anywhere
    return logits, truth, mask, bags


def test_bags_of_one_pair_are_the_pair_loss():
    logits, truth, mask, _bags = _batch()
    singletons = numpy.arange(len(logits))
    mask[6, :] = 1.0  # every row counts, as every pair does in the pair loss
    assert bag_cross_entropy(logits, truth, mask, singletons)[0] == pytest.approx(
        pair_cross_entropy(logits, truth, mask)[0]
    )
    numpy.testing.assert_allclose(
        bag_cross_entropy(logits, truth, mask, singletons)[1], pair_cross_entropy(logits, truth, mask)[1]
    )


def test_bag_gradient_matches_finite_differences():
    logits, truth, mask, bags = _batch(1)
    _loss, grad = bag_cross_entropy(logits, truth, mask, bags)
    step = 1e-6
    for i in range(logits.shape[0]):
        for j in range(logits.shape[1]):
            up, down = logits.copy(), logits.copy()
            up[i, j] += step
            down[i, j] -= step
            numeric = (
                bag_cross_entropy(up, truth, mask, bags)[0] - bag_cross_entropy(down, truth, mask, bags)[0]
            ) / (2 * step)
            assert grad[i, j] == pytest.approx(numeric, abs=1e-6)


def test_masked_rows_take_no_gradient_and_a_bag_is_scored_by_its_best_pair():
    logits, truth, mask, bags = _batch(2)
    _loss, grad = bag_cross_entropy(logits, truth, mask, bags)
    assert not grad[mask == 0].any()
    # In a positive bag the pair with the highest logit takes the largest share of the push up.
    rows = numpy.flatnonzero(bags == 2)
    assert numpy.argmin(grad[rows, 2]) == numpy.argmax(logits[rows, 2])
    assert bag_max(sigmoid(logits), bags)[2, 2] == pytest.approx(sigmoid(logits[rows, 2]).max())


def test_a_positive_bag_is_satisfied_by_one_confident_pair():
    """What the pair loss cannot say: one pair that reads the relation is enough, the others may be low."""
    logits = numpy.array([[8.0], [-8.0], [-8.0]])
    truth = numpy.ones((3, 1))
    mask = numpy.ones((3, 1))
    bag_loss, _grad = bag_cross_entropy(logits, truth, mask, numpy.zeros(3, dtype=int))
    pair_loss, _grad = pair_cross_entropy(logits, truth, mask)
    assert bag_loss < 0.01 < pair_loss
