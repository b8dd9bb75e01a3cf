"""A tiny hand-made graph in the shape of docs/data-model.md, for tests that read RDF.

It is written with rdflib alone (not with the builder), so it tests the readers against the contract
rather than against whatever the builder happens to write. `make_graph()` returns a fresh Dataset each
call: one named graph per document and the aggregated assertions in `AGGREGATE_GRAPH`.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from ldn_graph.namespaces import (
    AGGREGATE_GRAPH,
    ASSERTION,
    DOC,
    ENT,
    EVIDENCE,
    LDN,
    OA,
    PREFIXES,
    SCHEMA,
    UNIT,
    curie_to_iri,
)

BLOG = "ldn-blog-2019"
REVIEW = "ldn-review-2020"

# Entity keys, their class and their standard identifiers (deliberately not in preference order:
# the KGX writer must pick the preferred one itself).
LDN_DRUG = "low-dose-naltrexone"
NALTREXONE = "naltrexone"
FIBROMYALGIA = "fibromyalgia"
MICROGLIA = "microglial-cell"
INFLAMMATION = "inflammation"
ENDORPHIN = "endorphin"
OPIOID_RECEPTOR = "opioid-receptor"
MU_OPIOID_RECEPTOR = "mu-opioid-receptor"
OPIOID_DEPENDENCE = "opioid-dependence"
GLIAL_ACTIVATION = "glial-activation"  # project-local: ldn:normalised false, no exactMatch

ENTITIES: dict[str, tuple[URIRef, str, tuple[str, ...], tuple[str, ...], bool]] = {
    # key: (class, label, altLabels, exactMatch CURIEs, normalised)
    LDN_DRUG: (LDN.Drug, "low-dose naltrexone", ("LDN", "low dose naltrexone"), (), True),
    NALTREXONE: (LDN.Drug, "naltrexone", (), ("MESH:D009271", "CHEBI:7465"), True),
    FIBROMYALGIA: (LDN.Disease, "fibromyalgia", (), ("MESH:D005356", "DOID:631", "MONDO:0005546"), True),
    MICROGLIA: (LDN.Cell, "microglial cell", ("microglia",), ("MESH:D017628", "CL:0000129"), True),
    INFLAMMATION: (LDN.BiologicalProcess, "inflammation", (), ("GO:0006954", "MESH:D007249"), True),
    ENDORPHIN: (LDN.MolecularEntity, "endorphins", ("endorphin",), ("MESH:D004723",), True),
    OPIOID_RECEPTOR: (LDN.ProteinFamily, "opioid receptor", (), ("MESH:D011957", "PR:000001497"), True),
    MU_OPIOID_RECEPTOR: (LDN.Protein, "mu-opioid receptor", ("OPRM1",), ("HGNC:8156", "PR:000001612"), True),
    OPIOID_DEPENDENCE: (LDN.Disease, "opioid dependence", (), ("DOID:2559", "MESH:D009293"), True),
    GLIAL_ACTIVATION: (LDN.BiologicalProcess, "glial activation", (), (), False),
}

# Sentences: (document, start, end, text). The second one holds a `|` and a tab on purpose.
SENTENCES = {
    "fm-2010": (
        BLOG,
        2154,
        2321,
        "A 2010 study found a 30% reduction in symptom severity in women with fibromyalgia.",
    ),
    "fm-review": (REVIEW, 10, 60, "LDN | low dose\tnaltrexone\ntreats fibromyalgia."),
    "endorphin": (BLOG, 400, 470, "LDN increases endorphins."),
    "inflammation": (BLOG, 500, 560, "LDN may reduce inflammation."),
    "binds": (BLOG, 100, 160, "Naltrexone binds to opioid receptors."),
    "mu-binds": (BLOG, 160, 220, "Naltrexone binds the mu-opioid receptor."),
    "dependence": (BLOG, 600, 650, "LDN does not cause opioid dependence."),
    "ingredient": (BLOG, 300, 380, "The dose of LDN starts between 1.0 to 4.5 mg of naltrexone/dose."),
    "glia": (BLOG, 700, 780, "Glial activation may be linked to fibromyalgia."),
}

# Assertions: (subject, predicate, object, negated, certainty, sentence ids, qualifiers).
# A qualifier is (class, slug, label, {schema property: value}).
ASSERTIONS: list[
    tuple[str, str, str, bool, str, tuple[str, ...], tuple[tuple[URIRef, str, str, dict], ...]]
] = [
    (
        LDN_DRUG,
        "treats",
        FIBROMYALGIA,
        False,
        "Asserted",
        ("fm-2010", "fm-review"),
        (
            (LDN.StudyYear, "year-2010", "2010", {"value": Literal("2010", datatype=XSD.gYear)}),
            (LDN.EffectSize, "effect-30-percent", "30% reduction in symptom severity", {"value": 30.0}),
            (LDN.StudyPopulation, "population-women", "women", {}),
        ),
    ),
    (LDN_DRUG, "increases", ENDORPHIN, False, "Asserted", ("endorphin",), ()),
    (LDN_DRUG, "decreases", INFLAMMATION, False, "Hedged", ("inflammation",), ()),
    (NALTREXONE, "binds", OPIOID_RECEPTOR, False, "Asserted", ("binds",), ()),
    (NALTREXONE, "binds", MU_OPIOID_RECEPTOR, False, "Asserted", ("mu-binds",), ()),
    (LDN_DRUG, "causes", OPIOID_DEPENDENCE, True, "Asserted", ("dependence",), ()),
    (
        LDN_DRUG,
        "hasActiveIngredient",
        NALTREXONE,
        False,
        "Asserted",
        ("ingredient",),
        ((LDN.Dose, "dose-1.0-4.5-mg", "1.0 to 4.5 mg", {"minValue": 1.0, "maxValue": 4.5}),),
    ),
    (GLIAL_ACTIVATION, "associatedWith", FIBROMYALGIA, False, "Hedged", ("glia",), ()),
]

TITLES = {
    BLOG: "Low Dose Naltrexone: An Effective Treatment for Chronic Pain and Fatigue",
    REVIEW: "A review of low-dose naltrexone",
}


def assertion_key(subject: str, predicate: str, obj: str, negated: bool) -> str:
    """The local name of an assertion IRI, as the builder makes it (predicate slugified)."""
    slug = {"hasActiveIngredient": "has-active-ingredient", "associatedWith": "associated-with"}
    base = f"{subject}.{slug.get(predicate, predicate)}.{obj}"
    return base + ".negated" if negated else base


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, str(namespace), override=True, replace=True)


def make_graph() -> Dataset:
    """A fresh Dataset: two documents, ten entities, eight assertions (one negated, two hedged)."""
    ds = Dataset()
    _bind(ds)
    agg = ds.graph(AGGREGATE_GRAPH)
    docs = {key: ds.graph(DOC[key]) for key in (BLOG, REVIEW)}

    for key, g in docs.items():
        g.add((DOC[key], RDF.type, LDN.Document))
        g.add((DOC[key], RDF.type, PROV.Entity))
        g.add((DOC[key], DCTERMS.title, Literal(TITLES[key])))
        g.add((DOC[key], DCTERMS.source, Literal(f"{key}.txt")))
        g.add((DOC[key], LDN.sha256, Literal("0" * 64)))
        g.add((DOC[key], LDN.text, Literal(TITLES[key] + "\n")))

    # Every entity is described in each document graph that mentions it; here, in the blog's.
    mentioned_in_review = {LDN_DRUG, FIBROMYALGIA}
    for key, (cls, label, alts, xrefs, normalised) in ENTITIES.items():
        for doc_key in (BLOG, REVIEW) if key in mentioned_in_review else (BLOG,):
            g = docs[doc_key]
            g.add((ENT[key], RDF.type, cls))
            g.add((ENT[key], RDFS.label, Literal(label)))
            for alt in alts:
                g.add((ENT[key], SKOS.altLabel, Literal(alt)))
            for xref in xrefs:
                g.add((ENT[key], SKOS.exactMatch, curie_to_iri(xref)))
            g.add((ENT[key], LDN.normalised, Literal(normalised)))

    for subject, predicate, obj, negated, certainty, sentence_ids, qualifiers in ASSERTIONS:
        akey = assertion_key(subject, predicate, obj, negated)
        a = ASSERTION[akey]
        agg.add((a, RDF.type, LDN.Assertion))
        agg.add((a, RDF.subject, ENT[subject]))
        agg.add((a, RDF.predicate, LDN[predicate]))
        agg.add((a, RDF.object, ENT[obj]))
        agg.add((a, LDN.negated, Literal(negated)))
        agg.add((a, LDN.certainty, LDN[certainty]))
        agg.add((a, LDN.supportCount, Literal(len(sentence_ids))))
        agg.add((a, LDN.documentCount, Literal(len({SENTENCES[s][0] for s in sentence_ids}))))
        for sid in sentence_ids:
            doc_key, start, end, text = SENTENCES[sid]
            g = docs[doc_key]
            if not negated:
                g.add((ENT[subject], LDN[predicate], ENT[obj]))
            ev = EVIDENCE[f"{doc_key}.{start}-{end}.{akey}"]
            target = URIRef(f"{DOC[doc_key]}#char={start},{end}")
            agg.add((a, PROV.wasDerivedFrom, ev))
            g.add((ev, RDF.type, LDN.Evidence))
            g.add((ev, RDF.type, OA.Annotation))
            g.add((ev, OA.motivatedBy, OA.describing))
            g.add((ev, OA.hasBody, a))
            g.add((ev, OA.hasTarget, target))
            g.add((ev, LDN.certainty, LDN[certainty]))
            g.add((ev, LDN.negated, Literal(negated)))
            g.add((ev, LDN.extractionRule, Literal("test-rule")))
            g.add((ev, PROV.wasGeneratedBy, LDN.DependencyRules))
            position, quote = URIRef(f"{target}-position"), URIRef(f"{target}-quote")
            g.add((target, RDF.type, OA.SpecificResource))
            g.add((target, OA.hasSource, DOC[doc_key]))
            g.add((target, OA.hasSelector, position))
            g.add((target, OA.hasSelector, quote))
            g.add((target, LDN.sentenceIndex, Literal(start // 50)))
            g.add((position, RDF.type, OA.TextPositionSelector))
            g.add((position, OA.start, Literal(start)))
            g.add((position, OA.end, Literal(end)))
            g.add((quote, RDF.type, OA.TextQuoteSelector))
            g.add((quote, OA.exact, Literal(text)))
        for cls, slug, label, values in qualifiers:
            q = URIRef(f"{a}/{slug}")
            agg.add((a, LDN.hasQualifier, q))
            agg.add((q, RDF.type, cls))
            agg.add((q, RDFS.label, Literal(label)))
            for prop, value in values.items():
                agg.add((q, SCHEMA[prop], value if isinstance(value, Literal) else Literal(value)))
            if cls == LDN.Dose:
                agg.add((q, SCHEMA.unitCode, UNIT.MilliGM))
            if cls == LDN.EffectSize:
                agg.add((q, SCHEMA.unitCode, UNIT.PERCENT))
    return ds


def union_graph(ds: Dataset) -> Graph:
    """All the triples of every named graph in one plain Graph."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def add_aggregate_assertion(
    graph: Graph,
    assertion: URIRef,
    subject: URIRef,
    predicate: URIRef,
    obj: URIRef,
    *,
    negated: bool,
    documents: int,
    sentences: int | None = None,
    certainty: URIRef | None = None,
) -> None:
    """An assertion node of the aggregate graph, as rdf/aggregate.py writes one (without its evidence
    links): what it claims, its polarity, and its counts (sentences and certainty when given)."""
    graph.add((assertion, RDF.type, LDN.Assertion))
    graph.add((assertion, RDF.subject, subject))
    graph.add((assertion, RDF.predicate, predicate))
    graph.add((assertion, RDF.object, obj))
    graph.add((assertion, LDN.negated, Literal(negated)))
    graph.add((assertion, LDN.documentCount, Literal(documents)))
    if sentences is not None:
        graph.add((assertion, LDN.supportCount, Literal(sentences)))
    if certainty is not None:
        graph.add((assertion, LDN.certainty, certainty))


