"""Webhook XOR websocket: every switch reaches the provider, the database and the API, never both on."""
import pytest

from gateway.providers.evolution import CONTROL_EVENTS, DEFAULT_EVENTS
from gateway.providers.evolution.channels import WEBHOOK_PATH
from tests.connections.conftest import stored_mode

MODES = ["none", "webhook", "websocket"]


def switch(api, name, mode, **body):
    if mode == "none":
        return api.post(f"/api/instances/{name}/mode", json={"mode": "none"})
    return api.post(f"/api/instance-management/{mode}/{name}", json=body)


def assert_exclusive(api, provider, app, name, mode):
    """The provider, the database and the API all say `mode`, and never both."""
    webhook_on, websocket_on = provider.channels(name)
    assert (webhook_on, websocket_on) == (mode == "webhook", mode == "websocket")
    assert stored_mode(app, name) == mode
    state = api.get(f"/api/instance-management/state/{name}").json
    assert (state["webhookEnabled"], state["websocketEnabled"]) == (mode == "webhook", mode == "websocket")


@pytest.mark.parametrize("mode", MODES)
def test_create_with_a_mode_configures_only_that_channel(api, app, provider, create, mode):
    created = create(mode=mode)
    assert created["delivery_mode"] == mode
    assert_exclusive(api, provider, app, "sales", mode)


def test_webhook_points_at_the_gateway_with_its_secret_and_defaults(api, app, provider, create):
    create(mode="webhook")
    webhook = provider.webhook("sales")
    assert webhook["url"].startswith(app.config["PUBLIC_URL"] + WEBHOOK_PATH + "/")
    assert len(webhook["url"].rsplit("/", 1)[1]) >= 40
    assert set(webhook["events"]) == set(DEFAULT_EVENTS) | set(CONTROL_EVENTS)
    assert webhook["webhookBase64"] is True and webhook["webhookByEvents"] is False
    assert webhook["headers"]["X-Gateway-Secret"] == webhook["url"].rsplit("/", 1)[1]
    # The API shows the URL with its secret masked.
    shown = api.get("/api/instance-management/state/sales").json["webhookConfig"]["url"]
    assert webhook["url"].rsplit("/", 1)[1] not in shown and "••••" in shown


@pytest.mark.parametrize("start, target", [(a, b) for a in MODES for b in MODES])
def test_every_switch_ends_exclusive_everywhere(api, app, provider, create, start, target):
    create(mode=start)
    response = switch(api, "sales", target)
    assert response.status_code == 200, response.json
    assert response.json["mode"] == target
    assert_exclusive(api, provider, app, "sales", target)


def test_disabling_keeps_a_url_on_the_provider(api, provider, create):
    create(mode="webhook")
    switch(api, "sales", "websocket")
    webhook = provider.webhook("sales")
    assert webhook["enabled"] is False and webhook["url"] and webhook["events"] == []


def test_socket_client_follows_the_mode(api, create):
    create(mode="webhook")
    assert api.get("/api/instance-management/state/sales").json["socket"] is None
    switch(api, "sales", "websocket")
    assert api.get("/api/instance-management/state/sales").json["socket"]["namespace"] == "/sales"
    switch(api, "sales", "webhook")
    assert api.get("/api/instance-management/state/sales").json["socket"] is None


def test_event_selection_survives_a_round_trip_through_the_other_channel(api, provider, create):
    create(mode="webhook", events=["messages.upsert", "CONTACTS_UPSERT"], webhook_base64=False)
    switch(api, "sales", "websocket")
    assert provider.webhook("sales")["events"] == []  # the provider forgot the selection...
    response = switch(api, "sales", "webhook")  # ...a request naming no events re-uses the stored one
    assert response.json["webhookConfig"]["events"] == ["MESSAGES_UPSERT", "CONTACTS_UPSERT"]
    assert response.json["webhookConfig"]["webhook_base64"] is False
    webhook = provider.webhook("sales")
    assert set(webhook["events"]) == {"MESSAGES_UPSERT", "CONTACTS_UPSERT", *CONTROL_EVENTS}
    assert webhook["webhookBase64"] is False


