"""GENIA treebank XML -> ClearNLP-style dependencies: one hand-written tree per construction, in the
treebank's own XML format, with the heads and labels the conversion must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_graph.errors import DataError
from ldn_graph.training.genia.deps import convert_sentence
from ldn_graph.training.genia.docs import retokenise, split_pmids
from ldn_graph.training.genia.trees import Word, read_abstract

FIXTURE = Path(__file__).parent / "data" / "genia" / "10000001.xml"
# en_core_web_sm's parser labels: the conversion must use no other.
SPACY_LABELS = set(
    [
        "ROOT",
        "acl",
        "acomp",
        "advcl",
        "advmod",
        "agent",
        "amod",
        "appos",
        "attr",
        "aux",
        "auxpass",
        "case",
        "cc",
        "ccomp",
        "compound",
        "conj",
        "csubj",
        "csubjpass",
        "dative",
        "dep",
        "det",
        "dobj",
        "expl",
        "intj",
        "mark",
        "meta",
        "neg",
        "nmod",
        "npadvmod",
        "nsubj",
        "nsubjpass",
        "nummod",
        "oprd",
        "parataxis",
        "pcomp",
        "pobj",
        "poss",
        "preconj",
        "predet",
        "prep",
        "prt",
        "punct",
        "quantmod",
        "relcl",
        "xcomp",
    ]
)


def wrap(*sentences: str, pmid: str = "1") -> str:
    """A GENIA file holding these `<sentence>` bodies."""
    body = "\n".join(f'<sentence id="S{i}">{s}</sentence>' for i, s in enumerate(sentences, 1))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<Annotation><PubmedArticleSet><PubmedArticle>'
        f"<MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{body}</ArticleTitle>"
        "<Abstract><AbstractText></AbstractText></Abstract></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet></Annotation>"
    )


def tok(cat: str, text: str) -> str:
    return f'<tok cat="{cat}">{text}</tok>'


def arcs(sentence_xml: str) -> dict[str, tuple[str, str]]:
    """word -> (label, head word) for the single sentence (ROOT's head is itself)."""
    words = convert_sentence(read_abstract(wrap(sentence_xml), "test").sentences[0])
    return {w.text: (w.dep, words[w.head].text if w.head >= 0 else w.text) for w in words}


def test_genia_passive_with_agent() -> None:
    # "IL-2 is induced by NF-kappaB": the trace after the participle makes the subject nsubjpass and "is"
    # auxpass; the LGS noun phrase makes its preposition an agent.
    got = arcs(
        '<cons cat="S"><cons cat="NP" id="i1" role="SBJ">' + tok("NN", "IL-2") + "</cons> "
        '<cons cat="VP">'
        + tok("VBZ", "is")
        + ' <cons cat="VP">'
        + tok("VBN", "induced")
        + '<cons cat="NP" ref="i1" null="NONE"></cons> <cons cat="PP">'
        + tok("IN", "by")
        + ' <cons cat="NP" role="LGS">'
        + tok("NN", "NF-kappaB")
        + "</cons></cons></cons></cons>"
        + tok("PERIOD", ".")
        + "</cons>"
    )
    assert got["IL-2"] == ("nsubjpass", "induced")
    assert got["is"] == ("auxpass", "induced")
    assert got["induced"] == ("ROOT", "induced")
    assert got["by"] == ("agent", "induced")
    assert got["NF-kappaB"] == ("pobj", "by")
    assert got["."] == ("punct", "induced")


def test_genia_perfect_passive_and_negation() -> None:
    # "X has not been shown": "has" aux, "been" auxpass (it governs the participle), "not" neg.
    got = arcs(
        '<cons cat="S"><cons cat="NP" id="i1" role="SBJ">' + tok("NN", "X") + "</cons> "
        '<cons cat="VP">'
        + tok("VBZ", "has")
        + " "
        + tok("RB", "not")
        + ' <cons cat="VP">'
        + tok("VBN", "been")
        + ' <cons cat="VP">'
        + tok("VBN", "shown")
        + '<cons cat="NP" ref="i1" null="NONE"></cons></cons></cons></cons></cons>'
    )
    assert got["has"] == ("aux", "shown")
    assert got["not"] == ("neg", "shown")
    assert got["been"] == ("auxpass", "shown")
    assert got["X"] == ("nsubjpass", "shown")


def test_genia_copula_heads_its_predicate() -> None:
    # A copula heads its predicate (ClearNLP): NP-PRD is attr, ADJP-PRD acomp.
    nominal = arcs(
        '<cons cat="S"><cons cat="NP" role="SBJ">'
        + tok("NNS", "monkeys")
        + '</cons> <cons cat="VP">'
        + tok("VBP", "are")
        + ' <cons cat="NP" role="PRD">'
        + tok("NNS", "primates")
        + "</cons></cons></cons>"
    )
    assert nominal["primates"] == ("attr", "are")
    assert nominal["monkeys"] == ("nsubj", "are")
    adjectival = arcs(
        '<cons cat="S"><cons cat="NP" role="SBJ">'
        + tok("NN", "Fas")
        + '</cons> <cons cat="VP">'
        + tok("VBZ", "is")
        + ' <cons cat="ADJP" role="PRD">'
        + tok("JJ", "central")
        + "</cons></cons></cons>"
    )
    assert adjectival["central"] == ("acomp", "is")


def test_genia_coordination_chains_conjuncts() -> None:
    # "A , B and C inhibit X": the first conjunct heads; each later one is conj of the one before, the
    # conjunction cc of the conjunct before it (as en_core_web_sm chains them).
    got = arcs(
        '<cons cat="S"><cons cat="NP" syn="COOD" role="SBJ"><cons cat="NP">'
        + tok("NN", "A")
        + "</cons>"
        + tok("COMMA", ",")
        + ' <cons cat="NP">'
        + tok("NN", "B")
        + "</cons> "
        + tok("CC", "and")
        + ' <cons cat="NP">'
        + tok("NN", "C")
        + '</cons></cons> <cons cat="VP">'
        + tok("VBP", "inhibit")
        + ' <cons cat="NP">'
        + tok("NN", "X")
        + "</cons></cons></cons>"
    )
    assert got["A"] == ("nsubj", "inhibit")
    assert got["B"] == ("conj", "A")
    assert got["C"] == ("conj", "B")
    assert got["and"] == ("cc", "B")
    assert got[","] == ("punct", "A")
    assert got["X"] == ("dobj", "inhibit")


def test_genia_relative_clause_and_wh_trace() -> None:
    # "a factor that binds DNA": the SBAR with a wh-phrase is relcl; "that" takes its trace's role.
    got = arcs(
        '<cons cat="NP"><cons cat="NP">' + tok("DT", "a") + " " + tok("NN", "factor") + "</cons> "
        '<cons cat="SBAR"><cons cat="WHNP" id="i2">' + tok("WDT", "that") + '</cons> <cons cat="S">'
        '<cons cat="NP" ref="i2" role="SBJ" null="T"></cons><cons cat="VP">'
        + tok("VBZ", "binds")
        + ' <cons cat="NP">'
        + tok("NN", "DNA")
        + "</cons></cons></cons></cons></cons>"
    )
    assert got["binds"] == ("relcl", "factor")
    assert got["that"] == ("nsubj", "binds")
    assert got["DNA"] == ("dobj", "binds")
    assert got["a"] == ("det", "factor")


def test_genia_reduced_relative_is_acl() -> None:
    # "cells stimulated with PMA": a participial VP inside an NP is acl; its PP is prep -> pobj.
    got = arcs(
        '<cons cat="NP"><cons cat="NP">'
        + tok("NNS", "cells")
        + '</cons> <cons cat="VP">'
        + tok("VBN", "stimulated")
        + '<cons cat="NP" null="NONE"></cons> <cons cat="PP">'
        + tok("IN", "with")
        + ' <cons cat="NP">'
        + tok("NN", "PMA")
        + "</cons></cons></cons></cons>"
    )
    assert got["stimulated"] == ("acl", "cells")
    assert got["with"] == ("prep", "stimulated")
    assert got["PMA"] == ("pobj", "with")


def test_genia_parenthesis_is_apposition() -> None:
    # "glucocorticoid receptors ( GRs )": the NP in a PRN is appos; the brackets are its punct.
    got = arcs(
        '<cons cat="NP"><cons cat="NP">'
        + tok("NN", "glucocorticoid")
        + " "
        + tok("NNS", "receptors")
        + '</cons> <cons cat="PRN">'
        + tok("LRB", "(")
        + '<cons cat="NP">'
        + tok("NNS", "GRs")
        + "</cons>"
        + tok("RRB", ")")
        + "</cons></cons>"
    )
    assert got["GRs"] == ("appos", "receptors")
    assert got["("] == ("punct", "GRs")
    assert got["glucocorticoid"] == ("compound", "receptors")


def test_genia_infinitive_complement_and_clausal_complement() -> None:
    # "We wanted to test whether X binds": a subjectless to-clause is xcomp ("to" aux), an SBAR complement
    # ccomp with its complementiser as mark.
    got = arcs(
        '<cons cat="S"><cons cat="NP" id="i1" role="SBJ">'
        + tok("PRP", "We")
        + '</cons> <cons cat="VP">'
        + tok("VBD", "wanted")
        + ' <cons cat="S"><cons cat="NP" ref="i1" role="SBJ" null="NONE"></cons>'
        '<cons cat="VP">'
        + tok("TO", "to")
        + ' <cons cat="VP">'
        + tok("VB", "test")
        + ' <cons cat="SBAR">'
        + tok("IN", "whether")
        + ' <cons cat="S"><cons cat="NP" role="SBJ">'
        + tok("NN", "X")
        + "</cons> "
        '<cons cat="VP">' + tok("VBZ", "binds") + "</cons></cons></cons></cons></cons></cons></cons></cons>"
    )
    assert got["test"] == ("xcomp", "wanted")
    assert got["to"] == ("aux", "test")
    assert got["binds"] == ("ccomp", "test")
    assert got["whether"] == ("mark", "binds")
    assert got["X"] == ("nsubj", "binds")


def test_genia_adverbial_clause() -> None:
    # An SBAR-ADV is advcl of the verb, its subordinator mark.
    got = arcs(
        '<cons cat="S"><cons cat="NP" role="SBJ">'
        + tok("NN", "X")
        + '</cons> <cons cat="VP">'
        + tok("VBZ", "fails")
        + " "
        + '<cons cat="SBAR" func="ADV">'
        + tok("IN", "because")
        + ' <cons cat="S"><cons cat="NP" role="SBJ">'
        + tok("NN", "Y")
        + '</cons> <cons cat="VP">'
        + tok("VBZ", "binds")
        + "</cons></cons></cons></cons></cons>"
    )
    assert got["binds"] == ("advcl", "fails")
    assert got["because"] == ("mark", "binds")


def test_genia_noun_phrase_modifiers() -> None:
    # "the two human IL-2 genes 's": det, nummod, amod, compound; a possessive NP is poss, 's case.
    got = arcs(
        '<cons cat="NP"><cons cat="NP"><cons cat="NP">'
        + tok("PRPP", "its")
        + " "
        + tok("NN", "cell")
        + tok("POS", "'s")
        + "</cons> "
        + tok("DT", "the")
        + " "
        + tok("CD", "two")
        + " "
        + tok("JJ", "human")
        + " "
        + tok("NN", "IL-2")
        + " "
        + tok("NNS", "genes")
        + "</cons></cons>"
    )
    assert got["the"] == ("det", "genes")
    assert got["two"] == ("nummod", "genes")
    assert got["human"] == ("amod", "genes")
    assert got["IL-2"] == ("compound", "genes")
    assert got["cell"] == ("poss", "genes")
    assert got["'s"] == ("case", "cell")
    assert got["its"] == ("poss", "cell")


def test_genia_flat_coordination_inside_a_noun_phrase() -> None:
    # "IL-2 and IL-4 genes" with no COOD phrase: IL-4 conj of IL-2, "and" cc of IL-2, IL-2 compound.
    got = arcs(
        '<cons cat="NP">'
        + tok("NN", "IL-2")
        + " "
        + tok("CC", "and")
        + " "
        + tok("NN", "IL-4")
        + " "
        + tok("NNS", "genes")
        + "</cons>"
    )
    assert got["IL-2"] == ("compound", "genes")
    assert got["and"] == ("cc", "IL-2")
    assert got["IL-4"] == ("conj", "IL-2")


def test_genia_latin_phrase_is_preposition_and_object() -> None:
    # "expressed in vitro": "in" heads (prep of the verb), "vitro" is its pobj.
    got = arcs(
        '<cons cat="VP">'
        + tok("VBN", "expressed")
        + ' <cons cat="ADVP">'
        + tok("FW", "in")
        + " "
        + tok("FW", "vitro")
        + "</cons></cons>"
    )
    assert got["in"] == ("prep", "expressed")
    assert got["vitro"] == ("pobj", "in")


def test_genia_hyphenated_words_split_as_spacy_splits_them() -> None:
    # spaCy splits "tartrate-resistant" and "NF-kappaB"; the last piece keeps the word's tag, head and label,
    # the hyphen is its punct, an earlier piece its npadvmod (adjective) or compound (noun).
    import spacy

    words = [
        Word(0, "tartrate-resistant", "JJ", True, 2, "amod"),
        Word(1, "NF-kappaB", "NN", True, 2, "compound"),
        Word(2, "protein", "NN", False, -1, "ROOT"),
    ]
    got = retokenise(words, spacy.blank("en"))
    assert [w.text for w in got] == ["tartrate", "-", "resistant", "NF", "-", "kappaB", "protein"]
    assert [(w.dep, w.head) for w in got] == [
        ("npadvmod", 2),
        ("punct", 2),
        ("amod", 6),
        ("compound", 5),
        ("punct", 5),
        ("compound", 6),
        ("ROOT", -1),
    ]
    assert [w.tag for w in got][:3] == ["", "HYPH", "JJ"]  # the piece's own tag is unknown: missing


def test_genia_fixture_converts_to_trees() -> None:
    # Every sentence of the fixture abstract: one root, every head inside the sentence, no cycle, only
    # en_core_web_sm's labels.
    abstract = read_abstract(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE))
    assert abstract.pmid == "10000001"
    assert len(abstract.sentences) >= 3
    for sentence in abstract.sentences:
        words = convert_sentence(sentence)
        roots = [w for w in words if w.head == -1]
        assert len(roots) == 1 and roots[0].dep == "ROOT"
        assert {w.dep for w in words} <= SPACY_LABELS
        for word in words:
            seen, node = set(), word
            while node.head != -1:
                assert 0 <= node.head < len(words)
                assert node.index not in seen, f"cycle through {node.text}"
                seen.add(node.index)
                node = words[node.head]


