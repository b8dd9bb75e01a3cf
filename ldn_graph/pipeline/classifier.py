"""Learned relation extraction: a trainable spaCy component that scores entity pairs.

Every pair of entities (in text order, at most `max_distance` tokens apart, both with an argument role)
gets a probability for each relation type of the corpora it was trained on (BioRED's eight, BC5CDR's
chemical-induced disease). A pair scoring at least `threshold` for a type becomes a `Relation` with the
predicate `ontology/corpus-relations.tsv` gives it; its evidence names the component, the label and the
score, and carries the same hedging and negation reading as a rule's. All pair scores above `keep` are
kept in `doc._.ldn_pair_scores` for document-level use (the corpora's measures pair concepts, not mentions).

Training data (`ldn_graph.training.convert`): reference docs whose entities carry their concept ids, with
the document's relations between ids in `doc.user_data`. A pair is taught a label when its two mentions'
ids are related by it; a label the document's corpus does not annotate is left out of the loss.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d, Ints2d

from ldn_graph.corpora.labels import ROLES, orient, relation_labels, roles
from ldn_graph.model import Evidence, Relation
from ldn_graph.pipeline import context
from ldn_graph.pipeline.extensions import register_extensions
from ldn_graph.pipeline.pair_features import PairScore, candidate_pairs, pair_rows
from ldn_graph.pipeline.pair_loss import pair_cross_entropy, sigmoid
from ldn_graph.pipeline.relations import sentence_qualifiers
from ldn_graph.pipeline.rules import Rules, load_rules

# Keys of the training annotations in a reference doc's user_data (msgpack-able, kept by DocBin).
GOLD_IDS = "ldn_gold_ids"  # "start:end" of a mention -> its concept ids
GOLD_RELATIONS = "ldn_gold_relations"  # [type, id1, id2] per document-level relation
GOLD_LABELS = "ldn_gold_labels"  # the relation types the document's corpus annotates
# Labels decided for chemical-disease pairs only (BC5CDR annotates no other pair).
PAIR_ROLES_OF_LABEL = {"CID": frozenset({("CHEMICAL", "DISEASE"), ("DISEASE", "CHEMICAL")})}
RULE_NAME = "ldn_relation_classifier"
PAIR_SPANS = "ldn_pair_entities"  # doc.spans key: the entities PairScore indices refer to
# The least score of a relation the classifier puts in the graph. Chosen on the team's development texts
# (the article and tests/data/unseen/): at 0.5 the chemical-induced-disease label read "a woman with
# rheumatoid arthritis was started on LDN" as LDN causing arthritis (scores 0.59 and 0.67: 2 of that
# text's 4 false edges), and the article's relation precision was 0.966; at 0.7 it is 1.000 and that
# text's 0.857.
GRAPH_THRESHOLD = 0.7
# The labels whose relations enter the graph. BioRED's Association says only that two things are related
# (its commonest label); on the team's texts the classifier's associations were mostly false edges where
# the rules read the same sentences more precisely, so it serves the corpus measures only.
GRAPH_LABELS = (
    "CID",
    "Positive_Correlation",
    "Negative_Correlation",
    "Bind",
    "Cotreatment",
    "Drug_Interaction",
    "Comparison",
    "Conversion",
)

DEFAULT_MODEL = """
[model]
@architectures = "ldn.PairClassifier.v1"
hidden_width = 128
dropout = 0.1
n_roles = 6

