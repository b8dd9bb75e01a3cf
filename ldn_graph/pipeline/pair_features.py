"""The relation classifier's model: entity pairs in a Doc -> one score per relation type.

A pair is two entity mentions, in text order, at most `max_distance` tokens apart. Its features are the
mean token vector of each mention, the element-wise maximum over the tokens between them (what "induced",
"inhibits", "was associated with" leave in the contextual vectors), and one-hot blocks: the token
distance (bucketed), the sentence ends between them, the ordered pair of argument roles, and for each
mention's concept whether the title names it and how often the document does (what a document is about
is what its relations are about). A ReLU layer
and a linear layer give one logit per label; each label is a yes/no decision (sigmoid), since the corpora
annotate different labels and a label no corpus annotates for a document must not be taught as "no".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Model, chain
from thinc.layers import Dropout, Linear, Relu
from thinc.types import Floats2d, Ints2d

# Bucket upper bounds (inclusive) of the token distance between the two mentions.
DISTANCE_BUCKETS = (0, 1, 2, 3, 5, 8, 12, 20, 35, 60)
SENTENCE_BUCKETS = 4  # 0, 1, 2, 3 or more sentence ends between the mentions
SENTENCE_ENDS = frozenset((".", "!", "?"))
COUNT_BUCKETS = (1, 2, 4)  # upper bounds of a concept's mentions in the document; beyond: the last bucket
# Columns of a pair row: mention 1 [start, end), mention 2 [start, end), role of each (index in ROLES),
# then for each mention's concept: named in the title (0/1), mentions in the document (bucket).
PAIR_COLUMNS = 10

PairInput = tuple[list[Doc], list[Ints2d]]


def distance_bucket(distance: int) -> int:
    """The bucket of a token distance (the last bucket takes everything beyond)."""
    for i, bound in enumerate(DISTANCE_BUCKETS):
        if distance <= bound:
            return i
    return len(DISTANCE_BUCKETS) - 1


def count_bucket(count: int) -> int:
    """The bucket of a concept's mention count."""
    for i, bound in enumerate(COUNT_BUCKETS):
        if count <= bound:
            return i
    return len(COUNT_BUCKETS)


def extra_width(n_roles: int) -> int:
    """Width of the one-hot blocks appended to the pooled vectors."""
    return len(DISTANCE_BUCKETS) + SENTENCE_BUCKETS + n_roles * n_roles + 2 + 2 * (len(COUNT_BUCKETS) + 1)


def pool_pairs(
    tokvecs: Floats2d, pairs: Ints2d, sentence_ends: numpy.ndarray, n_roles: int
) -> tuple[numpy.ndarray, Callable[[numpy.ndarray], numpy.ndarray]]:
    """Features of each pair of one doc, and the function that takes their gradient back to the tokens.

    `sentence_ends`: cumulative count of sentence-final tokens, so the ends between two mentions are a
    difference of two entries.
    """
    vecs = numpy.asarray(tokvecs)
    n_tokens, width = vecs.shape
    n_pairs = pairs.shape[0]
    feats = numpy.zeros((n_pairs, 3 * width + extra_width(n_roles)), dtype="float32")
    argmax = numpy.zeros((n_pairs, width), dtype="int64")
    has_between = numpy.zeros(n_pairs, dtype=bool)
    offset = 3 * width
    roles_at = offset + len(DISTANCE_BUCKETS) + SENTENCE_BUCKETS
    concept_at = roles_at + n_roles * n_roles
    n_counts = len(COUNT_BUCKETS) + 1
    for i, (s1, e1, s2, e2, r1, r2, t1, t2, c1, c2) in enumerate(pairs.tolist()):
        feats[i, :width] = vecs[s1:e1].mean(axis=0)
        feats[i, width : 2 * width] = vecs[s2:e2].mean(axis=0)
        if s2 > e1:
            between = vecs[e1:s2]
            argmax[i] = between.argmax(axis=0) + e1
            feats[i, 2 * width : offset] = between.max(axis=0)
            has_between[i] = True
        feats[i, offset + distance_bucket(max(0, s2 - e1))] = 1.0
        ends = int(sentence_ends[s2 - 1] - sentence_ends[e1 - 1]) if s2 > e1 else 0
        feats[i, offset + len(DISTANCE_BUCKETS) + min(ends, SENTENCE_BUCKETS - 1)] = 1.0
        feats[i, roles_at + r1 * n_roles + r2] = 1.0
        feats[i, concept_at] = t1
        feats[i, concept_at + 1] = t2
        feats[i, concept_at + 2 + c1] = 1.0
        feats[i, concept_at + 2 + n_counts + c2] = 1.0

    def backprop(d_feats: numpy.ndarray) -> numpy.ndarray:
        d_vecs = numpy.zeros((n_tokens, width), dtype="float32")
        columns = numpy.arange(width)
        for i, (s1, e1, s2, e2, *_rest) in enumerate(pairs.tolist()):
            d_vecs[s1:e1] += d_feats[i, :width] / (e1 - s1)
            d_vecs[s2:e2] += d_feats[i, width : 2 * width] / (e2 - s2)
            if has_between[i]:
                numpy.add.at(d_vecs, (argmax[i], columns), d_feats[i, 2 * width : offset])
        return d_vecs

    return feats, backprop


