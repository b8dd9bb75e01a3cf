"""The one reader of a finished graph (ldn_graph.rdf.read): entities, assertions, evidence, qualifiers,
documents and contradictions, read the same way for every output."""

from __future__ import annotations

import pytest
from graph_fixture import (
    BLOG,
    FIBROMYALGIA,
    GLIAL_ACTIVATION,
    INSOMNIA,
    LDN_DRUG,
    MICROGLIA,
    assertion_key,
    make_graph,
    make_library_graph,
)
from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from ldn_graph.namespaces import ASSERTION, DOC, ENT, LDN, OA
from ldn_graph.rdf.io import merged_graph
from ldn_graph.rdf.read import GraphReader, boolean

TREATS = ASSERTION[assertion_key(LDN_DRUG, "treats", FIBROMYALGIA, False)]


@pytest.fixture(scope="module")
def reader() -> GraphReader:
    return GraphReader(merged_graph(make_graph()))


def test_read_entities_with_classes_names_and_identifiers(reader):
    entities = reader.entities()
    assert list(entities) == sorted(entities, key=str)
    microglia = entities[ENT[MICROGLIA]]
    assert microglia.classes == ("Cell",) and microglia.label == "microglial cell"
    assert microglia.alt_labels == ("microglia",)
    assert microglia.identifiers == ("MESH:D017628", "CL:0000129")  # in the order of the IRIs (id.nlm, purl)
    assert microglia.normalised is True
    local = entities[ENT[GLIAL_ACTIVATION]]
    assert local.identifiers == () and local.normalised is False


def test_read_an_assertion_with_its_evidence_qualifiers_and_documents(reader):
    treats = reader.assertion(TREATS)
    assert (treats.subject, treats.predicate, treats.object) == (ENT[LDN_DRUG], LDN.treats, ENT[FIBROMYALGIA])
    assert treats.is_about_entities() and treats.negated is False and treats.certainty == LDN.Asserted
    assert (treats.support, treats.documents, treats.contradicted_by) == (2, 2, None)
    assert sorted(q.label for q in treats.qualifiers) == [
        "2010",
        "30% reduction in symptom severity",
        "women",
    ]
    assert [q.kinds for q in treats.qualifiers if q.label == "women"] == [(LDN.StudyPopulation,)]
    blog = next(e for e in treats.evidence if e.document is not None and e.document.iri == DOC[BLOG])
    assert (blog.start, blog.end) == (2154, 2321) and blog.sentence.startswith("A 2010 study")
    assert blog.where() == "ldn-blog-2019.txt, characters 2154-2321"
    assert blog.certainty == LDN.Asserted and blog.negated is False and blog.rules
    assert blog.document is not None and blog.document.key == BLOG


def test_read_evidence_from_either_link(reader):
    """A document graph links evidence by oa:hasBody, the aggregate by prov:wasDerivedFrom: either alone
    gives the same evidence."""
    both = reader.assertion(TREATS).evidence
    assert len(both) == 2
    for dropped in ((None, PROV.wasDerivedFrom, None), (None, OA.hasBody, None)):
        g = Graph()
        for triple in reader.g:
            g.add(triple)
        g.remove(dropped)
        assert GraphReader(g).assertion(TREATS).evidence == both


def test_read_contradictions_both_ways():
    reader = GraphReader(merged_graph(make_library_graph()))
    stated, negated = (ASSERTION[f"{LDN_DRUG}.has-side-effect.{INSOMNIA}{end}"] for end in ("", ".negated"))
    assert reader.assertion(stated).contradicted_by == negated
    assert reader.assertion(negated).contradicted_by == stated
    assert reader.assertion(negated).negated is True


def test_read_term_labels_from_the_ontology_the_graph_or_the_name(reader):
    assert reader.term_label(LDN.hasActiveIngredient) == "has active ingredient"
    assert reader.term_label(URIRef("http://example.org/someRelation")) == "some relation"


def test_boolean_reads_typed_and_plain_literals():
    from rdflib import Literal

    assert boolean(Literal(True)) is True and boolean(Literal(False)) is False
    assert boolean(Literal("true")) is True and boolean(Literal("no")) is False
    assert boolean(None) is None and boolean(URIRef("http://example.org/x")) is None
