"""The SPARQL 1.1 Service Description of the endpoint, answered at GET /sparql without a query, and
the CORS headers the server sends to the origins `--cors` allows."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ldn_graph import __version__
from ldn_graph.sparql.formats import FORMATS as RESULT_FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = ("accept", "content-type")  # what a SPARQL client sends beyond the safelisted ones


def description(endpoint: str, statements: int, graph_name: str) -> Graph:
    """The endpoint as the Service Description vocabulary says it: read-only SPARQL 1.1 Query, its
    formats, its default dataset (the union of the graphs) and its size."""
    graph = Graph(bind_namespaces="none")
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service = BNode("service")
    dataset, default = BNode("dataset"), BNode("default")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, DCTERMS.description, Literal(f"ldn-graph {__version__}, read-only: {graph_name}")))
    for fmt in RESULT_FORMATS:
        if fmt.served:
            graph.add((service, SD.resultFormat, FORMATS[fmt.w3c_name]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(statements, datatype=XSD.integer)))
    return graph


def cors_headers(allowed: tuple[str, ...], request: Mapping[str, str], preflight: bool) -> dict[str, str]:
    """The CORS headers for a request from `request['Origin']`: none unless the origin is allowed ('*'
    allows any)."""
    origin = (request.get("Origin") or "").strip()
    if not origin or not allowed or (origin not in allowed and "*" not in allowed):
        return {}
    headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    if preflight:
        asked = [h.strip().lower() for h in (request.get("Access-Control-Request-Headers") or "").split(",")]
        headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        headers["Access-Control-Allow-Headers"] = ", ".join(h for h in asked if h in ALLOWED_HEADERS)
        headers["Access-Control-Max-Age"] = "600"
    return headers
