"""A CLI command beside the one server process of the embedded mode (SQLite, no Redis): it opens no socket
of its own, and the server hears of what it committed through the database, then opens or closes its
socket and forgets the instances it cached."""
from __future__ import annotations

import pytest

from gateway.extensions import db
from gateway.models import Event, Instance
from gateway.simulator.testing import wait_for
from tests.cluster.gateways import Watch, environment, run_cli, running_cluster
from tests.realtime.conftest import receive_until, ui_socket, webhook

# Longer than any wait below: a socket opened or closed within it was the change counts' doing, not the
# reconcile that runs this often as a safety net.
SAFETY_NET = 3600
# The server's receiver keeps an instance for up to a minute: a refusal within this was its cache emptied.
CACHE_HELD = 30


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'gateway.sqlite3'}"


@pytest.fixture
def alone(database_url, sim):
    """One gunicorn worker without Redis, background jobs on, as `scripts/run` starts it."""
    with running_cluster(database_url, sim, None, None, masters=1, workers=1, CLUSTER_RECONCILE_EVERY=SAFETY_NET,
                         INSTANCE_CHANGES_EVERY=0.2, SOCKET_NAMESPACE_RETRY=0.2) as server:
        yield server


def cli(database_url: str, *args: str):
    """A command on the server's database in a process of its own, which must succeed; (result, its pid)."""
    result, pid = run_cli(environment(database_url, None, None), *args)
    assert result.returncode == 0, result.stderr
    return result, pid


def stored(server, text: str) -> list[str]:
    """The sources of the stored messages.upsert events whose text is `text`."""
    with server.app.app_context():
        rows = db.session.execute(db.select(Event.source, Event.payload).join(Instance).where(
            Instance.name == "sales", Event.name == "messages.upsert")).all()
        db.session.remove()
    return [source for source, payload in rows if text in str(payload)]


def test_cli_switches_leave_the_one_socket_to_the_server(alone, database_url, sim):
    server = alone
    server.create("sales", mode="websocket")
    sim.control("POST", "instances/sales/messages", {"text": "opening"})  # its namespace opens
    wait_for(lambda: server.sockets().get("/sales") == 1, timeout=30, what="the server's socket")

    switched, _ = cli(database_url, "instances", "mode", "sales", "webhook")
    assert switched.stdout.startswith("sales\twebhook")
    wait_for(lambda: not server.sockets().get("/sales"), timeout=30, what="the server to close its socket")
    assert server.holders() == {}

    # The namespace is open: a command that opened a socket of its own would join it at once.
    with Watch(lambda: server.sockets().get("/sales", 0)) as watch:
        switched, cli_pid = cli(database_url, "instances", "mode", "sales", "websocket")
        assert switched.stdout.startswith("sales\twebsocket")
        holders = wait_for(lambda: server.sockets().get("/sales") == 1 and server.holders(), timeout=30,
                           what="the server to open its socket")
        sim.control("POST", "instances/sales/messages", {"text": "afterwards"})
        wait_for(lambda: stored(server, "afterwards"), timeout=30, what="the message stored")
    assert max(watch.seen) == 1, "two sockets were open for one instance"
    assert list(holders) == ["sales"] and cli_pid not in holders["sales"]
    assert stored(server, "afterwards") == ["websocket"]
    assert server.sockets().get("/sales") == 1  # still held, long after the command exited


def test_an_instance_a_cli_command_deletes_is_refused_by_the_server_receiver(alone, database_url):
    server = alone
    server.create("sales", mode="webhook")
    with server.app.app_context():
        secret = db.session.execute(db.select(Instance.webhook_secret)).scalar_one()
        db.session.remove()
    assert webhook(server.a.base_url, secret, 1).status_code == 200  # the receiver now caches the instance

    forgot, _ = cli(database_url, "servers", "delete", str(server.server_id), "--forget-instances")
    assert "forgot sales" in forgot.stdout
    wait_for(lambda: webhook(server.a.base_url, secret, 2).status_code == 404, timeout=CACHE_HELD,
             what="the deleted instance refused")


def test_a_page_open_on_the_server_shows_a_cli_switch(alone, database_url):
    server = alone
    server.create("sales", mode="webhook")
    page = ui_socket(server.a.base_url, "admin@example.com", "correct horse battery")
    try:
        cli(database_url, "instances", "mode", "sales", "none")
        receive_until(page, lambda frame: 'id="instance-rows"' in frame and 'data-mode="none"' in frame, timeout=30)
    finally:
        page.close()
