"""Learned extraction: corpus conversion, the names table, the pair features and the relation classifier,
trained here on tiny hand-made data with spaCy's own machinery."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

from ldn_graph.corpora.labels import ROLES, orient, relation_labels, roles
from ldn_graph.corpora.pubtator import AnnotatedDocument, Annotation, PairRelation
from ldn_graph.pipeline.classifier import GOLD_IDS, GOLD_LABELS, GOLD_RELATIONS, candidate_pairs, pair_rows
from ldn_graph.pipeline.names import Name, build_names, curie, read_names, species_key, write_names
from ldn_graph.pipeline.pair_features import extra_width, pool_pairs, sentence_end_counts
from ldn_graph.training.convert import ConversionReport, to_doc
from ldn_graph.training.corpus import merged

NALOXONE, HYPOTENSION = "D009270", "D007022"


def annotated(pmid: str, text: str, mentions: list[tuple[str, str, str]], relations=()) -> AnnotatedDocument:
    """A one-line abstract with mentions given as (words, type, id); offsets found in the text."""
    title, _, abstract = text.partition(" ")
    doc = AnnotatedDocument(pmid, title, abstract)
    for words, kind, ident in mentions:
        start = doc.text.index(words)
        doc.annotations.append(Annotation(start, start + len(words), words, kind, (ident,)))
    doc.relations = [PairRelation(*r) for r in relations]
    return doc


# -- tables -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "first", "second", "expected"),
    [
        ("CID", "CHEMICAL", "DISEASE", ("causes", False)),  # the chemical causes the disease
        ("CID", "DISEASE", "CHEMICAL", ("causes", True)),  # text order does not decide the direction
        ("Negative_Correlation", "CHEMICAL", "DISEASE", ("treats", False)),
        ("Positive_Correlation", "GENE", "DISEASE", ("associatedWith", False)),  # correlation, not cause
        ("Bind", "GENE", "CHEMICAL", ("binds", False)),
    ],
)
def test_labels_orient_gives_predicate_and_direction(label, first, second, expected):
    assert orient(label, first, second) == expected


def test_labels_cover_both_corpora_and_roles_map_categories():
    assert {"CID", "Association", "Positive_Correlation", "Bind"} <= set(relation_labels())
    assert roles()["Drug"] == "CHEMICAL" and roles()["PhenotypicFeature"] == "DISEASE"


# -- conversion -------------------------------------------------------------------------------------------


def test_convert_keeps_mentions_ids_and_relations():
    nlp = spacy.blank("en")
    gold = annotated(
        "1",
        "Naloxone-induced hypotension in rats.",
        [("Naloxone", "Chemical", NALOXONE), ("hypotension", "Disease", HYPOTENSION)],
        [("CID", NALOXONE, HYPOTENSION)],
    )
    report = ConversionReport()
    doc = to_doc(nlp, gold, ["CID"], report)
    assert [(e.text, e.label_) for e in doc.ents] == [("Naloxone", "CHEMICAL"), ("hypotension", "DISEASE")]
    assert doc.user_data[GOLD_IDS]["0:8"] == [NALOXONE]
    assert doc.user_data[GOLD_RELATIONS] == [["CID", NALOXONE, HYPOTENSION]]
    assert doc.user_data[GOLD_LABELS] == ["CID"]
    assert report.mentions == 2 and not report.dropped


def test_convert_drops_the_inner_of_nested_mentions():
    nlp = spacy.blank("en")
    gold = annotated("2", "Renal disease end-stage renal disease.", [])
    text = gold.text
    outer_start = text.index("end-stage")
    gold.annotations = [
        Annotation(outer_start, len(text) - 1, "end-stage renal disease", "Disease", ("D007676",)),
        Annotation(text.index("renal", outer_start), len(text) - 1, "renal disease", "Disease", ("D007674",)),
    ]
    report = ConversionReport()
    doc = to_doc(nlp, gold, ["CID"], report)
    assert [e.text for e in doc.ents] == ["end-stage renal disease"]  # the outer one is kept
    assert report.dropped == {"overlaps another mention": 1}


def test_corpus_merge_takes_biored_mentions_and_both_relation_sets():
    biored = annotated(
        "7",
        "Naloxone lowers pressure.",
        [("Naloxone", "ChemicalEntity", NALOXONE)],
        [("Association", "a", "b")],
    )
    bc5cdr = annotated(
        "7", "Naloxone lowers pressure.", [("Naloxone", "Chemical", NALOXONE)], [("CID", "a", "c")]
    )
    (doc,) = merged([biored], [bc5cdr])
    assert doc.document.annotations[0].type == "ChemicalEntity"
    assert {r.type for r in doc.document.relations} == {"Association", "CID"}
    assert "CID" in doc.labels and "Association" in doc.labels


# -- names learned from the corpora -------------------------------------------------------------------------


def test_names_keep_the_majority_reading_and_round_trip(tmp_path):
    mentions = [
        ("hypotension", "DISEASE", (HYPOTENSION,), "hypotension"),
        ("hypotension", "DISEASE", (HYPOTENSION,), "Hypotension"),
        ("hypotension", "DISEASE", ("D000001",), "hypotension"),
        ("ambiguous", "DISEASE", ("D1",), "ambiguous"),
        ("ambiguous", "CHEMICAL", ("D2",), "ambiguous"),
        ("ambiguous", "GENE", ("3",), "ambiguous"),
    ]
    table = build_names(mentions)
    assert table["hypotension"] == Name("DISEASE", (HYPOTENSION,), "hypotension", 3)
    assert "ambiguous" not in table  # no reading has half of the mentions
    write_names(table, tmp_path / "names.tsv")
    assert read_names(tmp_path / "names.tsv") == table


def test_names_round_trip_variant_ids_and_several_ids(tmp_path):
    """tmVar variant ids are "|"-separated fields; a row's ids must come back as they went in."""
    variant, pair = ("p|SUB|E|333|D", "rs1234"), ("D001", "D002")
    table = {
        "e333d": Name("VARIANT", variant, "E333D", 2),
        "two ids": Name("CHEMICAL", pair, "two ids", 3),
    }
    write_names(table, tmp_path / "names.tsv")
    assert read_names(tmp_path / "names.tsv") == table


