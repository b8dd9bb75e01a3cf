"""Train the path scorer (`pipeline/pair_paths.py`) of an assembled pipeline on the training corpora.

The pipeline reads each training abstract as it reads any text (the scorer itself off); the corpora's
mentions are put on those docs and each pair of them in one sentence is taught from the document-level
annotation. A fixed seed orders the documents of each epoch, so the same corpora give the same weights.
"""

from __future__ import annotations

import random
import sys
from typing import TYPE_CHECKING

from ldn_graph.training.convert import ConversionReport, to_doc

if TYPE_CHECKING:
    from spacy.language import Language

    from ldn_graph.training.corpus import TrainingDocument

EPOCHS = 8
BATCH = 8  # documents per update
LEARN_RATE = 0.05
SEED = 0


def train_pair_paths(nlp: Language, documents: list[TrainingDocument], *, seed: int = SEED) -> None:
    """Add the path scorer to `nlp` (after the relation classifier) and train it on `documents`."""
    import spacy
    from spacy.training import Example
    from thinc.api import Adam, fix_random_seed

    from ldn_graph.pipeline.pair_paths import NAME, PairPathScorer

    fix_random_seed(seed)
    if NAME in nlp.pipe_names:
        nlp.remove_pipe(NAME)
    blank = spacy.blank("en")
    report = ConversionReport()
    references = [to_doc(blank, d.document, d.labels, report) for d in documents]
    predicted = list(nlp.pipe(d.document.text for d in documents))
    examples = [Example(p, r) for p, r in zip(predicted, references, strict=True)]
    scorer = nlp.add_pipe(NAME)
    assert isinstance(scorer, PairPathScorer)
    scorer.initialize(lambda: examples, nlp=nlp)
    optimizer = Adam(LEARN_RATE)
    order = random.Random(seed)
    for epoch in range(EPOCHS):
        order.shuffle(examples)
        losses: dict[str, float] = {}
        for start in range(0, len(examples), BATCH):
            scorer.update(examples[start : start + BATCH], sgd=optimizer, losses=losses)
        print(f"path scorer, epoch {epoch + 1}: loss {losses.get(NAME, 0.0):.3f}", file=sys.stderr)
