"""The webhook's retry policy: stored per instance, sent in WAHA's config.webhooks[].retries, read back by
sync as no drift, and a 422 in words where it does not fit (a bad value, or a server with none to set)."""
from __future__ import annotations

import pytest
import requests

from gateway.extensions import db
from gateway.models import Instance
from tests.both.conftest import WahaBackend

CUSTOM = {"policy": "constant", "delaySeconds": 1, "attempts": 3}
DEFAULT = {"policy": "exponential", "delaySeconds": 2, "attempts": 8}
waha_only = pytest.mark.parametrize("backend", ["waha"], indirect=True)
evolution_only = pytest.mark.parametrize("backend", ["evolution"], indirect=True)


def stored_retries(app, name):
    with app.app_context():
        row = db.session.execute(db.select(Instance).where(Instance.name == name)).scalar_one()
        return row.webhook_retry_policy, row.webhook_retry_delay, row.webhook_retry_attempts


@waha_only
def test_a_chosen_policy_reaches_waha_and_a_sync_leaves_it_alone(api, app, backend, create):
    create(mode="websocket")
    base = f"/api/webhook-management/waha/{backend.name}"
    configured = api.post(base, json={"events": backend.selection, "retries": CUSTOM})
    assert configured.status_code == 200 and configured.json["webhookConfig"]["retries"] == CUSTOM
    assert backend.ours()[0]["retries"] == CUSTOM
    found = api.get(base).json
    assert found["provider"]["retries"] == CUSTOM and found["state"]["webhookConfig"]["retries"] == CUSTOM
    synced = api.post(f"/api/instance-management/sync/{backend.name}").json
    assert synced["drift"] is False and synced["driftReason"] is None
    assert backend.ours()[0]["retries"] == CUSTOM
    # A later change that does not name the policy keeps it; {} puts the gateway's default back.
    assert api.post(base, json={"events": ["message"]}).status_code == 200
    assert backend.ours()[0]["retries"] == CUSTOM
    assert api.post(base, json={"retries": {}}).json["webhookConfig"]["retries"] == DEFAULT
    assert backend.ours()[0]["retries"] == DEFAULT


@waha_only
def test_a_policy_changed_behind_the_gateways_back_is_put_back(api, app, backend, create):
    create(mode="webhook", retries=CUSTOM)
    assert backend.ours()[0]["retries"] == CUSTOM
    config = backend.session()["config"]
    config["webhooks"] = [{**hook, "retries": {"policy": "linear", "delaySeconds": 5, "attempts": 1}}
                          if hook in backend.ours() else hook for hook in config["webhooks"]]
    requests.put(f"{backend.sim.base_url}/api/sessions/{backend.name}", headers={"X-Api-Key": backend.sim.api_key},
                 json={"config": config}, timeout=5).raise_for_status()
    synced = api.post(f"/api/instance-management/sync/{backend.name}").json
    assert "the provider's webhook differs (retries)" in synced["driftReason"]
    assert "re-applied webhook" in synced["driftReason"]
    assert backend.ours()[0]["retries"] == CUSTOM


@waha_only
@pytest.mark.parametrize("retries, words", [
    ({"policy": "random"}, "retries.policy must be one of constant, linear, exponential"),
    ({"attempts": -1}, "retries.attempts must be a whole number"),
    ("exponential", "retries must be an object"),
])
def test_a_bad_policy_is_a_422_that_changes_nothing(api, app, backend, create, retries, words):
    create(mode="webhook", retries=CUSTOM)
    answer = api.post(f"/api/webhook-management/waha/{backend.name}", json={"events": ["message"], "retries": retries})
    assert answer.status_code == 422 and words in answer.json["error"]
    assert backend.ours()[0]["retries"] == CUSTOM and stored_retries(app, backend.name) == ("constant", 1, 3)


@evolution_only
def test_evolution_has_no_policy_to_set(api, app, backend, create):
    create(mode="webhook")
    answer = api.post(f"/api/webhook-management/evolution/{backend.name}", json={"retries": CUSTOM})
    assert answer.status_code == 422 and "Evolution API has no per-instance webhook retry policy" in answer.json["error"]
    assert "retries" not in api.get(f"/api/instance-management/state/{backend.name}").json["webhookConfig"]
    assert stored_retries(app, backend.name) == (None, None, None)


@waha_only
def test_waha_2024_has_no_policy_to_set(api, app, live, backend, wsim_2024):
    """2024.10.8 takes `retries` and never retries: a policy there would be a promise nobody keeps."""
    old = WahaBackend(wsim_2024, live)
    server_id = old.register(app)
    refused = api.post("/api/instances", json={"name": "default", "server_id": server_id, "mode": "webhook",
                                               "retries": CUSTOM})
    assert refused.status_code == 422 and "WAHA 2024.10.8 never retries" in refused.json["error"]
    assert api.get("/api/instances").json == []
    assert api.post("/api/instances", json={"name": "default", "server_id": server_id,
                                            "mode": "webhook"}).status_code == 201
    assert "retries" not in old.ours()[0]
    assert "retries" not in api.get("/api/instance-management/state/default").json["webhookConfig"]
