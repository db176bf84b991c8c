"""Scale-out benchmark on this machine, in two halves.

    .venv/bin/python bench/scaleout.py [--events 4000] [--concurrency 64] [--clients 1000] [--seconds 10]

- Ingest: webhook events/s on PostgreSQL with 1, 2 and 4 gunicorn workers (Redis configured, as a
  cluster runs), beside 1 worker on SQLite. Each configuration gets a fresh database, a warm-up,
  then `--events` real-shaped envelopes (bench/ingest.py) POSTed over `--concurrency` keep-alive
  connections; every one is acknowledged only after its commit. The driver runs in this process
  and shares the machine's cores with the workers.
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
import sys  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import psycopg  # noqa: E402
import redis  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import gunicorn, percentile, seed  # noqa: E402
from bench.fanout import run  # noqa: E402
from bench.ingest import bodies, drive  # noqa: E402
from gateway.simulator.testing import free_port  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def postgres_database() -> tuple[str, str]:
    name = f"gateway_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def events_per_second(env: dict, workers: int, events: int, concurrency: int) -> float:
    """Seed the database in `env`, start `workers` workers, warm up, and measure ingest."""
    secret = seed(env).webhook_secret
    payloads = bodies(events + events // 5)
    warm, counted = payloads[events:], payloads[:events]
    port = free_port()
    process = gunicorn(env, port, connections=1000, workers=workers)
    try:
        path = f"/api/webhooks/evolution/{secret}"
        drive(port, path, warm, concurrency)
        rate, _ = drive(port, path, counted, concurrency)
        return rate
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="fan-out events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    base = os.environ | {"SECRET_KEY": "bench", "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING",
                         "GATEWAY_ENV": "development", "API_LIMIT_TOKEN": "1000000 per minute"}
    redis.Redis.from_url(REDIS_URL).ping()
    rates = {}
    for workers in (1, 2, 4):
        name, url = postgres_database()
        env = base | {"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "REDIS_PREFIX": f"bench-{name}:"}
        try:
            rates[workers] = events_per_second(env, workers, args.events, args.concurrency)
        finally:
            drop_database(name)
        print(f"postgresql {workers} worker(s): {rates[workers]:8.0f} ev/s", flush=True)
    workdir = tempfile.mkdtemp(prefix="scaleout-bench-")
    env = base | {"DATABASE_URL": f"sqlite:///{workdir}/gateway.sqlite3"}
    env.pop("REDIS_URL", None)
    sqlite = events_per_second(env, 1, args.events, args.concurrency)
    print(f"sqlite     1 worker:    {sqlite:8.0f} ev/s", flush=True)
    print(f"scaleout_ingest_4w={rates[4]:.0f} scaleout_ratio_4w={rates[4] / rates[1]:.2f} "
          f"scaleout_ingest_sqlite_1w={sqlite:.0f}")
    fanout = run(args.clients, args.rate, args.seconds, processes=2, redis_url=REDIS_URL)
    print(fanout.report())
    print(f"scaleout_ingest_1w={rates[1]:.0f} scaleout_ingest_2w={rates[2]:.0f} "
          f"scaleout_ratio_2w={rates[2] / rates[1]:.2f} "
          f"fanout_2proc_p99_ms={percentile(fanout.latencies, 0.99):.1f}")


if __name__ == "__main__":
    main()