def test_names_learn_a_gene_per_organism():
    """A gene's id is one organism's: the documents about mice and those about people read "IL-10" apart;
    a chemical's MeSH id is the same for both, so it gets no row per organism."""
    mouse, human = "10090", "9606"
    mentions = [
        *[("il 10", "GENE", ("16153",), "IL-10", mouse)] * 4,
        *[("il 10", "GENE", ("3586",), "IL-10", human)] * 2,
        ("il 10", "GENE", ("3586",), "IL-10", ""),
        *[("ethanol", "CHEMICAL", ("D000431",), "ethanol", mouse)] * 2,
        ("ethanol", "CHEMICAL", ("D000438",), "ethanol", human),
    ]
    table = build_names(mentions)
    assert table["il 10"].ids == ("16153",)  # the commonest reading overall
    assert table[species_key("il 10", human)].ids == ("3586",)
    assert species_key("il 10", mouse) not in table  # the same as the general row
    assert not any(k.startswith("ethanol ") for k in table)


def test_linker_reads_a_gene_as_the_organism_the_document_names(nlp):
    from ldn_graph.pipeline.entities import EntityLinker

    linker = EntityLinker(nlp, "linker", nlp.get_pipe("ldn_entity_linker").lexicon)
    linker.set_names(
        build_names(
            [
                *[("il 10", "GENE", ("16153",), "IL-10", "10090")] * 2,
                ("il 10", "GENE", ("3586",), "IL-10", "9606"),
                ("mice", "SPECIES", ("10090",), "mice", "10090"),
                ("patients", "SPECIES", ("9606",), "patients", "9606"),
            ]
        )
    )
    read = {}
    for text in ("IL-10 in mice", "IL-10 in patients", "IL-10 alone"):
        doc = nlp.make_doc(text)
        gene = doc.char_span(0, 5, "GENE")
        organism = Span(doc, len(doc) - 1, len(doc), "SPECIES")
        doc.spans["ldn_ner"] = [gene] if text.endswith("alone") else [gene, organism]
        read[text] = linker.learned_name(gene).ids
    assert read == {"IL-10 in mice": ("16153",), "IL-10 in patients": ("3586",), "IL-10 alone": ("16153",)}


