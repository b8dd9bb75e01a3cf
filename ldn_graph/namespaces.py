"""RDF namespaces used by ldn-graph.

`LDN` is the project vocabulary (classes and properties in `ontology/ldn.ttl`); a test checks that every
term named here is defined there. Entities, assertions, evidence and documents each have a namespace of
their own so that their IRIs read well and never collide.
"""

import re
from collections.abc import Mapping

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, URIRef

BASE = "https://w3id.org/ldn-graph/"


class LDN(DefinedNamespace):
    """The ldn-graph vocabulary (ontology/ldn.ttl)."""

    _NS = Namespace(BASE + "vocab#")
    _fail = True

    # Entity classes
    Entity: URIRef
    ChemicalEntity: URIRef
    Drug: URIRef
    MolecularEntity: URIRef
    ChemicalRole: URIRef
    Protein: URIRef
    ProteinFamily: URIRef
    Cell: URIRef
    AnatomicalEntity: URIRef
    BiologicalProcess: URIRef
    Disease: URIRef
    PhenotypicFeature: URIRef
    Population: URIRef
    # Provenance and statements
    Document: URIRef
    Assertion: URIRef
    Evidence: URIRef
    Certainty: URIRef
    Asserted: URIRef
    Hedged: URIRef
    ExtractionMethod: URIRef
    DependencyRules: URIRef
    LearnedClassifier: URIRef
    # Qualifiers
    Qualifier: URIRef
    Dose: URIRef
    EffectSize: URIRef
    StudyYear: URIRef
    StudyPopulation: URIRef
    SampleSize: URIRef
    # Relations between entities (object properties)
    relatedTo: URIRef
    treats: URIRef
    increases: URIRef
    decreases: URIRef
    regulates: URIRef
    binds: URIRef
    produces: URIRef
    causes: URIRef
    partOf: URIRef
    locatedIn: URIRef
    subclassOf: URIRef
    hasActiveIngredient: URIRef
    hasSideEffect: URIRef
    contraindicatedWith: URIRef
    associatedWith: URIRef
    # Statement and provenance properties
    certainty: URIRef
    negated: URIRef
    supportCount: URIRef
    documentCount: URIRef
    confidence: URIRef
    contradictedBy: URIRef
    extractionRule: URIRef
    extractionScore: URIRef
    hasQualifier: URIRef
    normalised: URIRef
    category: URIRef
    biolinkCategory: URIRef
    biolinkPredicate: URIRef
    biolinkPredicateRule: URIRef
    subjectClass: URIRef
    objectClass: URIRef
    biolinkObjectCategory: URIRef
    sha256: URIRef
    text: URIRef
    sentenceIndex: URIRef
    page: URIRef


ENT = Namespace(BASE + "entity/")
ASSERTION = Namespace(BASE + "assertion/")
EVIDENCE = Namespace(BASE + "evidence/")
DOC = Namespace(BASE + "doc/")
AGGREGATE_GRAPH = URIRef(BASE + "graph/assertions")
# Bookkeeping of the store (ldn_graph/store/): which extractor read a document, which documents the
# aggregate was computed from. Kept in the store's graphs, never exported, not part of the vocabulary.
STORE = Namespace(BASE + "store#")

OA = Namespace("http://www.w3.org/ns/oa#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
SCHEMA = Namespace("https://schema.org/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
HGNC = Namespace("https://identifiers.org/hgnc:")
NCBIGENE = Namespace("https://identifiers.org/ncbigene:")

# Prefixes bound in every graph written, so Turtle reads well.
PREFIXES: dict[str, object] = {
    "ldn": LDN._NS,
    "ent": ENT,
    "assertion": ASSERTION,
    "evidence": EVIDENCE,
    "doc": DOC,
    "oa": OA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "bibo": BIBO,
    "foaf": FOAF,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "owl": OWL,
    "xsd": XSD,
    "biolink": BIOLINK,
    "schema": SCHEMA,
    "unit": UNIT,
    "obo": OBO,
    "mesh": MESH,
}

# How each CURIE prefix becomes an IRI (OBO PURLs, MeSH IRIs, identifiers.org for the rest).
CURIE_BASES: dict[str, str] = {
    "CHEBI": str(OBO) + "CHEBI_",
    "CL": str(OBO) + "CL_",
    "UBERON": str(OBO) + "UBERON_",
    "MONDO": str(OBO) + "MONDO_",
    "DOID": str(OBO) + "DOID_",
    "GO": str(OBO) + "GO_",
    "HP": str(OBO) + "HP_",
    "PR": str(OBO) + "PR_",
    "MESH": str(MESH),
    "HGNC": str(HGNC),
    "NCBIGene": str(NCBIGENE),
    "LDN": str(ENT),
}


def curie_to_iri(curie: str) -> URIRef:
    """`CL:0000129` -> `http://purl.obolibrary.org/obo/CL_0000129`; raises ValueError on unknown prefixes."""
    prefix, _, local = curie.partition(":")
    base = CURIE_BASES.get(prefix)
    if base is None or not local:
        raise ValueError(f"unknown CURIE prefix in {curie!r}")
    return URIRef(base + local)


def iri_to_curie(iri: str) -> str | None:
    """The inverse of `curie_to_iri`, or None for an IRI outside the known prefixes."""
    for prefix, base in sorted(CURIE_BASES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base) :]}"
    return None


# Characters a prefixed name's local part cannot hold unescaped (SPARQL, Turtle): such an IRI stays whole.
_UNWRITABLE = re.compile(r"[\s<>\"{}|\\^`]")


def prefixed_name(iri: str, prefixes: Mapping[str, object] = PREFIXES) -> str | None:
    """`https://w3id.org/ldn-graph/entity/microglial-cell` -> `ent:microglial-cell`: the IRI after the
    longest namespace of `prefixes` it starts with (the first named, among equally long ones), or None when
    it is in none of them or what follows cannot be written after a prefix.

    The one IRI shortener: the query table, the HTML view, JSON-LD, analytics and the entity pages use it.
    """
    prefix, namespace = "", ""
    for name, value in prefixes.items():
        if iri.startswith(str(value)) and len(str(value)) > len(namespace):
            prefix, namespace = name, str(value)
    local = iri[len(namespace) :]
    if not namespace or not local or local.startswith("//") or _UNWRITABLE.search(local):
        return None
    return f"{prefix}:{local}"


def shorten(iri: str) -> str:
    """`prefixed_name` with the project prefixes, else the IRI in angle brackets (`<iri>`), as SPARQL
    writes it."""
    return prefixed_name(iri) or f"<{iri}>"


def local_name(term: object) -> str:
    """The last part of an IRI, after its last `#`, `/` or `:` (`ldn:treats` -> `treats`)."""
    text = str(term)
    return re.split(r"[#/:]", text.rstrip("/#"))[-1] or text


def is_web_iri(text: str) -> bool:
    """True when `text` is an http(s) address that is also a valid IRI (RFC 3987, as Oxigraph checks it)."""
    import pyoxigraph

    if not text.startswith(("http://", "https://")):
        return False
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True
