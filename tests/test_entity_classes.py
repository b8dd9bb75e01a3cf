"""Classes of names the entity layer reads as texts write them: behaviours studies measure as outcomes,
drug classes named with a symbol or a coordination, British spellings, names split otherwise than the
lexicon's, a drug class named by its target."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

from ldn_graph.lexicon.builder.merge import usable_symbol
from ldn_graph.lexicon.builder.terms import read_rules
from ldn_graph.pipeline.matcher import american, component_variants, coordinated_variants, symbol_names


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("NMDA receptor antagonist", True),
        ("TNF Inhibitors", True),
        ("COX-2 inhibitors", True),
        ("HIV Protease Inhibitors", True),
        ("IL-6", True),  # one word, as before
        ("MEN 1", False),  # only the symbol's letters to go by
        ("T-cell ALL", False),
        ("1-minute APGAR score of 0", False),  # a systematic name
        ("CYP1 Enzymes of the liver and kidney", False),  # too many words for a name with a symbol
        ("MPTP Induced Parkinsonism", False),  # a relation between two names, read apart
    ],
)
def test_builder_keeps_names_of_a_few_words_with_a_symbol(form, expected):
    assert usable_symbol(form, read_rules()) is expected


def test_matcher_reads_symbol_names_as_forms_unless_the_symbol_spells_a_word():
    english = {"ace", "east", "receptor", "inhibitors"}
    forms, cased = symbol_names(
        {
            "NMDA receptor antagonist": "nmda-antagonist",
            "ACE Inhibitors": "ace-inhibitors",
            "TLR4": "tlr4",
        },
        english,
    )
    assert forms == [("nmda receptor antagonist", "nmda-antagonist")]  # any case, plurals too
    assert cased == [("ACE inhibitors", "ace-inhibitors")]  # the symbol keeps its case


def test_matcher_reads_a_coordination_joined_by_a_dash():
    variants = coordinated_variants(
        {
            "serotonin and norepinephrine reuptake inhibitors": "snri",
            "sprains and strains": "sprains",  # no shared head: nothing to join
            "head and neck cancer": "hnc",
            "head and neck pain": "hnp",
        }
    )
    assert ("serotonin norepinephrine reuptake inhibitors", "snri") in variants
    assert ("head neck cancer", "hnc") in variants and ("head neck pain", "hnp") in variants
    assert not any(v.startswith("sprains") for v, _c in variants)
    clash = coordinated_variants({"a and b cell x": "one", "a b cell x": "two", "a or b cell x": "three"})
    assert clash == [("a b cell x", "one")]  # the matcher keeps the form itself ("two") first


def test_matcher_reads_a_complement_protein_with_component():
    """ "complement component C5" is HGNC's "complement C5"; other two-word forms are left."""
    variants = component_variants({"complement c5": "c5", "complement c1q": "c1q", "complement system": "cs"})
    assert variants == [("complement component c1q", "c1q"), ("complement component c5", "c5")]


def test_british_spellings_made_american():
    assert american("sickness behaviour") == "sickness behavior"
    assert american("central sensitisation") == "central sensitization"
    assert american("pulmonary oedema") == "pulmonary edema"
    assert american("naltrexone") == "naltrexone"
    assert american("amenorrhoea") == "amenorrhea"  # any "-rrhoea"
    assert american("luteinising hormone") == "luteinizing hormone"
    assert american("mast cell stabilisers") == "mast cell stabilizers"
    assert american("c fibres") == "c fibers"
    assert american("insulin signalling") == "insulin signaling"


def test_prefixes_joined_to_the_word_after_them():
    from ldn_graph.pipeline.matcher import join_prefixes

    assert join_prefixes(("post", "exertional", "malaise")) == "postexertional malaise"
    assert join_prefixes(("neuro", "inflammation")) == "neuroinflammation"
    assert join_prefixes(("post", "19")) == "post 19"  # a prefix joins words, not numbers
    assert join_prefixes(("opioid", "use")) == "opioid use"


