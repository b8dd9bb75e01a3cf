"""The prose relation scorer (`pipeline/prose_relations.py`) and its training (`training/prose.py`): labels
read from gold files, candidate pairs, the decision (threshold, argument types, the rules' readings
first), training that learns and is deterministic, a saved pipeline that reads the same, and the one-line
errors of `ldn-graph train-prose`."""

from __future__ import annotations

import json
from hashlib import sha256
from pathlib import Path

import numpy
import pytest

from ldn_graph.errors import DataError, InputError
from ldn_graph.pipeline.prose_relations import (
    GOLD_PAIRS,
    GOLD_UNSURE,
    NAME,
    NONE,
    ProseRelationScorer,
    candidate_pairs,
    label_of,
    names_a_member,
    pair_features,
    pair_key,
    prose_predicates,
    reading,
    set_aside,
)
from ldn_graph.pipeline.rules import load_rules
from ldn_graph.training.prose import annotate, examples, gold_texts, train_prose
from tests.conftest import one_line_error
from tests.test_frames import found, parse

# Drugs that "lessened" a symptom (a verb no rule reads as treats) and sentences that name a drug and a
# disease without relating them.
TRIALS = [
    ("duloxetine", "fibromyalgia", "pregabalin"),
    ("amitriptyline", "migraine", "gabapentin"),
    ("naltrexone", "pruritus", "duloxetine"),
    ("morphine", "neuropathic pain", "ketamine"),
]


def write_gold(folder: Path, name: str, drug: str, disease: str, other: str) -> Path:
    """A text and its gold file: `drug` relieves `disease` (stated in the first sentence); `other` is named
    beside the disease in the second sentence and relates to nothing."""
    text = (
        f"In this open study, {drug} lessened {disease} in most patients. "
        f"Patients with {disease} had earlier taken {other} for several years.\n"
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    gold = {
        "document": {"file": f"{name}.txt", "sha256": sha256(text.encode()).hexdigest()},
        "concepts": [
            {"key": key, "label": name, "category": f"biolink:{category}", "xrefs": [], "mentions": [name]}
            | {"required": True}
            for key, name, category in (("d", drug, "Drug"), ("x", disease, "Disease"), ("o", other, "Drug"))
        ],
        "relations": [
            {
                "subject": ["d"],
                "predicate_group": "treats",
                "object": ["x"],
                "negated": False,
                "certainty": "asserted",
                "required": True,
                "evidence": f"{drug} lessened {disease} in most patients",
            }
        ],
        "qualifiers": [],
    }
    path = folder / f"{name}.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gold_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("prose") / "trials"
    for n, (drug, disease, other) in enumerate(TRIALS):
        write_gold(folder, f"trial{n}", drug, disease, other)
    return folder


def test_labels_are_data_and_read_both_ways():
    predicates = prose_predicates()
    assert predicates["treats"] == ("treats", False)
    assert predicates["binds"] == ("binds", True)
    assert label_of("treats", False, True) == "treats>" and label_of("treats", False, False) == "treats<"
    assert label_of("binds", True, False) == "binds"
    assert reading("treats<") == ("treats", True) and reading("treats>") == ("treats", False)
    assert reading("binds") == ("binds", False)


def test_annotations_come_from_the_sentence_that_states_them(nlp, gold_folder):
    (text,) = [t for t in gold_texts([gold_folder]) if t.text.stem == "trial0"]
    doc = nlp(text.text.read_text(encoding="utf-8"))
    pairs = candidate_pairs(doc)
    names = [(a.text, b.text) for a, b in pairs]
    assert ("duloxetine", "fibromyalgia") in names and ("fibromyalgia", "pregabalin") in names
    lexicon = nlp.get_pipe("ldn_entity_linker").lexicon
    labels, unsure = annotate(doc, text.data, lexicon)
    by_names = {(a.text, b.text): labels.get(pair_key(a, b)) for a, b in pairs}
    assert by_names[("duloxetine", "fibromyalgia")] == "treats>"
    assert by_names[("fibromyalgia", "pregabalin")] is None  # the gold relates them nowhere: NONE
    assert unsure == []


def test_features_join_the_categories(nlp):
    doc = nlp("Duloxetine lessened fibromyalgia in most patients.")
    ((first, second),) = candidate_pairs(doc)
    feats = pair_features(first, second, load_rules())
    categories = f"{first.label_}>{second.label_}"
    assert f"categories:{categories}" in feats
    assert any(f.startswith(f"{categories}|top:") for f in feats)


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        ("Unlike naloxone, naltrexone is used for alcohol dependence.", {"naloxone"}),
        ("Naltrexone may reduce fatigue rather than insomnia.", {"insomnia"}),
        ("Except for aspirin, NSAIDs increase the risk of stroke.", {"aspirin"}),
        ("Gabapentin was used instead of morphine.", {"morphine"}),
        ("Naltrexone reduced fatigue in patients with fibromyalgia.", set()),
    ],
)
def test_mentions_the_sentence_sets_apart_are_no_candidates(nlp, text, aside):
    doc = nlp(text)
    assert {e.text for e in doc.ents if set_aside(e)} == aside
    assert not {e.text for pair in candidate_pairs(doc) for e in pair} & aside


