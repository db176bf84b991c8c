"""Fan-out benchmark: N `/api/stream` clients on one gunicorn gevent worker, all subscribed to one
instance that receives R events/s through the webhook receiver.

    .venv/bin/python bench/fanout.py [--clients 1000] [--rate 10] [--seconds 10]

Latency is the event's `received_at` (stamped by the gateway when the webhook arrived) to the
moment a client has the frame, so it covers store, publish and fan-out. The last line is
`fanout_deliveries_per_s=<n> fanout_p99_ms=<n> rss_mb=<n>`.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import base64  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import INSTANCE, gunicorn, seed  # noqa: E402
from gateway.simulator.testing import free_port, wait_for  # noqa: E402


def worker_rss_mb(master: int) -> float:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for line in Path(f"/proc/{children[0]}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class StreamClient:
    """A bare WebSocket client: handshake, one subscribe frame, then count frames and their latency."""

    def __init__(self, port: int, token: str, latencies: list):
        self.port, self.token, self.latencies = port, token, latencies
        self.events = 0
        self.ready = gevent.event.Event()

    def run(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port))
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f"GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                      f"Authorization: Bearer {self.token}\r\n\r\n").encode())
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(4096)
        head, buffer = buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head
        sock.sendall(_masked(b'{"action":"subscribe","instance":"%s"}' % INSTANCE.encode()))
        while True:
            frame, buffer = _read_frame(sock, buffer)
            if frame is None:
                return
            if frame.startswith(b'{"type":"subscribed"'):
                self.ready.set()
            elif frame.startswith(b'{"type":"whatsapp:'):
                start = frame.index(b'"received_at":"') + 15
                sent = datetime.fromisoformat(frame[start:frame.index(b'"', start)].decode()).timestamp()
                self.latencies.append(time.time() - sent)
                self.events += 1


def _masked(payload: bytes) -> bytes:
    mask = os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _read_frame(sock, buffer: bytes) -> tuple[bytes | None, bytes]:
    def need(count):
        nonlocal buffer
        while len(buffer) < count:
            chunk = sock.recv(65536)
            if not chunk:
                return False
            buffer += chunk
        return True

    if not need(2):
        return None, buffer
    length, offset = buffer[1] & 0x7F, 2
    if length == 126:
        need(4)
        length, offset = struct.unpack(">H", buffer[2:4])[0], 4
    elif length == 127:
        need(10)
        length, offset = struct.unpack(">Q", buffer[2:10])[0], 10
    if not need(offset + length):
        return None, buffer
    return buffer[offset:offset + length], buffer[offset + length:]


def envelope(number: int) -> dict:
    return {"event": "messages.upsert", "instance": INSTANCE, "date_time": "2026-11-23T04:22:36.847Z",
            "data": {"key": {"remoteJid": "5511988887777@s.whatsapp.net", "fromMe": False, "id": f"BENCH{number:08d}"},
                     "pushName": "Bob", "message": {"conversation": f"message {number}"},
                     "messageType": "conversation", "messageTimestamp": 1763871756}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="fanout-")
    port = free_port()
    env = os.environ | {"DATABASE_URL": f"sqlite:///{workdir}/gateway.sqlite3", "SECRET_KEY": "bench",
                        "PUBLIC_URL": f"http://127.0.0.1:{port}", "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING"}
    seeded = seed(env)
    token, secret = seeded.token, seeded.webhook_secret
    gateway = gunicorn(env, port)
    try:
        latencies: list[float] = []
        clients = [StreamClient(port, token, latencies) for _ in range(args.clients)]
        pool = [gevent.spawn(client.run) for client in clients]
        for client in clients:
            if not client.ready.wait(10):
                raise SystemExit("a client did not get its subscription confirmed")
        print(f"{args.clients} clients subscribed; rss_mb={worker_rss_mb(gateway.pid):.0f}", flush=True)

        session, url = requests.Session(), f"http://127.0.0.1:{port}/api/webhooks/evolution/{secret}"
        count, started = int(args.rate * args.seconds), time.monotonic()
        for number in range(count):
            gevent.sleep(max(0.0, started + number / args.rate - time.monotonic()))
            session.post(url, json=envelope(number), timeout=10).raise_for_status()
        expected = count * args.clients
        wait_for(lambda: len(latencies) >= expected, timeout=30, what="every frame")
        elapsed = time.monotonic() - started
        rss = worker_rss_mb(gateway.pid)
        gevent.killall(pool, timeout=1)
    finally:
        gateway.terminate()
        gateway.wait(10)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    delivered = sum(client.events for client in clients)
    print(f"events={count} clients={args.clients} delivered={delivered}/{expected} "
          f"p50_ms={latencies[len(latencies) // 2] * 1000:.1f} max_ms={latencies[-1] * 1000:.1f}")
    print(f"fanout_deliveries_per_s={delivered / elapsed:.0f} fanout_p99_ms={p99:.1f} rss_mb={rss:.0f}")


if __name__ == "__main__":
    main()