def sentence_end_counts(doc: Doc) -> numpy.ndarray:
    """Cumulative count of sentence-final punctuation up to each token (the ends between two mentions are
    a difference of two entries)."""
    flags = numpy.fromiter((t.text in SENTENCE_ENDS for t in doc), dtype="int32", count=len(doc))
    return numpy.cumsum(flags)


def pair_pooling(n_roles: int) -> Model[tuple[list[Floats2d], list[Doc], list[Ints2d]], Floats2d]:
    """A layer pooling token vectors into pair features (all docs' pairs stacked)."""
    return Model("pair_pooling", _pooling_forward, attrs={"n_roles": n_roles}, dims={"nO": None})


def _pooling_forward(
    model: Model, inputs: tuple[list[Floats2d], list[Doc], list[Ints2d]], is_train: bool
) -> tuple[Floats2d, Callable]:
    tokvecs, docs, pairs = inputs
    n_roles = model.attrs["n_roles"]
    outputs, backprops = [], []
    for vecs, doc, doc_pairs in zip(tokvecs, docs, pairs, strict=True):
        feats, bp = pool_pairs(model.ops.to_numpy(vecs), doc_pairs, sentence_end_counts(doc), n_roles)
        outputs.append(feats)
        backprops.append(bp)
    sizes = [len(p) for p in pairs]
    width = model.get_dim("nO")
    stacked = numpy.concatenate(outputs) if outputs else numpy.zeros((0, width), dtype="float32")

    def backprop(d_out: Floats2d) -> list[Floats2d]:
        d_array = model.ops.to_numpy(d_out)
        grads, start = [], 0
        for size, bp in zip(sizes, backprops, strict=True):
            grads.append(model.ops.asarray2f(cast(Floats2d, bp(d_array[start : start + size]))))
            start += size
        return grads

    return model.ops.asarray2f(cast(Floats2d, stacked)), backprop


@registry.architectures("ldn.PairClassifier.v1")
def build_pair_classifier(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int = 128,
    dropout: float = 0.1,
    n_roles: int = 6,
    nO: int | None = None,
) -> Model[PairInput, Floats2d]:
    """Token vectors -> pair features -> ReLU -> one logit per label. Module-level forward and init (no
    closures), so the model pickles for worker processes that are spawned rather than forked."""
    scorer: Model[Floats2d, Floats2d] = chain(
        Relu(nO=hidden_width), Dropout(dropout), Linear(nO=nO, nI=hidden_width)
    )
    model: Model[PairInput, Floats2d] = Model(
        "ldn_pair_classifier",
        _classifier_forward,
        init=_classifier_init,
        layers=[tok2vec, pair_pooling(n_roles), scorer],
        refs={"tok2vec": tok2vec},
        attrs={"n_roles": n_roles},
        dims={"nO": nO},
    )
    return model


