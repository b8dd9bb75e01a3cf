"""SPARQL in one place: a query run over a graph (`query.run`, on rdflib or on Oxigraph), the result
formats every caller prints or serves (`formats`), a malformed query's one-line error (`syntax`), the query
library under `ontology/queries` (`library`) and what keeps a query from reaching the network (`sandbox`).
"""