[model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3
"""


class RelationClassifier(TrainablePipe):
    """spaCy component: scores entity pairs and adds the confident ones to `doc._.ldn_relations`."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = RULE_NAME,
        *,
        threshold: float = 0.5,
        keep: float = 0.1,
        max_distance: int = 60,
        graph_labels: Sequence[str] = GRAPH_LABELS,
        graph_threshold: float = GRAPH_THRESHOLD,
    ) -> None:
        register_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        self.role_of = roles()  # graph category or NER label -> argument role
        self.cfg: dict[str, Any] = {
            "labels": [],
            # The argument roles in the order of the model's role features: saved with the model, so a
            # changed table cannot shift them under a trained model.
            "roles": list(ROLES),
            "threshold": threshold,
            "thresholds": {},  # per label, tuned on the development sets by `make train`
            # per label, for a document-level pair whose best evidence spans sentences (tuned likewise)
            "cross_thresholds": {},
            "keep": keep,
            "max_distance": max_distance,
            "graph_labels": list(graph_labels),
            # The tuned thresholds maximise document-level F1, where one mention pair of many suffices;
            # a relation in the graph stands on one sentence, so it needs at least this score
            # (GRAPH_THRESHOLD).
            "graph_threshold": graph_threshold,
        }
        self._rules: Rules | None = None
        self._settings = {
            k: self.cfg[k] for k in ("threshold", "keep", "max_distance", "graph_labels", "graph_threshold")
        }

    @property
    def rules(self) -> Rules:
        """The rule data (hedging and negation cues, populations), read at first use."""
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> RelationClassifier:
        """Load the model and what training learned (labels, tuned thresholds, roles); the settings come
        from the config (a saved cfg would otherwise override `spacy.load(..., config=...)`)."""
        super().from_disk(path, exclude=exclude)
        self.cfg.update(self._settings)
        return self

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> RelationClassifier:
        super().from_bytes(bytes_data, exclude=exclude)
        self.cfg.update(self._settings)
        return self

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.cfg["roles"])

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    def threshold_of(self, label: str, *, across: bool = False) -> float:
        """The score from which a label is predicted: its tuned threshold, else the default. `across`: for
        a pair of mentions in different sentences (its own tuned threshold, else the same)."""
        same = float(self.cfg.get("thresholds", {}).get(label, self.cfg["threshold"]))
        return float(self.cfg.get("cross_thresholds", {}).get(label, same)) if across else same

    def set_thresholds(self, thresholds: dict[str, float], across: dict[str, float] | None = None) -> None:
        """Set the tuned thresholds: within a sentence, and (when given) across sentences."""
        self.cfg["thresholds"] = {k: round(float(v), 4) for k, v in sorted(thresholds.items())}
        if across is not None:
            self.cfg["cross_thresholds"] = {k: round(float(v), 4) for k, v in sorted(across.items())}

    def add_label(self, label: str) -> int:
        if label in self.cfg["labels"]:
            return 0
        self.cfg["labels"].append(label)
        return 1

    # -- prediction ---------------------------------------------------------------------------------------

    def entities(self, doc: Doc) -> list[Span]:
        """The entities pairs are made of: the linked ones, and the recogniser's spans of kinds the graph
        has no class for (variants, species), which the corpora relate all the same."""
        ents = list(doc.ents)
        taken = {i for e in ents for i in range(e.start, e.end)}
        extra = [
            s
            for s in doc.spans.get("ldn_ner", [])
            if s.label_ in self.role_of and not any(i in taken for i in range(s.start, s.end))
        ]
        return sorted(ents + extra, key=lambda s: (s.start, s.end)) if extra else ents

    def predict(self, docs: Iterable[Doc]) -> tuple[list[list[tuple[int, int]]], Floats2d]:
        docs = list(docs)
        entities = [self.entities(doc) for doc in docs]
        pairs = [candidate_pairs(ents, self.role_of, self.cfg["max_distance"]) for ents in entities]
        if not any(pairs):
            return pairs, self.model.ops.alloc2f(0, len(self.labels))
        rows = [pair_rows(ents, p, self.role_of, self.roles) for ents, p in zip(entities, pairs, strict=True)]
        scores = self.model.predict((docs, rows))
        return pairs, self.model.ops.to_numpy(sigmoid(self.model.ops.to_numpy(scores)))

    def set_annotations(
        self, docs: Iterable[Doc], predicted: tuple[list[list[tuple[int, int]]], Floats2d]
    ) -> None:
        pairs, probs = predicted
        start = 0
        for doc, doc_pairs in zip(docs, pairs, strict=True):
            block = probs[start : start + len(doc_pairs)]
            start += len(doc_pairs)
            ents = self.entities(doc)
            scored = [
                PairScore(i, j, label, round(float(block[n, k]), 4))
                for n, (i, j) in enumerate(doc_pairs)
                for k, label in enumerate(self.labels)
                if block[n, k] >= self.cfg["keep"] and self._applies(label, ents[i], ents[j])
            ]
            doc.spans[PAIR_SPANS] = ents  # what PairScore's indices point into
            doc._.ldn_pair_scores = scored
            relations = self.relations(doc, scored)
            if relations:
                doc._.ldn_relations = [*(doc._.ldn_relations or []), *relations]

    def _applies(self, label: str, first: Span, second: Span) -> bool:
        allowed = PAIR_ROLES_OF_LABEL.get(label)
        return allowed is None or (self.role_of[first.label_], self.role_of[second.label_]) in allowed

    def relations(self, doc: Doc, scored: Sequence[PairScore]) -> list[Relation]:
        """Relations of the pairs scored at least `threshold`, each pair's best label first."""
        if not doc.has_annotation("SENT_START"):
            return []  # a relation in the graph stands on a sentence; without any, the scores alone serve
        best: dict[tuple[int, int], PairScore] = {}
        for s in scored:
            pair = (s.first, s.second)
            floor = max(self.threshold_of(s.label), self.cfg["graph_threshold"])
            if s.score >= floor and (pair not in best or s.score > best[pair].score):
                best[pair] = s
        # A pair whose best reading is a bare association stays out of the graph (`graph_labels`).
        best = {pair: s for pair, s in best.items() if s.label in self.cfg["graph_labels"]}
        # Where the rules related two concepts in a sentence, their reading stands (they are the more
        # precise where they fire); each assertion gets one evidence per sentence, the best-scored.
        ruled = sentence_readings(doc)
        kept: dict[tuple[int, str, str, str, bool], Relation] = {}
        starts = [s.start for s in doc.sents]
        ents = doc.spans[PAIR_SPANS]
        for (i, j), s in sorted(best.items()):
            first, second = ents[i], ents[j]
            if not first.kb_id_ or not second.kb_id_ or first.kb_id_ == second.kb_id_:
                continue
            if unidentified(doc, first) or unidentified(doc, second):
                continue  # the classifier relates identified concepts; names nothing links stay out
            if first.sent.start != second.sent.start:
                continue  # a relation in the graph stands on one sentence; wider pairs serve the corpora
            oriented = orient(s.label, self.role_of[first.label_], self.role_of[second.label_])
            if oriented is None:
                continue
            if (first.sent.start_char, frozenset((first.kb_id_, second.kb_id_))) in ruled:
                continue
            predicate, swap = oriented
            subject, obj = (second, first) if swap else (first, second)
            evidence = self._evidence(doc, first, second, s, starts)
            key = (evidence.start, subject.kb_id_, predicate, obj.kb_id_, evidence.negated)
            if key not in kept or (evidence.score or 0) > (kept[key].evidence.score or 0):
                quals = sentence_qualifiers(first.sent, self.rules, subject, predicate)
                kept[key] = Relation(subject.kb_id_, predicate, obj.kb_id_, evidence, quals)
        return [kept[k] for k in sorted(kept)]

    def _evidence(
        self, doc: Doc, first: Span, second: Span, scored: PairScore, starts: list[int]
    ) -> Evidence:
        """The sentence of the two mentions, with the hedging and negation read there (`starts`: the
        sentences' first tokens)."""
        return pair_evidence(first, second, self.rules, f"{self.name}:{scored.label}", scored.score, starts)

    # -- training -----------------------------------------------------------------------------------------

    def _instances(self, examples: Iterable[Example]) -> PairBatch:
        """Inputs, targets and loss mask of the pairs of the reference entities, on the predicted docs."""
        docs, rows, truth, mask = [], [], [], []
        labels = self.labels
        for eg in examples:
            predicted, reference = eg.predicted, eg.reference
            ids = reference.user_data.get(GOLD_IDS, {})
            related: dict[frozenset[str], set[str]] = {}
            for rel_type, id1, id2 in reference.user_data.get(GOLD_RELATIONS, []):
                related.setdefault(frozenset((id1, id2)), set()).add(rel_type)
            annotated = set(reference.user_data.get(GOLD_LABELS, []))
            ents = [
                span
                for e in reference.ents
                if (span := predicted.char_span(e.start_char, e.end_char, label=e.label_)) is not None
            ]
            ent_ids = [ids.get(f"{e.start_char}:{e.end_char}", []) for e in ents]
            pairs = candidate_pairs(ents, self.role_of, self.cfg["max_distance"])
            docs.append(predicted)
            concepts = [i[0] if i else e.text.lower() for e, i in zip(ents, ent_ids, strict=True)]
            rows.append(pair_rows(ents, pairs, self.role_of, self.roles, concepts))
            for i, j in pairs:
                types: set[str] = set()
                for a in ent_ids[i]:
                    for b in ent_ids[j]:
                        types |= related.get(frozenset((a, b)), set())
                truth.append([label in types for label in labels])
                mask.append(
                    [label in annotated and self._applies(label, ents[i], ents[j]) for label in labels]
                )
        return PairBatch(
            docs,
            rows,
            numpy.asarray(truth, dtype="float32").reshape(-1, len(labels)),
            numpy.asarray(mask, dtype="float32").reshape(-1, len(labels)),
        )

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
        batch = self._instances(examples)
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update((batch.docs, batch.rows))
        loss, d_scores = self.get_loss(examples, (scores, batch))
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Floats2d]:
        """Binary cross-entropy of each annotated label, averaged over the pairs."""
        logits, batch = scores
        logits_np = self.model.ops.to_numpy(logits).astype("float64")
        loss, d = pair_cross_entropy(logits_np, batch.truth, batch.mask)
        return loss, self.model.ops.asarray2f(cast(Floats2d, d.astype("float32")))

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Iterable[str] | None = None,
    ) -> None:
        validate_get_examples(get_examples, "RelationClassifier.initialize")
        if labels is None:
            labels = relation_labels()
        for label in labels:
            self.add_label(label)
        self.model.set_dim("nO", len(self.labels))
        sample = list(islice(get_examples(), 10))
        batch = self._instances(sample)
        self.model.initialize(X=(batch.docs, batch.rows))

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """Mention-pair precision, recall and F1 on the reference entities, every label pooled."""
        tp = fp = fn = 0
        examples = list(examples)
        # Score with the reference entities: the NER's own figures are scored apart.
        docs = []
        for eg in examples:
            doc = eg.predicted.copy()
            doc.ents = [
                s
                for e in eg.reference.ents
                if (s := doc.char_span(e.start_char, e.end_char, label=e.label_)) is not None
            ]
            docs.append(doc)
        batch = self._instances([Example(d, eg.reference) for d, eg in zip(docs, examples, strict=True)])
        if len(batch.truth):
            probs = sigmoid(self.model.ops.to_numpy(self.model.predict((batch.docs, batch.rows))))
            truth, mask = batch.truth, batch.mask
            guess = (probs >= self.cfg["threshold"]) & (mask > 0)
            gold = (truth > 0) & (mask > 0)
            tp, fp, fn = int((guess & gold).sum()), int((guess & ~gold).sum()), int((~guess & gold).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"rel_micro_p": p, "rel_micro_r": r, "rel_micro_f": 2 * p * r / (p + r) if p + r else 0.0}