def test_genia_spacing_is_kept() -> None:
    # Whitespace between elements is the text's own: "( GRs )" was written "(GRs)".
    abstract = read_abstract(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE))
    text = "".join(w.text + (" " if w.space else "") for w in abstract.sentences[0].words)
    assert "(GRs)" in text and "  " not in text


def test_genia_split_is_fixed_by_pmid_hash() -> None:
    # The held-out part depends only on the PMIDs (not their order), is a tenth, and is disjoint.
    pmids = [str(10000000 + i * 7) for i in range(200)]
    train, heldout = split_pmids(pmids)
    assert len(heldout) == 20 and not set(train) & set(heldout)
    assert split_pmids(list(reversed(pmids))) == (train, heldout)
    assert heldout != sorted(pmids)[:20]  # not simply the first PMIDs


def test_genia_bad_xml_is_a_one_line_error() -> None:
    with pytest.raises(DataError, match=r"bad\.xml.*not well-formed"):
        read_abstract("<Annotation><PMID>1</PMID>", "bad.xml")
    with pytest.raises(DataError, match="no <PMID>"):
        read_abstract("<Annotation></Annotation>", "empty.xml")


def test_genia_unmarked_coordination_of_phrases() -> None:
    # "either by PHA or by PMA" with no COOD mark: two PPs joined by "or" are still conjuncts.
    got = arcs(
        '<cons cat="VP">'
        + tok("VBN", "activated")
        + ' <cons cat="PP">'
        + tok("CC", "either")
        + ' <cons cat="PP">'
        + tok("IN", "by")
        + ' <cons cat="NP">'
        + tok("NN", "PHA")
        + "</cons></cons> "
        + tok("CC", "or")
        + ' <cons cat="PP">'
        + tok("IN", "with")
        + ' <cons cat="NP">'
        + tok("NN", "PMA")
        + "</cons></cons></cons></cons>"
    )
    assert got["by"] == ("agent", "activated")
    assert got["either"] == ("preconj", "by")
    assert got["or"] == ("cc", "by")
    assert got["with"] == ("conj", "by")


