"""Corpus readers (PubTator, BioC XML) and the BC5CDR and BioRED scorers, on tiny hand-written files."""

from __future__ import annotations

import io

import pytest

from ldn_graph.corpora.pubtator import (
    AnnotatedDocument,
    Annotation,
    PairRelation,
    read_bioc,
    read_corpus,
    read_exclusions,
    read_pubtator,
    write_pubtator,
)
from ldn_graph.corpora.scoring import format_scores, score_bc5cdr, score_biored
from ldn_graph.errors import DataError, LdnGraphError

BIORED = """\
1|t|Lithium causes tremor.
1|a|Tremor and BRCA1 were seen, with p.E333D.
1\t0\t7\tLithium\tChemicalEntity\tMESH:D008094
1\t15\t21\ttremor\tDiseaseOrPhenotypicFeature\tD014202
1\t23\t29\tTremor\tDiseaseOrPhenotypicFeature\tD014202
1\t34\t39\tBRCA1\tGeneOrGeneProduct\t672,675
1\t56\t63\tp.E333D\tSequenceVariant\tp|SUB|E|333|D
1\tPositive_Correlation\tD008094\tD014202\tNovel
1\tAssociation\tp|SUB|E|333|D\t672\tNo

"""

BIORED_BIOC = (
    "<?xml version='1.0' encoding='UTF-8'?><!DOCTYPE collection SYSTEM \"BioC.dtd\"><collection>"
    "<source>PubTator</source><document><id>1</id>"
    '<passage><infon key="type">title</infon><offset>0</offset><text>Lithium causes tremor.</text>'
    '<annotation id="0"><infon key="identifier">D008094</infon><infon key="type">ChemicalEntity</infon>'
    '<location offset="0" length="7"/><text>Lithium</text></annotation>'
    '<annotation id="1"><infon key="identifier">D014202</infon>'
    '<infon key="type">DiseaseOrPhenotypicFeature</infon>'
    '<location offset="15" length="6"/><text>tremor</text></annotation></passage>'
    '<passage><infon key="type">abstract</infon><offset>23</offset>'
    "<text>Tremor and BRCA1 were seen, with p.E333D.</text>"
    '<annotation id="2"><infon key="identifier">D014202</infon>'
    '<infon key="type">DiseaseOrPhenotypicFeature</infon>'
    '<location offset="23" length="6"/><text>Tremor</text></annotation>'
    '<annotation id="3"><infon key="identifier">672,675</infon><infon key="type">GeneOrGeneProduct</infon>'
    '<location offset="34" length="5"/><text>BRCA1</text></annotation>'
    '<annotation id="4"><infon key="identifier">p|SUB|E|333|D</infon>'
    '<infon key="type">SequenceVariant</infon>'
    '<location offset="56" length="7"/><text>p.E333D</text></annotation></passage>'
    '<relation id="R0"><infon key="entity1">D008094</infon><infon key="entity2">D014202</infon>'
    '<infon key="type">Positive_Correlation</infon><infon key="novel">Novel</infon></relation>'
    '<relation id="R1"><infon key="entity1">p|SUB|E|333|D</infon><infon key="entity2">672</infon>'
    '<infon key="type">Association</infon><infon key="novel">No</infon></relation>'
    "</document></collection>"
)

BC5CDR = """\
2|t|Hemorrhagic cystitis.
2|a|After cyclophosphamide and heart and lung damage.
2\t0\t20\tHemorrhagic cystitis\tDisease\tD006470|D003556\tHemorrhagic|cystitis
2\t28\t44\tcyclophosphamide\tChemical\tD003520
2\t49\t70\theart and lung damage\tDisease\t-1
2\tCID\tD003520\tD006470

3|t|Nothing here.
3|a|
"""