# --- Additions for the query library: a contradiction across documents, side effects, a contraindication.
# make_graph() is unchanged; make_library_graph() is make_graph() plus these.

INSOMNIA = "insomnia"
OPIOID_ANALGESIC = "opioid-analgesic"

EXTRA_ENTITIES: dict[str, tuple[URIRef, str, tuple[str, ...], tuple[str, ...], bool]] = {
    INSOMNIA: (LDN.PhenotypicFeature, "insomnia", ("sleeplessness",), ("HP:0100785",), True),
    OPIOID_ANALGESIC: (LDN.Drug, "opioid analgesic", ("opioid painkillers",), ("CHEBI:35482",), True),
}

EXTRA_SENTENCES = {
    "insomnia-review": (REVIEW, 100, 150, "Insomnia was reported as a side effect of LDN."),
    "insomnia-blog": (BLOG, 800, 850, "LDN did not cause insomnia in our patients."),
    "opioids": (BLOG, 900, 960, "LDN is contraindicated with opioid analgesics."),
    # The same document asserts what it negates elsewhere: not a contradiction *across* documents.
    "dependence-blog": (BLOG, 1000, 1050, "High doses of LDN cause opioid dependence."),
}

EXTRA_ASSERTIONS: list[tuple[str, str, str, bool, str, tuple[str, ...]]] = [
    # (subject, predicate, object, negated, certainty, sentence ids); slug = predicate in kebab case.
    (LDN_DRUG, "hasSideEffect", INSOMNIA, False, "Asserted", ("insomnia-review",)),
    (LDN_DRUG, "hasSideEffect", INSOMNIA, True, "Asserted", ("insomnia-blog",)),
    (LDN_DRUG, "contraindicatedWith", OPIOID_ANALGESIC, False, "Asserted", ("opioids",)),
    (LDN_DRUG, "causes", OPIOID_DEPENDENCE, False, "Asserted", ("dependence-blog",)),
]
EXTRA_SLUGS = {"hasSideEffect": "has-side-effect", "contraindicatedWith": "contraindicated-with"}


