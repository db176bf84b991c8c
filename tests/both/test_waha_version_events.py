"""A WAHA server offers the events its version emits: on 2024.10.8 the API takes no event that came later
(a 422 in words, nothing changed), and "every event" is each of its own, since it refuses `*`."""
from __future__ import annotations

import pytest

from gateway.extensions import db
from gateway.models import ProviderServer
from gateway.simulator.waha.versions import VERSIONS
from tests.both.conftest import WahaBackend

pytestmark = pytest.mark.parametrize("backend", ["waha"], indirect=True)
EVENTS_2024 = list(VERSIONS["2024.10.8"].events)


@pytest.fixture
def old(api, app, live, backend, wsim_2024) -> WahaBackend:
    """A 2024.10.8 server with its `default` session taken over in webhook mode, messages selected."""
    old = WahaBackend(wsim_2024, live)
    server_id = old.register(app)
    refused = api.post("/api/instances", json={"name": "default", "server_id": server_id, "mode": "webhook",
                                               "events": ["message", "message.edited"]})
    assert refused.status_code == 422
    assert refused.json["error"] == "WAHA 2024.10.8 does not emit 'message.edited': the event came with a later version."
    assert api.get("/api/instances").json == []
    assert api.post("/api/instances", json={"name": "default", "server_id": server_id, "mode": "webhook",
                                            "events": ["message"]}).status_code == 201
    assert old.ours()[0]["events"] == ["message", "session.status"]
    return old


@pytest.mark.parametrize("path", ["/api/webhook-management/waha/default", "/api/instance-management/webhook/default"])
def test_an_event_the_version_does_not_emit_is_a_422_that_changes_nothing(api, old, path):
    refused = api.post(path, json={"events": ["message", "group.v2.join"]})
    assert refused.status_code == 422
    assert refused.json["error"] == "WAHA 2024.10.8 does not emit 'group.v2.join': the event came with a later version."
    assert old.ours()[0]["events"] == ["message", "session.status"]
    assert api.get("/api/instance-management/state/default").json["webhookConfig"]["events"] == ["message"]
    unknown = api.post(path, json={"events": ["message.sent"]})
    assert unknown.status_code == 422 and unknown.json["error"] == "'message.sent' is not an event WAHA lets you select."


def test_the_refusal_reads_in_the_callers_language(api, old):
    refused = api.client.post("/api/webhook-management/waha/default", json={"events": ["engine.event"]},
                              headers={**api.headers, "Accept-Language": "pt-BR"})
    assert refused.status_code == 422
    assert refused.json["error"] == "O WAHA 2024.10.8 não emite 'engine.event': o evento veio com uma versão posterior."


def test_every_event_is_asked_for_by_name_where_the_version_refuses_a_star(api, old):
    every = api.post("/api/webhook-management/waha/default", json={"events": []})
    assert every.status_code == 200 and every.json["webhookConfig"]["events"] == []
    assert old.ours()[0]["events"] == EVENTS_2024
    chosen = api.post("/api/webhook-management/waha/default", json={"events": EVENTS_2024})
    assert chosen.status_code == 200 and old.ours()[0]["events"] == EVENTS_2024


def test_a_selection_stored_before_a_version_change_keeps_what_the_server_still_emits(api, app, create, client, login):
    create(mode="webhook", events=["message", "message.edited"])
    stored = api.get("/api/instance-management/state/default").json["webhookConfig"]["events"]
    assert stored == ["message", "message.edited"]
    with app.app_context():
        db.session.execute(db.update(ProviderServer).values(version="2024.10.8"))
        db.session.commit()
    assert api.get("/api/instance-management/state/default").json["webhookConfig"]["events"] == ["message"]
    login("operator@example.com")
    modal = client.get("/instances/default/connection", headers={"HX-Request": "true"})
    assert modal.status_code == 200 and "1 of 21 chosen" in modal.get_data(as_text=True)
