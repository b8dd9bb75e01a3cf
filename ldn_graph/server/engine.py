"""Queries in processes that can be killed: the time limit of `ldn-graph serve`.

rdflib evaluates SPARQL in pure Python and cannot be interrupted from another thread, and a query such
as a cross product of every triple with every triple never yields a row to check a deadline on. So every
job runs in a process of its own, and a job that outlives its deadline is killed with SIGKILL.

    HTTP threads ──► QueryEngine ──pipe──► supervisor ──fork──► one child per job
                                           (one thread)         (runs it, sends the answer, exits)

The graph is loaded once, in the server process, before any thread starts; the supervisor is forked
from it then, so it holds the graph without parsing it again. The supervisor has a single thread, which
makes forking a child per job from it safe (forking a process that runs threads can leave locks held in
the child), and cheap: the child shares the graph's memory copy-on-write. The supervisor watches the
children's pipes and their deadlines, kills the late ones and answers for them. A child also has a CPU
time limit (RLIMIT_CPU) a little above the deadline, so the kernel stops it even if the supervisor could
not, and it refuses any network connection (an audit hook), whatever rdflib tries.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ldn_graph.errors import LdnGraphError, QueryTimeoutError, ServerBusyError, ServerError

# Memory a query may take on top of what the process holds when it starts (the graph and Python).
QUERY_MEMORY = 4 << 30

# Audit events that would reach the network or start a program: refused in every query process.
_REFUSED_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "urllib.Request",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
    }
)


def _refuse_outside_world(event: str, _args: tuple[Any, ...]) -> None:
    if event in _REFUSED_EVENTS:
        raise PermissionError(f"ldn-graph serve: {event} is not allowed while answering a query")


@dataclass
class _Child:
    pid: int
    reader: Connection
    job_id: int
    deadline: float


def _run_child(job: Callable[..., Any], args: tuple[Any, ...], writer: Connection, cpu_seconds: int) -> None:
    """In the forked child: run the job, send ("ok", value) or ("error", exception), never return."""
    code = 0
    try:
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit already set will do
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        _limit_memory()
        sys.addaudithook(_refuse_outside_world)
        try:
            answer: tuple[str, Any] = ("ok", job(*args))
        except LdnGraphError as err:
            answer = ("error", err)
        except MemoryError:
            message = f"the query needs more than {QUERY_MEMORY >> 20:,} MiB of memory and was stopped"
            answer = ("error", ServerError(message))
        except Exception as err:
            answer = ("error", ServerError(f"the query failed: {type(err).__name__}: {err}"))
        try:
            writer.send(answer)
        except Exception as err:  # an answer that cannot be pickled
            writer.send(("error", ServerError(f"cannot send the answer: {type(err).__name__}: {err}")))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


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


def _supervise(conn: Connection, server_end: Connection, graph: Any, timeout: float) -> None:
    """The supervisor's loop: start a child per job, forward answers, kill children past their deadline."""
    server_end.close()  # else the server's end stays open here and its exit would never show as EOF
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops us
    children: dict[int, _Child] = {}  # by the file descriptor of the pipe from the child
    cpu_seconds = math.ceil(timeout) + 2

    def finish(fd: int, answer: tuple[str, Any], *, kill: bool = False) -> None:
        child = children.pop(fd)
        if kill:
            os.kill(child.pid, signal.SIGKILL)
        _, status = os.waitpid(child.pid, 0)
        child.reader.close()
        if answer[0] == "died":
            answer = ("died", _describe_status(status))
        try:
            conn.send((child.job_id, *answer))
        except OSError:  # the server is gone
            stop()

    def stop() -> None:
        for child in children.values():
            os.kill(child.pid, signal.SIGKILL)
            os.waitpid(child.pid, 0)
        os._exit(0)

    while True:
        now = time.monotonic()
        for fd in [fd for fd, child in children.items() if child.deadline <= now]:
            finish(fd, ("timeout", None), kill=True)
        next_deadline = min((child.deadline for child in children.values()), default=None)
        wait_for = None if next_deadline is None else max(0.0, next_deadline - time.monotonic())
        for source in wait([conn, *(child.reader for child in children.values())], timeout=wait_for):
            assert isinstance(source, Connection)
            if source is not conn:
                fd = source.fileno()
                try:
                    answer = source.recv()
                except (EOFError, OSError):  # the child died without answering
                    answer = ("died", None)
                finish(fd, answer)
                continue
            try:
                message = conn.recv()
            except (EOFError, OSError):
                stop()
            if message is None:  # the server is closing
                stop()
            job_id, job, args = message
            reader, writer = multiprocessing.Pipe(duplex=False)
            pid = os.fork()
            if pid == 0:
                conn.close()
                reader.close()
                for child in children.values():
                    child.reader.close()
                _run_child(job, (graph, *args), writer, cpu_seconds)
            writer.close()
            children[reader.fileno()] = _Child(pid, reader, job_id, time.monotonic() + timeout)


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        return f"killed by {name}" + (" (CPU time limit)" if number == signal.SIGXCPU else "")
    return f"exit code {os.WEXITSTATUS(status)}"


