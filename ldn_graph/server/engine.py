"""Queries in warm processes that can be killed, in two lanes: the time limit of `ldn-graph serve`.

Neither engine can be interrupted from another thread (rdflib evaluates in pure Python; a cross product
in Oxigraph never yields a row to check a deadline on), so every job runs in a worker process, and a job
that outlives its time is ended by killing its worker.

    HTTP thread ──(its own socket, one job, one answer)──► worker ◄──fork── zygote
         │                                                                    ▲
         └──────────── engine (idle workers per lane) ◄──(control socket)─────┘

The zygote is forked from the server before any thread starts, so it holds the graph without reading it
again; it has one thread, which makes forking from it safe, and it cuts itself off every network first
(ldn_graph.sparql.sandbox.deny_network), so its workers cannot open any connection, whatever an engine's
SERVICE client tries. It keeps the lanes full: it forks a worker, hands the server one end of that
worker's socket (SCM_RIGHTS), reaps workers that die and forks their replacements.

Why this cannot deadlock: each worker socket is used by one HTTP thread at a time, strictly as one
request then one answer, and the worker reads the whole request before it writes; the control socket
carries only small datagrams; no lock is held while a socket is read or written, and the only lock
(the engine's condition) guards the idle lists. A late worker is killed through the zygote (which owns
its pid), so its socket closes and the waiting thread sees that. Closing the engine needs no lock that
a request holds, so SIGTERM stops the server under any load.

Lanes (admission by measured cost): a query of a text not seen before runs in the short lane; one still
running after SHORT_BUDGET seconds is stopped, remembered as long, and run again in the long lane (at
nice LONG_NICE) for what is left of its time; a text remembered as taking under TINY seconds goes to the
tiny lane. Cheap queries so never wait behind expensive ones: the short lane is held by any job for at
most SHORT_BUDGET, the tiny lane only by queries that were fast. docs/server.md has the measurements.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import pickle
import resource
import signal
import socket
import sys
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from ldn_graph.errors import LdnGraphError, QueryTimeoutError, ServerBusyError, ServerError
from ldn_graph.server.workers import die_with_parent, zygote

QUERY_MEMORY = 4 << 30  # memory a query may take on top of what its worker holds when it starts
WORKER_GROWTH = 512 << 20  # a worker grown by this much since it started is replaced after its job
WORKER_JOBS = 5000  # jobs a worker runs before it is replaced
SHORT_BUDGET = 0.5  # seconds a job may run in the short lane
REMEMBERED = 4096  # query texts whose cost is remembered
LANES = ("tiny", "short", "long")
TINY = 0.025  # seconds: a query known to take less runs in the tiny lane

# Audit events that would reach the network or start a program: refused in every worker.
_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request")
_REFUSED_EVENTS = frozenset((*_NETWORK_EVENTS, "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"))


def _refuse_outside_world(event: str, _args: tuple[Any, ...]) -> None:
    if event in _REFUSED_EVENTS:
        raise PermissionError(f"ldn-graph serve: {event} is not allowed while answering a query")


def _rss() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory() -> None:
    """Cap the address space at its current size plus QUERY_MEMORY (Linux; elsewhere nothing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = current + QUERY_MEMORY
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (OSError, ValueError):
        pass


def _cpu_limit(seconds: int) -> None:
    """Let the kernel stop this process `seconds` of CPU time from now (SIGXCPU), should all else fail."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime) + seconds
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _work(conn: Connection, graph: Any, cpu_seconds: int) -> None:
    """A worker: answer jobs one at a time, ("ok", value, retiring) or ("error", exception, retiring)."""
    _limit_memory()
    sys.addaudithook(_refuse_outside_world)
    started_rss = _rss()
    for done in range(1, WORKER_JOBS + 1):
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, args = message
        _cpu_limit(cpu_seconds)
        try:
            answer: tuple[str, Any] = ("ok", job(graph, *args))
        except LdnGraphError as err:
            answer = ("error", err)
        except MemoryError:
            message = f"the query needs more than {QUERY_MEMORY >> 20:,} MiB of memory and was stopped"
            answer = ("error", ServerError(message))
        except RecursionError:
            answer = ("error", ServerError("the query nests too deeply to be evaluated"))
        except Exception as err:
            answer = ("error", ServerError(f"the query failed: {type(err).__name__}: {err}"))
        retiring = done == WORKER_JOBS or _rss() - started_rss > WORKER_GROWTH
        try:
            conn.send((*answer, retiring))
        except (OSError, ValueError):
            return
        except Exception as err:  # an answer that cannot be pickled
            failure = ServerError(f"cannot send the answer: {type(err).__name__}: {err}")
            conn.send(("error", failure, retiring))
        if retiring:
            return


@dataclass
class _Worker:
    pid: int
    conn: Connection
    lane: str


@dataclass
class _Waiter:
    """A call waiting for a worker of a lane; a freed worker is handed to one waiter directly."""

    client: str
    seq: int
    ready: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


class QueryEngine:
    """Run jobs `job(graph, *args)` in warm worker processes with a time limit; `call` blocks for the answer.

    A job is a module-level function (sent by reference, its arguments pickled); the graph is not sent:
    the workers have it from the fork. Call `start` before starting any thread. `parallel` workers take
    long jobs; half as many (at least one) more take every job's first SHORT_BUDGET seconds.
    """

    def __init__(self, graph: Any, *, timeout: float, parallel: int = 4) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.graph = graph
        self.timeout = timeout
        self.parallel = parallel
        self.sizes = {"tiny": max(1, parallel // 2), "short": max(1, parallel // 2), "long": parallel}
        self.network_note: str | None = None
        self._idle: dict[str, list[_Worker]] = {lane: [] for lane in LANES}
        self._died: dict[int, str] = {}
        self._cost: OrderedDict[str, float] = OrderedDict()  # seconds a query text took (inf: too long)
        self._trials: dict[str, threading.Event] = {}  # unknown queries on trial in the short lane now
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)  # workers arrived or died, the engine closed
        # Per lane, the calls waiting for a worker: a freed worker goes to the waiter whose client has the
        # fewest calls in the engine (then the earliest), woken alone: per-client fairness, and no herd.
        self._waiting: dict[str, list[_Waiter]] = {lane: [] for lane in LANES}
        self._calls: Counter[str] = Counter()
        self._seq = itertools.count()
        self._control: socket.socket | None = None
        self._control_lock = threading.Lock()
        self._zygote_pid: int | None = None
        self._manager: threading.Thread | None = None
        self._closed = False

    # --- the zygote and its messages ------------------------------------------------------------------

    def start(self) -> QueryEngine:
        """Fork the zygote (from this thread, while it is the only one) and take its workers."""
        if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
            raise ServerError("ldn-graph serve needs os.fork and Unix sockets to stop queries on time")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        cpu_seconds = math.ceil(self.timeout) + 2
        pid = os.fork()
        if pid == 0:
            try:
                die_with_parent()
                ours.close()
                zygote(theirs, self.graph, self.sizes, cpu_seconds, _work)
            finally:
                os._exit(1)
        theirs.close()
        self._control, self._zygote_pid = ours, pid
        ours.settimeout(60)
        data = ours.recv(4096)
        ours.settimeout(None)
        if not data:
            raise ServerError("the query processes did not start")
        _, self.network_note = pickle.loads(data)
        self._manager = threading.Thread(target=self._manage, name="ldn-graph-workers", daemon=True)
        self._manager.start()
        with self._cond:  # every worker ready: the first queries do not wait for forks
            deadline = time.monotonic() + 60
            while sum(map(len, self._idle.values())) < sum(self.sizes.values()):
                if not self._cond.wait(max(0.0, deadline - time.monotonic())) or self._closed:
                    break
        return self

    def _manage(self) -> None:
        assert self._control is not None
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self._control, 4096, 1)
            except OSError:
                data, fds = b"", []
            if not data:
                break
            message = pickle.loads(data)
            with self._cond:
                if message[0] == "worker" and fds:
                    _, pid, lane = message
                    self._give(_Worker(pid, Connection(fds[0]), lane))
                elif message[0] == "died":
                    self._died[message[1]] = message[2]
                    if len(self._died) > 1000:
                        self._died.pop(next(iter(self._died)))
                self._cond.notify_all()
        with self._cond:
            self._closed = True
            self._wake_all()

    def _wake_all(self) -> None:
        self._cond.notify_all()
        for waiters in self._waiting.values():
            for waiter in waiters:
                waiter.ready.set()

    def _give(self, worker: _Worker) -> None:
        """(Lock held.) Hand a free worker to the fairest waiter of its lane, or make it idle."""
        waiters = self._waiting[worker.lane]
        if not waiters:
            self._idle[worker.lane].append(worker)
            return
        best = min(waiters, key=lambda w: (self._calls[w.client], w.seq))
        waiters.remove(best)
        best.worker = worker
        best.ready.set()

    def _kill(self, worker: _Worker) -> None:
        """Have the zygote kill `worker` (it owns the pid) and replace it."""
        worker.conn.close()
        with self._control_lock:
            if self._control is not None:
                with contextlib.suppress(OSError):
                    self._control.send(pickle.dumps(("kill", worker.pid)))

    def _death_of(self, worker: _Worker) -> str:
        worker.conn.close()
        with self._cond:
            self._cond.wait_for(lambda: worker.pid in self._died or self._closed, timeout=2)
            return self._died.get(worker.pid, "it ended")

    # --- jobs ---------------------------------------------------------------------------------------------

    def _acquire(self, lane: str, deadline: float, client: str) -> _Worker | None:
        with self._lock:
            if self._closed:
                raise ServerBusyError("the server is stopping: the query was not run")
            if self._idle[lane] and not self._waiting[lane]:
                return self._idle[lane].pop()
            waiter = _Waiter(client, next(self._seq))
            self._waiting[lane].append(waiter)
        waiter.ready.wait(max(0.0, deadline - time.monotonic()))
        with self._lock:
            if waiter.worker is not None:  # given one, perhaps just as the wait ran out
                return waiter.worker
            self._waiting[lane].remove(waiter)
            if self._closed:
                raise ServerBusyError("the server is stopping: the query was not run")
            return None

    def _run(self, worker: _Worker, message: tuple[Any, ...], until: float) -> tuple[str, Any]:
        """Send one job to `worker` and take its answer, or kill it at `until`."""
        try:
            worker.conn.send(message)
            if worker.conn.poll(max(0.0, until - time.monotonic())):
                status, payload, retiring = worker.conn.recv()
            else:
                self._kill(worker)
                return "late", None
        except (EOFError, OSError):
            return "died", self._death_of(worker)
        if retiring:  # it ends after this answer; the zygote forks its replacement
            worker.conn.close()
        else:
            with self._lock:
                self._give(worker)
        return status, payload

    def _remember(self, key: str, seconds: float) -> None:
        with self._cond:
            before = self._cost.get(key)
            if before is not None and math.isfinite(before) and math.isfinite(seconds):
                seconds = 0.7 * before + 0.3 * seconds  # a moving average: one slow moment moves it little
            self._cost[key] = seconds
            self._cost.move_to_end(key)
            while len(self._cost) > REMEMBERED:
                self._cost.popitem(last=False)

    def _lane_of(self, key: str | None) -> tuple[str, threading.Event | None]:
        """Which lane a query starts in, and the trial it runs (if it is the first of its text to run)."""
        if key is None:
            return "short", None
        while True:
            with self._cond:
                cost = self._cost.get(key)
                if cost is not None:
                    return ("tiny" if cost <= TINY else "short" if math.isfinite(cost) else "long"), None
                trial = self._trials.get(key)
                if trial is None:
                    trial = self._trials[key] = threading.Event()
                    return "short", trial
            # The same text is on trial: its outcome says where this one goes (a burst of an expensive
            # query thus costs the short lane one trial, not one per copy).
            if not trial.wait(SHORT_BUDGET + 1):
                return "short", None

    def call(self, job: Callable[..., Any], *args: Any, key: str | None = None, client: str = "") -> Any:
        """`job(graph, *args)` in a worker: its value, its error, or QueryTimeoutError when late.

        `key` (the query text) lets the engine send a query it has seen run long straight to the long lane;
        `client` (an address) is whose job it is, for fairness between clients waiting for a lane.
        Waiting for a worker counts against the same time limit as running.
        """
        if self._closed:
            raise ServerBusyError("the server is stopping: the query was not run")
        if self._control is None:
            raise ServerError("the query engine is not started")
        started = time.monotonic()
        deadline = started + self.timeout
        message = (job, args)
        with self._lock:
            self._calls[client] += 1
        try:
            return self._call(message, deadline, started, key, client)
        finally:
            with self._lock:
                self._calls[client] -= 1
                if self._calls[client] <= 0:
                    del self._calls[client]

    def _call(
        self, message: tuple[Any, ...], deadline: float, started: float, key: str | None, client: str
    ) -> Any:
        lane, trial = self._lane_of(key)
        status: str = "late"
        payload: Any = None
        try:
            if lane != "long":
                worker = self._acquire(lane, deadline, client)
                if worker is None:
                    raise ServerBusyError(
                        f"the server is busy: every query process was taken for {_seconds(self.timeout)}; "
                        "try again in a moment"
                    )
                began = time.monotonic()
                status, payload = self._run(worker, message, min(deadline, began + SHORT_BUDGET))
                if key is not None:
                    self._remember(key, math.inf if status == "late" else time.monotonic() - began)
        finally:
            if trial is not None and key is not None:
                with self._cond:
                    self._trials.pop(key, None)
                trial.set()
        if status == "late" and time.monotonic() < deadline:
            worker = self._acquire("long", deadline, client)
            if worker is None:
                raise ServerBusyError(
                    f"the server is busy: {self.parallel} long queries are running; try again in a moment"
                )
            status, payload = self._run(worker, message, deadline)
        if status == "ok":
            return payload
        if status == "error":
            raise payload
        if status == "late":
            elapsed = time.monotonic() - started
            raise QueryTimeoutError(
                f"the query ran longer than the time limit of {_seconds(self.timeout)} "
                f"(stopped after {elapsed:.1f} s); narrow it down, add a LIMIT, or start the server "
                "with a larger --timeout"
            )
        if self._closed:
            raise ServerBusyError("the server is stopping: the query was not finished")
        if "SIGSEGV" in str(payload):
            raise ServerError(f"the query engine crashed on this query ({payload})")
        raise ServerError(f"the query process died ({payload}); it may have run out of memory")

    @property
    def stopping(self) -> bool:
        """Whether `close` has begun."""
        return self._closed

    def close(self) -> None:
        """Stop the zygote and its workers; a query still waiting is answered 'stopping'."""
        with self._cond:
            self._closed = True
            self._wake_all()
        with self._control_lock:
            control, self._control = self._control, None
        if control is not None:
            with contextlib.suppress(OSError):
                control.send(pickle.dumps(None))
        if self._zygote_pid is not None:
            deadline = time.monotonic() + 2
            while os.waitpid(self._zygote_pid, os.WNOHANG)[0] == 0:
                if time.monotonic() > deadline:
                    os.kill(self._zygote_pid, signal.SIGKILL)  # its workers die with it (PDEATHSIG)
                    os.waitpid(self._zygote_pid, 0)
                    break
                time.sleep(0.02)
            self._zygote_pid = None
        if control is not None:
            control.close()
        if self._manager is not None:
            self._manager.join(timeout=2)
            self._manager = None
        with self._cond:
            for workers in self._idle.values():
                for worker in workers:
                    worker.conn.close()
                workers.clear()

    def __enter__(self) -> QueryEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _seconds(value: float) -> str:
    return f"{value:g} s"