def test_a_class_noun_before_its_members_name_is_no_candidate(nlp):
    doc = nlp("Activated macrophages secrete the pro-inflammatory cytokine interleukin-6 in the gut.")
    assert [e.text for e in doc.ents if names_a_member(e)] == ["pro-inflammatory cytokine"]
    assert ("macrophages", "interleukin-6") in [(a.text, b.text) for a, b in candidate_pairs(doc)]
    assert "pro-inflammatory cytokine" not in {e.text for pair in candidate_pairs(doc) for e in pair}
    doc = nlp("The cytokine is made by macrophages.")  # no name after it: the class is what it means
    assert not [e for e in doc.ents if names_a_member(e)]


def test_set_aside_on_hand_built_parses(nlp):
    unlike = parse(
        nlp,
        """
        Unlike     unlike     ADP   IN  4 prep
        activation activation NOUN  NN  0 pobj
        of         of         ADP   IN  1 prep
        TLR4       tlr4       PROPN NNP 2 pobj
        naloxone   naloxone   PROPN NNP 5 nsubj
        helps      help       VERB  VBZ 5 ROOT
        .          .          PUNCT .   5 punct
        """,
        [(3, 4, "Protein", "toll-like-receptor-4"), (4, 5, "Drug", "naloxone")],
    )
    assert [set_aside(e) for e in unlike.ents] == [True, False]  # through "activation of", up to the verb
    rather = parse(
        nlp,
        """
        LDN       ldn       PROPN NNP 1 nsubj
        reduces   reduce    VERB  VBZ 1 ROOT
        fatigue   fatigue   NOUN  NN  1 dobj
        rather    rather    ADV   RB  4 advmod
        than      than      ADP   IN  2 cc
        insomnia  insomnia  NOUN  NN  2 conj
        .         .         PUNCT .   1 punct
        """,
        [
            (0, 1, "Drug", "low-dose-naltrexone"),
            (2, 3, "PhenotypicFeature", "fatigue"),
            (5, 6, "Disease", "insomnia"),
        ],
    )
    assert [set_aside(e) for e in rather.ents] == [False, False, True]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Headache was less common with LDN.", {"headache", "low-dose-naltrexone"}),  # a comparison
        ("Naltrexone is not regarded as an opioid agonist.", {"naltrexone", "opioid-receptor-agonist"}),
        (  # "as well as" leaves the list of a class
            "Naltrexone treats autoimmune diseases such as lupus, as well as migraine.",
            {"migraine-disorder", "autoimmune-disease"},
        ),
    ],
)
def test_what_the_frames_decline_the_scorer_leaves(nlp, text, pair):
    doc = nlp(text)
    assert (0, frozenset(pair)) in doc._.ldn_declined
    assert not [(a, b) for a, b in candidate_pairs(doc) if {a.kb_id_, b.kb_id_} == pair]
    assert not [r for r in doc._.ldn_relations if {r.subject, r.object} == pair]


def test_a_frame_declines_on_a_hand_built_parse(nlp):
    table = """
        Headache  headache NOUN  NN  1 nsubj
        was       be       AUX   VBD 1 ROOT
        {degree}  {degree} ADV   RBR 3 advmod
        common    common   ADJ   JJ  1 acomp
        with      with     ADP   IN  3 prep
        LDN       ldn      PROPN NNP 4 pobj
        .         .        PUNCT .   1 punct
        """
    ents = [(0, 1, "PhenotypicFeature", "headache"), (5, 6, "Drug", "low-dose-naltrexone")]
    pair = (0, frozenset(("headache", "low-dose-naltrexone")))
    more = parse(nlp, table.format(degree="more"), ents)
    assert ("low-dose-naltrexone", "hasSideEffect", "headache", "more-frequent-with") in found(
        nlp, more, ["ldn.frame.comparison.v1"]
    )
    assert pair not in more._.ldn_declined
    less = parse(nlp, table.format(degree="less"), ents)
    assert not found(nlp, less, ["ldn.frame.comparison.v1"])
    assert pair in less._.ldn_declined


def trained(nlp_factory, gold_folder: Path):
    nlp = nlp_factory()
    train_prose(nlp, examples(nlp, gold_texts([gold_folder])), epochs=10, quiet=True)
    return nlp


