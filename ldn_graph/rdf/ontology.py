"""The bundled ontology (`ontology/ldn.ttl`): labels and Biolink counterparts of ldn-graph terms.

ldn.ttl is the single source of truth for these names; nothing here keeps a mapping table of its own.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ldn_graph.namespaces import BIOLINK, LDN

ONTOLOGY_PACKAGE = "ldn_graph.ontology"
ONTOLOGY_FILE = "ldn.ttl"

_NS = str(LDN._NS)
_BIOLINK_CATEGORY = URIRef(_NS + "biolinkCategory")
_BIOLINK_PREDICATE = URIRef(_NS + "biolinkPredicate")


def read_bundled_turtle(name: str) -> Graph:
    """The Turtle file `name` of the bundled ontology folder, parsed."""
    graph = Graph()
    graph.parse(data=files(ONTOLOGY_PACKAGE).joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """The parsed ontology, shared by all callers: treat it as read-only."""
    return read_bundled_turtle(ONTOLOGY_FILE)


def _term(local_name: str) -> URIRef:
    # Built by hand rather than through LDN[...], so that an unknown name gets the error below.
    return URIRef(_NS + local_name)


def _one_value(local_name: str, annotation: URIRef) -> URIRef | Literal:
    return _single_value(_term(local_name), annotation, f"ldn:{local_name}")


def _single_value(node: URIRef | BNode, annotation: URIRef, name: str) -> URIRef | Literal:
    values = list(load_ontology().objects(node, annotation))
    if len(values) != 1:
        found = "no" if not values else f"{len(values)}"
        raise KeyError(f"{name} has {found} {load_ontology().qname(annotation)} in {ONTOLOGY_FILE}")
    value = values[0]
    assert isinstance(value, URIRef | Literal)
    return value


def _biolink_curie(iri: URIRef | Literal, local_name: str) -> str:
    if not isinstance(iri, URIRef) or not iri.startswith(str(BIOLINK)):
        raise KeyError(f"ldn:{local_name} maps to {iri}, which is not a Biolink IRI, in {ONTOLOGY_FILE}")
    return "biolink:" + iri[len(str(BIOLINK)) :]


def biolink_category(class_local_name: str) -> str:
    """The Biolink class of an ldn-graph class as a CURIE: `"Cell"` -> `"biolink:Cell"`."""
    return _biolink_curie(_one_value(class_local_name, _BIOLINK_CATEGORY), class_local_name)


def biolink_predicate(property_local_name: str) -> str:
    """The Biolink predicate of an ldn-graph relation as a CURIE: `"partOf"` -> `"biolink:part_of"`."""
    return _biolink_curie(_one_value(property_local_name, _BIOLINK_PREDICATE), property_local_name)


def biolink_qualifiers(property_local_name: str) -> dict[str, str]:
    """Biolink qualifier slots that go with a relation's predicate, e.g. for `"increases"`:
    `{"object_direction_qualifier": "increased"}` (empty for most relations).

    They are the annotations in the Biolink namespace given on the property in ldn.ttl.
    """
    base = str(BIOLINK)
    return {
        str(p)[len(base) :]: str(o)
        for p, o in load_ontology().predicate_objects(_term(property_local_name))
        if str(p).startswith(base) and isinstance(o, Literal)
    }


def biolink_predicate_for(
    property_local_name: str, subject_class: str | None, object_class: str | None
) -> str:
    """The Biolink predicate of an edge of a relation whose ends have these ldn-graph classes: the relation's
    `biolink_predicate`, unless one of its `ldn:biolinkPredicateRule`s in ldn.ttl names the subject's or the
    object's class (`"subclassOf", "Drug", "ChemicalRole"` -> `"biolink:has_chemical_role"`)."""
    graph = load_ontology()
    found = []
    for rule in graph.objects(_term(property_local_name), _term("biolinkPredicateRule")):
        assert isinstance(rule, URIRef | BNode)
        wanted = {
            end: {_local(c) for c in graph.objects(rule, _term(annotation))}
            for end, annotation in (("subject", "subjectClass"), ("object", "objectClass"))
        }
        given = {"subject": subject_class, "object": object_class}
        if any(wanted.values()) and all(
            not classes or given[end] in classes for end, classes in wanted.items()
        ):
            name = f"a rule of ldn:{property_local_name}"
            found.append(_biolink_curie(_single_value(rule, _BIOLINK_PREDICATE, name), property_local_name))
    return min(found) if found else biolink_predicate(property_local_name)


def biolink_object_categories(property_local_name: str) -> list[str]:
    """Biolink classes each object of a relation has besides its own (`ldn:biolinkObjectCategory`)."""
    values = load_ontology().objects(_term(property_local_name), _term("biolinkObjectCategory"))
    return sorted(_biolink_curie(v, property_local_name) for v in values if isinstance(v, URIRef))


def _local(term: object) -> str:
    return str(term)[len(_NS) :] if str(term).startswith(_NS) else str(term)


def label(term_local_name: str) -> str:
    """The English rdfs:label of an ldn-graph term: `"Asserted"` -> `"asserted"`."""
    return str(_one_value(term_local_name, RDFS.label))


def vocabulary_label(term: object) -> str | None:
    """The ontology's English label of an `ldn:` term given as an IRI (`ldn:locatedIn` -> `located in`);
    None for a term outside the vocabulary or without a label. What the readers of a graph call it."""
    vocab = str(LDN._NS)
    if not str(term).startswith(vocab):
        return None
    try:
        return label(str(term)[len(vocab) :])
    except KeyError:
        return None


ONTOLOGY_GRAPH = URIRef("https://w3id.org/ldn-graph/vocab")


def add_ontology(dataset: Dataset) -> Dataset:
    """Add the ontology to a Dataset as the named graph `ONTOLOGY_GRAPH`, so queries can use its labels."""
    target = dataset.graph(ONTOLOGY_GRAPH)
    for triple in load_ontology():
        target.add(triple)
    return dataset