def test_a_prefix_written_with_a_dash_finds_the_form_written_without(nlp):
    linked = xrefs_of(nlp, "Patients reported post-exertional malaise.")
    assert "HP:0030973" in linked.get("post-exertional malaise", ()), linked


def xrefs_of(nlp, text: str) -> dict[str, tuple[str, ...]]:
    doc = nlp(text)
    lexicon = nlp.get_pipe("ldn_entity_linker").matcher.lexicon
    local = doc._.ldn_local_concepts or {}
    return {e.text: (local[e.kb_id_] if e.kb_id_ in local else lexicon[e.kb_id_]).xrefs for e in doc.ents}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "surface", "curie"),
    [
        # Behaviours that drug and addiction studies measure (MeSH F01 branches kept by lexicon-rules.toml).
        ("Topiramate reduced craving in heavy drinkers.", "craving", "MESH:D066249"),
        ("Varenicline helps smoking cessation.", "smoking cessation", "MESH:D016540"),
        ("Naltrexone lowered alcohol consumption.", "alcohol consumption", "MESH:D000428"),
        ("Regular aerobic exercise lowers blood pressure.", "exercise", "MESH:D015444"),
        # British spellings.
        ("Lipopolysaccharide causes sickness behaviour in mice.", "sickness behaviour", "MESH:D055809"),
        ("Ketamine reverses central sensitisation.", "central sensitisation", "MESH:D059333"),
        # Drug classes named with a symbol, or two names joined by a dash.
        ("NMDA receptor antagonists such as ketamine ease pain.", "NMDA receptor antagonists", "CHEBI:60643"),
        ("COX-2 inhibitors raise cardiovascular risk.", "COX-2 inhibitors", "MESH:D052246"),
        (
            "Serotonin-norepinephrine reuptake inhibitors such as milnacipran treat fibromyalgia.",
            "Serotonin-norepinephrine reuptake inhibitors",
            "MESH:D000068760",
        ),
    ],
)
def test_entity_classes_linked_with_standard_ids(nlp, text, surface, curie):
    linked = xrefs_of(nlp, text)
    assert curie in linked.get(surface, ()), linked


@pytest.mark.slow
def test_drive_and_everyday_behaviour_stay_out(nlp):
    # Only the kept F01 branches: "drive" (the branch above craving) and attitudes are not entities.
    linked = xrefs_of(nlp, "She had the drive to succeed and a positive attitude about the move.")
    assert not linked, linked
    # Kinds of thing, as "agonist" and "inhibitor" (lexicon-stoplist.txt): the text names no chemical.
    linked = xrefs_of(nlp, "Binding of a ligand and of its metabolites was measured.")
    assert not linked, linked


def test_compact_lookup_joins_words_split_otherwise(nlp):
    """ "gamma-glutamyl transferase" is MeSH's "gamma-Glutamyltransferase", not the class Transferases."""
    matcher = nlp.get_pipe("ldn_entity_linker").matcher
    found = matcher.compact_lookup(("gamma", "glutamyl", "transferase"))
    assert found is not None and "MESH:D005723" in matcher.lexicon[found].xrefs
    assert matcher.compact_lookup(("il", "6")) is None  # too short to compare without spaces


def test_abbreviation_takes_the_concept_the_recogniser_links_whole(nlp):
    """The lexicon finds only the enzyme class "transferase" in "gamma-glutamyl transferase"; the
    recogniser's span of the whole long form is linked to the enzyme, and the short form follows it."""
    doc = nlp.make_doc("Serum gamma-glutamyl transferase (GGT) was high , and GGT fell .")
    for name, proc in nlp.pipeline:
        if name in ("ldn_entity_linker", "ldn_relation_extractor", "ldn_relation_classifier", "bio_ner"):
            continue
        doc = proc(doc)
    long_form = doc.char_span(6, 32)
    ggt = [t.i for t in doc if t.text == "GGT"]
    doc.ents = [
        Span(doc, long_form.start, long_form.end, "GENE"),
        *(Span(doc, i, i + 1, "GENE") for i in ggt),
    ]
    doc = nlp.get_pipe("ldn_entity_linker")(doc)
    lexicon = nlp.get_pipe("ldn_entity_linker").matcher.lexicon
    by_text = {}
    for e in doc.ents:
        by_text.setdefault(e.text, set()).add(e.kb_id_)
    (enzyme,) = by_text["gamma-glutamyl transferase"]
    assert "MESH:D005723" in lexicon[enzyme].xrefs
    assert by_text["GGT"] == {enzyme}


