"""Scale-out benchmark on this machine, in two halves.

    .venv/bin/python bench/scaleout.py [--events 24000] [--concurrency 64] [--rounds 4] [--clients 1000] [--seconds 10]

- Ingest: webhook events/s on PostgreSQL with 1, 2 and 4 gunicorn workers (Redis configured, as a
  cluster runs), beside 1 worker on SQLite. Each configuration gets a fresh database and its own
  gunicorn, started together and warmed up; then `--rounds` rounds each send every configuration a
  share of `--events` real-shaped envelopes (bench/ingest.py), one configuration at a time, over
  `--concurrency` keep-alive connections from `wrk` (bench/wrk.py: Debian's wrk, the cheapest sender
  at hand); every one is acknowledged only after its commit, and each database holds every envelope
  once at the end. Alternating rounds let a neighbour's load on the shared machine weigh on every
  configuration alike.
- Everything shares the two cores: the workers, PostgreSQL, Redis and the sender. So each
  configuration also prints the CPU each of them spent per event (from /proc, which the machine's
  load hardly moves), and `cpu_bound_ratio_2w`: the 2-worker/1-worker ratio those costs allow on two
  cores, one worker being limited to one core (1e6/worker µs) and every configuration to two
  (2e6/all µs). The measured ratio cannot pass it.
- Fan-out: `--clients` `/api/stream` clients split over two gunicorn processes that share Redis,
  the events POSTed to one of them (`bench/fanout.py --processes 2`); latency from the webhook's
  POST to the client having read the frame, the clients in a process of their own.

Last line: `scaleout_ingest_1w=<n> scaleout_ingest_2w=<n> scaleout_ratio_2w=<2w/1w> fanout_2proc_p99_ms=<n>`.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import psycopg  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402
from bench.common import gunicorn, percentile, process_cpu_seconds, seed, worker_cpu_seconds  # noqa: E402
from bench.fanout import run  # noqa: E402
from bench.ingest import bodies  # noqa: E402
from gateway.simulator.testing import free_port  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SERVICES = {"postgresql": "postgres", "redis": "redis-server"}  # /proc process names


@dataclass
class Configuration:
    """One database and worker count under test, with its gunicorn and what it measured."""

    label: str
    workers: int
    env: dict
    drop: str | None = None  # the PostgreSQL database to drop afterwards
    url: str = ""
    master: subprocess.Popen | None = None
    events: int = 0
    seconds: float = 0.0
    p99_ms: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("workers", "sender", *SERVICES), 0.0))

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/api/webhooks/evolution/{seed(self.env).webhook_secret}"
        self.master = gunicorn(self.env, port, connections=1000, workers=self.workers)

    def send(self, payloads: list[bytes], concurrency: int) -> None:
        before = self._service_cpu()
        sent = wrk.post_once(self.url, payloads, concurrency)
        after = self._service_cpu()
        for name in after:
            self.cpu[name] += after[name] - before[name]
        self.cpu["sender"] += sent.cpu_seconds
        self.events += sent.answered
        self.seconds += sent.seconds
        self.p99_ms.append(sent.p99_ms)

    def _service_cpu(self) -> dict[str, float]:
        return {"workers": worker_cpu_seconds(self.master)} | {
            label: process_cpu_seconds(name) for label, name in SERVICES.items()}

    def stored(self) -> int:
        engine = create_engine(self.env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
        try:
            with engine.connect() as connection:
                return connection.execute(text("SELECT count(*) FROM event")).scalar_one()
        finally:
            engine.dispose()

    def stop(self) -> None:
        if self.master is not None:
            self.master.terminate()
            self.master.wait(10)
        if self.drop:
            with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.drop}" WITH (FORCE)')

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    def per_event_us(self, name: str) -> float:
        return self.cpu[name] / self.events * 1e6

    def report(self) -> str:
        costs = " ".join(f"{name}={self.per_event_us(name):.0f}" for name in self.cpu)
        return (f"{self.label:10} {self.workers} worker(s): {self.rate:6.0f} ev/s  worst_round_p99_ms={max(self.p99_ms):.1f} "
                f"cpu_us_per_event: {costs}")


def cpu_bound_ratio(one: Configuration, two: Configuration) -> float:
    """The 2-worker/1-worker ratio the measured CPU costs allow on two cores (see the module's docstring)."""
    def bound(configuration: Configuration, cores_per_worker_limit: float) -> float:
        everything = sum(configuration.per_event_us(name) for name in configuration.cpu)
        return min(cores_per_worker_limit * 1e6 / configuration.per_event_us("workers"), 2e6 / everything)
    return bound(two, 2) / bound(one, 1)


def configurations(base: dict) -> list[Configuration]:
    """PostgreSQL (a new database each) with Redis for 1, 2 and 4 workers; SQLite alone for 1."""
    made = []
    for workers in (1, 2, 4):
        name = f"gateway_bench_scale_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        made.append(Configuration("postgresql", workers, base | {
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}", "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": f"bench-{name}:"}, drop=name))
    sqlite = base | {"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp(prefix='scaleout-bench-')}/gateway.sqlite3"}
    sqlite.pop("REDIS_URL", None)
    made.append(Configuration("sqlite", 1, sqlite))
    return made


def ingest(base: dict, events: int, concurrency: int, rounds: int) -> list[Configuration]:
    """Every configuration measured in alternating rounds; each has its own database, so the same
    envelopes serve them all, and no envelope is sent twice to one."""
    payloads = bodies(events + events // 5)
    warm, counted = payloads[events:], payloads[:events]
    measured = configurations(base)
    try:
        for configuration in measured:
            configuration.start()
            wrk.post_once(configuration.url, warm, concurrency)
        for number in range(rounds):
            for configuration in measured:
                configuration.send(counted[number::rounds], concurrency)
        for configuration in measured:
            if (stored := configuration.stored()) != len(payloads):
                raise SystemExit(f"{configuration.label} with {configuration.workers} worker(s) stored {stored} "
                                 f"of {len(payloads)} acknowledged events")
    finally:
        for configuration in measured:
            configuration.stop()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=24000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="fan-out events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    base = os.environ | {"SECRET_KEY": "bench", "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING",
                         "GATEWAY_ENV": "development", "API_LIMIT_TOKEN": "1000000 per minute"}
    redis.Redis.from_url(REDIS_URL).ping()
    if not wrk.available():
        raise SystemExit("bench/scaleout.py sends with Debian's wrk: apt-get install wrk")
    measured = ingest(base, args.events, args.concurrency, args.rounds)
    for configuration in measured:
        print(configuration.report(), flush=True)
    pg1, pg2, pg4, sqlite = measured
    print(f"cpu_bound_ratio_2w={cpu_bound_ratio(pg1, pg2):.2f} (what the CPU per event above allows on 2 cores)")
    print(f"scaleout_ingest_4w={pg4.rate:.0f} scaleout_ratio_4w={pg4.rate / pg1.rate:.2f} "
          f"scaleout_ingest_sqlite_1w={sqlite.rate:.0f}")
    fanout = run(args.clients, args.rate, args.seconds, processes=2, redis_url=REDIS_URL)
    print(fanout.report())
    print(f"scaleout_ingest_1w={pg1.rate:.0f} scaleout_ingest_2w={pg2.rate:.0f} "
          f"scaleout_ratio_2w={pg2.rate / pg1.rate:.2f} "
          f"fanout_2proc_p99_ms={percentile(fanout.latencies, 0.99):.1f}")


if __name__ == "__main__":
    main()
