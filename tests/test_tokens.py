"""API tokens: listed without the secret, revoked and expired tokens answer 401, last use written sparingly."""
from __future__ import annotations

from datetime import timedelta

import pytest

from gateway.extensions import db
from gateway.models import ApiToken, Role, User, utcnow
from gateway.tokens import LAST_USED_EVERY, issue_token

# Expiry and last use compare moments: SQLite hands them back naive, PostgreSQL aware.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_row(app, name: str) -> ApiToken:
    with app.app_context():
        row = db.session.execute(db.select(ApiToken).where(ApiToken.name == name)).scalar_one()
        db.session.expunge(row)
        return row


def test_create_list_and_revoke_through_the_api(client, admin):
    created = client.post("/api/tokens", json={"name": "deploy", "expires_in_days": 30}, headers=admin)
    assert created.status_code == 201, created.json
    token = created.json["token"]
    assert token.startswith("gw_") and created.json["prefix"] == token[:8]
    assert client.get("/api/instances", headers=bearer(token)).status_code == 200

    listed = client.get("/api/tokens", headers=admin)
    assert [t["name"] for t in listed.json] == ["tests", "deploy"]
    assert token not in listed.get_data(as_text=True)
    deploy = listed.json[1]
    assert deploy["user"] == "admin@example.com" and deploy["expires_at"] and deploy["last_used_at"]
    assert deploy["expired"] is False

    assert client.delete(f"/api/tokens/{deploy['id']}", headers=admin).status_code == 204
    refused = client.get("/api/instances", headers=bearer(token))
    assert refused.status_code == 401 and "error" in refused.json
    assert [t["name"] for t in client.get("/api/tokens", headers=admin).json] == ["tests"]


def test_an_expired_token_answers_401(client, app, make_user):
    with app.app_context():
        token = issue_token(db.session.get(User, make_user()), "short", expires_in_days=1)
    assert client.get("/api/instances", headers=bearer(token)).status_code == 200
    with app.app_context():
        row = db.session.execute(db.select(ApiToken)).scalar_one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get("/api/instances", headers=bearer(token)).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(client, app, make_user):
    with app.app_context():
        token = issue_token(db.session.get(User, make_user()), "busy")
    client.get("/api/instances", headers=bearer(token))
    first = token_row(app, "busy").last_used_at
    assert first is not None
    for _ in range(3):
        client.get("/api/instances", headers=bearer(token))
    assert token_row(app, "busy").last_used_at == first
    with app.app_context():  # a minute later, as far as the token knows
        row = db.session.execute(db.select(ApiToken)).scalar_one()
        row.last_used_at = first - LAST_USED_EVERY
        db.session.commit()
    client.get("/api/instances", headers=bearer(token))
    assert token_row(app, "busy").last_used_at > first


@pytest.mark.parametrize("body, message", [
    ({}, "name is required"),
    ({"name": "   "}, "name is required"),
    ({"name": "x" * 121}, "is longer than 120"),
    ({"name": "ok", "expires_in_days": 0}, "expires_in_days"),
    ({"name": "ok", "expires_in_days": 3651}, "expires_in_days"),
    ({"name": "ok", "expires_in_days": "30"}, "expires_in_days"),
    ({"name": "ok", "expires_in_days": True}, "expires_in_days"),
])
def test_bad_token_requests_are_422(client, admin, body, message):
    response = client.post("/api/tokens", json=body, headers=admin)
    assert response.status_code == 422 and message in response.json["error"]


def test_another_tenants_token_is_404_and_stays_alive(client, app, make_user, token_for, admin):
    theirs = token_for(make_user("other@example.com", tenant="Other"))
    with app.app_context():
        their_id = db.session.execute(db.select(ApiToken.id).join(User).where(
            User.email == "other@example.com")).scalar_one()
    assert client.delete(f"/api/tokens/{their_id}", headers=admin).status_code == 404
    assert client.get("/api/instances", headers=theirs).status_code == 200
    assert "other@example.com" not in client.get("/api/tokens", headers=admin).get_data(as_text=True)


@pytest.mark.parametrize("method, path", [("get", "/api/tokens"), ("post", "/api/tokens"),
                                          ("delete", "/api/tokens/1")])
def test_token_routes_need_an_admin(client, make_user, token_for, method, path):
    assert getattr(client, method)(path, json={"name": "x"}).status_code == 401
    operator = token_for(make_user("op@example.com", role=Role.OPERATOR))
    assert getattr(client, method)(path, json={"name": "x"}, headers=operator).status_code == 403


def test_cli_creates_expiring_tokens_lists_and_revokes_them(runner, app, client, make_user):
    make_user()
    created = runner.invoke(args=["token", "create", "--email", "admin@example.com", "--name", "cron",
                                  "--expires-in-days", "7"])
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    assert client.get("/api/instances", headers=bearer(token)).status_code == 200
    listed = runner.invoke(args=["token", "list"]).output
    assert "\tcron\t" in listed and token not in listed and token[:8] in listed
    token_id = token_row(app, "cron").id
    assert runner.invoke(args=["token", "revoke", str(token_id)]).exit_code == 0
    assert client.get("/api/instances", headers=bearer(token)).status_code == 401
    bad = runner.invoke(args=["token", "create", "--email", "admin@example.com", "--name", "x",
                              "--expires-in-days", "0"])
    assert bad.exit_code != 0 and "expires_in_days" in bad.output