def test_a_drug_class_named_by_its_target_is_not_the_target(nlp):
    """ "cyclin-dependent kinase inhibitors" the recogniser finds whole is a class of drugs (a local
    chemical role), not the kinases the lexicon finds in it; a span with no role head keeps the parts."""
    from ldn_graph.pipeline.model_spans import link_model_spans

    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp("p21 is one of the cyclin-dependent kinase inhibitors ; cyclin-dependent kinase activity")
    doc._.ldn_local_concepts = {}
    lexicon_spans = linker.matcher.match(doc)
    kinase = [s for s in lexicon_spans if s.text == "cyclin-dependent kinase"]
    assert len(kinase) == 2  # the lexicon names the kinases in both phrases
    model = [Span(doc, k.start, k.end + 1, "GENE") for k in kinase]  # the kinase and the word after it
    out = {s.text: s for s in link_model_spans(doc, lexicon_spans, model, linker)}
    role = out["cyclin-dependent kinase inhibitors"]
    assert role.label_ == "ChemicalRole" and doc._.ldn_local_concepts[role.kb_id_].normalised is False
    assert "cyclin-dependent kinase" in out  # "... kinase activity": the lexicon's kinase stands


@pytest.mark.slow
def test_relapse_and_abstinence_are_outcomes(nlp):
    # Outcomes of addiction and relapsing-disease studies that no ontology names as such: hand concepts.
    doc = nlp("Naltrexone prolonged abstinence and reduced the risk of relapse to heavy drinking.")
    found = {e.text: e.kb_id_ for e in doc.ents}
    assert found.get("abstinence") == "abstinence" and found.get("relapse") == "relapse", found


def test_a_finding_of_a_body_part_is_not_the_part(nlp):
    """ "nerve injury" the recogniser finds whole, where the lexicon knows only the nerve and the bare word
    "injury", is one finding (a local phenotype); "morphine tolerance" keeps the drug the lexicon found."""
    from ldn_graph.pipeline.model_spans import link_model_spans

    linker = nlp.get_pipe("ldn_entity_linker")
    doc = nlp("Nerve injury raised IL-6 ; morphine tolerance developed .")
    doc._.ldn_local_concepts = {}
    lexicon_spans = linker.matcher.match(doc)
    assert {s.text for s in lexicon_spans} >= {"Nerve", "morphine"}
    model = [Span(doc, 0, 2, "DISEASE"), Span(doc, 6, 8, "DISEASE")]
    out = {s.text: s for s in link_model_spans(doc, lexicon_spans, model, linker)}
    finding = out["Nerve injury"]
    assert finding.label_ == "PhenotypicFeature" and not doc._.ldn_local_concepts[finding.kb_id_].normalised
    assert "Nerve" not in out
    assert "morphine" in out and "morphine tolerance" not in out


def test_a_ligand_before_a_receptor_symbol_is_part_of_its_name(nlp):
    """ "cannabinoid CB1 receptor" is the receptor, not the cannabinoids; a drug before a receptor named
    in words ("morphine mu-opioid receptor binding") stays an entity of its own."""
    from ldn_graph.pipeline.span_rules import join_ligand_receptor_names

    doc = nlp.make_doc("cannabinoid CB1 receptor ; morphine opioid receptor")
    spans = [
        Span(doc, 0, 1, "ChemicalEntity", kb_id="cannabinoid"),
        Span(doc, 1, 3, "Protein", kb_id="cb1"),
        Span(doc, 4, 5, "Drug", kb_id="morphine"),
        Span(doc, 5, 7, "Protein", kb_id="opioid-receptor"),
    ]
    out = [(s.text, s.kb_id_) for s in join_ligand_receptor_names(doc, spans)]
    assert out == [
        ("cannabinoid CB1 receptor", "cb1"),
        ("morphine", "morphine"),
        ("opioid receptor", "opioid-receptor"),
    ]


