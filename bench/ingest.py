"""Ingest benchmark: real-shaped Evolution webhooks POSTed to one gunicorn gevent worker over loopback,
next to a bare Flask route and a raw WSGI app under the same server, and the socket emit -> bus latency;
on each database given.

    .venv/bin/python bench/ingest.py [--events 4000] [--concurrency 32] [--e2e 1000]
                                     [--database-url sqlite] [--database-url postgresql://postgres@127.0.0.1/postgres]

- `--database-url` (repeatable; both above by default): `sqlite` for a new file, or a PostgreSQL server
  on which a scratch database is created for the run and dropped afterwards.
- Ingest: `--events` envelopes built from tests/fixtures/contract (instance renamed, each made a new
  event) go to `/api/webhooks/evolution/<secret>` from `--concurrency` keep-alive connections; the
  gateway acknowledges each only after its group commit. The same bodies go to bench/bare.py's Flask
  route and raw WSGI app under identical gunicorns, in alternating rounds with the receiver.
- End to end: an instance in websocket mode on the Evolution simulator, with the gateway's real
  socket client, pipeline and bus running in this process; each message is emitted through the
  simulator's control API one at a time, after WARM_UP uncounted ones. The latency runs from the
  simulator building the message (`emitted_at`, the machine's monotonic clock, which both processes
  read) to the moment a bus subscriber holds the stored event. The same figure from just before the control call, which adds
  the test harness's own HTTP round trip, is printed beside it.

Per database, the last line is
`<database> ingest_ratio=<events/s / bare Flask requests/s> events_per_s=<n> p99_ms=<n> e2e_p99_ms=<n>`.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import copy  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
import requests  # noqa: E402
from gevent.queue import Queue  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import INSTANCE, gunicorn, percentile, scratch_database, seed  # noqa: E402
from bench.common import worker_cpu_seconds  # noqa: E402
from gateway.simulator.testing import free_port, start_simulator, wait_for  # noqa: E402

CONTRACT = ROOT / "tests" / "fixtures" / "contract"
DEFAULT_DATABASES = ["sqlite", "postgresql://postgres@127.0.0.1:5432/postgres"]
# End-to-end messages sent first and not counted: the first ones also pay for the statement's preparation
# and the connections' first use, which a running gateway paid long ago.
WARM_UP = 50


def captured_envelopes() -> list[dict]:
    """Every event envelope in the captures (webhook bodies and socket payloads)."""
    found = []
    for line in (CONTRACT / "evolution-webhooks.jsonl").read_text().splitlines():
        found.append(json.loads(line)["body"])
    for name in ("evolution-socket-instance.jsonl", "evolution-socket-global.jsonl"):
        for line in (CONTRACT / name).read_text().splitlines():
            record = json.loads(line)
            if record["kind"] == "event":
                found.append(record["data"])
    return found


def bodies(count: int) -> list[bytes]:
    """`count` webhook bodies cycling through the captures, each a distinct event for INSTANCE.

    A fresh millisecond `date_time` makes every copy a new event to the de-duplication key, as a
    live server's stream would be; one in four is a messages.upsert with a new key id.
    """
    captured, made = captured_envelopes(), []
    message = {"key": {"remoteJid": "5511988887777@s.whatsapp.net", "fromMe": False, "id": ""},
               "pushName": "Bob", "message": {"conversation": "hello"}, "messageType": "conversation",
               "messageTimestamp": 1763871756, "instanceId": "bench", "source": "android"}
    for number in range(count):
        if number % 4 == 0:
            envelope = {**captured[0], "event": "messages.upsert", "data": copy.deepcopy(message)}
            envelope["data"]["key"]["id"] = f"3EB0BENCH{number:010d}"
        else:
            envelope = copy.deepcopy(captured[number % len(captured)])
        envelope["instance"] = INSTANCE
        envelope["date_time"] = f"2026-11-23T{number // 3_600_000 % 24:02d}:{number // 60_000 % 60:02d}:" \
                                f"{number // 1000 % 60:02d}.{number % 1000:03d}Z"
        made.append(json.dumps(envelope, separators=(",", ":")).encode())
    return made


def drive(port: int, path: str, payloads: list[bytes], concurrency: int) -> tuple[float, list[float]]:
    """POST every payload over `concurrency` keep-alive connections; (requests/s, latencies in s)."""
    work: Queue = Queue()
    for payload in payloads:
        work.put(payload)
    latencies: list[float] = []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not work.empty():
            payload = work.get()
            began = time.perf_counter()
            connection.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            latencies.append(time.perf_counter() - began)
        connection.close()

    started = time.perf_counter()
    gevent.joinall([gevent.spawn(client) for _ in range(concurrency)], raise_error=True)
    return len(payloads) / (time.perf_counter() - started), latencies


def measure(env: dict, secret: str, payloads: list[bytes], warm: list[bytes], concurrency: int,
            rounds: int = 4) -> dict[str, tuple[float, list[float], float]]:
    """Requests/s, latencies and worker CPU seconds per request of the raw app, the bare route and the
    receiver, measured in alternating rounds so that a neighbour's load on the machine weighs on all alike."""
    routes = {"raw": ("bench.bare:raw", "/raw"), "bare": ("bench.bare:app", "/bare"),
              "ingest": ("wsgi:app", f"/api/webhooks/evolution/{secret}")}
    ports = {name: free_port() for name in routes}
    processes = {name: gunicorn(env, ports[name], target, connections=1000) for name, (target, _) in routes.items()}
    try:
        for name, (_, path) in routes.items():
            drive(ports[name], path, warm, concurrency)  # warm-up, not counted
        seconds, cpu = dict.fromkeys(routes, 0.0), dict.fromkeys(routes, 0.0)
        latencies = {name: [] for name in routes}
        for number in range(rounds):
            chunk = payloads[number::rounds]
            for name, (_, path) in routes.items():
                cpu_before = worker_cpu_seconds(processes[name])
                rate, measured = drive(ports[name], path, chunk, concurrency)
                cpu[name] += worker_cpu_seconds(processes[name]) - cpu_before
                seconds[name] += len(chunk) / rate
                latencies[name] += measured
        return {name: (len(payloads) / seconds[name], latencies[name], cpu[name] / len(payloads)) for name in routes}
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(10)


