"""Fan-out benchmark: N `/api/stream` clients on one gunicorn gevent worker, all subscribed to one
instance that receives R events/s through the webhook receiver.

    .venv/bin/python bench/fanout.py [--clients 1000] [--rate 10] [--seconds 10] [--processes 1]

With `--processes 2` the clients are spread over two gunicorn masters sharing Redis
(`--redis-url`), and the webhooks all go to the first: half the clients get every event over Redis.

Latency is the event's `received_at` (stamped by the gateway when the webhook arrived) to the
moment a client has the frame, so it covers store, publish and fan-out. The last line is
`fanout_deliveries_per_s=<n> fanout_p99_ms=<n> rss_mb=<n>`; the line before it gives the worker's CPU per
delivery, which does not depend on what else the machine runs.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import base64  # noqa: E402
import functools  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import gevent.lock  # noqa: E402
import requests  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import INSTANCE, gunicorn, percentile, seed  # noqa: E402
from gateway.simulator.testing import free_port, wait_for  # noqa: E402

PUBLISHER_CONNECTIONS = 16
OPENING_AT_ONCE = 50


def worker_pid(master: int) -> int:
    return int(Path(f"/proc/{master}/task/{master}/children").read_text().split()[0])


def worker_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process: on a shared machine, the cost that does not depend on load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class StreamClient:
    """A bare WebSocket client: handshake, one subscribe frame, then count frames and their latency."""

    def __init__(self, port: int, token: str, latencies: list, opening: gevent.lock.Semaphore):
        self.port, self.token, self.latencies, self.opening = port, token, latencies, opening
        self.events = 0
        self.ready = gevent.event.Event()

    def run(self) -> None:
        self.opening.acquire()  # released once subscribed: the listen backlog never overflows
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
                self.opening.release()
            elif frame.startswith(b'{"type":"whatsapp:'):
                start = frame.index(b'"received_at":"') + 15
                self.latencies.append(time.time() - received(frame[start:frame.index(b'"', start)]))
                self.events += 1


@functools.lru_cache(maxsize=1024)
def received(stamp: bytes) -> float:
    """An event's `received_at` as a timestamp, parsed once for all the clients that got it."""
    return datetime.fromisoformat(stamp.decode()).timestamp()


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


@dataclass(frozen=True)
class FanoutResult:
    events: int
    clients: int
    delivered: int
    latencies: list[float]
    elapsed: float
    worker_cpu: float
    bench_cpu: float
    rss_mb: float

    def report(self) -> str:
        return (f"events={self.events} clients={self.clients} delivered={self.delivered}/{self.events * self.clients} "
                f"p50_ms={percentile(self.latencies, 0.5):.1f} max_ms={max(self.latencies) * 1000:.1f}\n"
                f"worker_cpu_s={self.worker_cpu:.2f} "
                f"worker_cpu_us_per_delivery={self.worker_cpu / self.delivered * 1e6:.1f} "
                f"bench_cpu_s={self.bench_cpu:.2f} elapsed_s={self.elapsed:.1f}")


def run(clients: int, rate: float, seconds: float, processes: int = 1,
        redis_url: str = "redis://127.0.0.1:6379/0") -> FanoutResult:
    """Start `processes` gunicorn masters (one gevent worker each; over Redis when more than one),
    spread the clients over them, POST the webhooks to the first one, and measure every frame."""
    workdir = tempfile.mkdtemp(prefix="fanout-")
    ports = [free_port() for _ in range(processes)]
    env = os.environ | {"DATABASE_URL": f"sqlite:///{workdir}/gateway.sqlite3", "SECRET_KEY": "bench",
                        "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING",
                        # every client opens its stream with the one token: lift the per-token limits
                        "API_LIMIT_TOKEN": "1000000 per minute", "API_LIMIT_TENANT": "1000000 per minute"}
    if processes > 1:
        env |= {"REDIS_URL": redis_url, "REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:"}
    seeded = seed(env)
    # Every stream client holds a worker connection: keep some free for the webhooks that publish.
    per_process = -(-clients // processes) + PUBLISHER_CONNECTIONS
    gateways = []
    try:
        for port in ports:
            gateways.append(gunicorn(env | {"PUBLIC_URL": f"http://127.0.0.1:{port}"}, port, connections=per_process))
        latencies: list[float] = []
        opening = gevent.lock.Semaphore(OPENING_AT_ONCE)
        streams = [StreamClient(ports[number % processes], seeded.token, latencies, opening)
                   for number in range(clients)]
        pool = [gevent.spawn(client.run) for client in streams]
        for client in streams:
            if not client.ready.wait(30):
                raise SystemExit("a client did not get its subscription confirmed")
        workers = [worker_pid(gateway.pid) for gateway in gateways]
        print(f"{clients} clients subscribed; rss_mb={sum(map(worker_rss_mb, workers)):.0f}", flush=True)
        gevent.sleep(0.5)  # the other processes' bus listeners subscribe on their first client

        session = requests.Session()
        url = f"http://127.0.0.1:{ports[0]}/api/webhooks/evolution/{seeded.webhook_secret}"
        cpu_before = sum(map(cpu_seconds, workers)), cpu_seconds(os.getpid())
        count, started = int(rate * seconds), time.monotonic()
        for number in range(count):
            gevent.sleep(max(0.0, started + number / rate - time.monotonic()))
            session.post(url, json=envelope(number), timeout=10).raise_for_status()
        wait_for(lambda: len(latencies) >= count * clients, timeout=60, what="every frame")
        elapsed = time.monotonic() - started
        worker_cpu = sum(map(cpu_seconds, workers)) - cpu_before[0]
        bench_cpu = cpu_seconds(os.getpid()) - cpu_before[1]
        rss = sum(map(worker_rss_mb, workers))
        gevent.killall(pool, timeout=1)
    finally:
        for gateway in gateways:
            gateway.terminate()
            gateway.wait(10)
    return FanoutResult(count, clients, sum(client.events for client in streams), latencies, elapsed,
                        worker_cpu, bench_cpu, rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", type=int, default=1, help="gunicorn masters sharing Redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    result = run(args.clients, args.rate, args.seconds, args.processes, args.redis_url)
    print(result.report())
    print(f"fanout_deliveries_per_s={result.delivered / result.elapsed:.0f} "
          f"fanout_p99_ms={percentile(result.latencies, 0.99):.1f} rss_mb={result.rss_mb:.0f}")


if __name__ == "__main__":
    main()
