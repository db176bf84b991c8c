"""Events over both providers (catch-up), and WAHA's own guarantees: signed, retried, stored once, healed."""
from __future__ import annotations

import hashlib
import hmac
import io
import json

import gevent
import pytest
import requests

from gateway.extensions import db
from gateway.models import Instance, ProviderServer
from gateway.simulator.testing import wait_for
from tests.both.conftest import WahaBackend, stored_mode, switch


def joined(api, name) -> bool:
    socket = api.get(f"/api/instance-management/state/{name}").json["socket"]
    return bool(socket) and socket["state"] == "connected"


def wait_stored(backend, app, ids, timeout=10.0) -> dict[str, list[str]]:
    wanted = set(ids)
    return wait_for(lambda: (found := backend.stored_message_sources(app)) and wanted <= set(found) and found,
                    timeout, f"{len(wanted)} messages stored")


def instance_row(app, name) -> Instance:
    with app.app_context():
        row = db.session.execute(db.select(Instance).where(Instance.name == name)).scalar_one()
        db.session.expunge(row)
        return row


def test_messages_a_socket_gap_missed_are_caught_up_once(api, app, backend, create):
    create(mode="websocket")
    backend.make_ready(api)
    first = backend.messages(2)  # Evolution creates the instance's namespace with its first event
    wait_for(lambda: joined(api, backend.name), what="the socket client joined")
    wait_stored(backend, app, first)
    ids = list(first)
    for _ in range(2):
        backend.sim.control("POST", "sockets/drop")
        burst = backend.messages(4)  # while the client reconnects: live after the rejoin, or caught up
        wait_for(lambda: joined(api, backend.name), what="the socket client rejoined")
        ids += burst + backend.messages(2)
    found = wait_stored(backend, app, ids)
    assert sorted(found) == sorted(ids)
    assert all(len(sources) == 1 for sources in found.values()), found
    assert {source for sources in found.values() for source in sources} <= {"websocket", "catchup"}


def test_messages_sent_while_switching_between_channels_are_all_stored_once(api, app, backend, create):
    """Break-before-make leaves a gap in every switch: the catch-up after it reads the gap back."""
    create(mode="websocket")  # so that no webhook says "open" and brings a catch-up of its own
    backend.make_ready(api)
    ids = list(backend.messages(1))
    wait_for(lambda: joined(api, backend.name), what="the socket client joined")
    wait_stored(backend, app, ids)
    stop = gevent.event.Event()

    def emit():
        while not stop.is_set():
            try:
                ids.extend(backend.messages(1))
            except requests.HTTPError:
                pass  # WAHA restarts a session whose config changed: meanwhile nothing can be sent
            stop.wait(0.02)

    emitter = gevent.spawn(emit)
    for mode in ("webhook", "websocket", "webhook"):
        if mode == "webhook":
            backend.slow_webhook_on(0.5)  # a gap that messages surely fall into, with no later join to mend it
        response = api.post(f"/api/instances/{backend.name}/mode", json={"mode": mode})
        assert response.status_code == 200, response.json
    stop.set()
    emitter.join()
    found = wait_stored(backend, app, ids, timeout=20)
    assert all(len(sources) == 1 for sources in found.values()), found


# -- WAHA's own -----------------------------------------------------------------------------------

# These run against WAHA alone: the backend (and so the app) is parametrized to WAHA only.
waha_only = pytest.mark.parametrize("backend", ["waha"], indirect=True)


@pytest.fixture
def waha(backend):
    return backend