def make_library_graph() -> Dataset:
    """make_graph() plus EXTRA_*: insomnia is a side effect of LDN in the review and negated in the blog."""
    ds = make_graph()
    agg = ds.graph(AGGREGATE_GRAPH)
    docs = {key: ds.graph(DOC[key]) for key in (BLOG, REVIEW)}
    for key, (cls, label, alts, xrefs, normalised) in EXTRA_ENTITIES.items():
        for g in docs.values():
            g.add((ENT[key], RDF.type, cls))
            g.add((ENT[key], RDFS.label, Literal(label)))
            for alt in alts:
                g.add((ENT[key], SKOS.altLabel, Literal(alt)))
            for xref in xrefs:
                g.add((ENT[key], SKOS.exactMatch, curie_to_iri(xref)))
            g.add((ENT[key], LDN.normalised, Literal(normalised)))
    for subject, predicate, obj, negated, certainty, sentence_ids in EXTRA_ASSERTIONS:
        akey = f"{subject}.{EXTRA_SLUGS.get(predicate, predicate)}.{obj}" + (".negated" if negated else "")
        a = ASSERTION[akey]
        add_aggregate_assertion(
            agg,
            a,
            ENT[subject],
            LDN[predicate],
            ENT[obj],
            negated=negated,
            certainty=LDN[certainty],
            sentences=len(sentence_ids),
            documents=len({EXTRA_SENTENCES[s][0] for s in sentence_ids}),
        )
        for sid in sentence_ids:
            doc_key, start, end, text = EXTRA_SENTENCES[sid]
            g = docs[doc_key]
            if not negated:
                g.add((ENT[subject], LDN[predicate], ENT[obj]))
            ev = EVIDENCE[f"{doc_key}.{start}-{end}.{akey}"]
            target = URIRef(f"{DOC[doc_key]}#char={start},{end}")
            position, quote = URIRef(f"{target}-position"), URIRef(f"{target}-quote")
            agg.add((a, PROV.wasDerivedFrom, ev))
            for triple in [
                (ev, RDF.type, LDN.Evidence),
                (ev, RDF.type, OA.Annotation),
                (ev, OA.motivatedBy, OA.describing),
                (ev, OA.hasBody, a),
                (ev, OA.hasTarget, target),
                (ev, LDN.certainty, LDN[certainty]),
                (ev, LDN.negated, Literal(negated)),
                (ev, LDN.extractionRule, Literal("test-rule")),
                (ev, PROV.wasGeneratedBy, LDN.DependencyRules),
                (target, RDF.type, OA.SpecificResource),
                (target, OA.hasSource, DOC[doc_key]),
                (target, OA.hasSelector, position),
                (target, OA.hasSelector, quote),
                (target, LDN.sentenceIndex, Literal(start // 50)),
                (position, RDF.type, OA.TextPositionSelector),
                (position, OA.start, Literal(start)),
                (position, OA.end, Literal(end)),
                (quote, RDF.type, OA.TextQuoteSelector),
                (quote, OA.exact, Literal(text)),
            ]:
                g.add(triple)
    # As the aggregate flags them (rdf/aggregate.py): stated in the review, negated in the blog.
    stated, negated = (ASSERTION[f"{LDN_DRUG}.has-side-effect.{INSOMNIA}{end}"] for end in ("", ".negated"))
    agg.add((stated, LDN.contradictedBy, negated))
    agg.add((negated, LDN.contradictedBy, stated))
    return ds
