"""The path scorer: a second reading of one relation label from the words between two mentions.

The relation classifier (`classifier.py`) scores a pair from the pooled vectors of its mentions and of the
words between them. Lexical evidence of a relation is sharper: the dependency path from one mention to the
other ("induced", "nsubj <- develop -> dobj"), the words in between, the words beside each mention. This
component reads those as hashed features into a sparse linear model (thinc's `SparseLinear`, the model of
spaCy's bag-of-words text classifier), for one label of the classifier (`label`, chemical-induced disease
by default); a pair whose mentions are in two sentences is read by each mention's words and neighbours.
Its probability is mixed into the classifier's score of the pair (`weight`: the classifier's share) in
`doc._.ldn_pair_scores`, which the corpora's document-level measures read. The graph's relations stay the
classifier's own: on the project's prose development sets the mixed scores added six false
chemical-induced-disease edges and no true one (prose that a drug treats reads, to a model of abstracts,
much as prose that it harms).

Trained after the pipeline (`training/pair_paths.py`) on the pairs of the corpora's mentions, with the
document-level annotation as the truth, as the classifier is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.strings import hash_string  # type: ignore[attr-defined]  # a Cython function stubs omit
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import registry
from thinc.api import Model, Optimizer, SparseLinear_v2

from ldn_graph.corpora.labels import roles
from ldn_graph.pipeline.classifier import (
    GOLD_IDS,
    GOLD_LABELS,
    GOLD_RELATIONS,
    PAIR_SPANS,
    RULE_NAME,
    PairScore,
)
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.rules import Rules, load_rules

NAME = "ldn_pair_paths"
FEATURE_ROWS = 2**20  # rows of the sparse weight table the hashed features fall into
FIRST, SECOND = "CHEMICAL", "DISEASE"  # the roles of the label's two arguments, in its order
MAX_PATH_WORDS = 4  # a path with more words between the mentions is read by its dependencies only
NEAR_WORDS = 3  # words read before the first mention and after the second
DEFAULT_DISTANCE = 60  # tokens between the mentions of a pair taught, without a classifier to ask


@registry.architectures("ldn.PairPathModel.v1")
def pair_path_model(rows: int = FEATURE_ROWS) -> Model:
    """A sparse linear model with one output: the logit of the label for a pair's hashed features."""
    return SparseLinear_v2(nO=1, length=rows)


def path_features(first: Span, second: Span, rules: Rules) -> list[str]:
    """The features of a pair of mentions: `first` is the label's first argument (the chemical), `second`
    its second (the disease). Mentions in two sentences have no path between them: each is read in its
    own sentence (`_apart_features`)."""
    doc = first.doc
    sent = first.sent
    left, right = (first, second) if first.start < second.start else (second, first)
    feats = [f"order:{'12' if left is first else '21'}"]
    if second.sent.start != sent.start:
        return feats + _apart_features(first, second)
    between = doc[left.end : right.start]
    for t in between:
        feats.append(f"between:{_word(t)}" if not t.is_punct else f"between-punct:{t.text}")
        feats.extend(f"between-trigger:{tr.predicate}" for tr in rules.triggers_for(t.lemma_, t.pos_))
    gap = len(between)
    feats.append(f"gap:{gap if gap < 6 else (10 if gap < 10 else (20 if gap < 20 else 40))}")
    feats.extend(f"before:{_word(t)}" for t in doc[max(sent.start, left.start - NEAR_WORDS) : left.start])
    feats.extend(f"after:{_word(t)}" for t in doc[right.end : min(sent.end, right.end + NEAR_WORDS)])
    for tag, span in (("1", first), ("2", second)):
        feats.extend(_mention_features(span, tag))
    feats.extend(_path_features(first.root, second.root))
    return feats


def _mention_features(span: Span, tag: str, prefix: str = "") -> list[str]:
    """A mention's words and the word on each side of it (`tag`: which argument it is)."""
    doc = span.doc
    feats = [f"{prefix}words{tag}:{_word(t)}" for t in span]
    if span.end < len(doc):
        feats.append(f"{prefix}next{tag}:{_word(doc[span.end])}")
    if span.start > 0:
        feats.append(f"{prefix}previous{tag}:{_word(doc[span.start - 1])}")
    return feats