@waha_only
def test_signed_webhooks_are_verified_and_a_retry_is_stored_once(api, app, waha, create, monkeypatch):
    create(mode="webhook", events=["message"])
    waha.make_ready(api)
    assert waha.ours()[0]["hmac"]["key"] == instance_row(app, waha.name).webhook_secret
    answers = []
    inner = app.wsgi_app  # the webhook fast path answers before Flask's hooks: wrap the whole app

    def first_answer_lost(environ, start_response):
        """The event is stored, but WAHA never hears the 200 (as when a connection drops): it retries."""
        if not environ.get("PATH_INFO", "").startswith("/api/webhooks/waha"):
            return inner(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        if json.loads(body or b"{}").get("event") != "message":
            return inner(environ, start_response)
        answered = {}
        answer = b"".join(inner(environ, lambda status, headers, exc_info=None: answered.update(status=status, headers=headers)))
        answers.append(json.loads(answer))
        start_response("500 INTERNAL SERVER ERROR" if len(answers) == 1 else answered["status"], answered["headers"])
        return [answer]

    monkeypatch.setattr(app, "wsgi_app", first_answer_lost)
    ids = waha.messages(1)
    wait_for(lambda: len(answers) >= 2, 5, "WAHA's retry")
    assert [answer["status"] for answer in answers[:2]] == ["stored", "duplicate"]
    assert waha.stored_message_sources(app) == {ids[0]: ["webhook"]}


@waha_only
def test_a_wrong_or_missing_hmac_is_401_and_stores_nothing(api, app, waha, create, live):
    create(mode="webhook")
    body = json.dumps({"id": "evt_01kaaaaaaaaaaaaaaaaaaaaaaa", "event": "message", "session": waha.name,
                       "payload": {"id": "false_1@c.us_X", "body": "forged"}}, separators=(",", ":")).encode()
    url = live.url + "/api/webhooks/waha"
    wrong = hmac.new(b"not the key", body, hashlib.sha512).hexdigest()
    for headers in ({"X-Webhook-Hmac": wrong}, {}):
        response = requests.post(url, data=body, headers={"Content-Type": "application/json", **headers}, timeout=5)
        assert response.status_code == 401, response.text
    key = instance_row(app, waha.name).webhook_secret.encode()
    signed = {"Content-Type": "application/json", "X-Webhook-Hmac": hmac.new(key, body, hashlib.sha512).hexdigest()}
    assert requests.post(url, data=body, headers=signed, timeout=5).json()["status"] == "stored"
    assert requests.post(url, data=body, headers=signed, timeout=5).json()["status"] == "duplicate"
    assert requests.post(url, data=b"{not json", headers=signed, timeout=5).status_code == 400


@waha_only
def test_a_waha_restart_that_forgets_the_webhook_heals_without_an_operator(api, app, waha, create):
    create(mode="webhook", events=["message"])
    waha.sim.control("POST", "restart")  # WAHA keeps config in memory: the webhook is gone
    assert waha.truth() == (False, False)
    with app.app_context():
        results = app.extensions["gateway"].manager.sync_all()  # what the periodic sync job runs
    assert results == {waha.name: "ok"}
    waha.wait_truth("webhook")
    assert "re-applied webhook" in instance_row(app, waha.name).drift_reason
    waha.make_ready(api)
    wait_stored(waha, app, waha.messages(1))


@waha_only
def test_qr_is_fetched_on_scan_qr_code_and_cleared_once_working(api, app, waha, create):
    create(mode="webhook")
    api.post(f"/api/instances/{waha.name}/connect")
    wait_for(lambda: (row := instance_row(app, waha.name)).qr_code and row, 5, "the QR fetched")
    row = instance_row(app, waha.name)
    assert row.qr_code.startswith("data:image/png;base64,") and row.provider_status == "SCAN_QR_CODE"
    assert row.connection_state == "connecting"
    pairing = api.post(f"/api/instances/{waha.name}/pairing-code", json={"number": "+55 11 99999-0000"})
    assert pairing.status_code == 200 and len(pairing.json["pairingCode"]) == 9
    waha.sim.control("POST", f"instances/{waha.name}/scan", {"number": "5511999990000"})
    wait_for(lambda: instance_row(app, waha.name).connection_state == "open", 5, "WORKING")
    row = instance_row(app, waha.name)
    assert (row.qr_code, row.phone_number, row.provider_status) == (None, "5511999990000", "WORKING")


@waha_only
def test_another_session_name_shows_wahas_own_422(api, app, waha):
    server_id = waha.register(app)
    response = api.post("/api/instances", json={"name": "sales", "server_id": server_id, "mode": "webhook"})
    assert response.status_code == 422 and "WAHA Core support only 'default' session" in response.json["error"]


@waha_only
def test_stream_frames_follow_the_seed_rule(app, waha):
    from gateway.providers import stream_frame_name
    assert [stream_frame_name(name) for name in ("message", "message.ack", "session.status", "group.v2.join")] == [
        "whatsapp:message_received", "whatsapp:message_ack", "whatsapp:status_instance", "whatsapp:group_v2_join"]


@waha_only
def test_waha_2024_works_without_hmac_and_ids(api, app, live, waha, wsim_2024):
    old = WahaBackend(wsim_2024, live)
    server_id = old.register(app)
    response = api.post("/api/instances", json={"name": "default", "server_id": server_id, "mode": "webhook",
                                                "events": ["message"]})
    assert response.status_code == 201, response.json
    hook = old.ours()[0]
    assert "hmac" not in hook and hook["url"] == f"{live.url}/api/webhooks/waha/{instance_row(app, 'default').webhook_secret}"
    old.make_ready(api)
    ids = old.messages(2)
    found = wait_stored(old, app, ids)
    assert found == {key: ["webhook"] for key in ids}
    for refused in (switch(api, "default", "websocket"), api.post("/api/instance-management/websocket/default")):
        assert refused.status_code == 422 and "session.status only" in refused.json["error"]
    assert stored_mode(app, "default") == "webhook" and old.ours()  # the webhook still delivers
    wsim_2024.control("POST", "sockets/drop")


@waha_only
def test_waha_2024_refuses_websocket_mode_at_creation_and_shows_it_as_drift_after_a_downgrade(api, app, live, waha,
                                                                                              wsim_2024):
    """2024.10.8's /ws carries session.status only: websocket mode there would lose every message."""
    old = WahaBackend(wsim_2024, live)
    server_id = old.register(app)
    refused = api.post("/api/instances", json={"name": "default", "server_id": server_id, "mode": "websocket"})
    assert refused.status_code == 422 and "session.status only" in refused.json["error"]
    assert api.get("/api/instances").json == [] and old.session()["config"] is None  # nothing made anywhere
    with app.app_context():  # as if the server had been 2026.2.1 when registered and was then replaced
        db.session.get(ProviderServer, server_id).version = "2026.2.1"
        db.session.commit()
    assert api.post("/api/instances", json={"name": "default", "server_id": server_id,
                                            "mode": "websocket"}).status_code == 201
    state = api.post("/api/instance-management/sync/default").json
    assert state["mode"] == "websocket" and state["drift"] is True
    assert "2026.2.1 -> 2024.10.8" in state["driftReason"] and "session.status only" in state["driftReason"]
    # Re-applying fails at its first step, whose undo repeats the refused call: no step was left undone.
    assert "re-applying websocket failed" in state["driftReason"] and "could not undo" not in state["driftReason"]
    wsim_2024.control("POST", "sockets/drop")


@waha_only
def test_waha_events_reach_programs_and_the_monitor_like_evolutions(api, app, waha, create):
    create(mode="webhook", events=["message"])
    waha.make_ready(api)
    wait_stored(waha, app, waha.messages(1))
    frames = api.get(f"/api/events?instance={waha.name}&event=message").json["events"]
    assert frames[0]["type"] == "whatsapp:message_received" and frames[0]["data"]["body"] == "hello"
    statuses = api.get(f"/api/events?instance={waha.name}&event=session.status").json["events"]
    assert {frame["type"] for frame in statuses} == {"whatsapp:status_instance"}
    from gateway.providers import event_summary
    said = event_summary("message", {"session": "default", "payload": {"body": "hello", "from": "5511988887777@c.us"}})
    assert (said.sender, said.text) == ("5511988887777", "hello")
    assert event_summary("session.status", {"session": "default", "payload": {"status": "WORKING"}}).text == "WORKING"
