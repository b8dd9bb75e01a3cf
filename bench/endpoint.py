"""Benchmark of `ldn-graph serve` under load, on loopback (issue 13): a bounded load generator.

Starts `ldn-graph serve` on the bundled graph (extracted/graph.trig, or GRAPH) on a free loopback port
and drives it from asyncio clients that each hold one HTTP/1.1 connection (reconnecting when the server
closes it), sending GET /sparql requests back to back:

- cheap alone: `ASK { ?s ?p ?o }`-like queries from 50 clients for --cheap-seconds (default 10);
- mixed: 60% cheap, 25% library queries (ontology/queries/*.rq with their defaults), 15% expensive
  (a cartesian COUNT that runs into the time limit), from 200 clients for --mix-seconds (default 30),
  three rounds, with the server's memory (server, zygote and workers; their PSS, so what they share
  counts once) after each round.

Printed per phase and query class: requests/s, p50 and p99 latency, and the count of each status code
(0: the connection failed or took over 30 s); requests/s counts the 200 answers within the phase's
time. Written to bench/out/results.json under "endpoint". Nothing is asserted:
the bar of issue 13 is printed beside the figures. Bounded: every request has a 30 s limit and each phase
stops at its duration. The machine's other load is printed with the figures (os.getloadavg).
Usage: python bench/endpoint.py [--cheap-seconds S] [--mix-seconds S] [--rounds N] [GRAPH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

from _results import machine, record, rss_mb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHEAP = [
    "ASK { ?s ?p ?o }",
    "ASK { ?s a ldn:Assertion }",
    "SELECT ?p WHERE { ?s ?p ?o } LIMIT 1",
]
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REQUEST_LIMIT = 30.0


def _library() -> list[str]:
    from ldn_graph.sparql.library import library

    return [q.text for q in library()]


def _start(graph: Path, timeout: float) -> tuple[subprocess.Popen[bytes], str, int]:
    log = open(ROOT / "bench" / "out" / "endpoint-server.log", "wb")  # noqa: SIM115 (the server's stderr)
    process = subprocess.Popen(
        [sys.executable, "-m", "ldn_graph", "serve", str(graph), "--port", "0", "--timeout", str(timeout)],
        stdout=subprocess.DEVNULL,
        stderr=log,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    text = ""
    while time.monotonic() < deadline:
        text = (ROOT / "bench" / "out" / "endpoint-server.log").read_text(encoding="utf-8", errors="replace")
        match = re.search(r"at http://127\.0\.0\.1:(\d+)/ ", text)
        if match:
            return process, "127.0.0.1", int(match.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the server did not start: {text[-500:]}")


def _pss_mb(pid: int) -> float:
    """A process's proportional set size in MB (shared pages divided among their sharers), else RSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return rss_mb(pid)


def _tree_rss(pid: int) -> float:
    """Memory of `pid` and all its descendants in MB: the sum of their PSS, so the graph the workers
    share from the fork counts once (Linux /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += _pss_mb(current)
        todo.extend(children.get(current, []))
    return total


async def _request(
    conn: list[asyncio.StreamReader | asyncio.StreamWriter | None], host: str, port: int, path: str
) -> int:
    """One GET on the client's connection (opened or reopened as needed); the status code."""
    for attempt in range(2):
        if conn[0] is None:
            reader, writer = await asyncio.open_connection(host, port)
            conn[0], conn[1] = reader, writer
        reader, writer = conn[0], conn[1]  # type: ignore[assignment]
        assert isinstance(reader, asyncio.StreamReader) and isinstance(writer, asyncio.StreamWriter)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n\r\n".encode())
        try:
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.close()
            conn[0] = conn[1] = None
            if attempt:
                raise
            continue
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:] if h)}
        await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close" or lines[0].startswith("HTTP/1.0"):
            writer.close()
            conn[0] = conn[1] = None
        return status
    return 0


