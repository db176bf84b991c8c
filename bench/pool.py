"""Pool benchmark: a burst of concurrent webhooks on a cold gunicorn gevent worker on PostgreSQL.

    .venv/bin/python bench/pool.py [--webhooks 64] [--rounds 3] [--pool-size 10] [--max-overflow 10]

Each round starts a fresh worker (the receiver's instance cache is empty, as after a start or a
change) and sends `--webhooks` messages.upsert at once, one connection each. Before the fix every
such request held a pooled connection while it waited for the event writer, which then found the
pool empty: no answer for 30 s, then 500s. Prints, per round, how many answered 200 and the p99.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import psycopg  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import INSTANCE, gunicorn, percentile, seed  # noqa: E402
from gateway.simulator.testing import free_port  # noqa: E402

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def burst(port: int, secret: str, count: int, round_number: int) -> tuple[list[int], list[float]]:
    """`count` webhooks sent at once; (statuses, latencies in s). A request that fails counts as 0."""
    statuses, latencies = [], []

    def send(number: int) -> None:
        body = {"event": "messages.upsert", "instance": INSTANCE,
                "data": {"key": {"id": f"3EB0POOL{round_number:03d}{number:05d}"}}}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        began = time.perf_counter()
        try:
            connection.request("POST", f"/api/webhooks/evolution/{secret}", body=json.dumps(body),
                               headers={"Content-Type": "application/json"})
            answer = connection.getresponse()
            answer.read()
            statuses.append(answer.status)
        except OSError:
            statuses.append(0)
        latencies.append(time.perf_counter() - began)
        connection.close()

    gevent.joinall([gevent.spawn(send, number) for number in range(count)])
    return statuses, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhooks", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pool-size", default=os.environ.get("DB_POOL_SIZE", "10"))
    parser.add_argument("--max-overflow", default=os.environ.get("DB_MAX_OVERFLOW", "10"))
    args = parser.parse_args()

    database = f"gateway_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    env = os.environ | {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{database}", "SECRET_KEY": "bench",
                        "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING", "GATEWAY_ENV": "development",
                        "DB_POOL_SIZE": str(args.pool_size), "DB_MAX_OVERFLOW": str(args.max_overflow)}
    try:
        secret = seed(env).webhook_secret
        for round_number in range(args.rounds):
            port = free_port()
            worker = gunicorn(env, port, connections=1000)  # a fresh worker: the instance cache is cold
            try:
                statuses, latencies = burst(port, secret, args.webhooks, round_number)
            finally:
                worker.terminate()
                worker.wait(10)
            print(f"round={round_number + 1} webhooks={args.webhooks} all_200={statuses.count(200)}/{len(statuses)} "
                  f"p50_ms={percentile(latencies, .5):.1f} p99_ms={percentile(latencies, .99):.1f} "
                  f"pool={args.pool_size}+{args.max_overflow}")
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