def test_genia_flat_verb_group() -> None:
    # A VP with no VP child but two verbs ("was paralleled by"): the participle heads, "was" is auxpass.
    got = arcs(
        '<cons cat="S"><cons cat="NP" role="SBJ">'
        + tok("NN", "effect")
        + '</cons> <cons cat="VP">'
        + tok("VBD", "was")
        + " "
        + tok("VBN", "paralleled")
        + ' <cons cat="PP">'
        + tok("IN", "by")
        + ' <cons cat="NP">'
        + tok("NN", "loss")
        + "</cons></cons></cons></cons>"
    )
    assert got["paralleled"] == ("ROOT", "paralleled")
    assert got["was"] == ("auxpass", "paralleled")
    assert got["by"] == ("agent", "paralleled")


def test_genia_unparsed_sentences_are_left_out() -> None:
    # GENIA left a few sentences as a flat run of words: they are not taught as a parse.
    import spacy

    from ldn_graph.training.genia.deps import load_rules
    from ldn_graph.training.genia.docs import Report, abstract_doc

    flat = '<cons cat="S">' + " ".join(tok("NN", w) for w in "abcdef") + "</cons>"
    parsed = '<cons cat="NP">' + tok("NN", "IL-2") + "</cons>"
    abstract = read_abstract(wrap(flat, parsed), "test")
    assert [s.annotated for s in abstract.sentences] == [False, True]
    report = Report()
    doc = abstract_doc(spacy.blank("en"), abstract, load_rules(), report)
    assert [t.text for t in doc] == ["IL-2"] and report.unparsed == 1


