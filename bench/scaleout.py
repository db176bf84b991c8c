"""Scale-out benchmark, fan-out half: 1,000 `/api/stream` clients split over two gunicorn processes
that share Redis, the events POSTed to one of them (`bench/fanout.py --processes 2`).

    .venv/bin/python bench/scaleout.py [--clients 1000] [--seconds 10]

Last line: `fanout_2proc_p99_ms=<n>` (latency from the gateway's `received_at` to the client).
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile  # noqa: E402
from bench.fanout import run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    result = run(args.clients, args.rate, args.seconds, processes=2, redis_url=args.redis_url)
    print(result.report())
    print(f"fanout_2proc_p99_ms={percentile(result.latencies, 0.99):.1f}")


if __name__ == "__main__":
    main()