def test_a_ligand_before_a_receptor_symbol_alone_is_part_of_its_name(nlp):
    """ "serotonin 5-HT2A and dopamine D4 receptors": the symbol the lexicon labels a receptor takes the
    ligand before it in, the head noun shared with what follows; a symbol of no receptor does not."""
    from ldn_graph.pipeline.span_rules import join_ligand_receptor_names

    lexicon = nlp.get_pipe("ldn_entity_linker").matcher.lexicon
    receptor = nlp.get_pipe("ldn_entity_linker").matcher.abbrevs["5-HT2A"]
    assert "receptor" in lexicon.get(receptor).label.lower()
    doc = Doc(nlp.vocab, words=["serotonin", "5-HT2A", "and", "calcium", "CYP2D6"])
    spans = [
        Span(doc, 0, 1, "ChemicalEntity", kb_id="serotonin"),
        Span(doc, 1, 2, "Protein", kb_id=receptor),
        Span(doc, 3, 4, "ChemicalEntity", kb_id="calcium"),
        Span(doc, 4, 5, "Protein", kb_id=nlp.get_pipe("ldn_entity_linker").matcher.abbrevs["CYP2D6"]),
    ]
    out = [s.text for s in join_ligand_receptor_names(doc, spans, lexicon)]
    assert out == ["serotonin 5-HT2A", "calcium", "CYP2D6"]
    assert [s.text for s in join_ligand_receptor_names(doc, spans)] == [s.text for s in spans]


@pytest.mark.parametrize(
    ("text", "member", "family"),
    [
        ("Brodalumab blocks the IL-17 receptor A in the skin.", "IL-17 receptor A", "IL-17 receptor"),
        ("Signalling through TNF receptor 1 drives inflammation.", "TNF receptor 1", "TNF receptor"),
    ],
)
def test_a_family_member_named_with_a_code_is_not_the_family(nlp, text, member, family):
    """The recogniser's "IL-17 receptor A" over the lexicon's family "IL-17 receptor": the member, a local
    protein of the whole name, not the family."""
    doc = nlp(text)
    found = {e.text: e for e in doc.ents}
    assert found[member].label_ == "Protein" and family not in found
    assert doc._.ldn_local_concepts[found[member].kb_id_].label.lower() == member.lower()
    assert found[member].kb_id_ in doc._.ldn_named_locals  # a name, in the graph with or without a relation


@pytest.mark.slow
def test_a_drug_class_adjective_of_an_effect_names_no_agent(nlp):
    linked = xrefs_of(nlp, "The anxiolytic effect of running persisted, but anxiolytics were not given.")
    assert "anxiolytic" not in linked  # the effect's adjective
    assert "anxiolytics" in linked, linked  # the drugs


@pytest.mark.slow
def test_a_stereoisomer_is_a_chemical_of_its_own(nlp):
    """ "(+)-naloxone" is neither naloxone nor nothing: a local chemical named as written."""
    doc = nlp("Blockade of TLR4 with (+)-naloxone reversed allodynia, as naloxone did not.")
    local = doc._.ldn_local_concepts
    by_text = {e.text: e for e in doc.ents}
    isomer = by_text["(+)-naloxone"]
    assert isomer.label_ == "ChemicalEntity" and local[isomer.kb_id_].label == "(+)-naloxone"
    assert not local[isomer.kb_id_].normalised
    assert by_text["naloxone"].kb_id_ == "naloxone"


