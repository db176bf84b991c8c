"""A WAHA socket that stops sends WAHA a clean close frame (code 1000), then shuts the connection at once."""
from __future__ import annotations

from types import SimpleNamespace

import gevent

from gateway.connections.backoff import Backoff
from gateway.providers import provider_for
from gateway.simulator.testing import wait_for


def test_a_stopped_waha_socket_closes_with_a_close_frame(wsim):
    server = SimpleNamespace(name="waha", base_url=wsim.base_url, api_key=wsim.api_key)
    client = provider_for("waha").socket_client(server, lambda *event: None, lambda first: None, Backoff(0.05, 0.2))
    greenlet = gevent.spawn(client.run)
    wait_for(lambda: client.state == "connected", what="the WAHA socket to join")
    before = len(wsim.control("GET", "sockets/departures"))
    client.stop()
    greenlet.join(timeout=5)
    assert greenlet.dead
    wait_for(lambda: len(wsim.control("GET", "sockets/departures")) > before, what="WAHA to see the client leave")
    assert wsim.control("GET", "sockets/departures")[before:] == [1000]
