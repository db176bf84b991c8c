"""Truthful to the provider: sync reads its config, reports drift and, by policy, puts the chosen mode back."""
import gevent
import pytest

from gateway.extensions import db
from gateway.models import Instance
from gateway.simulator.testing import wait_for
from tests.cluster.gateways import Watch
from tests.connections.conftest import stored_mode


def set_on_provider(provider, name, channel, body):
    response = provider.rest("POST", f"/{channel}/set/{name}", json={channel: body})
    assert response.status_code == 201, response.text


def test_a_webhook_turned_off_behind_our_back_is_detected_and_reapplied(api, provider, create):
    create(mode="webhook")
    url = provider.webhook("sales")["url"]
    set_on_provider(provider, "sales", "webhook", {"enabled": False, "url": url})
    state = api.post("/api/instance-management/sync/sales").json
    assert state["drift"] is False and "the webhook is off on the provider" in state["driftReason"]
    assert "re-applied webhook" in state["driftReason"] and state["lastSyncAt"]
    assert provider.channels("sales") == (True, False)
    assert provider.webhook("sales")["url"] == url


def test_a_second_channel_switched_on_behind_our_back_is_turned_off(api, provider, create):
    create(mode="webhook")
    set_on_provider(provider, "sales", "websocket", {"enabled": True, "events": []})
    assert provider.channels("sales") == (True, True)
    state = api.post("/api/instance-management/sync/sales").json
    assert "the websocket is on at the provider" in state["driftReason"]
    assert provider.channels("sales") == (True, False)


def test_a_webhook_repointed_elsewhere_is_drift(api, provider, create):
    create(mode="webhook")
    set_on_provider(provider, "sales", "webhook", {"enabled": True, "url": "http://elsewhere.test/hook",
                                                   "events": []})
    state = api.post("/api/instance-management/sync/sales").json
    assert "points elsewhere" in state["driftReason"]
    assert provider.webhook("sales")["url"].startswith("http://127.0.0.1:5999/")


def test_changed_events_are_drift(api, provider, create):
    create(mode="websocket", websocket_events=["MESSAGES_UPSERT"])
    set_on_provider(provider, "sales", "websocket", {"enabled": True, "events": ["CALL"]})
    state = api.post("/api/instance-management/sync/sales").json
    assert "websocket differs" in state["driftReason"]
    assert "MESSAGES_UPSERT" in provider.websocket("sales")["events"]


def test_report_only_policy_marks_drift_and_leaves_the_provider_alone(api, app, provider, create):
    create(mode="webhook")
    with app.app_context():
        db.session.execute(db.update(Instance).values(reapply_on_drift=False))
        db.session.commit()
    url = provider.webhook("sales")["url"]
    set_on_provider(provider, "sales", "webhook", {"enabled": False, "url": url})
    state = api.post("/api/instance-management/sync/sales").json
    assert state["drift"] is True and state["webhookEnabled"] is True
    assert provider.channels("sales") == (False, False)
    instances = api.get("/api/instances").json
    assert instances[0]["drift"] is True and "off on the provider" in instances[0]["drift_reason"]
    # Choosing the mode again is the operator's decision: it heals and defends from then on.
    assert api.post("/api/instance-management/webhook/sales").json["drift"] is False
    assert provider.channels("sales") == (True, False)


def test_sync_records_the_connection_state(api, sim, create):
    create(mode="webhook")
    sim.control("POST", "instances/sales/qr")
    assert api.post("/api/instance-management/sync/sales").json["connectionState"] == "connecting"
    sim.control("POST", "instances/sales/scan", {"number": "5511999990000"})
    assert api.post("/api/instance-management/sync/sales").json["connectionState"] == "open"


def test_an_instance_deleted_on_the_provider_is_drift(api, provider, create):
    create(mode="webhook")
    assert provider.rest("DELETE", "/instance/delete/sales").status_code == 200
    wait_for(lambda: provider.rest("GET", "/instance/connectionState/sales").status_code == 404)
    state = api.post("/api/instance-management/sync/sales").json
    assert state["drift"] is True and "no longer exists" in state["driftReason"]


def test_the_periodic_sync_heals_without_being_asked(app, api, provider, create):
    create(mode="webhook")
    url = provider.webhook("sales")["url"]
    set_on_provider(provider, "sales", "webhook", {"enabled": False, "url": url})
    services = app.extensions["gateway"]
    services.jobs.every("sync", 0.05, services.manager.sync_all)
    try:
        wait_for(lambda: provider.channels("sales") == (True, False), timeout=5, what="the periodic sync")
    finally:
        services.jobs.stop()
    assert stored_mode(app, "sales") == "webhook"


def test_sync_all_reports_each_instance_and_survives_failures(app, api, sim, create):
    create(name="alpha", mode="webhook")
    create(name="beta", mode="none")
    sim.control("POST", "faults", {"method": "GET", "path": "/webhook/find/alpha", "status": 500})
    with app.app_context():
        results = app.extensions["gateway"].manager.sync_all()
    assert results["alpha"].startswith("error") and results["beta"] == "ok"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_twenty_concurrent_togglers_end_consistent_and_never_both(app, client, api, provider, create):
    """Two tabs and scripts at once: the per-instance lock applies changes one at a time."""
    import random

    create(mode="none")
    observed = []

    def toggler(seed):
        rng = random.Random(seed)
        for _ in range(2):
            mode = rng.choice(["webhook", "websocket", "none"])
            path = {"webhook": "/api/instance-management/webhook/sales",
                    "websocket": "/api/instance-management/websocket/sales"}.get(mode)
            response = api.post(path) if path else api.post("/api/instances/sales/mode", json={"mode": "none"})
            assert response.status_code == 200, response.json
            observed.append((response.json["webhookEnabled"], response.json["websocketEnabled"]))

    with Watch(lambda: provider.channels("sales")) as watch:
        gevent.joinall([gevent.spawn(toggler, seed) for seed in range(20)], raise_error=True)
    assert (True, True) not in observed
    assert (True, True) not in watch.seen, "the provider had webhook and websocket on at once"
    mode = stored_mode(app, "sales")
    assert provider.channels("sales") == (mode == "webhook", mode == "websocket")
    state = api.get("/api/instance-management/state/sales").json
    assert state["mode"] == mode and state["drift"] is False