def test_an_adjective_span_takes_the_finding_it_modifies(nlp):
    """The recogniser's "depressive" in "depressive symptoms" is the symptoms' adjective: the span takes
    the head noun that makes it a finding; before another noun ("depressive patients") it stays."""
    from ldn_graph.pipeline.rules import load_rules
    from ldn_graph.pipeline.span_rules import with_finding_head

    doc = nlp("Many develop depressive symptoms, and depressive patients sleep badly.")
    tokens = list(doc)
    heads = load_rules().local_category
    first, second = (Span(doc, t.i, t.i + 1, "DISEASE") for t in tokens if t.text == "depressive")
    assert tokens[first.start].pos_ == "ADJ"  # the parse the rule reads
    assert with_finding_head(doc, first, tokens, heads).text == "depressive symptoms"
    assert with_finding_head(doc, second, tokens, heads).text == "depressive"


def test_a_drug_name_is_known_by_its_inn_stem():
    """ "-mab", "nal-": words that end or begin with an INN stem are drugs' names; words shorter than a stem
    with a few letters, and stems with no letters around them, are not."""
    from ldn_graph.pipeline.rules import drug_name_stems

    stems = drug_name_stems()
    assert all(stems.names_a_drug(w) for w in ("secukinumab", "Lecanemab", "naldemedine", "cebranopadol"))
    assert not any(stems.names_a_drug(w) for w in ("mab", "concept", "april", "nalve", "naltr"))


def test_drug_names_by_stem_are_found_where_nothing_else_is(nlp):
    """A stem makes a word a drug's name only where the lexicon and the recogniser found nothing, and
    never an English word ("intercept") or a word in capitals."""
    from ldn_graph.pipeline.rules import drug_name_stems
    from ldn_graph.pipeline.span_rules import drug_name_spans

    doc = nlp.make_doc("Secukinumab and ixekizumab intercept IL-17A; IXEKIZUMAB was used, as was adalimumab.")
    tokens = list(doc)
    adalimumab = next(t.i for t in tokens if t.text == "adalimumab")
    taken = [Span(doc, adalimumab, adalimumab + 1, "CHEMICAL")]
    english = nlp.get_pipe("ldn_entity_linker").matcher.english
    found = drug_name_spans(doc, tokens, taken, drug_name_stems(), english)
    assert [s.text for s in found] == ["Secukinumab", "ixekizumab"]
    assert {s.label_ for s in found} == {"CHEMICAL"}  # read as the recogniser's chemicals are


@pytest.mark.slow
def test_a_drug_named_by_its_stem_enters_the_graph(nlp):
    """ "brodalumab" is in no bundled source: a local drug, in the graph though it is in no relation;
    a name a MeSH record has is linked to it and kept as the record's synonym."""
    from ldn_graph.extract.local import to_extraction
    from ldn_graph.model import Document

    text = "Brodalumab was approved in 2017. Neridronate was given to the patients."
    doc = nlp(text)
    local = doc._.ldn_local_concepts
    by_text = {e.text: e for e in doc.ents}
    drug = local[by_text["Brodalumab"].kb_id_]
    assert drug.category == "Drug" and not drug.normalised and drug.label == "brodalumab"
    record = local[by_text["Neridronate"].kb_id_]
    assert record.xrefs == ("MESH:C053389",) and record.synonyms == ("Neridronate",)
    assert record.category == "Drug"
    lexicon = nlp.get_pipe("ldn_entity_linker").matcher.lexicon
    extraction = to_extraction(doc, Document("d", text, "d.txt", "", ""), lexicon)
    assert drug.key in extraction.concepts and not extraction.relations


@pytest.mark.parametrize(
    ("short", "other"),
    [
        ("SSRIs", ("SSRI",)),  # defined in the plural, used in the singular
        ("NSAID", ("NSAIDs",)),
        ("IL-6", ()),  # not a word in capitals
        ("Ca", ()),
    ],
)
def test_an_abbreviation_in_capitals_names_both_numbers(short, other):
    from ldn_graph.pipeline.span_rules import other_numbers

    assert other_numbers(short) == other


