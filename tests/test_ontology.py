"""The ontology (ontology/ldn.ttl), its SHACL shapes (ontology/shapes.ttl) and the lookups that read them."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from ldn_graph.model import ENTITY_CATEGORIES
from ldn_graph.namespaces import ASSERTION, BIOLINK, DOC, ENT, EVIDENCE, LDN, OA
from ldn_graph.rdf.ontology import (
    biolink_category,
    biolink_object_categories,
    biolink_predicate,
    biolink_predicate_for,
    biolink_qualifiers,
    label,
    load_ontology,
)
from ldn_graph.rdf.shapes import validate

NS = str(LDN._NS)
DEFINING_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}


def _ldn_subjects(graph: Graph) -> set[str]:
    return {str(s)[len(NS) :] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_ontology_parses_with_metadata():
    graph = load_ontology()
    ontology = URIRef("https://w3id.org/ldn-graph/vocab")
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert graph.value(ontology, OWL.versionInfo) == Literal("0.1.0")
    assert graph.value(ontology, DCTERMS.license) == URIRef("https://opensource.org/licenses/MIT")
    assert graph.value(ontology, DCTERMS.title) is not None


def test_ontology_defines_exactly_the_namespace_terms():
    defined = _ldn_subjects(load_ontology())
    named = set(LDN.__annotations__)
    missing, extra = sorted(named - defined), sorted(defined - named)
    assert not missing and not extra, (
        f"in namespaces.LDN but not defined in ldn.ttl: {missing}; defined in ldn.ttl but not in LDN: {extra}"
    )


def test_ontology_uses_only_defined_terms():
    # A typo in an object position (ldn:Assertd) would not be caught by the subject check above.
    graph = load_ontology()
    used = {
        str(t)[len(NS) :] for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(NS)
    }
    assert used - _ldn_subjects(graph) == set()


def test_ontology_every_term_has_a_kind_label_and_definition():
    graph = load_ontology()
    problems = []
    for name in sorted(_ldn_subjects(graph)):
        term = URIRef(NS + name)
        if not DEFINING_TYPES & set(graph.objects(term, RDF.type)):
            problems.append(f"ldn:{name} is not declared as a class, property or named individual")
        labels = [lab for lab in graph.objects(term, RDFS.label) if isinstance(lab, Literal)]
        if [lab.language for lab in labels] != ["en"]:
            problems.append(f"ldn:{name} needs exactly one English rdfs:label, has {labels}")
        if not any(isinstance(d, Literal) and str(d).strip() for d in graph.objects(term, SKOS.definition)):
            problems.append(f"ldn:{name} has no skos:definition")
    assert not problems, "\n".join(problems)


def test_ontology_entity_classes_have_category_and_identifier_note():
    graph = load_ontology()
    for name in ["Entity", *ENTITY_CATEGORIES]:
        assert LDN.Entity in set(graph.transitive_objects(LDN[name], RDFS.subClassOf)), name
        assert graph.value(LDN[name], LDN.biolinkCategory) is not None, name
        assert graph.value(LDN[name], SKOS.note) is not None, name


def test_ontology_relations_are_related_to_with_a_biolink_predicate():
    graph = load_ontology()
    relations = [p for p in graph.transitive_subjects(RDFS.subPropertyOf, LDN.relatedTo) if p is not None]
    assert len(relations) == 15  # relatedTo and its 14 sub-properties
    for prop in relations:
        assert (prop, RDF.type, OWL.ObjectProperty) in graph
        assert graph.value(prop, LDN.biolinkPredicate) is not None, prop
        # Entities of many classes fill these slots: a range would retype them under RDFS reasoning.
        assert graph.value(prop, RDFS.range) is None and graph.value(prop, RDFS.domain) is None, prop


def test_ontology_certainty_individuals_have_the_labels_queries_use():
    graph = load_ontology()
    assert set(graph.subjects(RDF.type, LDN.Certainty)) == {LDN.Asserted, LDN.Hedged}
    assert label("Asserted") == "asserted"
    assert label("Hedged") == "hedged"


def test_ontology_provenance_superclasses():
    graph = load_ontology()
    assert (LDN.Document, RDFS.subClassOf, PROV.Entity) in graph
    assert (LDN.Evidence, RDFS.subClassOf, OA.Annotation) in graph
    assert (LDN.Assertion, RDFS.subClassOf, RDF.Statement) in graph
    assert (LDN.ExtractionMethod, RDFS.subClassOf, PROV.Plan) in graph
    assert (LDN.DependencyRules, RDF.type, LDN.ExtractionMethod) in graph
    for qualifier in ["Dose", "EffectSize", "StudyYear", "StudyPopulation", "SampleSize"]:
        assert (LDN[qualifier], RDFS.subClassOf, LDN.Qualifier) in graph


# --- Biolink Model --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def biolink_schema() -> dict:
    pytest.importorskip("biolink_model")
    yaml = pytest.importorskip("yaml")
    text = (
        files("biolink_model").joinpath("schema").joinpath("biolink_model.yaml").read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def _spaced_class(local: str) -> str:
    """`PopulationOfIndividualOrganisms` -> `population of individual organisms`, the schema's key."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", local).lower()


