"""The socket client's states against the simulator: a namespace not created yet is neutral and
polled on a fixed interval; a refused key or an unreachable server is a failure."""
from __future__ import annotations

import gevent
import pytest

from gateway.connections.backoff import Backoff
from gateway.connections.socket_client import Endpoint, SocketClient
from gateway.simulator.testing import wait_for
from tests.conftest import cut_then_stop


@pytest.fixture
def run_client(sim):
    clients = []

    def start(base_url, api_key, namespace="/quiet"):
        joins = []
        client = SocketClient(Endpoint(base_url, api_key, namespace, namespace), lambda *a: None, joins.append,
                              Backoff(0.05, 0.2), connect_timeout=2.0, namespace_retry=0.1)
        clients.append((client, gevent.spawn(client.run)))
        return client, joins

    def stop_all():
        for client, _ in clients:
            client.stop()

    yield start
    cut_then_stop([sim], lambda: any(client.state == "connected" for client, _ in clients), stop_all)
    gevent.joinall([greenlet for _, greenlet in clients], timeout=5)


def test_a_namespace_not_created_yet_is_awaited_then_joined_at_the_first_event(sim, provider, run_client):
    provider.rest("POST", "/instance/create", {"instanceName": "quiet", "integration": "WHATSAPP-BAILEYS",
                                               "websocket": {"enabled": True, "events": ["MESSAGES_UPSERT"]}})
    client, joins = run_client(sim.base_url, sim.api_key)
    wait_for(lambda: client.state == "awaiting_first_event", what="the namespace refusal")
    status = client.status()
    assert (status["last_error"], status["failures"]) == ("Invalid namespace", 0)
    assert status["next_attempt_at"] is not None
    sim.control("POST", "instances/quiet/messages", {})  # Evolution creates the namespace now
    wait_for(lambda: client.state == "connected", what="the join on the next fixed-interval attempt")
    assert joins == [True] and client.status()["next_attempt_at"] is None


@pytest.mark.parametrize("key", ["wrong-key", None])
def test_a_refused_key_or_an_unreachable_server_is_a_failure(sim, run_client, unused_port, key):
    url = sim.base_url if key else f"http://127.0.0.1:{unused_port}"
    client, joins = run_client(url, key or sim.api_key)
    wait_for(lambda: client.failures >= 2, what="two failed attempts")
    status = client.status()
    # Over the websocket transport the 403's body is not readable: the reason is the transport's.
    assert status["state"] == "failed" and status["last_error"] and not joins