def test_an_abbreviation_defined_in_the_plural_links_the_singular(nlp):
    doc = nlp("Tramadol and selective serotonin reuptake inhibitors (SSRIs) interact. One took an SSRI.")
    by_text = {e.text: e.kb_id_ for e in doc.ents}
    assert by_text["SSRI"] == by_text["SSRIs"] == by_text["selective serotonin reuptake inhibitors"]


@pytest.mark.parametrize(
    ("text", "phrase", "curie"),
    [
        (
            "It is caused by tumours of the cerebellopontine angle.",
            "tumours of the cerebellopontine angle",
            "MONDO:0002553",
        ),
        ("Antagonists of the NMDA receptor relieve pain.", "Antagonists of the NMDA receptor", "CHEBI:60643"),
        ("Cancer of the pancreas has a poor prognosis.", "Cancer of the pancreas", "MONDO:0009831"),
    ],
)
def test_a_noun_of_a_name_is_the_term_that_writes_the_name_first(nlp, text, phrase, curie):
    """ "tumours of the cerebellopontine angle" is the lexicon's "cerebellopontine angle tumour"; the parts
    inside are not entities of their own there."""
    linked = xrefs_of(nlp, text)
    assert curie in linked.get(phrase, ()), linked
    assert len([e for e in nlp(text).ents if e.text in phrase]) == 1


def test_a_process_of_a_name_stays_the_name(nlp):
    # "release of dopamine": the lexicon's "dopamine release" is a process; the text names dopamine.
    assert [e.text for e in nlp("It increased the release of dopamine.").ents] == ["dopamine"]


def test_names_nothing_identifies_enter_the_graph_descriptions_do_not(nlp):
    """A word no source lists that is no English word ("oliceridine", "PZM21") is a name; an adjective
    ("psychotomimetic") or an English word alone ("bias") is not, whatever the recogniser made of it."""
    from ldn_graph.model import Concept
    from ldn_graph.pipeline.rules import drug_name_stems, load_rules
    from ldn_graph.pipeline.span_rules import named_locals

    doc = nlp("Ketamine has psychotomimetic effects, unlike oliceridine and the bias of PZM21.")
    assert {"oliceridine", "pzm21"} <= doc._.ldn_named_locals  # as the linker found them
    words = {t.text: t.i for t in doc}
    spans = []
    for word in ("psychotomimetic", "oliceridine", "bias", "PZM21"):
        doc._.ldn_local_concepts[f"local-{word}"] = Concept(
            f"local-{word}", word, "Disease", normalised=False
        )
        spans.append(Span(doc, words[word], words[word] + 1, label="Disease", kb_id=f"local-{word}"))
    english = nlp.get_pipe("ldn_entity_linker").matcher.english
    heads = load_rules().local_category
    assert named_locals(doc, spans, drug_name_stems(), english, heads) == {"local-oliceridine", "local-PZM21"}
    # Words ending in a noun are a name ("nerve injury"), unless adjectives say what kind of thing it is.
    doc = nlp("A potent inhibitor prevented nerve injury.")
    phrases = {"potent inhibitor": (1, 3), "nerve injury": (4, 6)}
    spans = []
    for phrase, (start, end) in phrases.items():
        doc._.ldn_local_concepts[phrase] = Concept(phrase, phrase, "ChemicalRole", normalised=False)
        spans.append(Span(doc, start, end, label="ChemicalRole", kb_id=phrase))
    assert named_locals(doc, spans, drug_name_stems(), english, heads) == {"nerve injury"}


@pytest.mark.parametrize(
    ("text", "role", "target"),
    [
        ("Selective NOP antagonists have antidepressant effects.", "NOP antagonists", "NOP"),
        ("IL-17 inhibitors clear psoriasis.", "IL-17 inhibitors", "IL-17"),
    ],
)
def test_a_target_the_lexicon_found_with_a_role_noun_is_a_drug_class(nlp, text, role, target):
    """The lexicon finds the target; the noun after it makes the two a drug class, which replaces it there
    and, named by its words, enters the graph."""
    doc = nlp(text)
    by_text = {e.text: e for e in doc.ents}
    assert target not in by_text and by_text[role].label_ == "ChemicalRole"
    assert by_text[role].kb_id_ in doc._.ldn_named_locals