def test_linker_links_a_gene_symbol_spelled_another_way(nlp):
    """The recogniser's "Bcl-2" and "TGF-β1" are the lexicon's HGNC symbols BCL2 and TGFB1."""
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc("Bcl-2 and TGF-β1 and Bcl-2")
    found = {}
    for span in (doc.char_span(0, 5, "GENE"), doc.char_span(10, 16, "GENE")):
        concept = linker.lexicon.get(linker.gene_symbol(span))
        found[span.text] = [x for x in concept.xrefs if x.startswith("HGNC:")]
    assert found == {"Bcl-2": ["HGNC:990"], "TGF-β1": ["HGNC:11766"]}
    assert linker.gene_symbol(doc.char_span(0, 5, "DISEASE")) is None  # genes only


@pytest.mark.parametrize(
    ("ident", "label", "expected"),
    [
        ("D009270", "CHEMICAL", "MESH:D009270"),
        ("3569", "GENE", "NCBIGene:3569"),
        ("p|SUB|E|333|D", "VARIANT", None),
    ],
)
def test_names_curie_by_scheme(ident, label, expected):
    assert curie(ident, label) == expected


# -- pair features ------------------------------------------------------------------------------------------


def test_pair_features_backprop_matches_numeric_gradient():
    rng = numpy.random.default_rng(0)
    vecs = rng.normal(size=(9, 4)).astype("float64")
    pairs = numpy.asarray([[0, 2, 5, 6, 0, 1, 1, 0, 0, 3], [2, 3, 3, 5, 2, 0, 0, 0, 1, 2]], dtype="int32")
    ends = numpy.zeros(9, dtype="int32")
    feats, backprop = pool_pairs(vecs, pairs, ends, n_roles=3)
    weights = rng.normal(size=feats.shape)
    analytic = backprop(weights.astype("float32"))
    numeric = numpy.zeros_like(vecs)
    for i in range(vecs.shape[0]):
        for j in range(vecs.shape[1]):
            for sign in (1, -1):
                bumped = vecs.copy()
                bumped[i, j] += sign * 1e-4
                numeric[i, j] += sign * (pool_pairs(bumped, pairs, ends, 3)[0] * weights).sum() / 2e-4
    assert feats.shape == (2, 3 * 4 + extra_width(3))
    assert numpy.allclose(analytic, numeric, atol=1e-2)


def test_pair_rows_mark_title_concepts_and_mention_counts():
    doc = spacy.blank("en")("Lithium toxicity . Lithium caused tremor and lithium levels rose .")
    ents = [
        Span(doc, 0, 1, "CHEMICAL"),
        Span(doc, 1, 2, "DISEASE"),
        Span(doc, 3, 4, "CHEMICAL"),
        Span(doc, 5, 6, "DISEASE"),
        Span(doc, 7, 8, "CHEMICAL"),
    ]
    rows = pair_rows(ents, [(2, 3)], roles(), ROLES)
    # lithium: in the title, 3 mentions (bucket 2); tremor: not in the title, 1 mention (bucket 0)
    assert rows.tolist()[0][6:] == [1, 0, 2, 0]


def test_pair_features_count_sentence_ends_between_mentions():
    doc = spacy.blank("en")("Aspirin works . It helps . Then headache")
    counts = sentence_end_counts(doc)
    assert counts[len(doc) - 2] - counts[1] == 2  # two full stops between "works" and "headache"


def test_candidate_pairs_respect_roles_and_distance():
    doc = spacy.blank("en")("aspirin causes headache and nausea in mice far far away ibuprofen")
    doc.ents = [
        Span(doc, 0, 1, "CHEMICAL"),
        Span(doc, 2, 3, "DISEASE"),
        Span(doc, 4, 5, "DISEASE"),
        Span(doc, 6, 7, "Population"),  # no role: takes no part
        Span(doc, 10, 11, "CHEMICAL"),
    ]
    assert candidate_pairs(doc.ents, roles(), max_distance=5) == [(0, 1), (0, 2), (1, 2), (2, 4)]


# -- the classifier, trained with nlp.update ----------------------------------------------------------------

TEMPLATES = [
    ("{c}-induced {d} was seen.", True),
    ("{c} caused {d} in rats.", True),
    ("{d} developed after {c}.", True),
    ("{c} was given ; {d} was absent.", False),
    ("{c} and {d} were unrelated.", False),
    ("Patients with {d} took {c} safely.", False),
]
CHEMICALS = ["cocaine", "lithium", "heparin", "cisplatin", "haloperidol", "morphine"]
DISEASES = ["seizures", "nephrotoxicity", "bradycardia", "hepatitis", "psychosis", "fever"]


