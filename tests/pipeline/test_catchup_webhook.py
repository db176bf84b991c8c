"""Webhook mode catches up too: at the gateway's start, after a provider restart, after a lost webhook
is re-applied, and when an operator asks (JSON API and the instances page)."""
from __future__ import annotations

import pytest

from gateway.models import Role
from gateway.services import services
from gateway.simulator.testing import wait_for
from tests.conftest import csrf_token


@pytest.fixture
def lost(create, sim, provider, store):
    """`sales` in webhook mode, open; then its webhook off on the provider while 2 messages and 2 acks come."""
    create(mode="webhook")
    sim.control("POST", "instances/sales/scan", {})
    wait_for(lambda: store.instance("sales").connection_state == "open", what="open")
    url = provider.webhook("sales")["url"]
    provider.rest("POST", "/webhook/set/sales", {"webhook": {"enabled": False, "url": url}})
    ids = sim.control("POST", "instances/sales/messages", {"count": 2})["ids"]
    for key in ids:
        sim.control("POST", "instances/sales/ack", {"id": key, "status": "READ"})
    provider.rest("POST", "/webhook/set/sales", {"webhook": {"enabled": True, "url": url, "events": []}})
    assert store.message_sources("sales") == {}
    return ids


def test_an_operator_catches_up_by_the_api_and_a_second_time_finds_nothing_new(api, lost, store):
    first = api.post("/api/instances/sales/catch-up")
    assert first.status_code == 200, first.json
    assert (first.json["recovered"], first.json["recovered_by_event"]) == (4, {"messages.update": 2,
                                                                              "messages.upsert": 2})
    assert store.message_sources("sales") == {key: ["catchup"] for key in lost}
    assert store.ack_sources("sales") == {(key, "READ"): ["catchup"] for key in lost}
    again = api.post("/api/instances/sales/catch-up", json={"since": "2020-01-01T00:00:00Z"})
    assert (again.status_code, again.json["read"], again.json["recovered"]) == (200, 4, 0)


@pytest.mark.parametrize("body, message", [
    ({"since": "yesterday"}, "ISO 8601"), ({"since": "2999-01-01T00:00:00Z"}, "future"), ({"since": 5}, "ISO 8601"),
])
def test_bad_input_is_a_422_with_the_reason(api, create, body, message):
    create(mode="webhook")
    response = api.post("/api/instances/sales/catch-up", json=body)
    assert response.status_code == 422 and message in response.json["error"]


def test_an_instance_that_delivers_nothing_is_not_caught_up(api, create):
    create(mode="none")
    response = api.post("/api/instances/sales/catch-up")
    assert response.status_code == 422 and "mode none" in response.json["error"]


def test_a_wrong_token_is_a_401(client, create):
    create(mode="webhook")
    response = client.post("/api/instances/sales/catch-up", headers={"Authorization": "Bearer gw_not-a-token"})
    assert response.status_code == 401 and response.json["error"]


def test_the_instances_page_button_catches_up(client, make_user, login, lost, store):
    make_user("admin@example.com", role=Role.ADMIN)
    login()
    page = client.get("/").get_data(as_text=True)
    assert 'hx-post="/instances/sales/catch-up"' in page
    response = client.post("/instances/sales/catch-up", headers={"HX-Request": "true",
                                                                  "X-CSRFToken": csrf_token(client)})
    assert response.status_code == 200
    assert "sales caught up: 4 missed event(s) recovered of 4 read." in response.get_data(as_text=True)
    assert set(store.message_sources("sales")) == set(lost)


def test_the_gateway_start_catches_up_every_webhook_instance(app, lost, store):
    with app.app_context():
        services().catch_up_webhooks()
    assert store.wait_messages("sales", lost) == {key: ["catchup"] for key in lost}
    store.wait_acks("sales", [(key, "READ") for key in lost])


def test_a_provider_restart_that_lost_pending_retries_is_caught_up(live, create, sim, store):
    """The receiver is down, Evolution queues retries, restarts (retries gone) and reconnects the
    instance: its connection.update open makes the gateway read the window back."""
    create(mode="webhook")
    sim.control("POST", "instances/sales/scan", {})
    wait_for(lambda: store.instance("sales").connection_state == "open", what="open")
    live.stop()
    ids = sim.control("POST", "instances/sales/messages", {"count": 3})["ids"]
    wait_for(lambda: any(d.get("error") for d in sim.control("GET", "deliveries")), what="a failed delivery")
    sim.control("POST", "restart")  # the reconnect's events fail too: the receiver is still down
    live.start()
    sim.control("POST", "restart")  # the next restart's connection.update open gets through
    found = store.wait_messages("sales", ids, timeout=20)
    # Each stored once; a retry still in flight when the receiver came back may win the race for one.
    assert sorted(found) == sorted(ids) and all(len(sources) == 1 for sources in found.values()), found
    assert "catchup" in {source for sources in found.values() for source in sources}, found



def test_the_button_shows_a_refusal_inline_with_its_status(client, make_user, login, create):
    create(mode="none")
    make_user("admin@example.com", role=Role.ADMIN)
    login()
    response = client.post("/instances/sales/catch-up", headers={"HX-Request": "true",
                                                                  "X-CSRFToken": csrf_token(client)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="alert error"' in page and "delivers no events (mode none)" in page