def _biolink_local(iri: object) -> str:
    assert isinstance(iri, URIRef) and iri.startswith(str(BIOLINK)), f"{iri} is not a Biolink IRI"
    return iri[len(str(BIOLINK)) :]


def test_ontology_biolink_categories_exist_in_the_model(biolink_schema):
    classes = biolink_schema["classes"]
    mapped = list(load_ontology().subject_objects(LDN.biolinkCategory))
    assert len(mapped) >= len(ENTITY_CATEGORIES) + 1
    # The categories a relation gives its objects (has active ingredient -> molecular entity) too.
    extra = list(load_ontology().subject_objects(LDN.biolinkObjectCategory))
    assert extra
    mapped += extra
    problems = []
    for term, iri in mapped:
        name = _spaced_class(_biolink_local(iri))
        if name not in classes:
            problems.append(f"{term} -> {iri}: no class {name!r} in Biolink {biolink_schema['version']}")
        elif str(classes[name].get("deprecated", "false")).lower() == "true":
            problems.append(f"{term} -> {iri}: deprecated in Biolink {biolink_schema['version']}")
    assert not problems, "\n".join(problems)


def test_ontology_biolink_predicates_exist_in_the_model(biolink_schema):
    slots = biolink_schema["slots"]
    mapped = list(load_ontology().subject_objects(LDN.biolinkPredicate))
    assert len(mapped) == 15 + 6  # one per relation, and one per ldn:biolinkPredicateRule
    problems = []
    for term, iri in mapped:
        name = _biolink_local(iri).replace("_", " ")
        if name not in slots:
            problems.append(f"{term} -> {iri}: no slot {name!r} in Biolink {biolink_schema['version']}")
        elif str(slots[name].get("deprecated", "false")).lower() == "true":
            problems.append(f"{term} -> {iri}: deprecated in Biolink {biolink_schema['version']}")
    assert not problems, "\n".join(problems)


def test_ontology_direction_qualifiers_are_biolink_enum_values(biolink_schema):
    allowed = set(biolink_schema["enums"]["DirectionQualifierEnum"]["permissible_values"])
    assert "object direction qualifier" in biolink_schema["slots"]
    assert biolink_qualifiers("increases") == {"object_direction_qualifier": "increased"}
    assert biolink_qualifiers("decreases") == {"object_direction_qualifier": "decreased"}
    assert {"increased", "decreased"} <= allowed


# --- Lookups ---------------------------------------------------------------------------------------------


def test_ontology_lookups_read_the_ttl():
    assert biolink_predicate("treats") == "biolink:treats"
    assert biolink_predicate("partOf") == "biolink:part_of"
    assert biolink_predicate("increases") == "biolink:affects"


