"""`ldn-graph serve` at the HTTP level, with raw sockets where a client library would tidy things up:
keep-alive, the listen backlog, exact body reads (400 short, 408 late), strict Host, quiet logs for
clients that leave, CORS on request, and the Service Description."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from test_server import Server, _start, _stop

from ldn_graph.export import FORMATS
from ldn_graph.server.app import BACKLOG
from ldn_graph.server.requests import BODY_SECONDS

ORIGIN = "http://127.0.0.1:9"  # a page's origin allowed by --cors


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("http")
    ds = Dataset()
    graph = ds.graph(URIRef("https://example.org/g"))
    for i in range(5):
        graph.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i)))
    FORMATS["trig"](ds, folder / "graph.trig")
    running = _start(folder / "graph.trig", folder / "server.log", "--cors", ORIGIN)
    yield running
    _stop(running)


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1].strip("/"))


def _raw(server: Server, data: bytes, *, shut: bool = False, wait: float = 30) -> str:
    """Send `data` on a fresh connection (then half-close it with `shut`); what comes back."""
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=wait) as sock:
        sock.sendall(data)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b"Connection: close" not in b"".join(chunks):
                break
        return b"".join(chunks).decode("utf-8", errors="replace")


def test_keep_alive_answers_many_requests_on_one_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=10)
    conn.request("GET", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
    first = conn.getresponse()
    assert (first.status, first.version) == (200, 11)
    first.read()
    sock = conn.sock
    for _ in range(5):
        conn.request("GET", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
        response = conn.getresponse()
        assert response.status == 200 and b'"boolean": true' in response.read().replace(b'":true', b'": true')
    assert conn.sock is sock  # the same connection throughout
    conn.close()


def test_listen_backlog_is_real(server):
    if shutil.which("ss") is None:
        pytest.skip("ss is not installed")
    out = subprocess.run(
        ["ss", "-ltnH", f"sport = :{_port(server)}"], capture_output=True, text=True, check=True
    ).stdout
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    assert int(out.split()[2]) == min(BACKLOG, somaxconn)  # Send-Q of a listener: its backlog


def test_short_body_is_400_and_late_body_408(server):
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\n"
    )
    answer = _raw(server, head + b"ASK { ?s ?p ", shut=True)
    assert answer.startswith("HTTP/1.1 400 ")
    assert "the request body ended after 12 of its 100 bytes (Content-Length)" in answer
    started = time.monotonic()
    answer = _raw(server, head + b"ASK { ?s ?p ")
    assert answer.startswith("HTTP/1.1 408 ")
    assert f"did not arrive within {BODY_SECONDS:g} s (12 of 100 bytes)" in answer
    assert BODY_SECONDS - 0.5 < time.monotonic() - started < BODY_SECONDS + 5


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:80", 200),
        ("localhost:80@evil.example", 400),
        ("evil.example", 403),
        ("evil.example:80", 403),
        ("localhost/evil", 400),
        ("localhost:99999", 400),
        ("localhost evil", 400),
    ],
)
def test_host_is_parsed_strictly(server, host, status):
    answer = _raw(
        server, f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )
    assert answer.startswith(f"HTTP/1.1 {status} "), answer[:200]


def test_two_host_headers_are_refused(server):
    answer = _raw(
        server, b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    )
    assert answer.startswith("HTTP/1.1 400 ") and "one Host header" in answer


def test_clients_that_leave_leave_no_traceback(server):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
    for data in (
        b"GET /sparql?query=",  # half a request line, then gone
        f"GET /sparql?query={slow.replace(' ', '%20')} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode(),
        b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50\r\n\r\nASK",
    ):
        sock = socket.create_connection(("127.0.0.1", _port(server)))
        sock.sendall(data)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # a reset, not a polite close
    time.sleep(1)
    assert "Traceback" not in server.log.read_text(encoding="utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=10)
    conn.request("GET", "/sparql?query=ASK%7B%7D")
    assert conn.getresponse().status == 200


def test_cors_only_for_the_allowed_origin(server):
    conn = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=10)
    conn.request(
        "OPTIONS",
        "/sparql",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    preflight = conn.getresponse()
    preflight.read()
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    conn.request("GET", "/sparql?query=ASK%7B%7D", headers={"Origin": ORIGIN})
    response = conn.getresponse()
    response.read()
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]
    conn.request("GET", "/sparql?query=ASK%7B%7D", headers={"Origin": "http://evil.example"})
    response = conn.getresponse()
    response.read()
    assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] is None


def test_service_description_at_sparql_without_a_query(server):
    conn = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=10)
    conn.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    response = conn.getresponse()
    body = response.read().decode()
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(server.endpoint)
    services = list(graph.subjects(URIRef(sd + "endpoint"), endpoint))
    assert len(services) == 1
    languages = set(graph.objects(services[0], URIRef(sd + "supportedLanguage")))
    assert languages == {URIRef(sd + "SPARQL11Query")}
    formats = {str(o) for o in graph.objects(services[0], URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
