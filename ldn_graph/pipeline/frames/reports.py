"""Side effects: what patients on the drug under discussion report, and lists of a drug's side effects."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ldn_graph.pipeline.frames.reader import SentenceReader
from ldn_graph.pipeline.frames.registry import FRAMES, Frame
from ldn_graph.pipeline.frames.tokens import (
    COPULAS,
    DRUG_CATEGORIES,
    EFFECT_NOUNS,
    PERSONAL_PRONOUNS,
    WORDS,
    is_member_prep,
    pobjs,
    unique,
)

TAKING_VERBS = WORDS["population-verb"] | WORDS["arm-verb"]  # "while taking X", "after receiving X"
THERAPEUTIC_PROTEINS = frozenset(("Protein",))  # interferons, antibodies: what patients may be treated with
CLASS_CATEGORIES = frozenset(("ChemicalRole",))  # a drug class: "IL-17 inhibitors"


def read_patient_reports(reader: SentenceReader) -> None:
    """ "Most people notice X", "X was reported by 14% of participants": patients on the drug under
    discussion report a side effect; "reported less X" is an improvement instead."""
    for token in reader.tokens:
        if token.lemma_.lower() not in WORDS["report-verb"] or token.pos_ != "VERB":
            continue
        subj = [c for c in token.children if c.dep_ == "nsubj"]
        agents = reader.agents(token)
        # The patients' own treatment when their phrase names one ("patients treated with interferon-alpha
        # ... develop depression", "reported by 12% of patients on LDN"): a drug named there is the one,
        # and a therapeutic protein there means the drug under discussion is not what they took.
        named = unique(
            [e for r in subj + agents for t in r.subtree if (e := reader.entity_of(t)) is not None]
        )
        given = [e for e in named if e.label_ in DRUG_CATEGORIES] + drugs_taken_meanwhile(reader, token)
        if not given and any(e.label_ in THERAPEUTIC_PROTEINS for e in named):
            continue
        if reader.is_passive(token) and reported_on_drug(reader, token):
            continue
        reporters = subj + [t for a in agents for t in a.subtree]
        if any(c.lemma_.lower() in WORDS["affected-modifier"] for r in reporters for c in r.children):
            affected_report(reader, token)  # "Affected men report A": people with the condition
            continue
        drug = given[0] if given else reader.topic(before=token.i)
        people = any(reader.is_population(t) for r in reporters for t in (r, *r.children))
        if drug is None and people:
            if entry_condition(reader) is not None:
                affected_report(reader, token)  # in a text about a condition: the condition's symptoms
            continue
        if drug is None or (not people and not any(r.lower_ in PERSONAL_PRONOUNS for r in subj)):
            continue
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        for obj in objects:
            effects = [e for e in reader.phrase(obj) if e.label_ in ("PhenotypicFeature", "Disease")]
            less = any(t.lower_ in WORDS["less"] for t in obj.subtree if t.i < obj.i)
            if less:
                reader.emit([drug], "decreases", effects, token, "patient-report-less", (obj,))
            else:
                reader.emit([drug], "hasSideEffect", effects, token, "patient-report", (obj,))


def reported_on_drug(reader: SentenceReader, verb: Token) -> bool:
    """ "Fatigue and nausea were reported more often during duloxetine treatment" ("with D", "on D"): side
    effects of the drug the patients were on; whether the verb names one."""
    drugs = [
        e
        for c in reader.children(verb)
        if c.dep_ == "prep" and c.lower_ in WORDS["treatment-time-prep"]
        for p in pobjs(c)
        for e in reader.phrase(p)
        if e.label_ in DRUG_CATEGORIES
    ]
    if not drugs:
        return False
    effects = [
        e
        for c in reader.children(verb)
        if c.dep_ == "nsubjpass"
        for e in reader.phrase(c)
        if e.label_ in ("PhenotypicFeature", "Disease")
    ]
    reader.emit(unique(drugs), "hasSideEffect", effects, verb, "reported-on-drug", (verb,))
    return True


def affected_report(reader: SentenceReader, verb: Token) -> None:
    """ "Affected men report low libido and fatigue", "Patients report itching" in a text with no drug
    under discussion: features of the condition under discussion."""
    condition = reader.topic_condition()
    if condition is None:
        return
    effects = [
        e
        for c in reader.children(verb)
        if c.dep_ == "dobj"
        for e in reader.phrase(c)
        if e.label_ in ("PhenotypicFeature", "Disease")
    ]
    reader.emit([condition], "associatedWith", effects, verb, "affected-report", (verb,))


def read_side_effect_lists(reader: SentenceReader) -> None:
    """ "Its most common side effects are nausea and headache", "Adverse effects of X include Y"; "Y is a
    (dose-limiting) toxicity of A and B", "its most frequent consequence is Y" (a complication noun names
    a side effect with no modifier, of the drugs it names: "a complication of diabetes" is none)."""
    for token in reader.tokens:
        lemma = token.lemma_.lower()
        complication = lemma in WORDS["complication-noun"]
        if (lemma not in EFFECT_NOUNS and not complication) or token.pos_ != "NOUN":
            continue
        mods = {c.lower_ for c in token.lefts}
        if not complication and not mods & WORDS["side-effect-modifier"]:
            continue
        drugs = [
            e
            for c in token.children
            if (c.dep_ == "poss" and c.pos_ == "PRON")
            or (c.dep_ == "prep" and c.lower_ in WORDS["effect-of-prep"])
            for t in ([c] if c.dep_ == "poss" else pobjs(c))
            for e in (reader.resolve_pronoun(t, DRUG_CATEGORIES) if t.pos_ == "PRON" else reader.phrase(t))
            if e.label_ in DRUG_CATEGORIES
        ]
        if not drugs and not complication and (topic := reader.topic()) is not None:
            drugs = [topic]
        members = reader.generic_members(token, 0) + [
            e
            for c in token.children
            if c.dep_ == "prep" and is_member_prep(c)
            for p in pobjs(c)
            for e in reader.phrase(p)
        ]
        effects = [e for e in unique(members) if e.label_ in ("PhenotypicFeature", "Disease")]
        reader.emit(drugs, "hasSideEffect", effects, token, "side-effect-list", (token,))


def drugs_taken_meanwhile(reader: SentenceReader, verb: Token) -> list[Span]:
    """The drugs an adverbial clause of a report says the patients were taking ("developed X while taking
    methadone", "after receiving ketorolac")."""
    clauses = [c for c in reader.children(verb) if c.dep_ == "advcl"] + [
        p for c in reader.children(verb) if c.dep_ == "prep" for p in reader.children(c) if p.dep_ == "pcomp"
    ]
    return [
        e
        for c in clauses
        if c.lemma_.lower() in TAKING_VERBS
        for d in reader.children(c)
        if d.dep_ == "dobj"
        for e in reader.phrase(d)
        if e.label_ in DRUG_CATEGORIES
    ]


def read_reported_findings(reader: SentenceReader) -> None:
    """ "Sinus arrest has been reported in young patients", "Macular oedema and herpes zoster have also been
    reported", "no hepatotoxicity was observed": a finding reported with no reporter and no drug of its own
    is a side effect of the drug under discussion. With no drug under discussion, what is seen or reported
    is a sign of the condition under discussion ("erythema and scaling are seen at the edge of the
    patches")."""
    for verb in reader.tokens:
        lemma = verb.lemma_.lower()
        if lemma not in WORDS["observation-verb"] or verb.pos_ != "VERB" or not reader.is_passive(verb):
            continue
        if reader.agents(verb) or drugs_named_on(reader, verb):
            continue  # "reported by 14% of patients", "described in people treated with D": other frames'
        subjects = [c for c in reader.children(verb) if c.dep_ == "nsubjpass"]
        effects = unique(
            e for t in subjects for e in reader.phrase(t) if e.label_ in ("PhenotypicFeature", "Disease")
        )
        if not effects:
            continue
        drug = subject_drug(reader, verb, later=True)
        if drug is not None:
            if lemma in WORDS["case-report-verb"]:
                reader.emit([drug], "hasSideEffect", effects, verb, "reported-finding", tuple(subjects))
            continue
        condition = entry_condition(reader)
        if condition is not None:
            signs = [e for e in effects if e.kb_id_ != condition.kb_id_]
            reader.emit([condition], "associatedWith", signs, verb, "condition-sign", tuple(subjects))


def subject_drug(reader: SentenceReader, verb: Token, later: bool = False) -> Span | None:
    """The drug an earlier clause of the sentence has as its subject ("Methadone prolongs the QT interval,
    and torsades de pointes has been reported"), else the drug under discussion in earlier sentences; not
    a drug an earlier clause acts on ("Opioids blunt the cortisol response; adrenal insufficiency has been
    described": opioids, not cortisol). With `later`, a drug or drug class that a later clause has as its
    subject comes before the earlier sentences' ("IBD has been reported, so IL-17 inhibitors are avoided in
    Crohn's disease")."""
    subjects = [e for e in reader.sentence_entities() if e.root.dep_ in ("nsubj", "nsubjpass")]
    for ent in subjects:
        if ent.start < verb.i and ent.label_ in DRUG_CATEGORIES:
            return ent
    for ent in subjects if later else []:
        if ent.start > verb.i and (ent.label_ in DRUG_CATEGORIES or ent.label_ in CLASS_CATEGORIES):
            return ent
    return reader.discourse.topic_drug(reader.number)


def entry_condition(reader: SentenceReader) -> Span | None:
    """The condition a text is about when no drug has been named yet and a main clause had it as its
    subject (a disease entry's account of its signs comes before its treatments)."""
    if reader.discourse.drugs:
        return None
    condition = reader.topic_condition()
    main = {e.kb_id_ for _n, e, _plural in reader.discourse.main_subjects}
    return condition if condition is not None and condition.kb_id_ in main else None


def drugs_named_on(reader: SentenceReader, verb: Token) -> list[Span]:
    """The drugs of a verb's prepositional phrases ("in people treated with D", "during D treatment"), an
    antibody too ("treated with infliximab")."""
    return [
        e
        for c in reader.children(verb)
        if c.dep_ == "prep"
        for t in c.subtree
        if (e := reader.entity_of(t)) is not None
        and (e.label_ in DRUG_CATEGORIES or e.label_ in THERAPEUTIC_PROTEINS)
    ]


def read_frequent_findings(reader: SentenceReader) -> None:
    """ "Raised cholesterol, neutropenia and elevated liver enzymes are common", "lower intestinal
    perforation is rare", "mucocutaneous candidiasis is more common": how often a finding occurs, said with
    no population of its own, is said of a side effect of the drug under discussion."""
    for adj in reader.tokens:
        if adj.lower_ not in WORDS["frequency-adjective"] or adj.dep_ != "acomp":
            continue
        verb = adj.head
        if verb.lemma_.lower() not in COPULAS or any(c.dep_ == "neg" for c in reader.children(verb)):
            continue
        # "candidiasis is more common": than with what, the sentence need not say (another class of drug,
        # placebo, a population), nor so whose side effect it is
        if any(c.lower_ in WORDS["comparative-adverb"] for c in reader.children(adj)):
            continue
        # "more common in women", "more frequent in carriers of E4", "than in the idiopathic disease": where
        # it occurs, not what causes it
        if any(c.dep_ == "prep" for c in (*reader.children(adj), *reader.children(verb))):
            continue
        subjects = [c for c in reader.children(verb) if c.dep_ == "nsubj"]
        effects = unique(
            e for t in subjects for e in reader.phrase(t) if e.label_ in ("PhenotypicFeature", "Disease")
        )
        drug = subject_drug(reader, verb) if effects else None
        if drug is not None:
            reader.emit([drug], "hasSideEffect", effects, adj, "frequent-finding", tuple(subjects))


def read_reports(reader: SentenceReader) -> None:
    """What patients report, and findings reported with no reporter or said to be common or rare."""
    read_patient_reports(reader)
    read_reported_findings(reader)
    read_frequent_findings(reader)


@FRAMES.register("ldn.frame.patient-report.v1")
def patient_report_frame() -> Frame:
    """Patient reports and reported findings, for sentences with a report or observation verb."""
    return Frame(
        "patient-report",
        read=read_reports,
        lemmas=WORDS["report-verb"] | WORDS["observation-verb"],
        lowers=WORDS["frequency-adjective"],
    )


def read_withdrawal_effects(reader: SentenceReader) -> None:
    """ "Stopping it abruptly can cause agitation", "Abrupt discontinuation of baclofen can cause
    seizures": what stopping a drug causes is a side effect of the drug (a withdrawal effect)."""
    for stop in reader.tokens:
        if stop.lemma_.lower() not in WORDS["stopping-word"] or stop.dep_ not in ("csubj", "nsubj"):
            continue
        verb = stop.head
        if not any(t.predicate == "causes" for t in reader.rules.triggers_for(verb.lemma_.lower(), "VERB")):
            continue
        if stop.pos_ == "VERB":
            slots = [c for c in reader.children(stop) if c.dep_ == "dobj"]
        else:
            slots = [
                p for c in reader.children(stop) if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c)
            ]
        drugs = [e for t in slots for e in reader.phrase(t) if e.label_ in DRUG_CATEGORIES]
        effects = [
            e
            for c in reader.children(verb)
            if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "to")
            for t in ([c] if c.dep_ == "dobj" else pobjs(c))
            for e in reader.phrase(t)
            if e.label_ in ("PhenotypicFeature", "Disease")
        ]
        reader.emit(unique(drugs), "hasSideEffect", unique(effects), verb, "withdrawal-effect", (stop,))


