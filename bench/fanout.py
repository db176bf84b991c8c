"""Fan-out benchmark: N `/api/stream` clients on one gunicorn gevent worker, all subscribed to one
instance that receives R events/s through the webhook receiver.

    .venv/bin/python bench/fanout.py [--clients 1000] [--rate 12] [--seconds 10] [--processes 1]

With `--processes 2` the clients are spread over two gunicorn masters sharing Redis
(`--redis-url`), and the webhooks all go to the first: half the clients get every event over Redis.

The clients live in a process of their own (bench/stream_clients.py: raw sockets and one epoll
loop, no gevent), so they cost the machine as little as Python can and never share an event loop
with the webhook sender. An event's latency runs from the moment this process is about to POST its
webhook to the moment a client has read its frame, so it covers the request, the store, the publish,
the fan-out and the client reading it; throughput is every frame read divided by the time from the
first POST to the last frame read. The gateway marking a client as behind (`skipped`) counts as a
frame not delivered. The last line is `fanout_deliveries_per_s=<n> fanout_p99_ms=<n> rss_mb=<n>`;
the line before it gives the CPU per delivery of the worker and of the clients, which does not
depend on what else the machine runs.
"""
from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import INSTANCE, gunicorn, percentile, seed  # noqa: E402
from gateway.simulator.testing import free_port  # noqa: E402

PUBLISHER_CONNECTIONS = 16  # worker connections kept free beside the clients, for the webhooks
SUBSCRIBE_TIMEOUT = 120
DELIVERY_TIMEOUT = 60


def worker_pid(master: int) -> int:
    return int(Path(f"/proc/{master}/task/{master}/children").read_text().split()[0])


def worker_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU time of a process: on a shared machine, the cost that does not depend on load
    (system time is the kernel's: for a fan-out, mostly the loopback TCP path of each send)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks


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
    skipped: int
    latencies: list[float]
    elapsed: float
    worker_cpu: float
    worker_sys: float  # the part of worker_cpu spent in the kernel
    clients_cpu: float
    rss_mb: float

    def report(self) -> str:
        return (f"events={self.events} clients={self.clients} delivered={self.delivered}/{self.events * self.clients} "
                f"skipped={self.skipped} p50_ms={percentile(self.latencies, 0.5):.1f} "
                f"max_ms={max(self.latencies) * 1000:.1f}\n"
                f"worker_cpu_s={self.worker_cpu:.2f} "
                f"worker_cpu_us_per_delivery={self.worker_cpu / self.delivered * 1e6:.1f} "
                f"worker_sys_pct={self.worker_sys / self.worker_cpu * 100:.0f} "
                f"clients_cpu_s={self.clients_cpu:.2f} "
                f"clients_cpu_us_per_delivery={self.clients_cpu / self.delivered * 1e6:.1f} "
                f"elapsed_s={self.elapsed:.2f}")


def start_clients(clients: int, events: int, token: str, ports: list[int]) -> subprocess.Popen:
    """The load generator's process, returned once every client is subscribed."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "stream_clients.py"), str(clients), str(events), token, INSTANCE,
         *map(str, ports)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    timer = threading.Timer(SUBSCRIBE_TIMEOUT, process.kill)
    timer.start()
    ready = process.stdout.readline()
    timer.cancel()
    if not ready.startswith(b"ready"):
        raise SystemExit("the stream clients could not all subscribe (see above, and the gateway logs)")
    return process


def receipts(process: subprocess.Popen, timeout: float) -> dict:
    """What the clients read: they stop once every frame arrived, or when told to after `timeout`."""
    timer = threading.Timer(timeout, process.stdin.close)
    timer.start()
    data = process.stdout.read()
    timer.cancel()
    if process.wait() != 0 or not data:
        raise SystemExit("the stream clients failed (see above)")
    return pickle.loads(data)


def post_events(url: str, count: int, rate: float) -> list[float]:
    """POST `count` webhooks at `rate` per second; the moment each was about to be sent."""
    session, posted = requests.Session(), []
    started = time.time()
    for number in range(count):
        time.sleep(max(0.0, started + number / rate - time.time()))
        posted.append(time.time())
        session.post(url, json=envelope(number), timeout=10).raise_for_status()
    return posted


def run(clients: int, rate: float, seconds: float, processes: int = 1,
        redis_url: str = "redis://127.0.0.1:6379/0") -> FanoutResult:
    """Start `processes` gunicorn masters (one gevent worker each; over Redis when more than one),
    spread the clients over them, POST the webhooks to the first one, and measure every frame."""
    workdir = tempfile.mkdtemp(prefix="fanout-")
    print(f"gateway logs in {workdir}", flush=True)
    ports = [free_port() for _ in range(processes)]
    env = os.environ | {"DATABASE_URL": f"sqlite:///{workdir}/gateway.sqlite3", "SECRET_KEY": "bench",
                        "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING",
                        # every client opens its stream with the one token: lift the per-token limits
                        "API_LIMIT_TOKEN": "1000000 per minute", "API_LIMIT_TENANT": "1000000 per minute"}
    if processes > 1:
        env |= {"REDIS_URL": redis_url, "REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:"}
    seeded = seed(env)
    count = int(rate * seconds)
    # Every stream client holds a worker connection: size them from the configuration, as a deployment
    # does, with some kept free for the webhooks that publish.
    env["WORKER_CONNECTIONS"] = str(-(-clients // processes) + PUBLISHER_CONNECTIONS)
    gateways, load = [], None
    try:
        for port in ports:
            gateways.append(gunicorn(env | {"PUBLIC_URL": f"http://127.0.0.1:{port}"}, port, connections=None,
                                     log=Path(workdir) / f"gateway-{port}.log"))
        opening = time.monotonic()
        load = start_clients(clients, count, seeded.token, ports)
        workers = [worker_pid(gateway.pid) for gateway in gateways]
        print(f"{clients} clients subscribed in {time.monotonic() - opening:.0f} s; "
              f"rss_mb={sum(map(worker_rss_mb, workers)):.0f}", flush=True)
        time.sleep(0.5)  # the other processes' bus listeners subscribe on their first client

        url = f"http://127.0.0.1:{ports[0]}/api/webhooks/evolution/{seeded.webhook_secret}"
        user_before, sys_before = map(sum, zip(*map(cpu_seconds, workers)))
        posted = post_events(url, count, rate)
        got = receipts(load, DELIVERY_TIMEOUT)
        user_after, sys_after = map(sum, zip(*map(cpu_seconds, workers)))
        rss = sum(map(worker_rss_mb, workers))
    finally:
        if load is not None and load.poll() is None:
            load.kill()
        for gateway in gateways:
            gateway.terminate()
            gateway.wait(10)
    if not got["times"]:
        raise SystemExit("no frame reached any client")
    latencies = [moment - posted[number] for number, moments in got["times"].items() for moment in moments]
    last = max(max(moments) for moments in got["times"].values())
    return FanoutResult(count, clients, len(latencies), got["skipped"], latencies, last - posted[0],
                        user_after + sys_after - user_before - sys_before, sys_after - sys_before, got["cpu_s"], rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=12.0,
                        help="events per second; above the 10 of the target, so that deliveries/s can show more "
                             "than the load offered at 10 (4,000 clients at 10 ev/s offer exactly 40,000/s)")
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
