"""Servers the tests start on loopback (gunicorn, nginx, redis-server): a port nobody holds, and
the wait until the server takes connections on it."""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def came_up(process: subprocess.Popen[bytes], port: int, seconds: float) -> bool:
    """True once `port` takes a connection; False as soon as `process` has exited or `seconds`
    have passed (the caller raises with the server's own log, which only it knows)."""
    deadline = time.monotonic() + seconds
    while not answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