def end_to_end(database_url: str, count: int) -> tuple[list[float], list[float]]:
    """Emit -> bus latencies (s) for `count` messages over the gateway's real socket client, from the
    simulator's emit and from just before the control call that asks for it."""
    simulator = start_simulator()
    os.environ.update(DATABASE_URL=database_url, BACKGROUND_JOBS="false", LOG_LEVEL="WARNING")
    from gateway import create_app
    from gateway.connections.manager import WebhookChoice
    from gateway.extensions import db
    from gateway.instances import create_instance
    from gateway.models import DeliveryMode, ProviderServer, Tenant
    from gateway.realtime.bus import instance_topic

    app = create_app({"SOCKET_BACKOFF_BASE": 0.05, "SOCKET_BACKOFF_CAP": 0.5})
    services = app.extensions["gateway"]
    try:
        with app.app_context():
            db.create_all()
            server = ProviderServer(name="sim", kind="evolution", base_url=simulator.base_url,
                                    api_key=simulator.api_key)
            tenant = Tenant(name="Bench")
            db.session.add_all([server, tenant])
            db.session.commit()
            instance = create_instance(services.manager, tenant.id, server, INSTANCE, DeliveryMode.WEBSOCKET,
                                       WebhookChoice(), None)
            subscription = services.bus.subscribe([instance_topic(instance.id)])
        simulator.control("POST", f"instances/{INSTANCE}/messages", {})  # creates the namespace
        wait_for(lambda: services.supervisor.status_of(1)["state"] == "connected", timeout=10, what="the socket")
        subscription.drain(timeout=2)
        arrived: dict[str, gevent.event.AsyncResult] = {}

        def collect():  # stamps each message as the subscriber gets it, even before the control call returns
            while True:
                items, _ = subscription.drain(timeout=5)
                for item in items:
                    if item.name == "messages.upsert":
                        key = item.payload["data"]["key"]["id"]
                        arrived.setdefault(key, gevent.event.AsyncResult()).set(time.monotonic())

        collector = gevent.spawn(collect)
        latencies, with_control = [], []
        control = requests.Session()  # keep-alive, as a provider's own emit costs no connection
        for number in range(WARM_UP + count):
            began = time.monotonic()
            answer = control.post(f"{simulator.base_url}/_sim/instances/{INSTANCE}/messages", json={}, timeout=10)
            [key], emitted_at = answer.json()["ids"], answer.json()["emitted_at"]
            at = arrived.setdefault(key, gevent.event.AsyncResult()).get(timeout=5)
            if number >= WARM_UP:
                latencies.append(at - emitted_at)
                with_control.append(at - began)
        collector.kill()
        return latencies, with_control
    finally:
        services.supervisor.stop_all()
        simulator.control("POST", "sockets/drop")
        services.shutdown()
        with app.app_context():
            db.engine.dispose()
        simulator.stop()