def _apart_features(first: Span, second: Span) -> list[str]:
    """Mentions in different sentences: each one's words, the words beside it, the word it depends on and
    the main verb of its sentence ("Y developed in three patients" after "X was given")."""
    feats = ["apart"]
    for tag, span in (("1", first), ("2", second)):
        feats.extend(_mention_features(span, tag, prefix="apart-"))
        feats.append(f"apart-head{tag}:{span.root.dep_}:{_word(span.root.head)}")
        feats.append(f"apart-verb{tag}:{_word(span.sent.root)}")
    return feats


def _path_features(a: Token, b: Token) -> list[str]:
    """The dependency path between two tokens: its dependencies, its words, the words where it turns."""
    path = _path(a, b)
    if path is None:
        return ["no-path"]
    up, down = path
    top = up[-1]
    deps = [t.dep_ for t in up[:-1]] + ["^"] + [t.dep_ for t in down]
    inner = up[1:] + down[:-1]
    feats = [f"top:{_word(top)}", f"top-pos:{top.pos_}", "path-deps:" + "/".join(deps)]
    feats.extend(f"path-word:{_word(t)}" for t in inner)
    if len(inner) <= MAX_PATH_WORDS:
        rising = "/".join(f"{t.dep_}:{_word(t)}" for t in up[1:])
        falling = "/".join(f"{t.dep_}:{_word(t)}" for t in down[:-1])
        feats.append(f"path:{rising}^{falling}")
    return feats


def _path(a: Token, b: Token) -> tuple[list[Token], list[Token]] | None:
    """(a up to the lowest common head, the tokens down from there to b), or None across sentences."""
    up_a = list(_ancestors(a))
    index = {t.i: n for n, t in enumerate(up_a)}
    down: list[Token] = []
    for t in _ancestors(b):
        if t.i in index:
            return up_a[: index[t.i] + 1], down[::-1]
        down.append(t)
    return None


def _ancestors(token: Token) -> Iterator[Token]:
    yield token
    while token.head.i != token.i:
        token = token.head
        yield token


def _word(token: Token) -> str:
    return token.lemma_.lower() or token.lower_


def feature_keys(features: Iterable[str]) -> list[int]:
    """The hashed keys of features, without repeats, in a fixed order."""
    return sorted({hash_string(f) for f in features})


def sparse_input(keys: Sequence[list[int]]) -> tuple[Any, Any, Any]:
    """SparseLinear's input: every row's feature keys one after another, a value of 1 each, and how many
    keys each row has."""
    flat = numpy.asarray([k for row in keys for k in row], dtype="uint64")
    values = numpy.ones((len(flat),), dtype="float32")
    lengths = numpy.asarray([len(row) for row in keys], dtype="int32")
    return flat, values, lengths