def test_genia_structured_abstract_labels_are_sentences_of_their_own() -> None:
    # GENIA's abstracts have no "RESULTS:" labels; one training abstract in five gets some, each a sentence
    # of its own (the label the root, the colon its punct), as the shipped pipeline's clean-up splits them.
    import spacy

    from ldn_graph.training.genia.deps import load_rules
    from ldn_graph.training.genia.docs import abstract_doc, label_words, section_labels

    labels = label_words()
    assert "results" in labels and not any("_" in w for w in labels)
    placed = [section_labels(str(10000000 + i), 10, labels) for i in range(200)]
    assert 20 <= sum(1 for p in placed if p) <= 60  # about one in five
    assert placed == [section_labels(str(10000000 + i), 10, labels) for i in range(200)]
    assert all(set(p) <= set(range(1, 10)) for p in placed)
    abstract = read_abstract(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE))
    doc = abstract_doc(spacy.blank("en"), abstract, load_rules(), section_labels={1: "RESULTS"})
    sents = list(doc.sents)
    assert len(sents) == len(abstract.sentences) + 1
    assert [(t.text, t.dep_) for t in sents[1]] == [("RESULTS", "ROOT"), (":", "punct")]
    assert sents[2][0].text == "In" and "RESULTS: In a retrospective" in doc.text


