"""`ldn-graph serve`: a read-only SPARQL 1.1 endpoint and query pages over one graph.

engine.py    queries in processes that can be killed (the time limit)
jobs.py      what those processes do: check and run a query, describe an entity
entity.py    an IRI's labels, identifiers, types, relations and evidence, as data
protocol.py  SPARQL Protocol media types: negotiation and serialization
pages.py     the HTML of the query page and the entity page
app.py       the HTTP server: routes, errors, one log line per request
"""
