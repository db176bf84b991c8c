"""Scale-out benchmark on this machine, in two halves.

    .venv/bin/python bench/scaleout.py [--events 4000] [--concurrency 64] [--rounds 4] [--clients 1000] [--seconds 10]

- Ingest: webhook events/s on PostgreSQL with 1, 2 and 4 gunicorn workers (Redis configured, as a
  cluster runs), beside 1 worker on SQLite. Each configuration gets a fresh database and its own
  gunicorn, started together and warmed up; then `--rounds` rounds each send every configuration a
  share of `--events` real-shaped envelopes (bench/ingest.py), one configuration at a time, over
  `--concurrency` keep-alive connections (bench/posting.py); every one is acknowledged only after
  its commit. Alternating rounds let a neighbour's load on the shared machine weigh on every
  configuration alike. The sender runs in this process and shares the two cores with the workers;
  the workers' CPU time per event is printed too, a figure the machine's load hardly moves.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import gunicorn, percentile, seed, worker_cpu_seconds  # noqa: E402
from bench.fanout import run  # noqa: E402
from bench.ingest import bodies  # noqa: E402
from bench.posting import post_all  # noqa: E402
from gateway.simulator.testing import free_port  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass
class Configuration:
    """One database and worker count under test, with its gunicorn and what it measured."""

    label: str
    workers: int
    env: dict
    drop: str | None = None  # the PostgreSQL database to drop afterwards
    path: str = ""
    port: int = 0
    master: subprocess.Popen | None = None
    seconds: float = 0.0
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def start(self) -> None:
        self.path = f"/api/webhooks/evolution/{seed(self.env).webhook_secret}"
        self.port = free_port()
        self.master = gunicorn(self.env, self.port, connections=1000, workers=self.workers)

    def send(self, payloads: list[bytes], concurrency: int) -> None:
        cpu = worker_cpu_seconds(self.master)
        rate, latencies = post_all(self.port, self.path, payloads, concurrency)
        self.cpu += worker_cpu_seconds(self.master) - cpu
        self.seconds += len(payloads) / rate
        self.latencies += latencies

    def stop(self) -> None:
        if self.master is not None:
            self.master.terminate()
            self.master.wait(10)
        if self.drop:
            with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.drop}" WITH (FORCE)')

    def report(self) -> str:
        events = len(self.latencies)
        return (f"{self.label:10} {self.workers} worker(s): {self.rate:6.0f} ev/s  p50_ms={percentile(self.latencies, .5):.1f} "
                f"p99_ms={percentile(self.latencies, .99):.1f} worker_cpu_us_per_event={self.cpu / events * 1e6:.0f}")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


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
            configuration.send(warm, concurrency)
            configuration.seconds, configuration.cpu, configuration.latencies = 0.0, 0.0, []
        for number in range(rounds):
            for configuration in measured:
                configuration.send(counted[number::rounds], concurrency)
    finally:
        for configuration in measured:
            configuration.stop()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="fan-out events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    base = os.environ | {"SECRET_KEY": "bench", "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING",
                         "GATEWAY_ENV": "development", "API_LIMIT_TOKEN": "1000000 per minute"}
    redis.Redis.from_url(REDIS_URL).ping()
    measured = ingest(base, args.events, args.concurrency, args.rounds)
    for configuration in measured:
        print(configuration.report(), flush=True)
    pg1, pg2, pg4, sqlite = measured
    print(f"scaleout_ingest_4w={pg4.rate:.0f} scaleout_ratio_4w={pg4.rate / pg1.rate:.2f} "
          f"scaleout_ingest_sqlite_1w={sqlite.rate:.0f}")
    fanout = run(args.clients, args.rate, args.seconds, processes=2, redis_url=REDIS_URL)
    print(fanout.report())
    print(f"scaleout_ingest_1w={pg1.rate:.0f} scaleout_ingest_2w={pg2.rate:.0f} "
          f"scaleout_ratio_2w={pg2.rate / pg1.rate:.2f} "
          f"fanout_2proc_p99_ms={percentile(fanout.latencies, 0.99):.1f}")


if __name__ == "__main__":
    main()