@dataclass
class PairBatch:
    """The pairs of a batch of examples: model inputs, targets and loss mask (pairs x labels)."""

    docs: list[Doc]
    rows: list[Ints2d]
    truth: numpy.ndarray
    mask: numpy.ndarray


CLAUSE_ARGUMENTS = frozenset(("nsubj", "nsubjpass", "dobj", "attr", "oprd"))


def pair_evidence(
    first: Span, second: Span, rules: Rules, rule: str, score: float, starts: list[int]
) -> Evidence:
    """The evidence of a relation a model read between two mentions of one sentence: the sentence, the
    hedging and negation read in the parse around the two (as for the rules' relations), what found it
    (`rule`: component and label) and its score (`starts`: the doc's sentences' first tokens)."""
    doc, sent = first.doc, first.sent
    hedged = negated = False
    if doc.has_annotation("DEP"):
        trigger = _common_head(first.root, second.root)
        hedged = context.is_hedged(rules, trigger)
        negated = context.is_negated(rules, trigger, (first.root, second.root))
    return Evidence(
        document=doc._.ldn_doc_key,
        start=sent.start_char,
        end=sent.end_char,
        text=sent.text,
        sentence_index=bisect_right(starts, sent.start) - 1,
        certainty="hedged" if hedged else "asserted",
        negated=negated,
        rule=rule,
        score=score,
    )


