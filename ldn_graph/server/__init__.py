"""`ldn-graph serve`: a read-only SPARQL 1.1 endpoint and query pages over one graph.

engine.py    queries in warm worker processes in three lanes, killed at the time limit
workers.py   the zygote that forks the workers, cut off from the network
jobs.py      what those processes do: check and run a query, describe an entity
entity.py    an IRI's labels, identifiers, types, relations and evidence, as data
protocol.py  SPARQL Protocol content negotiation over sparql/formats.py's table
service.py   the Service Description at GET /sparql, and CORS for the origins --cors allows
pages.py     the HTML of the query page and the entity page
requests.py  what a request asks: Host, body, parameters, the SPARQL Protocol's query
handler.py   one request: routes, errors, one log line per request
app.py       the HTTP server: listening, settings, the engine it starts and stops
static/      the pages' stylesheet and script, the SPARQL editor (package data)
"""