class QueryEngine:
    """Run jobs `job(graph, *args)` in killable processes with a deadline; `call` blocks for the answer.

    A job is a module-level function (it is sent to the supervisor by reference, its arguments pickled);
    the graph is not sent: the child has it from the fork. Call `start` before starting any thread.
    """

    def __init__(self, graph: Any, *, timeout: float, parallel: int = 4) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.graph = graph
        self.timeout = timeout
        self.parallel = parallel
        self._slots = threading.BoundedSemaphore(parallel)
        self._ids = itertools.count(1)
        self._pending: dict[int, Future[tuple[str, Any]]] = {}
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> QueryEngine:
        """Fork the supervisor (from this thread, while it is the only one) and start reading its answers."""
        if "fork" not in multiprocessing.get_all_start_methods():
            raise ServerError("ldn-graph serve needs os.fork (Linux or macOS) to stop queries on time")
        ours, theirs = multiprocessing.Pipe(duplex=True)
        context = multiprocessing.get_context("fork")
        self._process = context.Process(
            target=_supervise,
            args=(theirs, ours, self.graph, self.timeout),
            name="ldn-graph-queries",
            daemon=True,
        )
        self._process.start()
        theirs.close()
        self._conn = ours
        self._reader = threading.Thread(target=self._read_answers, name="ldn-graph-answers", daemon=True)
        self._reader.start()
        return self

    def _read_answers(self) -> None:
        assert self._conn is not None
        while True:
            try:
                job_id, status, payload = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.pop(job_id, None)
            if future is not None:
                future.set_result((status, payload))
        with self._lock:
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_result(("stopped", None))

    def call(self, job: Callable[..., Any], *args: Any) -> Any:
        """`job(graph, *args)` in a child process: its value, its error, or QueryTimeoutError when late."""
        if self._conn is None:
            raise ServerError("the query engine is not started")
        # Waiting for a free slot counts against the same time limit as running.
        started = time.monotonic()
        if not self._slots.acquire(timeout=self.timeout):
            raise ServerBusyError(
                f"the server is busy: {self.parallel} queries are running; try again in a moment"
            )
        try:
            job_id = next(self._ids)
            future: Future[tuple[str, Any]] = Future()
            with self._lock:
                self._pending[job_id] = future
                try:
                    self._conn.send((job_id, job, args))
                except (OSError, ValueError) as err:
                    self._pending.pop(job_id, None)
                    raise ServerError(f"the query engine stopped: {err}") from None
            # The supervisor enforces the deadline; this wait is a backstop should it ever hang.
            try:
                status, payload = future.result(timeout=self.timeout + 10)
            except FutureTimeout:
                with self._lock:
                    self._pending.pop(job_id, None)
                status, payload = "timeout", None
        finally:
            self._slots.release()
        if status == "ok":
            return payload
        if status == "error":
            raise payload
        if status == "timeout":
            elapsed = time.monotonic() - started
            raise QueryTimeoutError(
                f"the query ran longer than the time limit of {_seconds(self.timeout)} "
                f"(stopped after {elapsed:.1f} s); narrow it down, add a LIMIT, or start the server "
                "with a larger --timeout"
            )
        if status == "stopped":
            raise ServerBusyError("the server is stopping: the query was not finished")
        raise ServerError(f"the query process died ({payload}); it may have run out of memory")

    def close(self) -> None:
        """Stop the supervisor and its children."""
        if self._conn is not None:
            # Ask, rather than close the pipe: the reader thread's pending recv would keep it open.
            with self._lock, contextlib.suppress(OSError):
                self._conn.send(None)
        if self._process is not None:
            self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None
        if self._reader is not None:
            self._reader.join(timeout=2)  # it sees the supervisor's end close, and stops
            self._reader = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> QueryEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _seconds(value: float) -> str:
    return f"{value:g} s"