def test_genia_own_section_labels_are_split_off() -> None:
    # GENIA keeps "METHODS:" in its sentence, as the root with the clause under it; the conversion makes it
    # a sentence of its own and the clause's verb the other root, as the shipped clean-up splits it.
    from ldn_graph.training.genia.docs import split_label

    sentence = read_abstract(
        wrap(
            '<cons cat="NP"><cons cat="NP">'
            + tok("NNS", "METHODS")
            + "</cons>"
            + tok("COLON", ":")
            + ' <cons cat="S"><cons cat="NP" id="i1" role="SBJ">'
            + tok("NNS", "Platelets")
            + "</cons> "
            '<cons cat="VP">'
            + tok("VBD", "were")
            + ' <cons cat="VP">'
            + tok("VBN", "collected")
            + '<cons cat="NP" ref="i1" null="NONE"></cons></cons></cons></cons>'
            + tok("PERIOD", ".")
            + "</cons>"
        ),
        "test",
    ).sentences[0]
    words = convert_sentence(sentence)
    assert words[0].dep == "ROOT"  # GENIA's own reading: the label heads the sentence
    assert split_label(words, frozenset({"methods", "materials_and_methods"}))
    got = {w.text: (w.dep, w.head) for w in words}
    assert got["METHODS"] == ("ROOT", -1) and got[":"] == ("punct", 0)
    assert got["collected"] == ("ROOT", -1)
    assert got["Platelets"] == ("nsubjpass", 4) and got["."] == ("punct", 4)
    assert not split_label(words[2:], frozenset({"methods"}))  # no label: nothing changes
