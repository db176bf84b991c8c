"""A socket that stops says goodbye to the provider, then closes its websocket without reading on for the
provider's close frame (engine.io's reader takes that frame): both socket.io clients, against the simulator."""
from __future__ import annotations

import inspect

import gevent
import pytest
import websocket

from gateway.connections.backoff import Backoff
from gateway.connections.multiplex import ServerSocket
from gateway.connections.socket_client import Endpoint, SocketClient
from gateway.providers import provider_for
from gateway.simulator.testing import wait_for


@pytest.fixture
def close_timeouts(monkeypatch):
    """The timeout each websocket close ran with: how long it would read on for the peer's close frame."""
    timeouts = []
    close = websocket.WebSocket.close

    def recorded(self, *args, **kwargs):
        call = inspect.signature(close).bind(self, *args, **kwargs)
        call.apply_defaults()
        timeouts.append(call.arguments["timeout"])
        close(self, *args, **kwargs)

    monkeypatch.setattr(websocket.WebSocket, "close", recorded)
    return timeouts


def live_namespace(sim, provider, name: str) -> str:
    """An instance in websocket mode whose namespace exists (it has had its first event)."""
    provider.rest("POST", "/instance/create", {"instanceName": name, "integration": "WHATSAPP-BAILEYS",
                                               "websocket": {"enabled": True, "events": ["MESSAGES_UPSERT"]}})
    sim.control("POST", f"instances/{name}/messages", {})
    return f"/{name}"


def socket_client(sim, namespace: str):
    """A server's one socket (a global-events server's kind), joined; returns its stop and its greenlet."""
    client = SocketClient(Endpoint(provider_for("evolution").socket_address(sim), namespace, "sim"),
                          lambda *event: None, lambda first: None, Backoff(0.05, 0.2), connect_timeout=2.0)
    greenlet = gevent.spawn(client.run)
    wait_for(lambda: client.state == "connected", what="the socket client to join")
    return client.stop, greenlet


def server_socket(sim, namespace: str):
    """One connection carrying instance namespaces, joined; returns its stop and its scheduler's greenlet."""
    greenlets = []
    carried = ServerSocket(1, provider_for("evolution").socket_address(sim), "sim",
                           lambda name, target, *args: greenlets.append(gevent.spawn(target, *args)),
                           lambda joins: None, Backoff(0.05, 0.2), namespace_retry=0.1, connect_timeout=2.0)
    carried.add(namespace, "goodbye", 1, lambda event, data: None)
    wait_for(lambda: carried.members[namespace].state == "connected", what="the namespace to join")
    return carried.stop, greenlets[0]


@pytest.mark.parametrize("start", [socket_client, server_socket])
def test_a_stopped_socket_says_goodbye_and_does_not_wait_for_the_answer(sim, provider, close_timeouts, start):
    namespace = live_namespace(sim, provider, f"goodbye-{start.__name__.replace('_', '-')}")
    stop, greenlet = start(sim, namespace)
    stop()
    greenlet.join(timeout=10)
    assert greenlet.dead
    left = wait_for(lambda: [departure["reason"] for departure in sim.control("GET", "sockets/departures")
                             if departure["namespace"] == namespace], what="the provider to see the socket leave")
    # The goodbye (socket.io's DISCONNECT) reached the provider before the close frame: not a cut connection.
    assert left == ["client disconnect"]
    assert not sim.control("GET", "sockets").get(namespace)
    # websocket-client was told not to read on for the close frame (by default it would for 3 s).
    assert close_timeouts and set(close_timeouts) == {0}