class PairPathScorer(TrainablePipe):
    """spaCy component: the path scorer (module docstring). Reads `doc._.ldn_pair_scores` and writes the
    mixed scores back."""

    def __init__(
        self,
        nlp: Language,
        model: Model,
        name: str = NAME,
        *,
        label: str = "CID",
        weight: float = 0.5,
    ) -> None:
        register_extensions()
        self.vocab = nlp.vocab
        self.nlp = nlp
        self.model = model
        self.name = name
        self.cfg: dict[str, Any] = {"label": label, "weight": weight}
        self._rules: Rules | None = None
        self.role_of = roles()

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    def max_distance(self) -> int:
        """How far apart, in tokens, the classifier's candidate pairs may be (its `max_distance`)."""
        if RULE_NAME in self.nlp.pipe_names:
            return int(self.nlp.get_pipe(RULE_NAME).cfg["max_distance"])  # type: ignore[attr-defined]
        return DEFAULT_DISTANCE

    # -- prediction -------------------------------------------------------------------------------------

    def candidates(self, doc: Doc) -> list[tuple[int, Span, Span]]:
        """(index in `doc._.ldn_pair_scores`, first argument, second argument) of the pairs the classifier
        scored for the label."""
        ents = list(doc.spans[PAIR_SPANS]) if PAIR_SPANS in doc.spans else []
        out = []
        for n, scored in enumerate(doc._.ldn_pair_scores or []):
            if scored.label != self.cfg["label"]:
                continue
            one, other = ents[scored.first], ents[scored.second]
            if self.role_of.get(one.label_) == SECOND:
                one, other = other, one
            out.append((n, one, other))
        return out

    def predict(self, docs: Iterable[Doc]) -> list[tuple[list[int], numpy.ndarray]]:
        """For each doc, the indices in `doc._.ldn_pair_scores` of the pairs read and their probabilities."""
        out = []
        for doc in docs:
            candidates = self.candidates(doc)
            pairs = [(first, second) for _n, first, second in candidates]
            out.append(([n for n, _first, _second in candidates], self._probabilities(pairs)))
        return out

    def _probabilities(self, pairs: list[tuple[Span, Span]]) -> numpy.ndarray:
        if not pairs:
            return numpy.zeros((0,), dtype="float32")
        logits = self.model.predict(self._inputs(pairs))
        return 1.0 / (1.0 + numpy.exp(-self.model.ops.to_numpy(logits)[:, 0]))

    def _inputs(self, pairs: list[tuple[Span, Span]]) -> tuple[Any, Any, Any]:
        return sparse_input(
            [feature_keys(path_features(first, second, self.rules)) for first, second in pairs]
        )

    def set_annotations(self, docs: Iterable[Doc], predicted: list[tuple[list[int], numpy.ndarray]]) -> None:
        weight = float(self.cfg["weight"])
        for doc, (indices, probs) in zip(docs, predicted, strict=True):
            if not indices:
                continue
            scored: list[PairScore] = list(doc._.ldn_pair_scores)
            for n, p in zip(indices, probs, strict=True):
                mixed = weight * scored[n].score + (1.0 - weight) * float(p)
                scored[n] = replace(scored[n], score=round(mixed, 4))
            doc._.ldn_pair_scores = scored

    # -- training ---------------------------------------------------------------------------------------

    def training_pairs(self, examples: Iterable[Example]) -> tuple[list[tuple[Span, Span]], list[float]]:
        """The pairs of the reference's mentions on the predicted doc (no farther apart than the classifier's
        candidates), in the documents whose corpus annotates the label, each with its truth: their concept
        ids related by the label."""
        label = self.cfg["label"]
        reach = self.max_distance()
        pairs: list[tuple[Span, Span]] = []
        truth: list[float] = []
        for eg in examples:
            reference, predicted = eg.reference, eg.predicted
            if label not in reference.user_data.get(GOLD_LABELS, []):
                continue
            ids = reference.user_data.get(GOLD_IDS, {})
            related = {(a, b) for t, a, b in reference.user_data.get(GOLD_RELATIONS, []) if t == label}
            firsts, seconds = [], []
            for e in reference.ents:
                span = predicted.char_span(e.start_char, e.end_char, label=e.label_)
                if span is None:
                    continue
                concept = ids.get(f"{e.start_char}:{e.end_char}", [])
                if e.label_ == FIRST:
                    firsts.append((span, concept))
                elif e.label_ == SECOND:
                    seconds.append((span, concept))
            for first, first_ids in firsts:
                for second, second_ids in seconds:
                    if max(first.start, second.start) - min(first.end, second.end) > reach:
                        continue  # as far apart as the classifier's candidates may be
                    pairs.append((first, second))
                    truth.append(float(any((a, b) in related for a in first_ids for b in second_ids)))
        return pairs, truth

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        pairs, truth = self.training_pairs(examples)
        if not pairs:
            return losses
        logits, backprop = self.model.begin_update(self._inputs(pairs))
        probs = 1.0 / (1.0 + numpy.exp(-self.model.ops.to_numpy(logits)[:, 0]))
        target = numpy.asarray(truth, dtype="float32")
        loss = float(
            -numpy.mean(target * numpy.log(probs + 1e-9) + (1 - target) * numpy.log(1 - probs + 1e-9))
        )
        gradient = ((probs - target) / len(target)).astype("float32").reshape(-1, 1)
        backprop(self.model.ops.asarray2f(gradient))
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None
    ) -> None:
        self.model.initialize()


@Language.factory(
    NAME,
    default_config={
        "model": {"@architectures": "ldn.PairPathModel.v1", "rows": FEATURE_ROWS},
        "label": "CID",
        "weight": 0.5,
    },
    assigns=["doc._.ldn_pair_scores"],
    requires=["doc._.ldn_pair_scores", "token.dep"],
)
def make_pair_path_scorer(
    nlp: Language, name: str, model: Model, label: str, weight: float
) -> PairPathScorer:
    """Factory of the path scorer: the label it reads again and the share of the classifier's score in the
    mixed score."""
    return PairPathScorer(nlp, model, name, label=label, weight=weight)