def write(tmp_path, text: str, name: str = "corpus.txt", newline: str = "\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def doc(pmid: str, annotations=(), relations=()) -> AnnotatedDocument:
    return AnnotatedDocument(pmid, "T.", "A.", list(annotations), list(relations))


def ann(start: int, end: int, type_: str, *ids: str) -> Annotation:
    return Annotation(start, end, "x", type_, ids)


# --- reading ---------------------------------------------------------------------------------


def test_pubtator_reads_mentions_and_relations(tmp_path):
    [d] = read_pubtator(write(tmp_path, BIORED))
    assert (d.pmid, d.title) == ("1", "Lithium causes tremor.")
    assert d.annotations[0] == Annotation(0, 7, "Lithium", "ChemicalEntity", ("D008094",))  # MESH: gone
    assert d.annotations[3].ids == ("672", "675")
    assert d.relations[0] == PairRelation("Positive_Correlation", "D008094", "D014202", "Novel")
    assert all(d.text[a.start : a.end] == a.text for a in d.annotations)


def test_pubtator_composite_ids_split_but_variant_ids_kept(tmp_path):
    [bioredoc] = read_pubtator(write(tmp_path, BIORED, "biored.txt"))
    docs = read_pubtator(write(tmp_path, BC5CDR, "cdr.txt"))
    assert docs[0].annotations[0].ids == ("D006470", "D003556")
    assert bioredoc.annotations[4].ids == ("p|SUB|E|333|D",)
    assert bioredoc.relations[1].id1 == "p|SUB|E|333|D"


def test_pubtator_no_id_marker_gives_empty_ids(tmp_path):
    docs = read_pubtator(write(tmp_path, BC5CDR))
    assert docs[0].annotations[2].ids == ()
    assert docs[0].relations == [PairRelation("CID", "D003520", "D006470")]
    assert (docs[1].abstract, docs[1].annotations) == ("", [])


def test_pubtator_round_trip(tmp_path):
    for text in (BIORED, BC5CDR):
        docs = read_pubtator(write(tmp_path, text))
        stream = io.StringIO()
        write_pubtator(docs, stream)
        assert read_pubtator(write(tmp_path, stream.getvalue(), "again.txt")) == docs


def test_pubtator_crlf_reads_like_lf(tmp_path):
    crlf = read_pubtator(write(tmp_path, BC5CDR, "crlf.txt", newline="\r\n"))
    assert crlf == read_pubtator(write(tmp_path, BC5CDR, "lf.txt"))
    assert crlf[0].abstract.endswith("damage.")


def test_pubtator_exclusions_drop_documents(tmp_path):
    exclusions = write(
        tmp_path, "# held out\npmid\tfile\n2\tcdr/dev.txt\n1\tbio/dev.PubTator + bio/dev.BioC.XML\n", "x.tsv"
    )
    assert read_exclusions(exclusions) == {"1", "2"}
    only_cdr = read_exclusions(exclusions, for_file="/data/cdr/dev.txt")
    assert only_cdr == {"2"}
    assert read_exclusions(exclusions, for_file="bio/dev.BioC.XML") == {"1"}
    assert [d.pmid for d in read_pubtator(write(tmp_path, BC5CDR), exclude=only_cdr)] == ["3"]


def test_pubtator_exclusions_bad_pmid_names_line(tmp_path):
    with pytest.raises(DataError, match=r"x\.tsv:3: expected a PMID"):
        read_exclusions(write(tmp_path, "pmid\tfile\n1\ta\nabc\tb\n", "x.tsv"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1\t0\tseven\tLithium\tChemicalEntity\tD1", "not an integer"),
        ("1\t0\t900\tLithium\tChemicalEntity\tD1", "outside the text"),
        ("1\t0\t7", "got 3 tab-separated columns"),
        ("1\t0\t7\tLithium", "needs PMID, start, end"),
        ("9\t0\t7\tLithium\tChemicalEntity\tD1", "inside document 1"),
    ],
)
def test_pubtator_malformed_line_names_file_and_line(tmp_path, line, message):
    text = BIORED.replace("1\t15\t21\ttremor\tDiseaseOrPhenotypicFeature\tD014202", line)
    path = write(tmp_path, text)
    with pytest.raises(DataError, match=message) as caught:
        read_pubtator(path)
    assert str(caught.value).startswith(f"{path}:4: ")
    assert "\n" not in str(caught.value)


def test_pubtator_missing_abstract_line(tmp_path):
    path = write(tmp_path, "\n\n5|t|Title only\n5\t0\t5\tTitle\tX\tD1\n")
    with pytest.raises(DataError, match=rf"^{path}:4: expected the abstract line"):
        read_pubtator(path)


def test_pubtator_unreadable_file_is_an_error(tmp_path):
    with pytest.raises(LdnGraphError):
        read_pubtator(tmp_path / "absent.txt")
    with pytest.raises(LdnGraphError, match="not UTF-8"):
        (tmp_path / "latin1.txt").write_bytes(b"1|t|caf\xe9\n1|a|\n")
        read_pubtator(tmp_path / "latin1.txt")


def test_pubtator_bioc_equals_pubtator(tmp_path):
    bioc = read_bioc(write(tmp_path, BIORED_BIOC, "c.xml"))
    assert bioc == read_pubtator(write(tmp_path, BIORED))


def test_pubtator_read_corpus_dispatches_on_content(tmp_path):
    xml = read_corpus(write(tmp_path, BIORED_BIOC, "no-extension"))
    assert xml == read_corpus(write(tmp_path, BIORED, "other"))
    assert read_corpus(write(tmp_path, BIORED_BIOC, "c.xml"), exclude=frozenset({"1"})) == []


def test_pubtator_bioc_refuses_entity_declarations(tmp_path):
    evil = '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaa">]><collection>&a;</collection>'
    with pytest.raises(DataError, match="entity declarations"):
        read_bioc(write(tmp_path, evil, "evil.xml"))


def test_pubtator_bioc_invalid_xml_names_position(tmp_path):
    path = write(tmp_path, "<collection>\n<document>\n</collection>", "bad.xml")
    with pytest.raises(DataError, match=rf"^{path}:3:\d+: invalid XML: mismatched tag$"):
        read_bioc(path)


def test_pubtator_bioc_annotation_past_text(tmp_path):
    path = write(tmp_path, BIORED_BIOC.replace('offset="56" length="7"', 'offset="56" length="70"'), "c.xml")
    with pytest.raises(DataError, match="document 1: annotation '4' ends at 126"):
        read_bioc(path)


# --- scoring ---------------------------------------------------------------------------------


def test_scoring_bc5cdr_concept_ids():
    # Gold chemicals {C1, C2, C3}, predicted {C1, C2, C9}: 2 tp, 1 fp, 1 fn. Mentions count once per id.
    gold = [
        doc(
            "1", [ann(0, 1, "Chemical", "C1"), ann(2, 3, "Chemical", "C1"), ann(4, 5, "Chemical", "C2", "C3")]
        )
    ]
    predicted = [doc("1", [ann(9, 10, "Chemical", "C1", "C2"), ann(0, 1, "Chemical", "C9")])]
    chemical = score_bc5cdr(gold, predicted)["Chemical"]
    assert (chemical["tp"], chemical["fp"], chemical["fn"]) == (2, 1, 1)
    assert chemical["precision"] == pytest.approx(2 / 3)
    assert chemical["recall"] == pytest.approx(2 / 3)
    assert chemical["f1"] == pytest.approx(2 / 3)


def test_scoring_bc5cdr_cid_pooled_over_documents():
    gold = [
        doc("1", relations=[PairRelation("CID", "C1", "D1"), PairRelation("CID", "C2", "D1")]),
        doc("2", relations=[PairRelation("CID", "C1", "D1")]),
    ]
    # Right pair in the wrong document is a fp and a fn; direction matters for CID.
    predicted = [
        doc("1", relations=[PairRelation("CID", "C1", "D1"), PairRelation("CID", "D1", "C2")]),
        doc("3", relations=[PairRelation("CID", "C1", "D1")]),
    ]
    cid = score_bc5cdr(gold, predicted)["CID"]
    assert (cid["tp"], cid["fp"], cid["fn"]) == (1, 1, 2)
    assert cid["precision"] == pytest.approx(1 / 2)
    assert cid["recall"] == pytest.approx(1 / 3)
    assert cid["f1"] == pytest.approx(2 / 5)


def test_scoring_biored_ner_strict_and_per_type():
    gold = [doc("1", [ann(0, 5, "Gene"), ann(6, 9, "Gene"), ann(10, 12, "Chemical")])]
    # (0,5) exact; (6,8) wrong end; (10,12) wrong type.
    predicted = [doc("1", [ann(0, 5, "Gene"), ann(6, 8, "Gene"), ann(10, 12, "Disease")])]
    result = score_biored(gold, predicted)
    assert (result["ner"]["tp"], result["ner"]["fp"], result["ner"]["fn"]) == (1, 2, 2)
    assert result["ner:Gene"]["precision"] == pytest.approx(1 / 2)
    assert result["ner:Chemical"]["recall"] == 0.0
    assert result["ner:Disease"]["fp"] == 1


def test_scoring_biored_pairs_unordered_and_novelty_ignored():
    gold = [
        doc("1", relations=[PairRelation("Bind", "A", "B", "Novel"), PairRelation("Association", "A", "C")])
    ]
    predicted = [
        doc("1", relations=[PairRelation("Bind", "B", "A", "No"), PairRelation("Bind", "A", "C")]),
    ]
    result = score_biored(gold, predicted)
    assert (result["pair"]["tp"], result["pair"]["fp"], result["pair"]["fn"]) == (2, 0, 0)
    assert (result["pair+type"]["tp"], result["pair+type"]["fp"], result["pair+type"]["fn"]) == (1, 1, 1)


def test_scoring_missing_prediction_counts_as_empty():
    gold = [doc("1", [ann(0, 1, "Disease", "D1")]), doc("2", [ann(0, 1, "Disease", "D2")])]
    result = score_bc5cdr(gold, [doc("1", [ann(0, 1, "Disease", "D1")])])["Disease"]
    assert (result["tp"], result["fp"], result["fn"]) == (1, 0, 1)
    empty = score_bc5cdr(gold, [])["Chemical"]
    assert (empty["precision"], empty["recall"], empty["f1"]) == (0.0, 0.0, 0.0)


def test_scoring_duplicate_pmid_is_an_error():
    with pytest.raises(DataError, match="appears twice in the predicted"):
        score_biored([doc("1")], [doc("1"), doc("1")])


def test_scoring_format_scores_table():
    gold = [doc("1", [ann(0, 1, "Chemical", "C1"), ann(1, 2, "Chemical", "C2")])]
    table = format_scores(score_bc5cdr(gold, [doc("1", [ann(0, 1, "Chemical", "C1")])]))
    lines = table.splitlines()
    assert lines[0].split() == ["measure", "P", "R", "F1", "tp", "fp", "fn"]
    assert lines[1].split() == ["Chemical", "100.00", "50.00", "66.67", "1", "0", "1"]
    assert [line.split()[0] for line in lines[2:]] == ["Disease", "CID"]