async def _phase(
    host: str, port: int, clients: int, seconds: float, mix: list[tuple[str, list[str], float]], seed: int
) -> dict[str, dict[str, object]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    answered: Counter[str] = Counter()  # 200s within the phase's time: what req/s counts
    end = time.monotonic() + seconds
    names = [name for name, _, _ in mix]
    weights = [weight for _, _, weight in mix]
    queries = {name: texts for name, texts, _ in mix}

    async def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        conn: list[asyncio.StreamReader | asyncio.StreamWriter | None] = [None, None]
        while time.monotonic() < end:
            name = rng.choices(names, weights)[0]
            path = "/sparql?" + urlencode({"query": rng.choice(queries[name])})
            started = time.monotonic()
            try:
                status = await asyncio.wait_for(_request(conn, host, port, path), REQUEST_LIMIT)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                status = 0
                if conn[1] is not None:
                    conn[1].close()  # type: ignore[union-attr]
                conn[0] = conn[1] = None
            finished = time.monotonic()
            latencies[name].append(finished - started)
            statuses[name][status] += 1
            if finished <= end and status == 200:
                answered[name] += 1
        if conn[1] is not None:
            conn[1].close()  # type: ignore[union-attr]

    await asyncio.gather(*(client(i) for i in range(clients)))
    out: dict[str, dict[str, object]] = {}
    for name in names:
        times = sorted(latencies[name])
        if not times:
            continue
        out[name] = {
            "requests": len(times),
            "req_per_s": round(answered[name] / seconds, 1),
            "p50_ms": round(1000 * statistics.median(times), 1),
            "p99_ms": round(1000 * times[min(len(times) - 1, int(0.99 * len(times)))], 1),
            "statuses": dict(sorted(statuses[name].items())),
        }
    return out


def _print(title: str, figures: dict[str, dict[str, object]]) -> None:
    print(title)
    for name, row in figures.items():
        print(
            f"  {name:<10} {row['requests']:>7} req {row['req_per_s']:>8} req/s  p50 {row['p50_ms']:>8} ms  "
            f"p99 {row['p99_ms']:>8} ms  statuses {row['statuses']}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", nargs="?", default=str(ROOT / "extracted" / "graph.trig"))
    parser.add_argument("--cheap-seconds", type=float, default=10.0)
    parser.add_argument("--mix-seconds", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cheap-clients", type=int, default=50)
    parser.add_argument("--mix-clients", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's --timeout")
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}", flush=True)
    process, host, port = _start(Path(args.graph), args.timeout)
    results: dict[str, object] = {"machine": machine(), "load_before": round(os.getloadavg()[0], 2)}
    try:
        cheap = asyncio.run(
            _phase(host, port, args.cheap_clients, args.cheap_seconds, [("cheap", CHEAP, 1.0)], 1)
        )
        _print(f"cheap alone, {args.cheap_clients} clients, {args.cheap_seconds:g} s:", cheap)
        print("  bar: >= 1,000 req/s, p99 < 100 ms")
        results["cheap_alone"] = cheap
        mix = [("cheap", CHEAP, 0.60), ("library", _library(), 0.25), ("expensive", [EXPENSIVE], 0.15)]
        rounds = []
        for number in range(1, args.rounds + 1):
            figures = asyncio.run(_phase(host, port, args.mix_clients, args.mix_seconds, mix, 10 + number))
            rss = round(_tree_rss(process.pid), 1)
            _print(
                f"mixed 60/25/15, {args.mix_clients} clients, {args.mix_seconds:g} s, round {number} "
                f"(server memory after: {rss} MB PSS; load average {os.getloadavg()[0]:.2f}):",
                figures,
            )
            rounds.append({"figures": figures, "server_pss_mb": rss})
        print("  bar: cheap p99 < 1 s, no 503 for cheap, RSS within 20% over the rounds")
        results["mixed"] = rounds
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    results["load_after"] = round(os.getloadavg()[0], 2)
    record("endpoint", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