def tiny_examples(nlp) -> list[Example]:
    out = []
    for n, ((template, related), chem, dis) in enumerate(
        (t, c, d) for t in TEMPLATES for c in CHEMICALS for d in DISEASES[:3]
    ):
        text = template.format(c=chem, d=dis)
        gold = AnnotatedDocument(str(n), text.split(" ")[0], " ".join(text.split(" ")[1:]))
        for words, kind, ident in ((chem, "Chemical", f"C{chem}"), (dis, "Disease", f"D{dis}")):
            start = gold.text.index(words)
            gold.annotations.append(Annotation(start, start + len(words), words, kind, (ident,)))
        if related:
            gold.relations.append(PairRelation("CID", f"C{chem}", f"D{dis}"))
        reference = to_doc(nlp, gold, ["CID"], ConversionReport())
        out.append(Example(nlp.make_doc(text), reference))
    return out


def tiny_pipeline(seed: int = 1):
    from thinc.api import fix_random_seed

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe(
        "tok2vec",
        name="bio_tok2vec",
        config={
            "model": {
                "@architectures": "spacy.Tok2Vec.v2",
                "embed": {
                    "@architectures": "spacy.MultiHashEmbed.v2",
                    "width": 32,
                    "attrs": ["NORM", "SHAPE"],
                    "rows": [500, 50],
                    "include_static_vectors": False,
                },
                "encode": {
                    "@architectures": "spacy.MaxoutWindowEncoder.v2",
                    "width": 32,
                    "depth": 1,
                    "window_size": 1,
                    "maxout_pieces": 2,
                },
            }
        },
    )
    nlp.add_pipe(
        "ldn_relation_classifier",
        config={
            "model": {
                "@architectures": "ldn.PairClassifier.v1",
                "hidden_width": 16,
                "tok2vec": {
                    "@architectures": "spacy.Tok2VecListener.v1",
                    "width": 32,
                    "upstream": "bio_tok2vec",
                },
            }
        },
    )
    examples = tiny_examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    return nlp, examples, optimizer


def pair_scores(nlp, examples) -> numpy.ndarray:
    docs = []
    for eg in examples:
        doc = nlp.make_doc(eg.reference.text)
        doc.ents = [Span(doc, e.start, e.end, e.label_) for e in eg.reference.ents]
        docs.append(doc)
    classifier = nlp.get_pipe("ldn_relation_classifier")
    for _name, proc in nlp.pipeline:
        if proc is not classifier:
            docs = list(proc.pipe(docs))
    _pairs, probs = classifier.predict(docs)
    return probs[:, list(classifier.labels).index("CID")]


@pytest.mark.slow
def test_classifier_learns_a_relation_and_serialises(tmp_path):
    nlp, examples, optimizer = tiny_pipeline()
    first = last = None
    for _epoch in range(12):
        losses: dict[str, float] = {}
        for start in range(0, len(examples), 8):
            nlp.update(examples[start : start + 8], sgd=optimizer, losses=losses)
        first = first if first is not None else losses["ldn_relation_classifier"]
        last = losses["ldn_relation_classifier"]
    assert last < first / 2
    scores = pair_scores(nlp, examples)
    related = numpy.asarray([bool(eg.reference.user_data[GOLD_RELATIONS]) for eg in examples])
    assert scores[related].mean() > 0.8 and scores[~related].mean() < 0.2
    nlp.to_disk(tmp_path / "tiny")
    reloaded = spacy.load(tmp_path / "tiny")
    assert numpy.allclose(pair_scores(reloaded, examples), scores, atol=1e-6)


def test_classifier_training_is_deterministic():
    weights = []
    for _ in range(2):
        nlp, examples, optimizer = tiny_pipeline(seed=3)
        nlp.update(examples[:8], sgd=optimizer)
        weights.append(nlp.get_pipe("ldn_relation_classifier").model.to_bytes())
    assert weights[0] == weights[1]


def test_classifier_masks_labels_the_corpus_does_not_annotate():
    nlp, examples, _optimizer = tiny_pipeline()
    classifier = nlp.get_pipe("ldn_relation_classifier")
    batch = classifier._instances(examples[:1])
    truth, mask = batch.truth, batch.mask
    cid = list(classifier.labels).index("CID")
    assert mask[:, cid].all() and not numpy.delete(mask, cid, axis=1).any()  # only CID is annotated
    assert truth[:, cid].all()  # "cocaine-induced seizures": the pair is related