def read_sequel_effects(reader: SentenceReader) -> None:
    """ "the bradycardia and atrioventricular block that follow the first dose", "nausea following the
    first infusion": a finding that follows a dose of a drug (a dose noun stands for the drug under
    discussion) or the drug itself is a side effect of it."""
    for verb in reader.tokens:
        if verb.lemma_.lower() not in WORDS["sequel-verb"] or verb.pos_ != "VERB":
            continue
        if verb.dep_ == "relcl":
            findings = [reader.renamed(verb.head)]
            slots = [c for c in reader.children(verb) if c.dep_ == "dobj"]
        elif verb.tag_ == "VBG" and verb.dep_ in ("acl", "prep"):
            findings = [verb.head]
            slots = [c for c in reader.children(verb) if c.dep_ in ("dobj", "pobj")]
        else:
            continue
        drugs = [e for t in slots for e in reader.phrase(t) if e.label_ in DRUG_CATEGORIES]
        effects = [
            e for t in findings for e in reader.phrase(t) if e.label_ in ("PhenotypicFeature", "Disease")
        ]
        reader.emit(unique(drugs), "hasSideEffect", unique(effects), verb, "sequel-effect", tuple(findings))


def read_side_effects(reader: SentenceReader) -> None:
    """Side-effect lists, withdrawal effects and what follows a dose."""
    read_side_effect_lists(reader)
    read_withdrawal_effects(reader)
    read_sequel_effects(reader)


@FRAMES.register("ldn.frame.side-effect-list.v1")
def side_effect_list_frame() -> Frame:
    """Side-effect lists, withdrawal effects and what follows a dose, for sentences with an effect,
    complication or stopping noun or verb, or a verb of following."""
    return Frame(
        "side-effect-list",
        read=read_side_effects,
        lemmas=EFFECT_NOUNS | WORDS["complication-noun"] | WORDS["stopping-word"] | WORDS["sequel-verb"],
    )
