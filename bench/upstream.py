"""Upstream benchmark: thousands of Evolution instances in websocket mode on one gateway process, against
the Evolution simulator (a separate process), over the gateway's real supervisor and pipeline.

    .venv/bin/python bench/upstream.py [--instances 5000] [--idle 5] [--resync-concurrency 8]

The simulator gets `--instances` instances, each with one message so that Evolution has its
namespace; the gateway gets the same instances in websocket mode (rows written directly, SQLite)
and starts its socket supervision as a worker does at boot. Measured:
- connect_all_s: from the start to every namespace joined (one connection per server carries them);
- kb_per_instance: the process's resident memory after the joins minus before the start, per
  instance (the resync a join starts is left out: it is REST traffic, not socket state);
- idle_cpu_pct: this process's CPU over `--idle` seconds with nothing arriving (pings only);
- events_from: instances whose new message (one each, emitted after the joins) reached the bus;
- after that, the simulator drops the server's connection, and with the real resync now on:
  rejoin_all_s, from the drop to every namespace joined again, and resync_all_s, to every instance
  resynchronised (its state and missed messages read over REST and stored), `--resync-concurrency`
  at a time (RESYNC_CONCURRENCY; 1 is one after the other); and the CPU time per resync of this
  process and of the simulator over that phase, which does not depend on what else the machine runs.

The line before the last is `rejoin_all_s=<n> resync_all_s=<n> resync_concurrency=<n> resynced=<n>/<n>
cpu_ms_per_resync=<gateway>+<simulator>`;
the last line is `upstream_instances=<n> kb_per_instance=<n> connect_all_s=<n> idle_cpu_pct=<n>
events_from=<n>/<n>`.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from gevent.pool import Pool  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.open_files import raise_open_file_limit  # noqa: E402
from gateway.simulator.testing import start_simulator  # noqa: E402


def provision(simulator, names: list[str]) -> None:
    """Every instance on the simulator in websocket mode, with one message (Evolution's namespace)."""
    session = requests.Session()
    headers = {"apikey": simulator.api_key}

    def one(name: str) -> None:
        session.post(f"{simulator.base_url}/instance/create", headers=headers, timeout=60, json={
            "instanceName": name, "integration": "WHATSAPP-BAILEYS",
            "websocket": {"enabled": True, "events": ["MESSAGES_UPSERT"]}}).raise_for_status()
        simulator.control("POST", f"instances/{name}/messages", {})

    Pool(10).map(one, names)


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def join_all(app, services, count: int, timeout: float = 600) -> None:
    """Start the supervision of every websocket-mode instance, as at boot; return once all joined."""
    with app.app_context():
        services.supervisor.start_all()
    wait_until(lambda: all_joined(services, count), timeout, "not every namespace joined in time")


def all_joined(services, count: int) -> bool:
    members = services.supervisor.instance_clients.values()
    return sum(member.state == "connected" for member in members) >= count


def wait_until(predicate, timeout: float, failure: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(failure)
        gevent.sleep(0.05)


def cpu_s(pid: int) -> float:
    """A process's user and system CPU time so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resync_after_drop(simulator, services, count: int, timeout: float = 1800) -> str:
    """Drop the server's connection with the real resync on; the figures line for the rejoin and the resyncs."""
    supervisor, resync, resynced = services.supervisor, services.resync.on_join, Counter()

    def counted(instance_id: int, first: bool) -> None:
        resync(instance_id, first)
        resynced[instance_id] += 1

    supervisor.on_join = counted
    connection = next(iter(supervisor.server_sockets.values()))
    dropped_client = connection.client
    cpu_before, simulator_before = cpu_s(os.getpid()), cpu_s(simulator.process.pid)
    started = time.perf_counter()
    simulator.control("POST", "sockets/drop")
    wait_until(lambda: connection.client is not dropped_client and all_joined(services, count), timeout,
               "not every namespace rejoined in time")
    rejoin_all_s = time.perf_counter() - started
    wait_until(lambda: len(resynced) >= count, timeout, "not every instance resynchronised in time")
    resync_all_s = time.perf_counter() - started
    gateway_ms = (cpu_s(os.getpid()) - cpu_before) * 1000 / count
    simulator_ms = (cpu_s(simulator.process.pid) - simulator_before) * 1000 / count
    once = sum(1 for times in resynced.values() if times == 1)
    return (f"rejoin_all_s={rejoin_all_s:.2f} resync_all_s={resync_all_s:.2f} "
            f"resync_concurrency={supervisor.resync_concurrency} resynced={once}/{count} "
            f"cpu_ms_per_resync={gateway_ms:.1f}+{simulator_ms:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=5000)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle CPU measured")
    parser.add_argument("--resync-concurrency", type=int, default=8, help="RESYNC_CONCURRENCY for the resync after a drop")
    args = parser.parse_args()
    print(f"open-file limit: {raise_open_file_limit()}")
    names = [f"up{number:05d}" for number in range(args.instances)]
    simulator = start_simulator()
    os.environ.update(DATABASE_URL=f"sqlite:///{tempfile.mkdtemp(prefix='upstream-bench-')}/gateway.sqlite3",
                      BACKGROUND_JOBS="false", LOG_LEVEL="WARNING", RESYNC_CONCURRENCY=str(args.resync_concurrency))
    from gateway import create_app
    from gateway.extensions import db
    from gateway.models import DeliveryMode, Instance, ProviderServer, Tenant
    from gateway.realtime.bus import instance_topic

    app = create_app()
    services = app.extensions["gateway"]
    try:
        started = time.perf_counter()
        # In a child process: its HTTP clients' and ORM objects' garbage must not leave this heap
        # with free space that the sockets' memory would then fill unseen.
        child = gevent.fork()
        if child == 0:
            provision(simulator, names)
            with app.app_context():
                db.create_all()
                server = ProviderServer(name="sim", kind="evolution", base_url=simulator.base_url,
                                        api_key=simulator.api_key)
                tenant = Tenant(name="Bench")
                db.session.add_all([server, tenant])
                db.session.flush()
                db.session.execute(db.insert(Instance), [
                    {"tenant_id": tenant.id, "server_id": server.id, "name": name,
                     "delivery_mode": DeliveryMode.WEBSOCKET.value}
                    for name in names])
                db.session.commit()
            os._exit(0)
        if os.waitpid(child, 0)[1] != 0:
            raise SystemExit("provisioning failed")
        print(f"simulator provisioned in {time.perf_counter() - started:.1f} s")
        with app.app_context():
            ids = dict(db.session.execute(db.select(Instance.name, Instance.id)).all())
        # The resync each join starts reads the provider over REST: measured apart, after a drop (below),
        # so that connect_all_s and kb_per_instance stay the sockets' own. The joins are still batched.
        services.supervisor.on_join = lambda instance_id, first: None
        gc.collect()
        before_kb = rss_kb()
        started = time.perf_counter()
        join_all(app, services, args.instances)
        connect_all_s = time.perf_counter() - started
        sockets = len(services.supervisor.server_sockets)
        print(f"joined {args.instances} namespaces over {sockets} connection(s) in {connect_all_s:.2f} s")
        gc.collect()
        kb_per_instance = (rss_kb() - before_kb) / args.instances
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        gevent.sleep(args.idle)
        idle_cpu_pct = (time.process_time() - cpu_before) / (time.perf_counter() - wall_before) * 100
        subscription = services.bus.subscribe([instance_topic(instance_id) for instance_id in ids.values()],
                                              args.instances * 4)
        sent = {}
        Pool(10).map(lambda name: sent.__setitem__(
            name, simulator.control("POST", f"instances/{name}/messages", {})["ids"][0]), names)
        arrived: set[str] = set()
        deadline = time.monotonic() + 120
        while len(arrived) < len(sent) and time.monotonic() < deadline:
            items, _ = subscription.drain(timeout=2)
            arrived.update(item.instance for item in items if item.name == "messages.upsert"
                           and item.payload["data"]["key"]["id"] == sent.get(item.instance))
        print(resync_after_drop(simulator, services, args.instances))
        print(f"upstream_instances={args.instances} kb_per_instance={kb_per_instance:.1f} "
              f"connect_all_s={connect_all_s:.2f} idle_cpu_pct={idle_cpu_pct:.1f} "
              f"events_from={len(arrived)}/{len(sent)}")
    finally:
        services.supervisor.stop_all()
        services.shutdown()
        simulator.stop()


if __name__ == "__main__":
    main()