def test_websocket_selection_survives_too(api, provider, create):
    create(mode="websocket", websocket_events=["MESSAGES_UPSERT"])
    switch(api, "sales", "webhook")
    switch(api, "sales", "websocket")
    assert set(provider.websocket("sales")["events"]) == {"MESSAGES_UPSERT", *CONTROL_EVENTS}


def test_empty_selection_means_every_event(api, provider, create):
    create(mode="none")
    switch(api, "sales", "webhook", events=[])
    assert len(provider.webhook("sales")["events"]) > 25


def test_explicit_choices_replace_the_stored_ones(api, provider, create):
    create(mode="webhook")
    response = switch(api, "sales", "webhook", events=["CALL"], webhook_by_events=True)
    assert response.json["webhookConfig"]["events"] == ["CALL"]
    webhook = provider.webhook("sales")
    assert webhook["webhookByEvents"] is True and "CALL" in webhook["events"]


def test_turning_off_the_channel_that_is_not_on_changes_nothing(api, app, provider, create):
    create(mode="websocket")
    response = api.delete("/api/instance-management/webhook/sales")
    assert response.status_code == 200 and response.json["mode"] == "websocket"
    assert_exclusive(api, provider, app, "sales", "websocket")
    assert api.delete("/api/instance-management/websocket/sales").json["mode"] == "none"
    assert_exclusive(api, provider, app, "sales", "none")


def test_webhook_management_routes_follow_the_same_rules(api, app, provider, create):
    create(mode="websocket")
    events = api.get("/api/webhook-management/evolution/events").json["events"]
    assert "MESSAGES_UPSERT" in events and "CONNECTION_UPDATE" in events
    response = api.post("/api/webhook-management/evolution/sales", json={"base64": True, "events": ["CALL"]})
    assert response.status_code == 200
    assert_exclusive(api, provider, app, "sales", "webhook")
    found = api.get("/api/webhook-management/evolution/sales").json
    assert found["provider"]["enabled"] is True and found["provider"]["pointsHere"] is True
    assert api.delete("/api/webhook-management/evolution/sales").json["mode"] == "none"
    assert_exclusive(api, provider, app, "sales", "none")


def test_websocket_refused_when_turned_off_on_the_gateway(api, app, provider, create):
    create(mode="webhook")
    app.extensions["gateway"].manager.websocket_enabled = False
    response = switch(api, "sales", "websocket")
    assert response.status_code == 422 and "WEBSOCKET_ENABLED=false" in response.json["error"]
    assert_exclusive(api, provider, app, "sales", "webhook")
    refused = api.post("/api/instances", json={"name": "other", "server_id": 1, "mode": "websocket"})
    assert refused.status_code == 422 and "WEBSOCKET_ENABLED" in refused.json["error"]


@pytest.mark.parametrize("body, status, message", [
    ({"events": "MESSAGES_UPSERT"}, 400, "events must be a list"),
    ({"events": ["NOT_AN_EVENT"]}, 422, "not an event"),
    ({"events": ["groups.update"]}, 422, "cannot be selected"),
    ({"webhook_base64": "yes"}, 400, "webhook_base64 must be true or false"),
])
def test_bad_choices_are_clear_errors_and_change_nothing(api, app, provider, create, body, status, message):
    create(mode="websocket")
    response = switch(api, "sales", "webhook", **body)
    assert response.status_code == status and message in response.json["error"]
    assert_exclusive(api, provider, app, "sales", "websocket")


def test_every_change_through_the_api_is_announced_to_open_pages(app, api, sim, create):
    """Pages re-render an instance whoever changed it: UI, JSON API or a sync."""
    from gateway.realtime.bus import tenant_topic
    from gateway.realtime.hub import InstanceChanged

    instance = create(mode="webhook")
    subscription = app.extensions["gateway"].bus.subscribe([tenant_topic(1)])
    switch(api, "sales", "websocket")
    api.post("/api/instance-management/sync/sales")
    api.post("/api/instances/sales/connect")
    items, _ = subscription.drain(timeout=1)
    changed = [item for item in items if isinstance(item, InstanceChanged)]
    assert len(changed) >= 3 and {item.instance_id for item in changed} == {instance["id"]}
