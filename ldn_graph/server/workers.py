"""The processes behind the query engine (engine.py): the zygote, which forks the workers of each lane,
hands their sockets to the server and replaces those that end; and how a process dies with its parent.

The zygote has one thread, so forking from it is safe; it cuts itself off every network before it forks
(ldn_graph.sparql.sandbox.deny_network), and its workers inherit that.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import select
import signal
import socket
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, NoReturn

from ldn_graph.sparql.sandbox import deny_network

LONG_NICE = 19  # the long lane runs at the lowest priority: it takes only CPU time nobody else wants


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent ends (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        return f"killed by {name}" + (" (CPU time limit)" if number == signal.SIGXCPU else "")
    return f"exit code {os.WEXITSTATUS(status)}"


def zygote(
    control: socket.socket,
    graph: Any,
    sizes: dict[str, int],
    cpu_seconds: int,
    work: Callable[[Connection, Any, int], None],
) -> None:
    """Fork the workers of each lane, hand their sockets to the server, replace those that end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    note = deny_network()
    control.send(pickle.dumps(("network", note)))
    lane_of: dict[int, str] = {}

    def spawn(lane: str) -> None:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                die_with_parent()
                if lane == "long":  # the kernel favours the short lane and the HTTP threads
                    os.nice(LONG_NICE)
                control.close()
                ours.close()
                work(Connection(theirs.detach()), graph, cpu_seconds)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        lane_of[pid] = lane
        try:
            socket.send_fds(control, [pickle.dumps(("worker", pid, lane))], [ours.fileno()])
        finally:
            ours.close()

    def stop() -> NoReturn:
        for pid in lane_of:
            os.kill(pid, signal.SIGKILL)
        for pid in lane_of:
            os.waitpid(pid, 0)
        os._exit(0)

    try:
        for lane, size in sizes.items():
            for _ in range(size):
                spawn(lane)
        while True:
            readable, _, _ = select.select([control], [], [], 0.05)
            while lane_of:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                lane = lane_of.pop(pid, "")
                if lane:
                    control.send(pickle.dumps(("died", pid, _describe_status(status))))
                    spawn(lane)
            if not readable:
                continue
            data = control.recv(4096)
            message = pickle.loads(data) if data else None
            if message is None:
                stop()
            if message[0] == "kill" and message[1] in lane_of:
                os.kill(message[1], signal.SIGKILL)
    except OSError:  # the server is gone
        stop()