@pytest.mark.slow
def test_training_learns_is_deterministic_and_survives_saving(gold_folder, tmp_path):
    from ldn_graph.pipeline import load_pipeline

    first = trained(load_pipeline, gold_folder)
    again = trained(load_pipeline, gold_folder)
    scorer = first.get_pipe(NAME)
    assert isinstance(scorer, ProseRelationScorer)
    assert scorer.model.to_bytes() == again.get_pipe(NAME).model.to_bytes()
    assert scorer.labels[0] == NONE and "treats>" in scorer.labels

    # a drug and a symptom it lessened, unseen in training, against the same words around a NONE pair
    doc = first("In this open study, celecoxib lessened osteoarthritis in most patients.")
    ((_pairs, probs),) = scorer.predict([doc])
    treats = scorer.labels.index("treats>")
    assert probs[0, treats] > probs[0, scorer.labels.index(NONE)], probs
    scorer.cfg["threshold"] = 0.5  # a model of four texts is not sure of much
    with first.select_pipes(disable=["ldn_relation_classifier"]):  # which reads this pair too
        doc = first(doc.text)
    found = [r for r in doc._.ldn_relations if r.evidence.rule == f"{NAME}:treats>"]
    assert [(r.predicate, r.evidence.negated) for r in found] == [("treats", False)]
    assert found[0].evidence.score is not None and found[0].evidence.score >= scorer.cfg["threshold"]

    first.to_disk(tmp_path / "pipeline")
    import spacy

    loaded = spacy.load(tmp_path / "pipeline")
    ((_, reloaded),) = loaded.get_pipe(NAME).predict([loaded(doc.text)])
    assert numpy.allclose(reloaded, probs)


def test_the_decision_takes_types_threshold_and_the_rules_first(nlp):
    from thinc.api import SparseLinear_v2

    scorer = ProseRelationScorer(nlp.vocab, SparseLinear_v2(nO=4, length=16), threshold=0.6)
    scorer.cfg["labels"] = [NONE, "treats>", "treats<", "binds"]
    doc = nlp("In this open study, duloxetine lessened fibromyalgia in most patients.")
    doc._.ldn_relations = []
    pairs = candidate_pairs(doc)
    assert [(a.label_, b.label_) for a, b in pairs] == [("Drug", "Disease")]
    # binds does not take a disease, treats< would make the disease the subject: treats> wins at 0.35
    probs = numpy.asarray([[0.05, 0.35, 0.2, 0.4]], dtype="float32")
    assert scorer.best_label(*pairs[0], probs[0]) == ("treats>", pytest.approx(0.35))
    assert scorer.relations(doc, pairs, probs) == []  # below the threshold
    probs = numpy.asarray([[0.1, 0.8, 0.05, 0.05]], dtype="float32")
    (relation,) = scorer.relations(doc, pairs, probs)
    drug, disease = pairs[0]
    assert (relation.subject, relation.predicate, relation.object) == (drug.kb_id_, "treats", disease.kb_id_)
    # a rule's reading of the two concepts in that sentence stands
    doc._.ldn_relations = [relation]
    assert scorer.relations(doc, pairs, probs) == []


def test_a_gold_file_without_its_text_is_a_one_line_error(tmp_path, capsys):
    from ldn_graph.cli import main

    gold = write_gold(tmp_path / "set", "a", "duloxetine", "fibromyalgia", "pregabalin")
    (tmp_path / "set" / "a.txt").write_text("another text\n", encoding="utf-8")
    with pytest.raises(DataError, match="sha256"):
        gold_texts([gold])
    (tmp_path / "set" / "a.txt").unlink()
    with pytest.raises(InputError, match="not beside it"):
        gold_texts([tmp_path / "set"])
    assert main(["train-prose", str(tmp_path / "set"), "--output", str(tmp_path / "out")]) != 0
    assert "a.gold.json" in one_line_error(capsys)
    assert not (tmp_path / "out").exists()


def test_unsure_pairs_are_left_out_of_the_loss(nlp, gold_folder):
    (eg,) = examples(nlp, [t for t in gold_texts([gold_folder]) if t.text.stem == "trial1"])
    assert isinstance(eg.reference.user_data[GOLD_PAIRS], dict)
    assert eg.reference.user_data[GOLD_UNSURE] == []


@pytest.mark.slow
def test_train_prose_writes_the_pipeline_with_the_scorer_and_nothing_else_changed(gold_folder, tmp_path):
    import spacy

    from ldn_graph.cli import main
    from ldn_graph.pipeline import shipped_model

    output = tmp_path / "pipeline"
    assert main(["train-prose", str(gold_folder), "--output", str(output)]) == 0
    nlp = spacy.load(output)
    assert nlp.pipe_names[-1] == NAME
    assert "treats>" in nlp.get_pipe(NAME).labels
    shipped = shipped_model()
    assert shipped is not None
    # the pipeline that read the gold texts is not the one saved: the shipped one's files are unchanged
    for name in ("vocab/strings.json", "bio_ner/model", "ldn_relation_classifier/model"):
        assert (output / name).read_bytes() == (shipped / name).read_bytes(), name
