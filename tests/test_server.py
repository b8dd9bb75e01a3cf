"""`ldn-graph serve`: the SPARQL endpoint and the pages, run as a user runs them and queried over HTTP.

The server runs as a subprocess on a free loopback port (`--port 0`) over the hand-made graph of
graph_fixture, with a short time limit and a small row limit; SPARQLWrapper, a real SPARQL client,
queries it. The pages are checked in the raw and in Debian's headless chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from graph_fixture import BLOG, FIBROMYALGIA, GLIAL_ACTIVATION, INSOMNIA, LDN_DRUG, make_library_graph
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from ldn_graph.cli import main
from ldn_graph.export import FORMATS
from ldn_graph.namespaces import ASSERTION, DOC, ENT, EVIDENCE, LDN, OA
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")

TIMEOUT = 2.0
MAX_ROWS = 25
# Text with markup, in a label and in an evidence sentence: the pages must show it, never run it.
MARKUP = ENT["markup-test"]
MARKUP_LABEL = '<script>alert("label")</script> & <b>bold</b>'
MARKUP_SENTENCE = 'LDN treats <img src=x onerror=alert("sentence")> "quoted" conditions.'
BAD_IDENTIFIER = URIRef("javascript:alert('identifier')")
# A cross product of every triple with every triple, three times over: it never ends in time.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TREATS_FIBROMYALGIA = f"SELECT ?drug WHERE {{ ?drug ldn:treats ent:{FIBROMYALGIA} }}"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _graph_with_markup():
    ds = make_library_graph()
    blog = ds.graph(DOC[BLOG])
    agg = ds.graph(URIRef("https://w3id.org/ldn-graph/graph/assertions"))
    blog.add((MARKUP, RDF.type, LDN.Disease))
    blog.add((MARKUP, RDFS.label, Literal(MARKUP_LABEL)))
    blog.add((MARKUP, SKOS.exactMatch, BAD_IDENTIFIER))
    blog.add((MARKUP, LDN.normalised, Literal(True)))
    a = ASSERTION[f"{LDN_DRUG}.treats.markup-test"]
    ev = EVIDENCE[f"{BLOG}.1100-1170.{LDN_DRUG}.treats.markup-test"]
    target = URIRef(f"{DOC[BLOG]}#char=1100,1170")
    quote_selector = URIRef(f"{target}-quote")
    for triple in [
        (a, RDF.type, LDN.Assertion),
        (a, RDF.subject, ENT[LDN_DRUG]),
        (a, RDF.predicate, LDN.treats),
        (a, RDF.object, MARKUP),
        (a, LDN.negated, Literal(False)),
        (a, LDN.certainty, LDN.Asserted),
        (a, LDN.supportCount, Literal(1)),
        (a, PROV.wasDerivedFrom, ev),
    ]:
        agg.add(triple)
    for triple in [
        (ENT[LDN_DRUG], LDN.treats, MARKUP),
        (ev, RDF.type, LDN.Evidence),
        (ev, OA.hasBody, a),
        (ev, OA.hasTarget, target),
        (ev, LDN.certainty, LDN.Asserted),
        (ev, LDN.negated, Literal(False)),
        (target, OA.hasSource, DOC[BLOG]),
        (target, OA.hasSelector, quote_selector),
        (quote_selector, RDF.type, OA.TextQuoteSelector),
        (quote_selector, OA.exact, Literal(MARKUP_SENTENCE)),
    ]:
        blog.add(triple)
    return ds


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


def _start(graph_file: Path, log: Path, *extra: str) -> Server:
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "ldn_graph", "serve", str(graph_file), "--port", "0", *extra],
        stdout=subprocess.DEVNULL,
        stderr=handle,
    )
    handle.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = re.search(r"serving .* at (http://\S+/) ", log.read_text(encoding="utf-8"))
        if match:
            return Server(match.group(1), log, process)
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text(encoding='utf-8')}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the server did not start in 60 s")


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "graph.trig"
    FORMATS["trig"](_graph_with_markup(), path)
    return path


def _store_of(dataset, folder: Path) -> Path:
    """`dataset` written into an Oxigraph store folder, as a build writes one (with the ontology)."""
    from ldn_graph.store.catalog import put_ontology
    from ldn_graph.store.local import LocalStore
    from ldn_graph.store.terms import ntriples

    with LocalStore(folder) as store:
        for graph in dataset.graphs():
            if len(graph):
                store.replace_graph(str(graph.identifier), ntriples(graph))
        put_ontology(store)
    return folder


@pytest.fixture(scope="module")
def store_folder(tmp_path_factory) -> Path:
    return _store_of(_graph_with_markup(), tmp_path_factory.mktemp("served") / "store")


# Every test runs on a graph file (read into Oxigraph in memory) and on a store folder, copied into
# memory (the default) or queried in place: Oxigraph answers all three.
@pytest.fixture(scope="module", params=["file", "store", "store-on-disk"])
def server(request, tmp_path_factory) -> Iterator[Server]:
    served = request.getfixturevalue("graph_file" if request.param == "file" else "store_folder")
    log = tmp_path_factory.mktemp("log") / "server.log"
    extra = ["--on-disk"] if request.param == "store-on-disk" else []
    running = _start(served, log, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), *extra)
    yield running
    _stop(running)


def client(server: Server, query: str, fmt: str = "json", method: str = "GET"):
    sparql = SPARQLWrapper.SPARQLWrapper(server.endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method == "POST":
        sparql.setMethod(SPARQLWrapper.POST)
    elif method == "POSTDIRECTLY":
        sparql.setMethod(SPARQLWrapper.POST)
        sparql.setRequestMethod(SPARQLWrapper.POSTDIRECTLY)
    return sparql


def http(server: Server, path: str, *, data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body text) of a request, errors included."""
    request = urllib.request.Request(server.url + path.lstrip("/"), data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def sparql_get(server: Server, query: str, accept: str | None = None, **params: str):
    headers = {"Accept": accept} if accept else {}
    return http(server, "sparql?" + urlencode({"query": query, **params}), headers=headers)


def count_triples(server: Server) -> int:
    result = client(server, COUNT_ALL).queryAndConvert()
    return int(result["results"]["bindings"][0]["n"]["value"])


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


# --- the SPARQL protocol through SPARQLWrapper -------------------------------------------------------


def test_server_select_as_json(server):
    result = client(server, TREATS_FIBROMYALGIA).queryAndConvert()
    assert result["head"]["vars"] == ["drug"]
    assert result["results"]["bindings"] == [{"drug": {"type": "uri", "value": str(ENT[LDN_DRUG])}}]


def test_server_select_as_xml(server):
    document = client(server, TREATS_FIBROMYALGIA, SPARQLWrapper.XML).queryAndConvert()
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == [str(ENT[LDN_DRUG])]
    assert document.documentElement.namespaceURI == "http://www.w3.org/2005/sparql-results#"


def test_server_ask(server):
    yes = client(server, f"ASK {{ ent:{LDN_DRUG} ldn:treats ent:{FIBROMYALGIA} }}").queryAndConvert()
    no = client(server, f"ASK {{ ent:{LDN_DRUG} ldn:causes ent:{INSOMNIA} }}").queryAndConvert()
    assert yes["boolean"] is True and no["boolean"] is False


def test_server_construct_as_turtle(server):
    query = "CONSTRUCT { ?s ldn:treats ?o } WHERE { ?s ldn:treats ?o }"
    data = client(server, query, SPARQLWrapper.TURTLE).queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    assert (ENT[LDN_DRUG], LDN.treats, ENT[FIBROMYALGIA]) in graph


@pytest.mark.parametrize("method", ["POST", "POSTDIRECTLY"])
def test_server_post_form_and_direct(server, method):
    # POST: form-encoded query=...; POSTDIRECTLY: the body is the query (application/sparql-query).
    result = client(server, TREATS_FIBROMYALGIA, method=method).queryAndConvert()
    assert [b["drug"]["value"] for b in result["results"]["bindings"]] == [str(ENT[LDN_DRUG])]


def test_server_describe_as_ntriples_and_jsonld(server):
    status, headers, body = sparql_get(server, f"DESCRIBE ent:{INSOMNIA}", accept="application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert (ENT[INSOMNIA], RDFS.label, Literal("insomnia")) in Graph().parse(data=body, format="nt")
    status, headers, body = sparql_get(server, f"DESCRIBE ent:{INSOMNIA}", accept="application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert (ENT[INSOMNIA], RDFS.label, Literal("insomnia")) in Graph().parse(data=body, format="json-ld")
    # SPARQLWrapper's default for CONSTRUCT and DESCRIBE is RDF/XML, which it parses itself.
    graph = client(server, f"DESCRIBE ent:{INSOMNIA}", SPARQLWrapper.XML).queryAndConvert()
    assert (ENT[INSOMNIA], RDFS.label, Literal("insomnia")) in graph


@pytest.mark.parametrize(
    "accept, content_type, first_line",
    [
        ("text/csv", "text/csv", "drug"),
        ("text/tab-separated-values", "text/tab-separated-values", "?drug"),
        ("application/sparql-results+xml;q=0.5, text/csv;q=0.9", "text/csv", "drug"),
        ("*/*", "application/sparql-results+json", "{"),
        (None, "application/sparql-results+json", "{"),
    ],
)
def test_server_select_formats_by_accept(server, accept, content_type, first_line):
    status, headers, body = sparql_get(server, TREATS_FIBROMYALGIA, accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == content_type
    assert body.splitlines()[0] == first_line


def test_server_unacceptable_format_is_406(server):
    status, _, body = sparql_get(server, TREATS_FIBROMYALGIA, accept="image/png")
    assert status == 406 and "application/sparql-results+json" in body


def test_server_library_parameters_over_http(server):
    # A query that declares parameters gets its defaults, and param.NAME overrides them.
    from ldn_graph.sparql.library import get_query

    text = get_query("side-effects").text
    status, _, body = sparql_get(server, text, **{"param.drug": "LDN"})
    assert status == 200
    effects = {b["effect"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert effects == {str(ENT[INSOMNIA])}
    status, _, body = sparql_get(server, text, **{"param.nope": "x"})
    assert status == 400 and "unknown parameter 'nope'" in body


# --- safe by default ---------------------------------------------------------------------------------


def test_server_refuses_updates_and_keeps_the_graph(server):
    before = count_triples(server)
    insert = f"INSERT DATA {{ <{ENT['intruder']}> <{RDFS.label}> 'intruder' }}"
    # SPARQLWrapper sends an update as update=... in a POST form.
    sparql = client(server, insert, method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        sparql.query()
    assert info.value.code == 403
    assert "read-only" in info.value.read().decode("utf-8")
    # As application/sparql-update, and as update syntax sent as a query.
    status, _, body = http(
        server, "sparql", data=insert.encode(), headers={"Content-Type": "application/sparql-update"}
    )
    assert status == 403 and "read-only" in body
    status, _, body = sparql_get(server, "CLEAR ALL")
    assert (status, body.strip()) == (
        403,
        "query: queries are read-only: CLEAR (a SPARQL Update) is refused; the graph is unchanged",
    )
    status, _, body = http(server, "sparql", data=b"x", headers={"Content-Type": "text/turtle"})
    assert status == 415
    request = urllib.request.Request(server.endpoint, data=b"", method="DELETE")
    with pytest.raises(urllib.error.HTTPError) as deleted:
        urllib.request.urlopen(request, timeout=10)
    assert deleted.value.code == 405
    assert count_triples(server) == before
    assert client(server, f"ASK {{ <{ENT['intruder']}> ?p ?o }}").queryAndConvert()["boolean"] is False


def test_server_refuses_service_and_never_connects_out(server):
    # A listener the query would reach if the server made the call.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        with pytest.raises(SPARQLWrapper.SPARQLExceptions.QueryBadFormed) as info:
            client(server, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}").query()
        assert "SERVICE is refused" in str(info.value)
        # Nor does FROM of a graph the dataset lacks make the server fetch it.
        status, _, _ = sparql_get(server, f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}")
        assert status == 200
        with pytest.raises(TimeoutError):
            listener.accept()


def test_server_time_limit_stops_a_runaway_query(server):
    (zygote,) = _children(server.process.pid)
    workers = set(_children(zygote))
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as info:
        client(server, SLOW).query()
    elapsed = time.monotonic() - started
    assert info.value.code == 503
    message = info.value.read().decode("utf-8")
    assert message.startswith(f"the query ran longer than the time limit of {TIMEOUT:g} s")
    assert TIMEOUT - 0.2 < elapsed < TIMEOUT + 3
    # The query's worker is gone, another took its place, and the server answers at once.
    time.sleep(0.3)
    now = set(_children(zygote))
    assert len(now) == len(workers) and workers - now
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers - now)
    started = time.monotonic()
    assert client(server, TREATS_FIBROMYALGIA).queryAndConvert()["results"]["bindings"]
    assert time.monotonic() - started < 1.5


def test_server_runaway_queries_do_not_block_others(server):
    # Two slow queries at once take their own processes; a quick one is answered meanwhile.
    import threading

    codes: list[int] = []

    def slow() -> None:
        codes.append(sparql_get(server, SLOW)[0])

    threads = [threading.Thread(target=slow) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    status, _, _ = sparql_get(server, TREATS_FIBROMYALGIA)
    assert status == 200 and time.monotonic() - started < 1.0
    for thread in threads:
        thread.join()
    assert codes == [503, 503]


def test_server_row_limit(server):
    status, _, body = sparql_get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400
    assert body.strip() == (
        f"query: the result has more than {MAX_ROWS} rows (the server's --max-rows); "
        "add LIMIT and OFFSET to the query to take it in pages"
    )
    status, _, body = sparql_get(server, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, _, body = sparql_get(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert status == 400 and f"more than {MAX_ROWS} triples" in body


def test_server_malformed_query_gives_line_and_column(server):
    status, headers, body = sparql_get(server, "SELECT ?x WHERE {\n  ?x ?y }")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    # The column is where the engine (rdflib, Oxigraph) noticed the fault.
    assert re.match(r"query: syntax error at line 2, column \d+: ", body)
    assert body.count("\n") == 1
    status, _, body = sparql_get(server, "SELECT ?x WHERE { ?x nope:y ?z }")
    assert status == 400 and "unknown prefix 'nope:'" in body
    status, _, body = http(server, "sparql?query=")
    assert status == 400 and "no query" in body


def test_server_values_then_optional_keeps_its_rows(server):
    # One engine for a file and a store: rdflib alone would answer this with no row (rdflib issue 2332).
    query = (
        f"SELECT ?d ?id WHERE {{ VALUES ?d {{ ent:{LDN_DRUG} ent:{GLIAL_ACTIVATION} }} "
        "OPTIONAL { ?d skos:exactMatch ?id } } ORDER BY ?d"
    )
    status, _, body = sparql_get(server, query, accept="text/csv")
    assert status == 200
    assert body.splitlines() == ["d,id", f"{ENT[GLIAL_ACTIVATION]},", f"{ENT[LDN_DRUG]},"]


def test_server_malformed_query_in_words(server):
    status, _, body = sparql_get(server, "SELECT ?x WHERE { ?x ?y ?z } ORDER ?x")
    assert (status, body) == (400, "query: syntax error at line 1, column 36: expected BY, found '?x'\n")


def test_server_refuses_other_host_names(server):
    # DNS rebinding: a page elsewhere reaching the loopback server under its own host name.
    ask = "sparql?" + urlencode({"query": "ASK {}"})
    status, _, body = http(server, ask, headers={"Host": "evil.example"})
    assert status == 403 and "unexpected Host" in body
    status, _, _ = http(server, ask, headers={"Host": "localhost:1"})
    assert status == 200


def test_server_binds_loopback_and_logs_one_line_per_request(server):
    assert server.url.startswith("http://127.0.0.1:")
    before = len(server.log_lines())
    sparql_get(server, TREATS_FIBROMYALGIA)
    sparql_get(server, "SELEC")
    http(server, "no-such-page")
    deadline = time.monotonic() + 5
    while len(server.log_lines()) < before + 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    # The module's server is shared: a request of an earlier test may log late, so find ours by content.
    lines = [line for line in server.log_lines()[before:] if " GET " in line]
    pattern = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 127\.0\.0\.1 GET /\S* (\d{3}) \d+B \d+ms( - .*)?"
    assert all(re.fullmatch(pattern, line) for line in lines), lines
    assert any(" 200 " in line and "/sparql" in line for line in lines)
    assert any(" 400 " in line and "syntax error" in line for line in lines)
    assert any(" 404 " in line and "/no-such-page" in line for line in lines)


# --- the pages, as HTML ----------------------------------------------------------------------------


def test_server_query_page_offers_the_library(server):
    status, headers, body = http(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    for name in ("what-treats", "mechanisms", "evidence", "contradicted-claims", "unidentified-entities"):
        assert f'<option value="{name}"' in body
    assert "http://" not in body.replace(server.url, "") and "https://cdn" not in body


def test_server_query_page_runs_an_example(server):
    status, _, body = http(server, "?" + urlencode({"example": "what-treats"}))
    assert status == 200
    assert 'id="results-table"' in body
    assert f'href="/entity?iri={quote(str(ENT[LDN_DRUG]), safe="")}"' in body
    assert ">low-dose naltrexone</a>" in body  # the IRI shown by its label


def test_server_query_page_shows_errors_and_truncates(server):
    status, _, body = http(server, "?" + urlencode({"query": "SELECT ?x WHERE {\n ?x ?y }"}))
    assert status == 400 and "syntax error at line 2" in body and 'id="error"' in body
    status, _, body = http(server, "?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 200 and f"the first {MAX_ROWS} rows" in body
    assert body.count("<tr>") == MAX_ROWS + 1


def test_server_entity_page(server):
    status, _, body = http(server, "entity?" + urlencode({"iri": str(ENT[INSOMNIA])}))
    assert status == 200
    assert '<h1 id="entity-label">insomnia</h1>' in body
    assert "sleeplessness" in body and "HP:0100785" in body  # synonym and identifier
    # Both claims, the asserted one and the negated one, each with its sentence.
    assert "Insomnia was reported as a side effect of LDN." in body
    assert "LDN did not cause insomnia in our patients." in body
    # Stated in the review, negated in the blog: each side says the other document contradicts it.
    assert 'class="relation in negated contradicted"' in body and 'class="relation in contradicted"' in body
    assert "stated in another document" in body and "negated in another document" in body
    status, _, body = http(server, "entity?" + urlencode({"iri": str(ENT["nothing-here"])}))
    assert status == 404 and "No statement of this graph mentions" in body


def test_server_entity_page_escapes_graph_text(server):
    status, _, body = http(server, "entity?" + urlencode({"iri": str(MARKUP)}))
    assert status == 200
    assert "<script>alert" not in body and "<img" not in body and "<b>bold" not in body
    assert "&lt;script&gt;alert(&quot;label&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in body
    assert "&lt;img src=x onerror=alert(&quot;sentence&quot;)&gt;" in body
    assert 'href="javascript:' not in body  # a javascript: identifier is shown, never linked


# --- the command -------------------------------------------------------------------------------------


def test_cli_serve_bad_input_is_one_line(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "missing.ttl")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.ttl" in err
    assert main(["serve", "g.ttl", "--timeout", "0"]) == 2
    assert "--timeout" in capsys.readouterr().err
    assert main(["serve", "g.ttl", "--max-rows", "-1"]) == 2
    assert "--max-rows" in capsys.readouterr().err


def test_cli_serve_port_in_use_is_one_line(server, graph_file, tmp_path):
    port = server.url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run(
        [sys.executable, "-m", "ldn_graph", "serve", str(graph_file), "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"ldn-graph: error: cannot listen on 127.0.0.1:{port}")


# --- the query engine alone --------------------------------------------------------------------------


def _allocate(graph, mebibytes: int) -> int:
    return len(bytearray(mebibytes << 20))


def _crash(graph) -> None:
    os.kill(os.getpid(), 9)


def _spin(graph) -> None:
    while True:
        pass


def test_engine_stops_late_hungry_and_crashing_jobs(monkeypatch):
    from ldn_graph.errors import QueryTimeoutError, ServerError
    from ldn_graph.server import engine as engine_module

    monkeypatch.setattr(engine_module, "QUERY_MEMORY", 200 << 20)
    with engine_module.QueryEngine(Graph(), timeout=1.0, parallel=2) as engine:
        with pytest.raises(QueryTimeoutError, match="time limit of 1 s"):
            engine.call(_spin)  # pure Python that never yields: killed at the deadline
        with pytest.raises(ServerError, match="more than 200 MiB of memory"):
            engine.call(_allocate, 400)
        with pytest.raises(ServerError, match="the query process died \\(killed by SIGKILL\\)"):
            engine.call(_crash)
        assert engine.call(_allocate, 50) == 50 << 20  # and it still answers


# --- in a browser ------------------------------------------------------------------------------------


@pytest.fixture
def browser_page(server):
    """A chromium page that records console errors, dialogs and every URL it requests."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: run 'make browser'")
        pytest.skip(f"{CHROMIUM} is not installed (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    record = {"errors": [], "dialogs": [], "requests": []}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: record["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: record["errors"].append(str(e)))
            page.on("request", lambda r: record["requests"].append(r.url))
            page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))
            yield page, record
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.browser
def test_server_query_page_in_chromium(server, browser_page):
    page, record = browser_page
    page.goto(server.url)
    page.wait_for_selector("#query")
    assert "rdf:predicate ldn:treats" in page.input_value("#query")  # prefilled: what-treats

    # Choosing an example loads and runs it.
    with page.expect_navigation():
        page.select_option("#example", "mechanisms")
    page.wait_for_selector("#results-table")
    assert page.locator("#results-table tbody tr").count() == 10  # 9 of make_library_graph, 1 markup
    assert "?hop" in page.input_value("#query")

    # Another example, a parameter changed, run with the button: a table with the answer.
    with page.expect_navigation():
        page.select_option("#example", "what-treats")
    page.fill('input[name="param.condition"]', "FIBROMYALGIA")
    with page.expect_navigation():
        page.click("#run")
    table = page.locator("#results-table")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts() == ["drug", "certainty", "sentences", "documents"]
    assert page.locator("#row-count").inner_text() == "1 row"
    link = table.locator("a.iri").first
    assert link.inner_text() == "low-dose naltrexone"

    # The result's IRI leads to the entity page: relations in both directions, with their sentences.
    with page.expect_navigation():
        link.click()
    assert page.locator("#entity-label").inner_text() == "low-dose naltrexone"
    relations = page.locator("#relations tbody tr")
    assert relations.count() >= 8
    assert page.locator("text=LDN does not cause opioid dependence.").count() == 1
    assert page.locator("#relations tr.negated").count() >= 1

    # A typed query, run with Ctrl+Enter.
    page.goto(server.url)
    page.fill("#query", f"ASK {{ ent:{LDN_DRUG} ldn:treats ent:{FIBROMYALGIA} }}")
    with page.expect_navigation():
        page.press("#query", "Control+Enter")
    assert page.locator("#ask-answer").inner_text() == "true"

    assert record["errors"] == []
    assert record["dialogs"] == []
    assert [url for url in record["requests"] if not url.startswith(server.url) and url != "data:,"] == []


@pytest.mark.slow
@pytest.mark.browser
def test_server_entity_page_in_chromium_shows_markup_as_text(server, browser_page):
    page, record = browser_page
    page.goto(server.url + "entity?" + urlencode({"iri": str(MARKUP)}))
    assert page.locator("#entity-label").inner_text() == MARKUP_LABEL
    assert page.locator("#entity-label script, #entity-label b").count() == 0
    assert page.locator(f"text={MARKUP_SENTENCE}").count() == 1
    assert page.locator("img").count() == 0
    assert page.locator("a.identifier").count() == 0  # javascript: is not a link
    # The label shows on the page of the LDN entity too, still as text.
    page.goto(server.url + "entity?" + urlencode({"iri": str(ENT[LDN_DRUG])}))
    assert page.locator("#relations").inner_text().count(MARKUP_LABEL) == 1
    assert record["errors"] == []
    assert record["dialogs"] == []


def test_server_document_page_links_to_pubmed_and_shows_its_text():
    # A document's PubMed, DOI and own page are real links out, not entity pages of this server.
    from rdflib.namespace import FOAF

    from ldn_graph.namespaces import BIBO, DOC
    from ldn_graph.namespaces import LDN as VOCAB
    from ldn_graph.server.entity import describe_entity
    from ldn_graph.server.pages import Site, entity_page

    g = Graph()
    doc = DOC["pmid-90000001"]
    g.add((doc, RDF.type, VOCAB.Document))
    g.add((doc, BIBO.pmid, Literal("90000001")))
    g.add((doc, BIBO.doi, Literal("10.0000/fixture.0001")))
    g.add((doc, FOAF.page, URIRef("https://pubmed.ncbi.nlm.nih.gov/90000001/")))
    g.add((doc, VOCAB.text, Literal("LDN & pain.\n")))
    body = entity_page(Site("g", len(g), 1.0, 10), describe_entity(g, doc))
    assert '<a class="external" href="https://pubmed.ncbi.nlm.nih.gov/90000001/"' in body
    assert 'href="https://doi.org/10.0000/fixture.0001"' in body
    assert "/entity?iri=https%3A%2F%2Fpubmed" not in body  # not an empty internal page
    assert body.count("pubmed.ncbi.nlm.nih.gov") == 1  # the PMID's link and foaf:page are one link
    assert "<pre>LDN &amp; pain.\n</pre>" in body


def test_an_unexpected_failure_is_a_500_logged_but_a_503_once_the_server_is_stopping():
    import io
    import threading

    from ldn_graph.server.requests import internal_failure

    log = io.StringIO()
    try:
        raise ValueError("boom")
    except ValueError as err:
        assert internal_failure(err, True, log, threading.Lock()) == (
            503,
            "the server is stopping: the query was not finished",
        )
        assert log.getvalue() == ""
        status, message = internal_failure(err, False, log, threading.Lock())
    assert (status, message) == (500, "internal error: ValueError: boom")
    assert "Traceback" in log.getvalue()