def bench_database(url: str, args: argparse.Namespace) -> str:
    """Measure on one database; the summary line for it."""
    with scratch_database(url, "ingest") as ingest_url, scratch_database(url, "e2e") as e2e_url:
        kind = ingest_url.split(":", 1)[0]
        env = os.environ | {"DATABASE_URL": ingest_url, "SECRET_KEY": "bench", "BACKGROUND_JOBS": "false",
                            "LOG_LEVEL": "WARNING", "GATEWAY_ENV": "development"}
        secret = seed(env).webhook_secret
        payloads = bodies(args.events + args.events // 10)
        warm, counted = payloads[args.events:], payloads[: args.events]
        measured = measure(env, secret, counted, warm, args.concurrency)
        (raw_rate, _, _), (bare_rate, _, bare_cpu), (rate, ingest, cpu) = \
            measured["raw"], measured["bare"], measured["ingest"]
        e2e, e2e_with_control = end_to_end(e2e_url, args.e2e)
    for label, (per_s, latencies, cpu_each) in (("raw WSGI", measured["raw"]), ("bare Flask", measured["bare"]),
                                                ("ingest", measured["ingest"])):
        print(f"[{kind}] {label:10} {per_s:7.0f}/s  p50_ms={percentile(latencies, .5):.1f} "
              f"p99_ms={percentile(latencies, .99):.1f} cpu_us_per_request={cpu_each * 1e6:.0f}")
    print(f"[{kind}] e2e (simulator emit -> bus, {len(e2e)} messages): p50_ms={percentile(e2e, .5):.1f} "
          f"p99_ms={percentile(e2e, .99):.1f}; from before the control call: "
          f"p50_ms={percentile(e2e_with_control, .5):.1f} p99_ms={percentile(e2e_with_control, .99):.1f}")
    return (f"{kind} ingest_ratio={rate / bare_rate:.2f} events_per_s={rate:.0f} p99_ms={percentile(ingest, .99):.1f} "
            f"e2e_p99_ms={percentile(e2e, .99):.1f} cpu_ratio={bare_cpu / cpu:.2f} raw_ratio={rate / raw_rate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--e2e", type=int, default=1000, help="messages for the end-to-end latency")
    parser.add_argument("--database-url", action="append", dest="databases",
                        help="sqlite, or a PostgreSQL server URL (repeatable; default both)")
    args = parser.parse_args()
    summaries = [bench_database(url, args) for url in args.databases or DEFAULT_DATABASES]
    print("\n".join(summaries))


if __name__ == "__main__":
    main()
