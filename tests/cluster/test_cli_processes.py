"""A CLI command beside a cluster is not a holder: it takes no lease, and what it asks for is done
before it exits (the running processes take the socket; the catch-up runs in the command)."""
from __future__ import annotations

import re
import socket
import subprocess

import pytest

from gateway.cluster.leases import holder_of
from gateway.extensions import db
from gateway.models import Event, Instance
from gateway.realtime.relay import decode
from gateway.simulator.testing import wait_for
from tests.cluster.gateways import Watch, environment, running_cluster, seeded_app
from tests.cluster.gateways import run_cli as run_command

# Far longer than any wait below: a socket held within one was never a dead process's lease expiring.
LEASE_TTL = 60


def run_cli(database_url: str, redis_url: str, prefix: str, *args: str) -> tuple[subprocess.CompletedProcess, int]:
    """A CLI command on the cluster's database and Redis."""
    return run_command(environment(database_url, redis_url, prefix, CLUSTER_LEASE_TTL=LEASE_TTL), *args)


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
    app, token, server_id = seeded_app(postgres_url, sim)  # its webhooks go to a port nobody serves: all missed
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
