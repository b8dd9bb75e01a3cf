"""No way out: SERVICE in any spelling reaches no listener, through `serve` (both engines) and `query`.

A real socket listens on loopback; every spelling of the corpus goes to the server over HTTP (GET and
POST) and to `ldn-graph query`; afterwards the listener must have no connection waiting. The same
listener does see the connection `ldn-graph query --allow-service` makes, so it would see a leak.
The workers' own guard is tested apart from the parse check: a job that calls Oxigraph's SERVICE or opens
a socket directly, with no check in front, fails in the worker.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Dataset, Literal, URIRef
from test_server import Server, _start, _stop

from ldn_graph.export import FORMATS


def _corpus(url: str) -> list[str]:
    """SERVICE spelled every way we could think of, each aimed at `url` (the listener)."""
    base, name = url.rsplit("/", 1)
    escaped = url.replace("sparql", "\\u0073parql")
    pattern = "{ ?s ?p ?o }"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {pattern} }}",
        f"select * where {{ service <{url}> {pattern} }}",
        f"SELECT * WHERE {{ SeRvIcE <{url}> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {pattern} }}",
        f"PREFIX x: <{base}/> SELECT * WHERE {{ SERVICE x:{name} {pattern} }}",
        # The bypass of the old text check: `<?b)SERVICE#>` looked like an IRI to it.
        f"PREFIX x: <{base}/> SELECT * WHERE {{ ?a ?q ?b FILTER(?a<?b)SERVICE#>\nx:{name} {pattern} }}",
        f"SELECT * WHERE {{ SERVICE # a comment {{ }}\n <{url}> {pattern} }}",
        f"# SELECT * {{ }}\nSELECT * WHERE {{ ?x ?y ?z SERVICE <{url}> {pattern} }}",
        f"SELECT * WHERE {{ {{ {{ {{ SERVICE <{url}> {pattern} }} }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {pattern} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{url}> {pattern} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {pattern} }} }}",
        f"ASK {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {pattern} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {pattern} }} LIMIT 1 }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {pattern} }}",
        f"SELECT * WHERE {{ \\U00000053\\U00000045RVICE <{url}> {pattern} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {pattern} }}",
        f"BASE <{base}/> SELECT * WHERE {{ SERVICE <{name}> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE\t\n\r <{url}>\n{pattern} }}",
        f"ASK {{ SERVICE <{url}> {pattern} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {pattern} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {pattern} }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {pattern} }} }}",
        f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "}}") SERVICE <{url}> {pattern} }}',
        f'SELECT * WHERE {{ ?s ?p """a " }} b""" SERVICE <{url}> {pattern} }}',
        f"SELECT * WHERE {{ SERVICE <{escaped}> {pattern} }}",
        f"SELECT * WHERE {{ BIND(1 AS ?one) SERVICE<{url}>{pattern} }}",
    ]


