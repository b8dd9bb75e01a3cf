"""`ldn-graph serve` under load: the lock-up of six large queries at once, SIGTERM under load, and the
checks made before any engine sees a query (nesting depth, LIMIT).

The lock-up (issue 13): six clients POSTing 250 KB queries that each return 10,000 rows used to leave the
server answering 503 to everything and deaf to SIGTERM. Here they must all be answered, a cheap query
after them at once, and SIGTERM must stop the server within 5 s while such load goes on.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from test_server import Server, _children, _start, _stop

from ldn_graph.export import FORMATS

ROWS = 10_000
BIG = "SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o } LIMIT 10000\n# " + "x" * 250_000 + "\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("load")
    ds = Dataset()
    graph = ds.graph(URIRef("https://example.org/g"))
    for i in range(ROWS):
        graph.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i)))
    FORMATS["trig"](ds, folder / "graph.trig")
    running = _start(folder / "graph.trig", folder / "server.log", "--timeout", "20", "--max-rows", str(ROWS))
    yield running
    _stop(running)


def _post(server: Server, query: str, timeout: float = 60) -> tuple[int, bytes]:
    request = urllib.request.Request(
        server.endpoint,
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except OSError as err:
        return 0, str(err).encode()


def _load(
    server: Server, clients: int, rounds: int, results: list[tuple[int, int]]
) -> list[threading.Thread]:
    def client() -> None:
        for _ in range(rounds):
            status, body = _post(server, BIG)
            rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else -1
            results.append((status, rows))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def test_six_large_queries_at_once_do_not_lock_it_up(server):
    results: list[tuple[int, int]] = []
    started = time.monotonic()
    for thread in _load(server, 6, 3, results):
        thread.join(timeout=180)
    assert time.monotonic() - started < 180
    assert results == [(200, ROWS)] * 18
    started = time.monotonic()
    status, body = _post(server, "ASK { ?s ?p ?o }", timeout=10)
    assert (status, json.loads(body)["boolean"]) == (200, True)
    assert time.monotonic() - started < 2


def test_nesting_and_limit_are_refused_before_the_engine(server):
    status, body = _post(server, "ASK " + "{" * 10_000 + "}" * 10_000)
    assert status == 400
    assert body.decode().strip() == "query: the query nests brackets 10,000 deep; at most 128 are accepted"
    status, body = _post(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999")
    assert status == 400 and "LIMIT 99999999999999999999 is too large" in body.decode()
    # The server is unharmed: no query process crashed.
    assert "SIGSEGV" not in server.log.read_text(encoding="utf-8")
    status, _ = _post(server, "ASK { ?s ?p ?o }", timeout=10)
    assert status == 200


def test_sigterm_stops_the_server_under_load(tmp_path):
    ds = Dataset()
    graph = ds.graph(URIRef("https://example.org/g"))
    for i in range(ROWS):
        graph.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i)))
    FORMATS["trig"](ds, tmp_path / "graph.trig")
    running = _start(tmp_path / "graph.trig", tmp_path / "server.log", "--max-rows", str(ROWS))
    try:
        (zygote,) = _children(running.process.pid)
        workers = _children(zygote)
        assert workers
        results: list[tuple[int, int]] = []
        threads = _load(running, 6, 50, results)
        time.sleep(3)  # well into the load
        started = time.monotonic()
        running.process.terminate()
        running.process.wait(timeout=10)
        assert time.monotonic() - started < 5
        for thread in threads:
            thread.join(timeout=30)
        statuses = sorted({status for status, _ in results})
        assert results and set(statuses) <= {200, 503, 0}, statuses
        time.sleep(0.2)
        assert not any(Path(f"/proc/{pid}").exists() for pid in [zygote, *workers])
    finally:
        if running.process.poll() is None:
            os.kill(running.process.pid, 9)
        _stop(running)