@pytest.mark.parametrize(
    ("relation", "subject", "obj", "expected"),
    [
        ("contraindicatedWith", "Drug", "Disease", "biolink:contraindicated_in"),  # a condition: no rule
        ("contraindicatedWith", "Drug", "ChemicalEntity", "biolink:interacts_with"),  # a substance
        ("subclassOf", "Drug", "ChemicalRole", "biolink:has_chemical_role"),  # naltrexone is an antagonist
        ("subclassOf", "Protein", "MolecularEntity", "biolink:member_of"),  # not an ontology class
        ("subclassOf", "Cell", "ProteinFamily", "biolink:member_of"),  # nor is the object
        ("subclassOf", "Disease", "Disease", "biolink:subclass_of"),  # both ontology classes
        ("treats", None, None, "biolink:treats"),  # ends of no known class: the relation's predicate
        ("regulates", "Cell", "BiologicalProcess", "biolink:regulates"),  # physical essence, occurrent
        ("regulates", "ProteinFamily", "MolecularEntity", "biolink:affects"),  # outside regulates' domain
        ("regulates", "Drug", "Disease", "biolink:affects"),  # outside its range
    ],
)
def test_ontology_biolink_predicate_rules(relation, subject, obj, expected):
    assert biolink_predicate_for(relation, subject, obj) == expected


def test_ontology_biolink_object_categories():
    # Biolink's has_active_ingredient takes a molecular entity, which its Drug (a mixture) is not.
    assert biolink_object_categories("hasActiveIngredient") == ["biolink:MolecularEntity"]
    assert biolink_object_categories("treats") == []
    assert biolink_category("Cell") == "biolink:Cell"
    assert biolink_category("Population") == "biolink:PopulationOfIndividualOrganisms"
    assert biolink_qualifiers("treats") == {}
    assert label("hasActiveIngredient") == "has active ingredient"


def test_ontology_lookup_of_an_unknown_term_fails():
    with pytest.raises(KeyError, match="ldn:Bogus"):
        biolink_category("Bogus")
    with pytest.raises(KeyError, match="ldn:Cell"):
        biolink_predicate("Cell")  # a class has a category, not a predicate


# --- SHACL -----------------------------------------------------------------------------------------------

LDN_NALTREXONE = ENT["low-dose-naltrexone"]
FIBROMYALGIA = ENT["fibromyalgia"]
BLOG = DOC["ldn-blog-2019"]
ASSERTION_IRI = ASSERTION["low-dose-naltrexone.treats.fibromyalgia"]
EVIDENCE_IRI = EVIDENCE["ldn-blog-2019.2154-2321.low-dose-naltrexone.treats.fibromyalgia"]
TARGET = URIRef(str(BLOG) + "#char=2154,2321")
POSITION = URIRef(str(TARGET) + "-position")
QUOTE = URIRef(str(TARGET) + "-quote")
YEAR = URIRef(str(ASSERTION_IRI) + "/year-2010")
SHA256 = "e63ee03f" + "0" * 56
# Imported as an IRI: pytest warns when it inspects rdflib's XSD namespace in a test module.
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")