class Listener:
    """A loopback socket that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def connections(self, wait: float = 0.3) -> int:
        """Accept (and close) whatever connected; how many did."""
        count = 0
        self.sock.settimeout(wait)
        while True:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                return count
            conn.close()
            count += 1


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.sock.close()


def _dataset() -> Dataset:
    ds = Dataset()
    graph = ds.graph(URIRef("https://example.org/g"))
    for i in range(3):
        graph.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i)))
    return ds


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("service")
    FORMATS["trig"](_dataset(), folder / "graph.trig")
    running = _start(folder / "graph.trig", folder / "server.log", "--timeout", "3")
    yield running
    _stop(running)


@pytest.fixture(scope="module")
def rdflib_server() -> Iterator[str]:
    """The server over an rdflib Dataset (rdflib's engine answers), in this process."""
    from ldn_graph.server.app import Settings, close_server, make_server

    server = make_server(_dataset(), graph_name="test", port=0, settings=Settings(timeout=3))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    close_server(server)


def _ask(base: str, query: str, method: str) -> tuple[int, str]:
    if method == "GET":
        request = urllib.request.Request(base + "sparql?" + urlencode({"query": query}))
    else:
        headers = {"Content-Type": "application/sparql-query"}
        request = urllib.request.Request(base + "sparql", data=query.encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_serve_refuses_every_service_spelling(engine, listener, request):
    base = request.getfixturevalue("oxigraph_server").url if engine == "oxigraph" else None
    base = base or request.getfixturevalue("rdflib_server")
    corpus = _corpus(listener.url)
    assert len(corpus) >= 20
    for query in corpus:
        for method in ("GET", "POST"):
            status, body = _ask(base, query, method)
            assert status == 400, (query, status, body)
            assert "SERVICE is refused" in body, (query, body)
    assert listener.connections() == 0


def _cli(graph: Path, query: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ldn_graph", "query", str(graph), query, *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "graph.trig"
    FORMATS["trig"](_dataset(), path)
    return path


@pytest.mark.slow  # a process per spelling: about two minutes on a busy 2-core machine
def test_query_command_refuses_every_service_spelling(graph_file, listener):
    for query in _corpus(listener.url):
        done = _cli(graph_file, query)
        assert done.returncode != 0 and done.stdout == "", (query, done.stdout)
        assert done.stderr.startswith("ldn-graph: error: query: SERVICE is refused"), (query, done.stderr)
        assert "Traceback" not in done.stderr
    assert listener.connections() == 0


def test_query_command_allow_service_does_reach_out(graph_file, listener):
    # The opt-in makes the request: the listener sees it (so it would see a leak above).
    query = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
    process = subprocess.Popen(
        [sys.executable, "-m", "ldn_graph", "query", str(graph_file), query, "--allow-service"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        listener.sock.settimeout(60)
        conn, _ = listener.sock.accept()  # a connection came: answer nothing, and SILENT lets it pass
        conn.close()
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, stderr


def _oxigraph_service(graph, url: str) -> list:
    """A job with no check in front: Oxigraph's SERVICE, called directly in the worker."""
    return list(graph.open().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))


def _connect(graph, port: int) -> None:
    """A job that opens a socket itself, past the audit hook (libc connect): ENETUNREACH (101) expected."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    address = socket.inet_aton("127.0.0.1")
    sockaddr = (ctypes.c_ubyte * 16)(2, 0, port >> 8, port & 255, *address, *([0] * 8))
    if libc.connect(fd, sockaddr, 16) != 0:
        raise OSError(ctypes.get_errno(), "connect failed")


def test_workers_cannot_reach_the_network(tmp_path, listener):
    from ldn_graph.errors import ServerError
    from ldn_graph.server.engine import QueryEngine
    from ldn_graph.store.query import file_source

    FORMATS["trig"](_dataset(), tmp_path / "graph.trig")
    source = file_source(tmp_path / "graph.trig")
    with QueryEngine(source, timeout=5, parallel=1) as engine:
        if engine.network_note is not None:
            pytest.skip(f"no network namespace here: {engine.network_note}")
        with pytest.raises(ServerError, match="the query failed"):
            engine.call(_oxigraph_service, listener.url)
        port = int(listener.url.split(":")[2].split("/")[0])
        with pytest.raises(ServerError, match="Errno 101"):
            engine.call(_connect, port)
    time.sleep(0.2)
    assert listener.connections() == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ASK " + "{" * 10_000 + "}" * 10_000, "query: the query nests brackets 10,000 deep; at most 128"),
        (
            "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999",
            "query: LIMIT 99999999999999999999 is too large",
        ),
    ],
)
def test_query_command_refuses_deep_nesting_and_huge_limits_in_one_line(graph_file, query, message):
    # Oxigraph's parser died of SIGSEGV on the first: the check comes before it.
    done = _cli(graph_file, query)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"ldn-graph: error: {message}") and done.stderr.count("\n") == 1
