"""A finite main verb the parser left without a subject takes the noun right before it, past a
parenthesis and the verb's own adverbs: a fronted phrase ("In a series of 16 patients, X (3 mg daily)
reduced Y") often swallows the subject as a conjunct. On a parse built by hand and on the model's."""

from __future__ import annotations

from tests.test_frames import found, parse

NALTREXONE = "naltrexone"
VERB = ["ldn.frame.verb.v1"]

# "In 12 women, naltrexone (4.5 mg) reduced pain": the parser's conjunct "women ... naltrexone"
STRANDED = """
    In         in         ADP   IN    9 prep
    12         12         NUM   CD    2 nummod
    women      woman      NOUN  NNS   0 pobj
    ,          ,          PUNCT ,     2 punct
    naltrexone naltrexone NOUN  NN    2 conj
    (          (          PUNCT -LRB- 4 punct
    4.5        4.5        NUM   CD    7 nummod
    mg         mg         NOUN  NN    4 appos
    )          )          PUNCT -RRB- 4 punct
    reduced    reduce     VERB  VBD   9 ROOT
    pain       pain       NOUN  NN    9 dobj
    .          .          PUNCT .     9 punct
    """
STRANDED_ENTS = [(4, 5, "Drug", NALTREXONE), (10, 11, "PhenotypicFeature", "pain")]


def test_frames_a_stranded_main_verb_takes_the_noun_before_it(nlp):
    read = found(nlp, parse(nlp, STRANDED, STRANDED_ENTS), VERB)
    assert (NALTREXONE, "decreases", "pain", "active-verb") in read


def test_frames_a_verb_with_a_subject_or_no_finite_form_takes_none(nlp):
    # the same words read as a past participle (no finite verb, so no clause that needs a subject)
    table = STRANDED.replace("reduced    reduce     VERB  VBD", "reduced    reduce     VERB  VBN")
    assert not found(nlp, parse(nlp, table, STRANDED_ENTS), VERB)
    # a noun the verb itself governs is no stranded subject ("Yesterday naltrexone reduced" aside)
    table = STRANDED.replace(
        "naltrexone naltrexone NOUN  NN    2 conj", "naltrexone naltrexone NOUN  NN    9 npadvmod"
    )
    assert not found(nlp, parse(nlp, table, STRANDED_ENTS), VERB)


def test_frames_a_stranded_subject_on_the_models_parse(nlp):
    text = (
        "In an open-label series of 12 women, low-dose naltrexone (4.5 mg nightly) reduced pain and fatigue."
    )
    read = {(r.subject, r.predicate, r.object) for r in nlp(text)._.ldn_relations}
    assert ("low-dose-naltrexone", "decreases", "pain") in read
    assert ("low-dose-naltrexone", "decreases", "fatigue") in read