def sentence_readings(doc: Doc) -> set[tuple[int, frozenset[str]]]:
    """(sentence start, the two concepts) of each relation the doc has so far: a later component leaves a
    pair of concepts another already related in that sentence to its reading."""
    return {(r.evidence.start, frozenset((r.subject, r.object))) for r in doc._.ldn_relations or []}


def unidentified(doc: Doc, span: Span) -> bool:
    """Whether a span's concept is project-local with no identifier (a name only the recogniser found)."""
    local = (doc._.ldn_local_concepts or {}).get(span.kb_id_)
    return local is not None and not local.normalised


def _common_head(a: Any, b: Any) -> Any:
    """Where the relation's hedging and negation are read: the lowest token that governs both mentions,
    or, when that is a noun phrase that is the subject or object of a verb ("Haloperidol-induced catalepsy
    was not observed"), that verb."""
    ancestors = {a.i, *(t.i for t in a.ancestors)}
    head = next((t for t in (b, *b.ancestors) if t.i in ancestors), a.sent.root)
    while head.pos_ in ("NOUN", "PROPN") and head.dep_ in CLAUSE_ARGUMENTS and head.head.i != head.i:
        head = head.head
    return head


@Language.factory(
    RULE_NAME,
    default_config={
        "model": Config().from_str(DEFAULT_MODEL)["model"],
        "threshold": 0.5,
        "keep": 0.1,
        "max_distance": 60,
        "graph_labels": list(GRAPH_LABELS),
        "graph_threshold": GRAPH_THRESHOLD,
    },
    assigns=["doc._.ldn_relations", "doc._.ldn_pair_scores"],
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_classifier(
    nlp: Language,
    name: str,
    model: Model,
    threshold: float,
    keep: float,
    max_distance: int,
    graph_labels: list[str],
    graph_threshold: float,
) -> RelationClassifier:
    """Factory of the `ldn_relation_classifier` component."""
    return RelationClassifier(
        nlp.vocab,
        model,
        name,
        threshold=threshold,
        keep=keep,
        max_distance=max_distance,
        graph_labels=graph_labels,
        graph_threshold=graph_threshold,
    )