def tiny_graph() -> Graph:
    """One document, two entities, one assertion with one evidence: docs/data-model.md to the letter."""
    g = Graph()
    g.add((LDN_NALTREXONE, RDF.type, LDN.Drug))
    g.add((LDN_NALTREXONE, RDFS.label, Literal("low-dose naltrexone")))
    g.add((LDN_NALTREXONE, SKOS.altLabel, Literal("LDN")))
    g.add((LDN_NALTREXONE, LDN.normalised, Literal(True)))
    g.add((FIBROMYALGIA, RDF.type, LDN.Disease))
    g.add((FIBROMYALGIA, RDFS.label, Literal("fibromyalgia")))
    g.add((FIBROMYALGIA, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/MONDO_0005546")))
    g.add((FIBROMYALGIA, LDN.normalised, Literal(True)))

    g.add((LDN_NALTREXONE, LDN.treats, FIBROMYALGIA))
    g.add((ASSERTION_IRI, RDF.type, LDN.Assertion))
    g.add((ASSERTION_IRI, RDF.subject, LDN_NALTREXONE))
    g.add((ASSERTION_IRI, RDF.predicate, LDN.treats))
    g.add((ASSERTION_IRI, RDF.object, FIBROMYALGIA))
    g.add((ASSERTION_IRI, LDN.negated, Literal(False)))
    g.add((ASSERTION_IRI, LDN.certainty, LDN.Asserted))
    g.add((ASSERTION_IRI, LDN.supportCount, Literal(1)))
    g.add((ASSERTION_IRI, LDN.documentCount, Literal(1)))
    g.add((ASSERTION_IRI, PROV.wasDerivedFrom, EVIDENCE_IRI))
    g.add((ASSERTION_IRI, LDN.hasQualifier, YEAR))
    g.add((YEAR, RDF.type, LDN.StudyYear))
    g.add((YEAR, RDFS.label, Literal("2010")))
    g.add((YEAR, URIRef("https://schema.org/value"), Literal("2010", datatype=GYEAR)))

    g.add((EVIDENCE_IRI, RDF.type, LDN.Evidence))
    g.add((EVIDENCE_IRI, RDF.type, OA.Annotation))
    g.add((EVIDENCE_IRI, OA.motivatedBy, OA.describing))
    g.add((EVIDENCE_IRI, OA.hasBody, ASSERTION_IRI))
    g.add((EVIDENCE_IRI, OA.hasTarget, TARGET))
    g.add((EVIDENCE_IRI, LDN.certainty, LDN.Asserted))
    g.add((EVIDENCE_IRI, LDN.negated, Literal(False)))
    g.add((EVIDENCE_IRI, LDN.extractionRule, Literal("nominal-treatment")))
    g.add((EVIDENCE_IRI, PROV.wasGeneratedBy, LDN.DependencyRules))
    g.add((TARGET, RDF.type, OA.SpecificResource))
    g.add((TARGET, OA.hasSource, BLOG))
    g.add((TARGET, OA.hasSelector, POSITION))
    g.add((TARGET, OA.hasSelector, QUOTE))
    g.add((TARGET, LDN.sentenceIndex, Literal(14)))
    g.add((POSITION, RDF.type, OA.TextPositionSelector))
    g.add((POSITION, OA.start, Literal(2154)))
    g.add((POSITION, OA.end, Literal(2321)))
    g.add((QUOTE, RDF.type, OA.TextQuoteSelector))
    g.add((QUOTE, OA.exact, Literal("This may explain why a 2010 study ...")))

    g.add((BLOG, RDF.type, LDN.Document))
    g.add((BLOG, RDF.type, PROV.Entity))
    g.add((BLOG, DCTERMS.title, Literal("Low Dose Naltrexone: An Effective Treatment for Chronic Pain")))
    g.add((BLOG, DCTERMS.source, Literal("ldn-blog-2019.txt")))
    g.add((BLOG, LDN.sha256, Literal(SHA256)))
    g.add((BLOG, LDN.text, Literal("Low Dose Naltrexone ...")))
    return g


def test_shapes_tiny_graph_conforms():
    result = validate(tiny_graph())
    assert result.conforms, result.text
    assert result.violations == 0


def test_shapes_check_nodes_that_lost_their_type():
    # No inference types them from rdfs:domain: the shapes target them by the properties they carry.
    graph = Graph()
    graph.add((URIRef(NS + "a"), LDN.supportCount, Literal(0)))
    graph.add((URIRef("https://w3id.org/ldn-graph/doc/d"), LDN.sha256, Literal("not-a-hash")))
    text = validate(graph).text
    assert "ldn:supportCount" in text and "ldn:sha256" in text


def test_shapes_violations_count_top_level_results():
    # One missing label is one violation, not also the nested details pyshacl reports under it.
    graph = tiny_graph()
    graph.remove((FIBROMYALGIA, RDFS.label, None))
    assert validate(graph).violations == 1


def test_shapes_negated_hedged_assertion_conforms_without_plain_triple():
    # Negated relations exist only as assertion nodes; hedged ones are still plain triples.
    graph = tiny_graph()
    graph.remove((LDN_NALTREXONE, LDN.treats, FIBROMYALGIA))
    for node in (ASSERTION_IRI, EVIDENCE_IRI):
        graph.set((node, LDN.negated, Literal(True)))
        graph.set((node, LDN.certainty, LDN.Hedged))
    result = validate(graph)
    assert result.conforms, result.text


def test_shapes_dataset_is_validated_as_the_union():
    # The assertion node is in the aggregate graph, the evidence it points to in the document's graph:
    # neither graph conforms alone, their union does.
    ds = Dataset()
    aggregate = ds.graph(URIRef("https://w3id.org/ldn-graph/graph/assertions"))
    document = ds.graph(BLOG)
    for triple in tiny_graph():
        (aggregate if triple[0] in {ASSERTION_IRI, YEAR} else document).add(triple)
    assert not validate(Graph() + document).conforms
    result = validate(ds)
    assert result.conforms, result.text


def test_shapes_validate_leaves_inputs_unchanged():
    graph = tiny_graph()
    size, ontology_size = len(graph), len(load_ontology())
    validate(graph)
    assert len(graph) == size
    assert len(load_ontology()) == ontology_size


def _drop(*triples: tuple) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        for triple in triples:
            assert triple in g or (None in triple), triple
            g.remove(triple)

    return mutate


def _set(subject: URIRef, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        g.set((subject, predicate, value))  # type: ignore[arg-type]

    return mutate


def _add(*triples: tuple) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        for triple in triples:
            g.add(triple)

    return mutate


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        # the assertion does not say how certain it is
        (_drop((ASSERTION_IRI, LDN.certainty, LDN.Asserted)), "ldn:certainty"),
        # certainty must be one of the two individuals
        (_set(ASSERTION_IRI, LDN.certainty, URIRef(NS + "Bogus")), "ldn:certainty"),
        # certainty given twice
        (_add((ASSERTION_IRI, LDN.certainty, LDN.Hedged)), "ldn:certainty"),
        # negation as a string, not a boolean
        (_set(ASSERTION_IRI, LDN.negated, Literal("false")), "ldn:negated"),
        # an assertion must be supported by at least one sentence
        (_set(ASSERTION_IRI, LDN.supportCount, Literal(0)), "ldn:supportCount"),
        # an assertion without evidence
        (_drop((ASSERTION_IRI, PROV.wasDerivedFrom, EVIDENCE_IRI)), "prov:wasDerivedFrom"),
        # a positive assertion whose plain triple is missing
        (_drop((LDN_NALTREXONE, LDN.treats, FIBROMYALGIA)), "Missing plain triple"),
        # rdf:predicate that is not an ldn-graph relation
        (_set(ASSERTION_IRI, RDF.predicate, RDFS.seeAlso), "rdf:predicate"),
        # the subject of an assertion is not a typed entity
        (_drop((LDN_NALTREXONE, RDF.type, LDN.Drug)), "entit"),
        # an entity without a label
        (_drop((FIBROMYALGIA, RDFS.label, Literal("fibromyalgia"))), "rdfs:label"),
        # an entity with two labels (the second one belongs in skos:altLabel)
        (_add((FIBROMYALGIA, RDFS.label, Literal("FM"))), "rdfs:label"),
        # an entity typed only with the abstract ldn:Entity
        (_set(FIBROMYALGIA, RDF.type, LDN.Entity), "twelve entity classes"),
        # the evidence has lost its TextPositionSelector
        (
            _drop(
                (TARGET, OA.hasSelector, POSITION),
                (POSITION, RDF.type, OA.TextPositionSelector),
                (POSITION, OA.start, Literal(2154)),
                (POSITION, OA.end, Literal(2321)),
            ),
            "TextPositionSelector",
        ),
        # the evidence has lost its TextQuoteSelector's text
        (_drop((QUOTE, OA.exact, None)), "oa:exact"),
        # offsets as strings
        (_set(POSITION, OA.start, Literal("2154")), "oa:start"),
        # start after end
        (_set(POSITION, OA.start, Literal(2400)), "oa:start"),
        # the evidence's body is not an assertion
        (_set(EVIDENCE_IRI, OA.hasBody, BNode()), "oa:hasBody"),
        # the target does not name its document
        (_drop((TARGET, OA.hasSource, BLOG)), "oa:hasSource"),
        # document sha256 is not 64 hex digits
        (_set(BLOG, LDN.sha256, Literal("not-a-sha256")), "ldn:sha256"),
        # document without a title
        (_drop((BLOG, DCTERMS.title, None)), "dcterms:title"),
        # document without the text its offsets index
        (_drop((BLOG, LDN.text, None)), "ldn:text"),
        # a page that is not a positive integer
        (_set(TARGET, LDN.page, Literal(0)), "ldn:page"),
        # a qualifier without its label
        (_drop((YEAR, RDFS.label, Literal("2010"))), "qualifier"),
    ],
)
def test_shapes_mutated_graph_does_not_conform(mutate, message):
    graph = tiny_graph()
    mutate(graph)
    result = validate(graph)
    assert not result.conforms
    assert result.violations >= 1
    assert message in result.text, result.text