def _classifier_forward(model: Model, inputs: PairInput, is_train: bool) -> tuple[Floats2d, Callable]:
    tok2vec, pooling, scorer = model.layers
    docs, pairs = inputs
    tokvecs, bp_tokvecs = tok2vec(docs, is_train)
    feats, bp_feats = pooling((tokvecs, docs, pairs), is_train)
    scores, bp_scores = scorer(feats, is_train)

    def backprop(d_scores: Floats2d) -> PairInput:
        bp_tokvecs(bp_feats(bp_scores(d_scores)))
        return inputs

    return scores, backprop


def _classifier_init(model: Model, X: PairInput | None = None, Y: Floats2d | None = None) -> None:
    tok2vec, pooling, scorer = model.layers
    tok2vec.initialize()
    width = tok2vec.get_dim("nO") if tok2vec.has_dim("nO") else None
    if width:
        pooling.set_dim("nO", 3 * width + extra_width(model.attrs["n_roles"]))
        scorer.layers[0].set_dim("nI", pooling.get_dim("nO"))
    if model.has_dim("nO") and model.get_dim("nO"):
        scorer.layers[-1].set_dim("nO", model.get_dim("nO"))
    scorer.initialize()


def stack_pairs(rows: Sequence[Sequence[int]]) -> Ints2d:
    """Pair rows of one doc as the int array the model takes."""
    return cast(Ints2d, numpy.asarray(rows, dtype="int32").reshape(-1, PAIR_COLUMNS))


# --- The pairs of a Doc and their input rows ---------------------------------------------------------


@dataclass(frozen=True)
class PairScore:
    """A scored pair: indices into `doc.spans["ldn_pair_entities"]` (text order), a label, a probability."""

    first: int
    second: int
    label: str
    score: float


def candidate_pairs(
    ents: Sequence[Span], role_of: dict[str, str], max_distance: int
) -> list[tuple[int, int]]:
    """Index pairs (i < j) of entities with a role, at most `max_distance` tokens apart, distinct spans."""
    located = [(i, e) for i, e in enumerate(ents) if e.label_ in role_of]
    out = []
    for a, (i, first) in enumerate(located):
        for j, second in located[a + 1 :]:
            if second.start - first.end > max_distance:
                break
            if (first.start, first.end) != (second.start, second.end):
                out.append((i, j))
    return out


def pair_rows(
    ents: Sequence[Span],
    pairs: Iterable[tuple[int, int]],
    role_of: dict[str, str],
    roles: Sequence[str],
    concepts: Sequence[str] | None = None,
) -> Ints2d:
    """The model's input rows for pairs of entities. `concepts`: each entity's concept (default: its
    `kb_id_`, else its lower-cased words), which the title and count features are about."""
    index = {r: n for n, r in enumerate(roles)}
    if concepts is None:
        concepts = [e.kb_id_ or e.text.lower() for e in ents]
    counts = Counter(concepts)
    title_end = _title_end(ents[0].doc) if ents else 0
    in_title = {c for e, c in zip(ents, concepts, strict=True) if e.end <= title_end}
    rows = [
        (
            ents[i].start,
            ents[i].end,
            ents[j].start,
            ents[j].end,
            index[role_of[ents[i].label_]],
            index[role_of[ents[j].label_]],
            int(concepts[i] in in_title),
            int(concepts[j] in in_title),
            count_bucket(counts[concepts[i]]),
            count_bucket(counts[concepts[j]]),
        )
        for i, j in pairs
    ]
    return stack_pairs(rows)


def _title_end(doc: Doc) -> int:
    """Where the first sentence ends (the title of an abstract), as a token index."""
    for token in doc:
        if token.text in SENTENCE_ENDS:
            return token.i + 1
    return len(doc)
