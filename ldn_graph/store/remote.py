"""A remote store: any SPARQL 1.1 server, written through the Graph Store Protocol.

Each named graph is written with one `PUT ?graph=IRI` (the server replaces it in one transaction, as the
protocol asks), dropped with `DELETE`, read back with `GET`. The catalog's questions (which documents,
which evidence) go to the server's SPARQL query endpoint, derived from the store URL for the servers whose
layout is known (Oxigraph, Fuseki, GraphDB and RDF4J, Virtuoso) or given with `--store-query`.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from urllib.parse import urlencode, urlsplit

from rdflib import URIRef

from ldn_graph.errors import StoreError
from ldn_graph.store.base import GraphStore, Quad
from ldn_graph.store.terms import to_rdflib

TIMEOUT = 300.0  # seconds for one request: a large graph takes a while to store

# Graph Store Protocol endpoint -> SPARQL query endpoint, for the usual servers.
_QUERY_ENDPOINTS = (
    (re.compile(r"/store$"), "/query"),  # Oxigraph server
    (re.compile(r"/(data|get)$"), "/sparql"),  # Fuseki
    (re.compile(r"/rdf-graphs/service$"), ""),  # GraphDB, RDF4J: the repository URL
    (re.compile(r"/sparql-graph-crud(-auth)?$"), "/sparql"),  # Virtuoso
)


def is_url(location: str) -> bool:
    """True for an http(s) URL, which names a remote store rather than a folder."""
    return location.lower().startswith(("http://", "https://"))


def query_endpoint(store_url: str) -> str:
    """The SPARQL query endpoint that goes with a Graph Store Protocol endpoint (else the same URL)."""
    parts = urlsplit(store_url)
    for pattern, replacement in _QUERY_ENDPOINTS:
        if pattern.search(parts.path):
            return parts._replace(path=pattern.sub(replacement, parts.path), query="").geturl()
    return store_url


class RemoteStore(GraphStore):
    """A SPARQL server: graphs written with the Graph Store Protocol, questions asked with SPARQL."""

    def __init__(self, url: str, *, query_url: str | None = None) -> None:
        if not is_url(url):
            raise StoreError("a remote store is an http:// or https:// URL", where=url)
        self.url = url
        self.query_url = query_url or query_endpoint(url)
        self.location = url

    def _request(self, method: str, url: str, *, body: bytes | None = None, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as err:
            detail = " ".join(err.read(300).decode("utf-8", "replace").split())
            raise StoreError(
                f"{method} {url} answered {err.code} {err.reason}" + (f": {detail}" if detail else ""),
                where=self.location,
            ) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise StoreError(f"cannot reach the store: {reason}", where=self.location) from None

    def _graph_url(self, name: str) -> str:
        joiner = "&" if urlsplit(self.url).query else "?"
        return f"{self.url}{joiner}{urlencode({'graph': name})}"

    def select(self, query: str) -> list[dict[str, str]]:
        body = self._request(
            "POST",
            self.query_url,
            body=urlencode({"query": query}).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        try:
            bindings = json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise StoreError(
                f"the query endpoint {self.query_url} did not answer with SPARQL JSON results "
                "(give the right one with --store-query)",
                where=self.location,
            ) from None
        return [{name: term["value"] for name, term in row.items()} for row in bindings]

    def replace_graph(self, name: str, data: str, *, bookkeeping: str = "", union: bool = True) -> None:
        self.writes += 1
        self._request(
            "PUT",
            self._graph_url(name),
            body=(data + bookkeeping).encode("utf-8"),
            headers={"Content-Type": "application/n-triples"},
        )

    def drop_graph(self, name: str) -> None:
        self.writes += 1
        try:
            self._request("DELETE", self._graph_url(name), headers={})
        except StoreError as err:
            if " 404 " not in str(err):  # no such graph: already dropped
                raise

    def quads(self, names: Iterable[str]) -> Iterator[Quad]:
        import pyoxigraph

        for name in names:
            try:
                data = self._request(
                    "GET", self._graph_url(name), headers={"Accept": "application/n-triples"}
                )
            except StoreError as err:
                if " 404 " in str(err):
                    continue
                raise
            graph = URIRef(name)
            for triple in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES):
                yield to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object), graph
