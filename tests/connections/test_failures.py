"""No half states: a provider failure at any step of any switch is undone, the database keeps the old mode."""
import pytest

from gateway.simulator.testing import wait_for
from tests.connections.conftest import stored_mode
from tests.connections.test_switching import MODES, switch

# Each provider call a switch makes: the set, and the read-back that checks it was kept.
STEPS = [("POST", "/webhook/set/sales"), ("GET", "/webhook/find/sales"),
         ("POST", "/websocket/set/sales"), ("GET", "/websocket/find/sales")]
SWITCHES = [(a, b) for a in MODES for b in MODES if a != b]


def provider_truth(provider, name):
    """What delivers: each channel's settings when on; off is off, whether a record exists or not."""
    instance = provider.instance(name)
    webhook, websocket = instance["webhook"] or {}, instance["websocket"] or {}
    webhook_truth = (webhook["url"], sorted(webhook["events"]), webhook["webhookBase64"]) \
        if webhook.get("enabled") else "off"
    websocket_truth = sorted(websocket["events"]) if websocket.get("enabled") else "off"
    return webhook_truth, websocket_truth


@pytest.mark.parametrize("start, target", SWITCHES)
@pytest.mark.parametrize("method, path", STEPS)
def test_a_500_at_any_step_is_rolled_back(api, app, provider, sim, create, start, target, method, path):
    create(mode=start, events=["MESSAGES_UPSERT", "CALL"], webhook_base64=False)
    before = provider_truth(provider, "sales")
    sim.control("POST", "faults", {"method": method, "path": path, "status": 500, "times": 1,
                                   "body": {"status": 500, "error": "Internal Server Error",
                                            "response": {"message": ["database is on fire"]}}})
    response = switch(api, "sales", target)
    assert response.status_code == 502
    assert "database is on fire" in response.json["error"]
    assert stored_mode(app, "sales") == start
    assert provider_truth(provider, "sales") == before
    state = api.get("/api/instance-management/state/sales").json
    assert state["mode"] == start and state["drift"] is False


@pytest.mark.parametrize("start, target", [("webhook", "websocket"), ("websocket", "webhook")])
def test_a_401_names_the_provider_message(api, app, provider, sim, create, start, target):
    create(mode=start)
    before = provider_truth(provider, "sales")
    sim.control("POST", "faults", {"method": "POST", "path": "/websocket/set/sales", "status": 401, "body": {
        "status": 401, "error": "Unauthorized", "response": {"message": "Unauthorized"}}})
    response = switch(api, "sales", target)
    assert response.status_code == 502 and "Unauthorized" in response.json["error"]
    assert stored_mode(app, "sales") == start and provider_truth(provider, "sales") == before


def test_a_read_timeout_is_rolled_back(api, app, provider, sim, create):
    create(mode="webhook")
    before = provider_truth(provider, "sales")
    app.config["PROVIDER_TIMEOUT"] = 0.3
    sim.control("POST", "faults", {"method": "GET", "path": "/websocket/find/sales", "status": None,
                                   "delay": 0.6, "times": 3})
    response = switch(api, "sales", "websocket")
    assert response.status_code == 502 and "did not answer" in response.json["error"]
    assert stored_mode(app, "sales") == "webhook"
    app.config["PROVIDER_TIMEOUT"] = 5.0
    # A timeout leaves the outcome uncertain: drift is flagged until a sync settles it.
    assert api.get("/api/instance-management/state/sales").json["drift"] is True
    synced = api.post("/api/instance-management/sync/sales").json
    assert synced["drift"] is False and provider_truth(provider, "sales") == before


def test_a_write_that_lands_after_its_timeout_is_settled_by_sync(api, app, provider, sim, create):
    create(mode="websocket")
    app.config["PROVIDER_TIMEOUT"] = 0.3
    sim.control("POST", "faults", {"method": "POST", "path": "/websocket/set/sales", "status": None,
                                   "delay": 0.8, "times": 1})
    response = switch(api, "sales", "webhook")
    assert response.status_code == 502
    assert stored_mode(app, "sales") == "websocket"
    app.config["PROVIDER_TIMEOUT"] = 5.0
    wait_for(lambda: not provider.channels("sales")[1], timeout=5, what="the late write")
    synced = api.post("/api/instance-management/sync/sales").json
    assert synced["mode"] == "websocket" and synced["drift"] is False
    assert provider.channels("sales") == (False, True)
