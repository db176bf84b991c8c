"""A lean webhook sender for the ingest benchmarks: keep-alive connections, each request's bytes built
once, the answer read with no more parsing than its status and length.

The sender shares the machine's two cores with the gateway it measures, so what it spends on each
request is taken from the workers: http.client spent about three times as much as this.
"""
from __future__ import annotations

import socket
import time

import gevent
from gevent.queue import Queue


def post_all(port: int, path: str, payloads: list[bytes], concurrency: int) -> tuple[float, list[float]]:
    """POST every payload over `concurrency` keep-alive connections, the next one only after the
    answer to the last; (requests/s, latencies in s). Any answer other than 200 stops the run."""
    work: Queue = Queue()
    for payload in payloads:
        work.put(payload)
    latencies: list[float] = []
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: ").encode()

    def sender():
        connection = socket.create_connection(("127.0.0.1", port), timeout=30)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pending = b""
        while not work.empty():
            payload = work.get()
            began = time.perf_counter()
            connection.sendall(b"%s%d\r\n\r\n%s" % (head, len(payload), payload))
            status, pending = _answer(connection, pending)
            if status != b"200":
                raise SystemExit(f"{path} answered {status.decode()}")
            latencies.append(time.perf_counter() - began)
        connection.close()

    started = time.perf_counter()
    gevent.joinall([gevent.spawn(sender) for _ in range(concurrency)], raise_error=True)
    return len(payloads) / (time.perf_counter() - started), latencies


def _answer(connection: socket.socket, pending: bytes) -> tuple[bytes, bytes]:
    """(status code, bytes past the answer) once one whole answer is read."""
    while True:
        end = pending.find(b"\r\n\r\n")
        if end >= 0:
            head = pending[:end]
            at = head.lower().find(b"\r\ncontent-length:")
            length = int(head[at + 17:].split(b"\r\n", 1)[0]) if at >= 0 else 0
            if len(pending) >= end + 4 + length:
                return head[9:12], pending[end + 4 + length:]
        chunk = connection.recv(65536)
        if not chunk:
            raise SystemExit("the gateway closed the connection")
        pending += chunk
