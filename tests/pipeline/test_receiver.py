"""The webhook receiver over real HTTP: every captured event stored, bad input refused with nothing stored."""
from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.connections.settings import SECRET_HEADER, WEBHOOK_PATH
from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Tenant
from tests.ingest.conftest import captured_events

CAPTURES = captured_events()


@pytest.fixture
def hook(app, live):
    """An instance `sales` known to the gateway; `hook.url` is its webhook URL (with its secret)."""
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        instance = Instance(tenant=Tenant(name="Acme"), server=server, name="sales")
        db.session.add(instance)
        db.session.commit()
        secret = instance.webhook_secret

    class Hook:
        url = f"{live.url}{WEBHOOK_PATH}/{secret}"
        bare = f"{live.url}{WEBHOOK_PATH}"

        @staticmethod
        def post(body, url=None, **kw):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            return requests.post(url or Hook.url, data=data, headers={"Content-Type": "application/json",
                                                                      **kw.pop("headers", {})}, timeout=10, **kw)

    Hook.secret = secret
    return Hook


def as_sales(envelope: dict) -> dict:
    return {**envelope, "instance": "sales"}


@pytest.mark.parametrize("transport, path_event, envelope", CAPTURES,
                         ids=[f"{t}-{i}-{e['event']}" for i, (t, _, e) in enumerate(CAPTURES)])
def test_every_captured_event_is_stored_under_its_name(hook, store, transport, path_event, envelope):
    url = f"{hook.url}/{path_event}" if path_event else hook.url
    response = hook.post(as_sales(envelope), url)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "stored"
    [stored] = store.events("sales")
    assert (stored.id, stored.name, stored.source) == (response.json()["id"], envelope["event"], "webhook")
    assert stored.payload["data"] == envelope["data"]
    assert "apikey" not in stored.payload and "destination" not in stored.payload


def test_the_same_envelope_posted_three_times_is_stored_once(hook, store, envelope):
    body = as_sales(envelope("messages.upsert", {"key": {"id": "3EB0RETRY", "remoteJid": "x@s.whatsapp.net"}}))
    answers = [hook.post(body).json() for _ in range(3)]
    assert [a["status"] for a in answers] == ["stored", "duplicate", "duplicate"]
    assert len(store.events("sales")) == 1


def test_the_bare_route_takes_the_secret_header(hook, store, envelope):
    body = as_sales(envelope("connection.update", {"instance": "sales", "state": "open", "statusReason": 200,
                                                   "wuid": "5511999990000@s.whatsapp.net"}))
    response = hook.post(body, hook.bare, headers={SECRET_HEADER: hook.secret})
    assert response.status_code == 200, response.text
    assert [e.name for e in store.events("sales")] == ["connection.update"]
    instance = store.instance("sales")
    assert (instance.connection_state, instance.phone_number) == ("open", "5511999990000")


@pytest.mark.parametrize("case, status", [
    ("malformed", 400), ("not an object", 400), ("no event", 400), ("no instance", 400),
    ("nan", 400), ("deep", 400), ("unknown instance", 404), ("wrong secret", 401),
    ("no secret", 401), ("another instance's secret", 401), ("oversize", 413),
])
def test_bad_input_is_answered_with_its_status_and_nothing_is_stored(app, hook, store, envelope, case, status):
    good = as_sales(envelope("messages.upsert", {"key": {"id": "3EB0BAD"}}))
    url, body, headers = hook.url, good, {}
    if case == "malformed":
        body = b'{"event": "messages.upsert", "instance": "sales",'
    elif case == "not an object":
        body = [good]
    elif case == "no event":
        body = {k: v for k, v in good.items() if k != "event"}
    elif case == "no instance":
        body = {k: v for k, v in good.items() if k != "instance"}
    elif case == "nan":
        body = b'{"event": "call", "instance": "sales", "data": NaN}'
    elif case == "deep":
        body = b"[" * 100_000 + b"]" * 100_000
    elif case == "unknown instance":
        body = {**good, "instance": "deleted-long-ago"}
    elif case == "wrong secret":
        url = f"{hook.bare}/not-the-secret"
    elif case == "no secret":
        url = hook.bare
    elif case == "another instance's secret":
        body = {**good, "instance": "support"}
        with app.app_context():
            sales = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
            db.session.add(Instance(tenant_id=sales.tenant_id, server_id=sales.server_id, name="support"))
            db.session.commit()
    elif case == "oversize":
        app.config["MAX_CONTENT_LENGTH"] = 4096
        body = as_sales(envelope("messages.upsert", {"key": {"id": "3EB0BIG"}, "base64": "A" * 8192}))
    response = hook.post(body, url, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]
    assert hook.secret not in response.text
    assert store.events() == []


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
ENVELOPES = JSON | st.fixed_dictionaries(
    {"event": st.text(max_size=40) | st.sampled_from(["messages.upsert", "connection.update", "qrcode.updated"])},
    optional={"instance": st.just("sales") | JSON, "data": JSON, "date_time": st.text(max_size=30) | JSON})
HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYPOTHESIS
@given(body=ENVELOPES, path=st.sampled_from(["", "/messages-upsert", "/x"]))
def test_any_json_gets_an_answer_below_500(hook, body, path):
    response = hook.post(body, hook.url + path)
    assert response.status_code in (200, 400, 404), response.text


@HYPOTHESIS
@given(body=st.binary(max_size=300), path=st.text(st.characters(blacklist_categories=["Cs"]), max_size=20))
def test_any_bytes_and_path_get_an_answer_below_500(hook, body, path):
    response = hook.post(body, hook.url + "/" + requests.utils.quote(path))
    assert response.status_code < 500, response.text