def test_classifier_writes_relations_with_evidence_and_score():
    nlp, _examples, _optimizer = tiny_pipeline()
    classifier = nlp.get_pipe("ldn_relation_classifier")
    classifier.set_thresholds({**{label: 1.01 for label in classifier.labels}, "CID": 0.0})  # CID alone
    classifier.cfg["keep"] = classifier.cfg["graph_threshold"] = 0.0
    doc = nlp.make_doc("cocaine-induced seizures")
    for token in doc:
        token.is_sent_start = token.i == 0  # one sentence: graph relations stand on sentences
    doc.ents = [Span(doc, 0, 1, "Drug", kb_id="cocaine"), Span(doc, 2, 3, "Disease", kb_id="seizure")]
    doc._.ldn_doc_key = "d1"
    doc = classifier(nlp.get_pipe("bio_tok2vec")(doc))
    cid = [r for r in doc._.ldn_relations if r.evidence.rule == "ldn_relation_classifier:CID"]
    assert [(r.subject, r.predicate, r.object) for r in cid] == [("cocaine", "causes", "seizure")]
    assert 0.0 <= cid[0].evidence.score <= 1.0 and cid[0].evidence.document == "d1"
    assert cid[0].evidence.text == "cocaine-induced seizures" and cid[0].evidence.sentence_index == 0


def test_classifier_puts_no_relation_in_the_graph_without_sentences():
    nlp, _examples, _optimizer = tiny_pipeline()
    classifier = nlp.get_pipe("ldn_relation_classifier")
    classifier.cfg["keep"] = classifier.cfg["graph_threshold"] = 0.0
    classifier.set_thresholds(dict.fromkeys(classifier.labels, 0.0))
    doc = nlp.make_doc("cocaine-induced seizures")
    doc.ents = [Span(doc, 0, 1, "Drug", kb_id="cocaine"), Span(doc, 2, 3, "Disease", kb_id="seizure")]
    doc = classifier(nlp.get_pipe("bio_tok2vec")(doc))
    assert doc._.ldn_pair_scores and not doc._.ldn_relations  # scored for the corpora, not in the graph


def test_linker_prefers_a_whole_model_span_it_can_link(nlp):
    """A model span covering lexicon spans replaces them when the lexicon knows the whole; a span
    nothing knows becomes a local concept kept for relations only."""
    from ldn_graph.pipeline.model_spans import link_model_spans

    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc("chronic kidney disease and zorbulin")
    doc._.ldn_local_concepts = {}
    lexicon_spans = [Span(doc, 1, 3, "Disease", kb_id="kidney-disease")]
    model = [Span(doc, 0, 3, "DISEASE"), Span(doc, 4, 5, "CHEMICAL")]
    out = link_model_spans(doc, lexicon_spans, model, linker)
    assert out[0].text == "chronic kidney disease"
    assert out[0].kb_id_ != "kidney-disease"
    assert out[1].kb_id_ == "zorbulin" and doc._.ldn_local_concepts["zorbulin"].normalised is False


def test_linker_gives_a_model_span_the_mesh_record_of_its_kind(nlp):
    """A span the recogniser found that no lexicon form links takes the MeSH record of its words when the
    record's branch agrees with the model's label (bundled ontology/mesh-names.tsv.gz)."""
    from ldn_graph.pipeline.model_spans import link_model_spans

    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc("abanoquil caused AIDS")
    doc._.ldn_local_concepts = {}
    assert linker.mesh_name(Span(doc, 0, 1, "CHEMICAL")).ids == ("C058534",)  # a supplementary record
    assert linker.mesh_name(Span(doc, 0, 1, "DISEASE")) is None  # a chemical's record, not a disease's
    assert linker.mesh_name(Span(doc, 2, 3, "DISEASE")).ids == ("D000163",)  # an entry term, a symbol
    out = link_model_spans(doc, [], [Span(doc, 0, 1, "CHEMICAL"), Span(doc, 2, 3, "DISEASE")], linker)
    concepts = [linker.lexicon.get(s.kb_id_) or doc._.ldn_local_concepts[s.kb_id_] for s in out]
    assert concepts[0].xrefs == ("MESH:C058534",) and concepts[0].label == "abanoquil"
    assert "MESH:D000163" in concepts[1].xrefs  # the lexicon's concept with that id


