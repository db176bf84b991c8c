"""The states of a server's one socket (a global-events server's root namespace) against the
simulator: a refused key or an unreachable server is a failure."""
from __future__ import annotations

from types import SimpleNamespace

import gevent
import pytest

from gateway.connections.backoff import Backoff
from gateway.connections.socket_client import Endpoint, SocketClient
from gateway.providers import provider_for
from gateway.simulator.testing import wait_for


def evolution_address(base_url, api_key):
    return provider_for("evolution").socket_address(SimpleNamespace(base_url=base_url, api_key=api_key))


@pytest.fixture
def run_client(sim):
    clients = []

    def start(base_url, api_key):
        joins = []
        client = SocketClient(Endpoint(evolution_address(base_url, api_key), "/", "global:sim"), lambda *a: None,
                              joins.append, Backoff(0.05, 0.2), connect_timeout=2.0)
        clients.append((client, gevent.spawn(client.run)))
        return client, joins

    yield start
    for client, _ in clients:
        client.stop()
    gevent.joinall([greenlet for _, greenlet in clients], timeout=5)


@pytest.mark.parametrize("key", ["wrong-key", None])
def test_a_refused_key_or_an_unreachable_server_is_a_failure(sim, run_client, unused_port, key):
    url = sim.base_url if key else f"http://127.0.0.1:{unused_port}"
    client, joins = run_client(url, key or sim.api_key)
    wait_for(lambda: client.failures >= 2, what="two failed attempts")
    status = client.status()
    # Over the websocket transport the 403's body is not readable: the reason is the transport's.
    assert status["state"] == "failed" and status["last_error"] and not joins
