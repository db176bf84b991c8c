"""Rate limits on the JSON API and the event stream, per API token and per tenant; never on webhooks."""
from __future__ import annotations

import pytest

from gateway.providers.evolution.channels import WEBHOOK_PATH
from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Role, Tenant
from tests.conftest import build_app


@pytest.fixture
def limited(database_url):
    apps = []

    def make(**limits):
        app = build_app(database_url, **{"API_LIMIT_TOKEN": "100 per minute", "API_LIMIT_TENANT": "100 per minute",
                                         **limits})
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def tokens(app, *users: tuple[str, str]) -> list[dict]:
    """A bearer header for each (e-mail, tenant)."""
    from gateway.tokens import issue_token
    from gateway.models import User

    headers = []
    with app.app_context():
        for email, tenant_name in users:
            tenant = db.session.execute(db.select(Tenant).where(Tenant.name == tenant_name)).scalar_one_or_none()
            user = User(tenant=tenant or Tenant(name=tenant_name), email=email, role=Role.ADMIN.value)
            user.set_password("correct horse")
            db.session.add(user)
            db.session.commit()
            headers.append({"Authorization": f"Bearer {issue_token(user, 'tests')}"})
    return headers


def statuses(client, headers, count, path="/api/instances"):
    return [client.get(path, headers=headers).status_code for _ in range(count)]


def assert_limited(response, message):
    assert response.status_code == 429
    assert message in response.json["error"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_each_api_token_has_its_own_limit(limited):
    app = limited(API_LIMIT_TOKEN="3 per minute")
    first, second = tokens(app, ("a@example.com", "Acme"), ("b@example.com", "Acme"))
    client = app.test_client()
    assert statuses(client, first, 3) == [200, 200, 200]
    # One budget across the whole API: another route answers 429 too.
    assert_limited(client.get("/api/servers", headers=first), "Too many requests for this API token")
    assert statuses(client, second, 3) == [200, 200, 200]


def test_a_tenants_tokens_share_the_tenant_limit(limited):
    app = limited(API_LIMIT_TENANT="4 per minute")
    first, second, elsewhere = tokens(app, ("a@example.com", "Acme"), ("b@example.com", "Acme"),
                                      ("c@example.com", "Globex"))
    client = app.test_client()
    assert statuses(client, first, 2) + statuses(client, second, 2) == [200] * 4
    assert_limited(client.get("/api/instances", headers=second), "Too many requests for this tenant")
    assert statuses(client, elsewhere, 4) == [200] * 4


def test_the_event_stream_counts_against_the_same_limit(limited):
    app = limited(API_LIMIT_TOKEN="2 per minute")
    (header,) = tokens(app, ("a@example.com", "Acme"))
    client = app.test_client()
    assert statuses(client, header, 2) == [200, 200]
    handshake = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    assert_limited(client.get("/api/stream", headers={**header, **handshake}), "Too many requests for this API token")


def test_anonymous_calls_are_refused_not_counted(limited):
    app = limited(API_LIMIT_TOKEN="1 per minute", API_LIMIT_TENANT="1 per minute")
    client = app.test_client()
    assert statuses(client, {}, 3) == [401, 401, 401]


def test_the_webhook_receiver_is_never_rate_limited(limited):
    app = limited(API_LIMIT_TOKEN="1 per minute", API_LIMIT_TENANT="1 per minute",
                  LOGIN_LIMIT_ADDRESS="1 per minute")
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        instance = Instance(tenant=Tenant(name="Acme"), server=server, name="sales")
        db.session.add(instance)
        db.session.commit()
        url = f"{WEBHOOK_PATH}/{instance.webhook_secret}"
    client = app.test_client()
    answers = [client.post(url, json={"event": "messages.upsert", "instance": "sales",
                                      "data": {"key": {"id": f"M{n}", "remoteJid": "1@s.whatsapp.net"}}}).status_code
               for n in range(30)]
    answers += [client.post(url, data=b"not json").status_code for _ in range(5)]
    assert answers == [200] * 30 + [400] * 5
    app.extensions["gateway"].shutdown()


def test_with_redis_the_workers_share_one_budget(limited, database_url):
    """Two apps on one database and one Redis stand for two gunicorn workers."""
    first_worker = limited(API_LIMIT_TOKEN="2 per minute", REDIS_URL="redis://127.0.0.1:6379/0")
    (header,) = tokens(first_worker, ("a@example.com", "Acme"))
    assert statuses(first_worker.test_client(), header, 2) == [200, 200]
    # Built afterwards, with its own connection: only what the first one stored in Redis can refuse.
    second_worker = limited(API_LIMIT_TOKEN="2 per minute", REDIS_URL="redis://127.0.0.1:6379/0")
    assert_limited(second_worker.test_client().get("/api/instances", headers=header),
                   "Too many requests for this API token")


def test_a_mistyped_limit_stops_the_start(database_url):
    with pytest.raises(RuntimeError, match="API_LIMIT_TOKEN is not a rate limit"):
        build_app(database_url, API_LIMIT_TOKEN="lots per minute")