def test_linker_reads_british_spellings_and_backs_off_to_a_disease_head(nlp):
    """A record is found for "ischaemia" as for "ischemia"; a disease no record names whole takes the
    record of its head phrase, but not a generic one ("disease"), and a chemical never backs off."""
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc("myocardial ischaemia ; cerebral venous thrombosis ; glomerular disease")
    spans = {s.text: s for s in (doc[0:2], doc[3:6], doc[7:9])}
    ischaemia = Span(doc, 0, 2, "DISEASE")
    assert (
        linker.mesh_name(ischaemia).ids
        == linker.mesh_name(Span(nlp.make_doc("myocardial ischemia"), 0, 2, "DISEASE")).ids
    )
    thrombosis = spans["cerebral venous thrombosis"]
    assert linker.mesh_name(Span(doc, thrombosis.start, thrombosis.end, "DISEASE")) is None
    head = linker.mesh_head_name(Span(doc, thrombosis.start, thrombosis.end, "DISEASE"))
    assert head is not None and head.preferred.lower() == "venous thrombosis"
    assert linker.mesh_head_name(Span(doc, thrombosis.start, thrombosis.end, "CHEMICAL")) is None
    generic = spans["glomerular disease"]
    assert linker.mesh_head_name(Span(doc, generic.start, generic.end, "DISEASE")) is None


def test_linker_backs_off_to_no_one_word_head_of_plain_words(nlp):
    """ "neuronal death" is not MeSH's Death, nor "macular oedema" Edema: one plain word is wider than what
    the text names; the recogniser's words become a local disease of their own."""
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc("neuronal death ; macular oedema")
    assert linker.mesh_name(Span(doc, 1, 2, "DISEASE")) is not None  # "death" alone has a record
    assert linker.mesh_head_name(Span(doc, 0, 2, "DISEASE")) is None
    assert linker.mesh_head_name(Span(doc, 3, 5, "DISEASE")) is None


def test_linker_links_an_organ_word_and_a_harm_word_to_the_organs_diseases(nlp):
    """The words "renal impairment" are MeSH's Kidney Diseases, "visual deficits" its Vision Disorders
    (the organ's "Disorders" heading where it has no "Diseases" one); an organ the table lacks, a head
    that is no word for harm, or a chemical's span is not linked so."""
    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp.make_doc("renal impairment ; visual deficits ; splenic impairment ; renal calculi")
    assert linker.organ_disease(Span(doc, 0, 2, "DISEASE")).preferred == "Kidney Diseases"
    assert linker.organ_disease(Span(doc, 3, 5, "DISEASE")).preferred == "Vision Disorders"
    assert linker.organ_disease(Span(doc, 6, 8, "DISEASE")) is None
    assert linker.organ_disease(Span(doc, 9, 11, "DISEASE")) is None
    assert linker.organ_disease(Span(doc, 0, 2, "CHEMICAL")) is None


def test_linker_reads_a_word_a_mesh_chemical_record_names(nlp):
    """A word no lexicon form or recogniser span covers, that a MeSH chemical record names whole, is a
    chemical linked to that record ("ziconotide", a supplementary record); not an English word's plural
    (MeSH's class "Enzymes"), nor a word shorter than the table's minimum."""
    from ldn_graph.pipeline.mesh_records import MIN_CHEMICAL_NAME

    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp("Ziconotide was given intrathecally. Enzymes and peptides were measured.")
    found = {e.text: (doc._.ldn_local_concepts or {}).get(e.kb_id_) for e in doc.ents}
    assert found["Ziconotide"] is not None and found["Ziconotide"].xrefs == ("MESH:C078452",)
    assert "Enzymes" not in found and "peptides" not in found
    assert linker.names_a_chemical("ziconotide")
    assert not linker.names_a_chemical("ziconotide"[: MIN_CHEMICAL_NAME - 1])


def test_every_organ_of_the_table_has_a_diseases_heading(nlp):
    """Each organ in ontology/organ-adjectives.tsv names a MeSH "<organ> Diseases" or "<organ> Disorders"
    heading of the bundled MeSH names, so no row of the table is dead."""
    from ldn_graph.lexicon.forms import form_key
    from ldn_graph.pipeline.rules import organ_adjectives

    linker = nlp.get_pipe("ldn_entity_linker")
    headings = ("diseases", "disorders")
    dead = [
        organ
        for organ in set(organ_adjectives().values())
        if not any(linker._mesh_record(form_key(f"{organ} {h}"), "DISEASE") for h in headings)
    ]
    assert dead == []


