"""A CLI command beside a cluster is not a holder: it takes no lease, and what it asks for is done
before it exits (the running processes take the socket; the catch-up runs in the command)."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.accounts import create_user
from gateway.cluster.leases import holder_of
from gateway.extensions import db
from gateway.models import Event, Instance, ProviderServer, Role
from gateway.realtime.relay import decode
from gateway.simulator.testing import wait_for
from gateway.tokens import issue_token
from tests.cluster.gateways import Watch, running_cluster
from tests.conftest import build_app

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).parent / "flask")
# Far longer than any wait below: a socket held within one was never a dead process's lease expiring.
LEASE_TTL = 60


def run_cli(database_url: str, redis_url: str, prefix: str, *args: str) -> tuple[subprocess.CompletedProcess, int]:
    """`flask --app app ...` in a process of its own on the cluster's database and Redis; (result, its pid)."""
    env = os.environ | {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "REDIS_PREFIX": prefix,
                        "SECRET_KEY": "cluster-test-key", "LOG_LEVEL": "WARNING", "CLUSTER_LEASE_TTL": str(LEASE_TTL)}
    process = subprocess.Popen([FLASK, "--app", "app", *args], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), process.pid


@pytest.fixture
def one_master(postgres_url, sim, redis_server, redis_prefix, redis_client):
    """One gunicorn master with two workers, on leases that outlast every wait of the test."""
    with running_cluster(postgres_url, sim, redis_server, redis_prefix, masters=1,
                         CLUSTER_LEASE_TTL=LEASE_TTL) as cluster:
        yield cluster


def test_a_cli_switch_to_websocket_leaves_the_socket_to_a_server_process_at_once(
        one_master, postgres_url, redis_server, redis_prefix, redis_client):
    cluster = one_master
    instance_id = cluster.create("sales", mode="webhook")["id"]
    servers = wait_for(lambda: len(pids := {p["pid"] for p in cluster.call(cluster.a, "GET", "/api/cluster")
                                            ["processes"]}) == 2 and pids, timeout=30, what="both workers listed")
    socket_lease, leader_lease = (f"{redis_prefix}lease:socket:instance:{instance_id}", f"{redis_prefix}lease:leader")

    def owners():
        return tuple((holder_of(redis_client, key) or ("",))[0] for key in (socket_lease, leader_lease))

    with Watch(lambda: (owners(), cluster.sockets().get("/sales", 0))) as watch:
        switched, cli_pid = run_cli(postgres_url, redis_server, redis_prefix, "instances", "mode", "sales",
                                    "websocket")
        assert switched.returncode == 0, switched.stderr
        assert switched.stdout.startswith("sales\twebsocket")
        held = wait_for(lambda: cluster.holders().get("sales"), timeout=LEASE_TTL / 2,
                        what="a server process to hold the socket")
        cluster.sim.control("POST", "instances/sales/messages", {"text": "first"})  # its namespace opens
        wait_for(lambda: cluster.sockets().get("/sales") == 1, timeout=LEASE_TTL / 2, what="the socket joined")
    assert len(held) == 1 and held[0] in servers
    assert owners()[0] == f"{socket.gethostname()}:{held[0]}"
    cli = f"{socket.gethostname()}:{cli_pid}"
    assert cli not in {owner for (leases, _) in watch.seen for owner in leases}, "the CLI took a lease"
    assert max(sockets for _, sockets in watch.seen) <= 1, "two sockets were open for one instance"


def test_a_catch_up_a_cli_switch_asks_for_is_stored_and_told_before_it_returns(
        postgres_url, sim, redis_server, redis_prefix, redis_client):
    app = build_app(postgres_url)  # its webhooks go to a port nobody serves: every message is missed
    with app.app_context():
        user = create_user("Acme", "admin@example.com", "correct horse battery", Role.ADMIN)
        server = ProviderServer(name="sim", kind="evolution", base_url=sim.base_url, api_key=sim.api_key)
        db.session.add(server)
        db.session.commit()
        token, server_id = issue_token(user, "tests"), server.id
    created = app.test_client().post("/api/instances", headers={"Authorization": f"Bearer {token}"},
                                     json={"name": "sales", "server_id": server_id, "mode": "webhook"})
    assert created.status_code == 201, created.json
    missed = sim.control("POST", "instances/sales/messages", {"count": 3})["ids"]
    bus = redis_client.pubsub(ignore_subscribe_messages=True)
    bus.subscribe(redis_prefix + "bus")
    try:
        switched, _ = run_cli(postgres_url, redis_server, redis_prefix, "instances", "mode", "sales", "websocket")
        assert switched.returncode == 0, switched.stderr
        assert re.search(r"^sales\tcaught up \(switched from webhook to websocket\): 3 missed event\(s\) recovered",
                         switched.stdout, re.MULTILINE), switched.stdout
        with app.app_context():  # stored before the command returned: nothing is waited for here
            stored = db.session.execute(db.select(Event.dedupe_key, Event.source).join(Instance).where(
                Instance.name == "sales", Event.name == "messages.upsert")).all()
            db.session.remove()
        assert sorted(source for key, source in stored if any(i in key for i in missed)) == ["catchup"] * 3
        published = []

        def recovered_published():
            while (message := bus.get_message(timeout=0.1)) is not None:
                item = decode(message["data"])[2]
                if getattr(item, "source", None) == "catchup":
                    published.append(item.payload)
            return len(published) >= 3

        wait_for(recovered_published, timeout=10, what="the recovered events on the bus for other processes' pages")
    finally:
        bus.close()
        with app.app_context():
            db.engine.dispose()
