"""A server edited in one process (another web process, or a CLI command) is reconnected by the process that
holds its socket: the socket leaves the old address and key and joins the new ones, and events keep coming."""
from __future__ import annotations

from pathlib import Path

import pytest

from gateway.extensions import db
from gateway.models import Event, Instance
from gateway.providers.evolution.client import EvolutionClient, WebsocketConfig
from gateway.simulator.testing import start_simulator, wait_for
from tests.cluster.gateways import environment, run_cli, running_cluster

# Longer than any wait below: a socket reconnected within it was the edit's notice or count, not the
# reconcile that runs this often as a safety net.
SAFETY_NET = 3600


@pytest.fixture
def second_sim():
    """Where the server moves to: another Evolution with another key, already carrying "sales"."""
    with start_simulator(api_key="moved-key") as moved:
        yield moved


def carry_sales(moved) -> None:
    """The instance as the gateway set it up on the first server: created, with its socket events on."""
    EvolutionClient(moved.base_url, moved.api_key, timeout=10).create_instance(
        "sales", websocket=WebsocketConfig(True))


def stored_by_socket(cluster, text: str) -> bool:
    with cluster.app.app_context():
        rows = db.session.execute(db.select(Event.source, Event.payload).join(Instance).where(
            Instance.name == "sales", Event.name == "messages.upsert")).all()
        db.session.remove()
    return any(source == "websocket" and text in str(payload) for source, payload in rows)


def open_sales_socket(cluster) -> None:
    cluster.create("sales", mode="websocket")
    cluster.sim.control("POST", "instances/sales/messages", {"text": "opening"})  # its namespace opens
    wait_for(lambda: cluster.sockets().get("/sales") == 1, timeout=30, what="the socket on the first server")


def assert_moved(cluster, moved) -> None:
    """The holder left the first server and joined the second, where a message sent afterwards arrives."""
    moved.control("POST", "instances/sales/messages", {"text": "on the way"})  # its namespace opens there
    wait_for(lambda: moved.control("GET", "sockets").get("/sales") == 1, timeout=30,
             what="the socket on the second server")
    wait_for(lambda: not cluster.sockets().get("/sales"), timeout=30, what="the first server's socket closed")
    moved.control("POST", "instances/sales/messages", {"text": "afterwards"})
    wait_for(lambda: stored_by_socket(cluster, "afterwards"), timeout=30, what="the message stored")
    assert moved.control("GET", "sockets").get("/sales") == 1 and not cluster.sockets().get("/sales")


def worker_pids(gateway) -> set[int]:
    master = gateway.process.pid
    return {int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


def lease_tokens(cluster) -> dict[str, int]:
    """Instance name -> the fencing token of the lease its socket is held under."""
    return {name: socket["token"] for process in cluster.call(cluster.a, "GET", "/api/cluster")["processes"]
            for socket in process["sockets"] for name in socket["instances"]}


@pytest.mark.parametrize("through_holder", [False, True], ids=["another process", "the holder's own process"])
def test_a_server_edited_in_a_cluster_is_reconnected_by_the_holder_under_the_same_lease(
        postgres_url, sim, second_sim, redis_server, redis_prefix, through_holder):
    with running_cluster(postgres_url, sim, redis_server, redis_prefix, masters=2, workers=1,
                         CLUSTER_RECONCILE_EVERY=SAFETY_NET) as cluster:
        open_sales_socket(cluster)
        [holder] = wait_for(lambda: cluster.holders().get("sales"), timeout=30, what="a holder")
        editor = next(gateway for gateway in cluster.gateways if (holder in worker_pids(gateway)) is through_holder)
        token = lease_tokens(cluster)["sales"]
        carry_sales(second_sim)

        cluster.call(editor, "PATCH", f"/api/servers/{cluster.server_id}",
                     {"base_url": second_sim.base_url, "api_key": second_sim.api_key})
        assert_moved(cluster, second_sim)
        # Reconnected where it was held, under the lease it had: not handed back and taken again (a new token).
        assert cluster.holders() == {"sales": [holder]} and lease_tokens(cluster) == {"sales": token}


def test_a_server_a_cli_command_edits_is_reconnected_by_the_embedded_server(tmp_path, sim, second_sim):
    database_url = f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
    with running_cluster(database_url, sim, None, None, masters=1, workers=1, CLUSTER_RECONCILE_EVERY=SAFETY_NET,
                         INSTANCE_CHANGES_EVERY=0.2, SOCKET_NAMESPACE_RETRY=0.2) as server:
        open_sales_socket(server)
        carry_sales(second_sim)

        edited, _ = run_cli(environment(database_url, None, None), "servers", "edit", str(server.server_id),
                            "--url", second_sim.base_url, "--api-key", second_sim.api_key)
        assert edited.returncode == 0, edited.stderr
        assert second_sim.api_key not in edited.stdout + edited.stderr
        assert_moved(server, second_sim)