def test_a_family_name_with_a_member_code_is_the_member(nlp):
    """ "cytochrome P450 2D6" is CYP2D6 (HGNC:2625), "UDP-glucuronosyltransferase 2B7" UGT2B7; the family
    named alone stays the family."""
    linked = xrefs_of(nlp, "It inhibits cytochrome P450 2D6 and UDP-glucuronosyltransferase 2B7.")
    assert "HGNC:2625" in linked.get("cytochrome P450 2D6", ()), linked
    assert any(x.startswith("HGNC:") for x in linked.get("UDP-glucuronosyltransferase 2B7", ())), linked
    assert "MESH:D003577" in xrefs_of(nlp, "Cytochrome P450 enzymes metabolise drugs.").get(
        "Cytochrome P450", ()
    )


def test_words_for_more_or_less_of_a_measure_are_read_as_one_another(nlp):
    """ "raised cholesterol" is HPO's "elevated cholesterol", "low libido" its "decreased libido"; a word
    that says no direction ("total cholesterol") gets no variants."""
    from ldn_graph.pipeline.matcher import direction_variants

    assert "elevated cholesterol" in direction_variants(("raised", "cholesterol"))
    assert "raised cholesterol" not in direction_variants(("raised", "cholesterol"))
    assert direction_variants(("total", "cholesterol")) == () and direction_variants(("raised",)) == ()
    assert "platinum compounds" in direction_variants(("platinum", "drugs"))  # a class of drugs, any noun
    assert "platinum agent" in direction_variants(("platinum", "drug"))  # in the same number
    linked = xrefs_of(nlp, "Raised cholesterol and low libido were reported.")
    assert "HP:0003124" in linked.get("Raised cholesterol", ()) and "HP:0046504" in linked.get(
        "low libido", ()
    )


@pytest.mark.parametrize(
    ("text", "phrase", "category"),
    [
        ("Blocking them reduced early synapse loss.", "synapse loss", "PhenotypicFeature"),
        ("Astrocytes promote synapse formation.", "synapse formation", "BiologicalProcess"),
        ("Hair loss was reported.", "Hair loss", "Disease"),  # the lexicon's own term for the words
    ],
)
def test_a_part_with_a_finding_or_process_noun_is_not_the_part(nlp, text, phrase, category):
    """A body part or cell with "loss" or "formation" after it is a finding or a process; the lexicon's
    concept for the words where it has one, else a local one, which enters the graph by its words."""
    doc = nlp(text)
    by_text = {e.text: e for e in doc.ents}
    assert by_text[phrase].label_ == category and phrase.split()[0] not in by_text
    local = doc._.ldn_local_concepts
    assert by_text[phrase].kb_id_ not in local or by_text[phrase].kb_id_ in doc._.ldn_named_locals


def test_a_protein_name_nothing_identifies_takes_the_noun_protein(nlp):
    """ "Gi/o proteins": the recogniser's "Gi/o" links nothing, so "proteins" is part of its name; "TLR4
    protein" is TLR4."""
    doc = nlp("The NOP receptor couples to inhibitory Gi/o proteins, and TLR4 protein levels rose.")
    by_text = {e.text: e for e in doc.ents}
    assert "Gi/o proteins" in by_text and by_text["Gi/o proteins"].kb_id_ in doc._.ldn_named_locals
    assert by_text["TLR4"].kb_id_ == "toll-like-receptor-4"


def test_a_drug_name_by_a_newer_inn_stem():
    """ "efgartigimod" ("-imod"), "rimegepant" ("-gepant"): drugs' names no source lists yet; not an
    English word that ends as a stem would ("precipitant": "-pitant" is not listed)."""
    from ldn_graph.pipeline.rules import drug_name_stems

    stems = drug_name_stems()
    assert all(stems.names_a_drug(w) for w in ("efgartigimod", "rimegepant", "lasmiditan", "rivaroxaban"))
    assert not stems.names_a_drug("precipitant")