def test_linker_config_mesh_names_none_links_no_mesh_record():
    nlp = spacy.blank("en")
    linker = nlp.add_pipe("ldn_entity_linker", config={"ontology_lexicon": "none", "mesh_names": "none"})
    doc = nlp.make_doc("abanoquil")
    assert linker.mesh_name(Span(doc, 0, 1, "CHEMICAL")) is None


def test_linker_config_chooses_the_lexicon():
    """The entity linker's config keys name its lexicon files; "none" leaves the ontology lexicon out."""
    nlp = spacy.blank("en")
    linker = nlp.add_pipe("ldn_entity_linker", config={"ontology_lexicon": "none"})
    assert linker.lexicon.built.keys == []  # hand concepts only
    assert "naltrexone" in linker.lexicon


def test_linker_config_names_a_missing_file_in_one_line(tmp_path):
    from ldn_graph.errors import DataError

    nlp = spacy.blank("en")
    with pytest.raises(DataError, match=r"lexicon-missing\.tsv"):
        nlp.add_pipe("ldn_entity_linker", config={"lexicon": str(tmp_path / "lexicon-missing.tsv")})


def test_linker_names_travel_with_the_pipeline_bytes():
    nlp = spacy.blank("en")
    linker = nlp.add_pipe("ldn_entity_linker", config={"ontology_lexicon": "none"})
    linker.set_names({"hypotension": Name("DISEASE", (HYPOTENSION,), "hypotension", 3)})
    copy = spacy.blank("en")
    copy.add_pipe("ldn_entity_linker", config={"ontology_lexicon": "none"})
    copy.from_bytes(nlp.to_bytes())
    assert copy.get_pipe("ldn_entity_linker").names == linker.names


def test_convert_leaves_names_of_unannotated_types_unknown():
    """In an abstract only BC5CDR annotates, a name BioRED annotates as a species is left unknown (its
    corpus says nothing of species), not taught as outside any entity."""
    nlp = spacy.blank("en")
    gold = annotated("3", "Cocaine toxicity in mice and patients.", [("Cocaine", "Chemical", "D003042")])
    doc = to_doc(nlp, gold, ["CID"], ConversionReport(), unknown=frozenset({"mice", "patients"}))
    assert [(t.text, t.ent_iob_) for t in doc][:6] == [
        ("Cocaine", "B"),
        ("toxicity", "O"),
        ("in", "O"),
        ("mice", ""),  # unknown
        ("and", "O"),
        ("patients", ""),
    ]


def test_classifier_reads_negation_at_the_verb_over_the_mentions():
    """ "Haloperidol-induced catalepsy was not observed": both mentions sit in the subject noun phrase; the
    negation is read at its verb (a hand-built parse)."""
    from ldn_graph.pipeline.classifier import _common_head

    words = ["Haloperidol", "-", "induced", "catalepsy", "was", "not", "observed", "."]
    heads = [2, 2, 3, 6, 6, 6, 6, 6]
    deps = ["npadvmod", "punct", "amod", "nsubjpass", "auxpass", "neg", "ROOT", "punct"]
    pos = ["PROPN", "PUNCT", "VERB", "NOUN", "AUX", "PART", "VERB", "PUNCT"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    assert _common_head(doc[0], doc[3]).text == "observed"


def test_ontology_tables_name_a_missing_column_in_one_line(tmp_path, monkeypatch):
    from ldn_graph.errors import DataError
    from ldn_graph.pipeline import rules

    (tmp_path / "corpus-relations.tsv").write_text("relation_type\tsubject_rol\tobject_role\tpredicate\n")
    monkeypatch.setattr(rules, "files", lambda _package: tmp_path)
    with pytest.raises(DataError, match=r"corpus-relations\.tsv:1: header lacks column\(s\) subject_role"):
        rules.ontology_rows("corpus-relations.tsv", ("relation_type", "subject_role"))


def test_a_document_is_about_the_organism_it_names_most_the_first_named_on_a_tie():
    from ldn_graph.pipeline.names import document_organism

    assert document_organism(["9606", "10090", "10090"]) == "10090"
    assert document_organism(["10116", "9606", "9606", "10116"]) == "10116"
    assert document_organism([]) == ""
