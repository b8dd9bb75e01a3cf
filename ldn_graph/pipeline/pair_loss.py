"""The relation classifier's losses: each mention pair a yes/no decision per label, or each bag of them.

A bag is the mention pairs of one document and one pair of concepts. The corpora annotate relations
between concepts in a document, not between mentions: taught pair by pair, every co-occurrence of two
related concepts is a positive, including sentences that say nothing about them. Taught bag by bag
(multiple-instance learning), the bag's logit is the log-sum-exp of its pairs' logits, a smooth maximum,
so the pairs that carry the relation take the gradient, and the document-level score the corpora measure
(the best pair's) is what is trained.
"""

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


def bag_max(values: numpy.ndarray, bags: numpy.ndarray) -> numpy.ndarray:
    """The column-wise maximum of each bag's rows (bags x columns)."""
    out = numpy.full((int(bags.max()) + 1 if len(bags) else 0, values.shape[1]), -numpy.inf)
    numpy.maximum.at(out, bags, values)
    return out


def bag_cross_entropy(
    logits: numpy.ndarray, truth: numpy.ndarray, mask: numpy.ndarray, bags: numpy.ndarray
) -> tuple[float, numpy.ndarray]:
    """Masked binary cross-entropy of each bag and label, the bag's logit the log-sum-exp of its rows'
    (masked rows left out), and its gradient on the rows, averaged over the bags."""
    if not len(bags):
        return 0.0, numpy.zeros_like(logits)
    live = mask > 0
    held = numpy.where(live, logits, -numpy.inf)
    top = bag_max(held, bags)  # bags x labels
    has_rows = numpy.isfinite(top)
    top_safe = numpy.where(has_rows, top, 0.0)
    weights = numpy.where(live, numpy.exp(held - top_safe[bags]), 0.0)
    totals = numpy.zeros_like(top)
    numpy.add.at(totals, bags, weights)
    bag_logit = top_safe + numpy.log(numpy.where(has_rows, totals, 1.0))
    bag_truth = bag_max(truth, bags)
    probs = sigmoid(bag_logit)
    n = max(1, int(has_rows.any(axis=1).sum()))
    log_likelihood = bag_truth * numpy.log(probs + EPSILON) + (1 - bag_truth) * numpy.log(1 - probs + EPSILON)
    loss = -float(numpy.where(has_rows, log_likelihood, 0.0).sum() / n)
    d_bag = numpy.where(has_rows, probs - bag_truth, 0.0) / n
    share = weights / numpy.where(has_rows, totals, 1.0)[bags]  # each row's part of its bag's logit
    return loss, d_bag[bags] * share
