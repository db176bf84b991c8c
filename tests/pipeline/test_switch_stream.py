"""Switching delivery while messages keep coming: every message stored exactly once."""
from __future__ import annotations

import gevent
from gevent.event import Event

from gateway.simulator.testing import wait_for


def stream(sim, name, stop: Event, sent: list[str]) -> None:
    """A steady trickle of messages until `stop`; their ids go to `sent`."""
    while not stop.wait(0.02):
        sent += sim.control("POST", f"instances/{name}/messages", {"count": 1})["ids"]


def test_webhook_to_websocket_and_back_under_a_stream_loses_and_repeats_nothing(api, create, sim, store):
    create(mode="webhook")
    stop, sent = Event(), []
    streamer = gevent.spawn(stream, sim, "sales", stop, sent)
    try:
        for mode in ("websocket", "webhook"):
            count = len(sent)
            wait_for(lambda: len(sent) >= count + 10, what="messages flowing before the switch")
            response = api.post(f"/api/instance-management/{mode}/sales", json={})
            assert response.status_code == 200, response.json
        count = len(sent)
        wait_for(lambda: len(sent) >= count + 10, what="messages flowing after the switches")
    finally:
        stop.set()
        streamer.join(timeout=5)
    found = store.wait_messages("sales", sent)
    assert sorted(found) == sorted(sent)
    assert all(len(sources) == 1 for sources in found.values()), found
    assert {"webhook", "websocket"} <= {sources[0] for sources in found.values()}
