"""The webhook receiver's fast path takes the plain case itself and leaves every other one to Flask's view,
which then answers as it always has (tests/pipeline/test_receiver.py holds for both ways in)."""
from __future__ import annotations

import json

import pytest

from gateway.providers.evolution.channels import SECRET_HEADER, WEBHOOK_PATH
from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Tenant
from gateway.web.headers import HEADERS


@pytest.fixture
def receiver(app):
    """The instance `sales`, a test client, and a count of the requests Flask's view handled."""
    with app.app_context():
        instance = Instance(tenant=Tenant(name="Acme"), name="sales",
                            server=ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9",
                                                  api_key="k"))
        db.session.add(instance)
        db.session.commit()
        secret = instance.webhook_secret
    view = app.view_functions["webhooks.webhook"]
    calls = []

    def counted(**kwargs):
        calls.append(kwargs)
        return view(**kwargs)

    app.view_functions["webhooks.webhook"] = counted

    class Receiver:
        url = f"{WEBHOOK_PATH}/{secret}"
        view_calls = calls
        client = app.test_client()

        @classmethod
        def post(cls, body, url=None, **kw):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            return cls.client.post(url or cls.url, data=data, content_type="application/json", **kw)

    Receiver.secret = secret
    return Receiver


def message(key: str) -> dict:
    return {"event": "messages.upsert", "instance": "sales", "data": {"key": {"id": key}}}


def test_a_plain_webhook_is_stored_and_answered_without_the_view(receiver, store):
    first, again = receiver.post(message("3EB0FAST")), receiver.post(message("3EB0FAST"))
    [stored] = store.events("sales")
    assert first.status_code == again.status_code == 200
    assert (first.json, again.json) == ({"status": "stored", "id": stored.id}, {"status": "duplicate", "id": None})
    assert receiver.view_calls == []
    assert {name: first.headers[name] for name in HEADERS} == HEADERS


def test_the_event_named_by_the_path_and_the_header_secret_take_the_fast_path_too(receiver, store):
    body = {k: v for k, v in message("3EB0PATH").items() if k != "event"}
    assert receiver.post(body, f"{receiver.url}/messages-upsert").status_code == 200
    bare = receiver.post(message("3EB0BARE"), WEBHOOK_PATH, headers={SECRET_HEADER: receiver.secret})
    assert bare.status_code == 200
    assert [e.name for e in store.events("sales")] == ["messages.upsert", "messages.upsert"]
    assert receiver.view_calls == []


@pytest.mark.parametrize("case, status", [
    ("wrong secret", 401), ("malformed", 400), ("unknown instance", 404), ("trailing slash", 404),
    ("three segments", 404), ("oversize", 413), ("bearer header", 200),
])
def test_anything_else_is_answered_by_the_view_with_the_body_intact(app, receiver, store, case, status):
    url, body, headers = receiver.url, json.dumps(message("3EB0ELSE")).encode(), {}
    if case == "wrong secret":
        url = f"{WEBHOOK_PATH}/not-the-secret"
    elif case == "malformed":
        body = body[:-3]
    elif case == "unknown instance":
        body = json.dumps({**message("3EB0ELSE"), "instance": "gone"}).encode()
    elif case == "trailing slash":
        url += "/"
    elif case == "three segments":
        url += "/messages-upsert/more"
    elif case == "oversize":
        app.config["MAX_CONTENT_LENGTH"] = len(body) - 1
    elif case == "bearer header":
        headers = {"Authorization": "Bearer not-a-token"}
    response = receiver.post(body, url, headers=headers)
    assert response.status_code == status, response.text
    assert len(receiver.view_calls) == 1
    assert len(store.events("sales")) == (1 if status == 200 else 0)


def test_a_webhook_after_the_writer_stopped_gets_a_503_to_retry_and_nothing_is_stored(app, receiver, store):
    app.extensions["gateway"].writer.stop()
    answer = receiver.post(message("3EB0LATE"))
    assert answer.status_code == 503
    assert "shutting down" in answer.json["error"] and "send it again" in answer.json["error"]
    assert store.events("sales") == []
    assert len(receiver.view_calls) == 1  # the fast path handed it over; the view answered
