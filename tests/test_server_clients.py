"""Real SPARQL clients against `ldn-graph serve`: SPARQLWrapper, rdflib's SPARQLStore, and a page on
another origin in headless Chromium (allowed by `--cors`); and a cheap query answered at once while
expensive ones hold the long lane."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from test_server import Server, _start, _stop

from ldn_graph.export import FORMATS
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
EX = "https://example.org/"
PAGE = """<!doctype html><html><body><pre id="out">waiting</pre><script>
const endpoint = "ENDPOINT";
const count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://example.org/p> ?o }";
Promise.all([
  fetch(endpoint + "?query=" + encodeURIComponent(count),
        {headers: {"Accept": "application/sparql-results+json"}}).then(r => r.json()),
  fetch(endpoint, {method: "POST", body: "ASK { ?s ?p ?o }",
        headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}})
    .then(r => r.json()),
]).then(([count, ask]) => {
  const n = count.results.bindings[0].n.value;
  document.getElementById("out").textContent = JSON.stringify({n: n, ask: ask.boolean});
}).catch(e => { document.getElementById("out").textContent = "error: " + e; });
</script></body></html>"""


def _graph_file(folder: Path, size: int) -> Path:
    ds = Dataset()
    graph = ds.graph(URIRef(EX + "g"))
    for i in range(size):
        graph.add((URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(i)))
    FORMATS["trig"](ds, folder / "graph.trig")
    return folder / "graph.trig"


class _Page(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def page_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A static site on its own loopback origin (another port: another origin)."""
    root = tmp_path_factory.mktemp("site")
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Page, directory=str(root)))
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site.server_address[1]}", root
    site.shutdown()
    site.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, page_site) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("clients")
    running = _start(_graph_file(folder, 20), folder / "server.log", "--cors", page_site[0])
    yield running
    _stop(running)


def test_sparqlwrapper_select_and_ask(server):
    sparql = SPARQLWrapper.SPARQLWrapper(server.endpoint)
    sparql.setReturnFormat(SPARQLWrapper.JSON)
    sparql.setQuery(f"SELECT ?o WHERE {{ <{EX}s3> ?p ?o }}")
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [row["o"]["value"] for row in rows] == ["3"]
    sparql.setMethod(SPARQLWrapper.POST)
    sparql.setQuery(f"ASK {{ <{EX}s19> ?p 19 }}")
    assert sparql.queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore(server):
    graph = Graph(store=SPARQLStore(server.endpoint, returnFormat="json"))
    rows = list(graph.query(f"SELECT ?s WHERE {{ ?s <{EX}p> 7 }}"))
    assert [str(row[0]) for row in rows] == [f"{EX}s7"]
    assert len(list(graph.triples((None, URIRef(EX + "p"), None)))) == 20


@pytest.mark.slow
@pytest.mark.browser
def test_cross_origin_fetch_from_chromium(server, page_site):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    origin, root = page_site
    (root / "index.html").write_text(PAGE.replace("ENDPOINT", server.endpoint), encoding="utf-8")
    (root / "other.html").write_text(PAGE.replace("ENDPOINT", server.endpoint), encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(origin + "/index.html")
            page.wait_for_function("!document.getElementById('out').textContent.startsWith('waiting')")
            assert json.loads(page.inner_text("#out")) == {"n": "20", "ask": True}
            # The same page from an origin --cors does not name (localhost is another origin) is refused.
            other = origin.replace("127.0.0.1", "localhost")
            page.goto(other + "/other.html")
            page.wait_for_function("!document.getElementById('out').textContent.startsWith('waiting')")
            assert page.inner_text("#out").startswith("error: TypeError")
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.browser
def test_query_page_editor_in_chromium(server):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(server.url)
            page.fill("#query", f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o FILTER(?o > 17) }} # two rows")
            # Highlighted as typed: keywords, variables, IRIs, numbers, the comment.
            code = page.locator("#query-highlight")
            assert code.locator(".tok-keyword").all_inner_texts()[:3] == ["SELECT", "WHERE", "FILTER"]
            assert set(code.locator(".tok-var").all_inner_texts()) == {"?s", "?o"}
            assert code.locator(".tok-iri").all_inner_texts() == [f"<{EX}p>"]
            assert code.locator(".tok-number").all_inner_texts() == ["17"]
            assert code.locator(".tok-comment").all_inner_texts() == ["# two rows"]
            # A prefix from the list adds its declaration on top.
            page.select_option("#prefix", "xsd")
            assert page.input_value("#query").startswith("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")
            with page.expect_navigation():
                page.press("#query", "Control+Enter")
            assert page.locator("#row-count").inner_text() == "2 rows"
            # The result downloads as CSV, from the endpoint.
            with page.expect_download() as download:
                page.click('a[download="result.csv"]')
            saved = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
            assert saved[0] == "s,o" and sorted(saved[1:]) == [f"{EX}s18,18", f"{EX}s19,19"]
        finally:
            browser.close()
    assert errors == []
    assert [url for url in requests if not url.startswith(server.url) and url != "data:,"] == []


def test_cheap_query_answered_while_expensive_ones_run(tmp_path):
    running = _start(
        _graph_file(tmp_path, 3000), tmp_path / "server.log", "--timeout", "6", "--parallel", "2"
    )
    expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    try:
        codes: list[int] = []

        def slow() -> None:
            url = running.endpoint + "?" + urlencode({"query": expensive})
            try:
                urllib.request.urlopen(url, timeout=30)
                codes.append(200)
            except urllib.error.HTTPError as err:
                codes.append(err.code)

        threads = [threading.Thread(target=slow) for _ in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)  # the first trial is over: the copies are in, or waiting for, the long lane
        latencies = []
        for _ in range(5):
            started = time.monotonic()
            with urllib.request.urlopen(
                running.endpoint + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=30
            ) as r:
                assert json.loads(r.read())["boolean"] is True
            latencies.append(time.monotonic() - started)
        for thread in threads:
            thread.join()
        assert max(latencies) < 1.0, latencies
        assert codes == [503] * 6
    finally:
        _stop(running)


def _timed_query(server: Server, source: str, query: str) -> float:
    """Seconds one query takes from a client at `source` (another loopback address: another client)."""
    import http.client

    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    started = time.monotonic()
    conn.request("GET", "/sparql?" + urlencode({"query": query}))
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 200
    return time.monotonic() - started


def test_a_greedy_client_does_not_hold_up_another(tmp_path):
    # One worker per fast lane: eight connections of one client keep it busy; a second client's query
    # is given the next free worker, not the ninth place in the queue.
    running = _start(
        _graph_file(tmp_path, 1500), tmp_path / "server.log", "--timeout", "20", "--parallel", "2"
    )
    join = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}p> ?x . ?b <{EX}p> ?y }}"  # about 0.15 s
    try:
        _timed_query(running, "127.0.0.2", join)  # its cost is known from now on
        stop = time.monotonic() + 8
        greedy: list[float] = []

        def hog() -> None:
            while time.monotonic() < stop:
                greedy.append(_timed_query(running, "127.0.0.2", join))

        threads = [threading.Thread(target=hog) for _ in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        polite = [_timed_query(running, "127.0.0.3", join) for _ in range(3)]
        for thread in threads:
            thread.join()
        assert sorted(polite)[1] < 0.5 * sorted(greedy)[len(greedy) // 2], (polite, sorted(greedy))
    finally:
        _stop(running)
