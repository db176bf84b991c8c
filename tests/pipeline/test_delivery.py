"""Webhooks from the simulator to the served app: state applied, and a retried delivery stored once."""
from __future__ import annotations

import threading

import pytest

from gateway.simulator.testing import start_simulator, wait_for
from tests.connections.conftest import register_server


def test_events_of_a_webhook_instance_are_stored_and_applied(create, sim, store):
    create(mode="webhook")
    sim.control("POST", "instances/sales/scan", {"number": "5511999990000", "profileName": "Alice"})
    ids = sim.control("POST", "instances/sales/messages", {"count": 3})["ids"]
    found = store.wait_messages("sales", ids)
    assert all(found[key] == ["webhook"] for key in ids)
    instance = store.instance("sales")
    assert (instance.connection_state, instance.phone_number, instance.profile_name) == (
        "open", "5511999990000", "Alice")
    assert instance.last_event_at is not None


@pytest.fixture
def impatient_sim():
    """A simulator that gives up on a webhook after 0.2 s and retries it (Evolution's timeout is 30 s)."""
    running = start_simulator(webhook_timeout=0.2)
    yield running
    running.stop()


class Slow:
    """WSGI middleware answering only after a pause, so the simulator times out and retries."""

    def __init__(self, app):
        self.app, self.pause, self.calls = app, threading.Event(), 0

    def __call__(self, environ, start_response):
        answer = self.app(environ, start_response)
        self.calls += 1
        if self.calls <= 3:
            self.pause.wait(0.5)  # the slowness under test, after the event is stored
        return answer


def test_a_webhook_retried_three_times_is_stored_once(app, api, live, impatient_sim, store):
    server_id = register_server(app, impatient_sim)
    created = api.post("/api/instances", json={"name": "sales", "server_id": server_id, "mode": "webhook"})
    assert created.status_code == 201, created.json
    app.wsgi_app = Slow(app.wsgi_app)
    [key] = impatient_sim.control("POST", "instances/sales/messages", {"count": 1})["ids"]

    def attempts():
        return [d for d in impatient_sim.control("GET", "deliveries")
                if d["event"] == "messages.upsert" and d.get("status") == 200]
    wait_for(attempts, timeout=10, what="a delivery that was answered in time")
    tries = [d for d in impatient_sim.control("GET", "deliveries") if d["event"] == "messages.upsert"]
    assert [d.get("error") for d in tries[:3]] == ["ReadTimeout"] * 3 and len(tries) == 4
    assert store.message_sources("sales") == {key: ["webhook"]}
