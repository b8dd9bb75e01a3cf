"""The relation classifier's loss: each mention pair a yes/no decision per label (sigmoid and binary
cross-entropy), a label the document's corpus does not annotate left out by the mask."""

from __future__ import annotations

import numpy


def sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    """The logistic function, clipped against overflow."""
    return 1.0 / (1.0 + numpy.exp(-numpy.clip(x, -30, 30)))


EPSILON = 1e-7


def pair_cross_entropy(
    logits: numpy.ndarray, truth: numpy.ndarray, mask: numpy.ndarray
) -> tuple[float, numpy.ndarray]:
    """Masked binary cross-entropy of each pair and label, and its gradient, averaged over the pairs."""
    probs = sigmoid(logits)
    n = max(1, len(truth))
    log_likelihood = truth * numpy.log(probs + EPSILON) + (1 - truth) * numpy.log(1 - probs + EPSILON)
    return -float((log_likelihood * mask).sum() / n), (probs - truth) * mask / n
