"""The audit log: mode switches, servers, tokens and users recorded with actor, time, before and after;
shown in Settings and exported as JSON to the tenant's administrators only."""
from __future__ import annotations

import pytest

from gateway.extensions import db
from gateway.models import AuditEntry, Role
from tests.conftest import csrf_token
from tests.connections.conftest import api, create, server_id  # noqa: F401


def entries(app, action=None) -> list[AuditEntry]:
    with app.app_context():
        query = db.select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        found = db.session.execute(query).scalars().all()
        db.session.expunge_all()
        return found


BOTH_DATABASES = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@BOTH_DATABASES
def test_a_mode_switch_is_recorded_with_before_and_after(app, api, create):
    create(mode="webhook")
    assert api.post("/api/instances/sales/mode", json={"mode": "websocket"}).status_code == 200
    (created,) = entries(app, "instance.create")
    (switched,) = entries(app, "instance.mode")
    assert (created.before, created.after["mode"]) == (None, "webhook")
    assert (switched.actor, switched.target) == ("operator@example.com", "sales")
    assert (switched.before["mode"], switched.after["mode"]) == ("webhook", "websocket")
    assert switched.after["webhook_events"] == switched.before["webhook_events"]  # the selection is kept
    assert switched.tenant_id is not None and switched.at is not None


def test_a_refused_switch_records_nothing(app, api, create, sim):
    create(mode="webhook")
    sim.control("POST", "faults", {"method": "POST", "path": "/websocket/set/sales", "status": 500, "times": 1})
    assert api.post("/api/instances/sales/mode", json={"mode": "websocket"}).status_code >= 400
    assert entries(app, "instance.mode") == []


def test_background_work_is_attributed_to_the_system(app):
    from gateway import audit

    with app.app_context():
        assert audit.actor() == "system"


def test_the_cli_is_named_as_the_actor(app, runner, create):
    create(mode="webhook")
    assert runner.invoke(args=["instances", "mode", "sales", "none"]).exit_code == 0
    (switched,) = entries(app, "instance.mode")
    assert (switched.actor, switched.after["mode"]) == ("cli", "none")


def test_server_token_and_user_changes_are_recorded(app, client, make_user, login, sim):
    make_user()
    login()
    headers = {"X-CSRFToken": csrf_token(client)}
    assert client.post("/api/servers", headers=headers, json={
        "kind": "evolution", "base_url": sim.base_url, "api_key": sim.api_key}).status_code == 201
    assert client.post("/settings/tokens", data={"name": "ci", "csrf_token": csrf_token(client)}).status_code == 200
    assert client.post("/settings/users", data={"email": "new@example.com", "password": "violet kettle drum",
                                                "role": "viewer", "csrf_token": csrf_token(client)}).status_code == 200
    server, token, user = entries(app)
    assert (server.action, server.actor, server.before) == ("server.create", "admin@example.com", None)
    assert server.after["base_url"] == sim.base_url
    assert sim.api_key not in str(server.after)  # the key only as its masked hint
    assert (token.action, token.after["name"], token.after["user"]) == ("token.create", "ci", "admin@example.com")
    assert (user.action, user.target, user.after) == ("user.create", "new@example.com", {"role": "viewer"})


def test_a_password_change_is_recorded_without_the_password(app, client, make_user, login):
    make_user()
    login()
    client.post("/account/password", data={"current_password": "correct horse", "new_password": "violet kettle drum",
                                            "confirm_password": "violet kettle drum", "csrf_token": csrf_token(client)})
    (entry,) = entries(app, "user.password")
    assert (entry.actor, entry.target, entry.before, entry.after) == ("admin@example.com", "admin@example.com",
                                                                      None, None)


@pytest.fixture
def admins(app, make_user, token_for):
    """Bearer headers: an Acme admin, an Acme operator and a Globex admin; each tenant has one entry."""
    acme = token_for(make_user("admin@example.com"))
    operator = token_for(make_user("operator@example.com", role=Role.OPERATOR))
    globex = token_for(make_user("admin@globex.test", tenant="Globex"))
    return acme, operator, globex


@BOTH_DATABASES
def test_the_export_shows_only_the_tenants_entries(app, client, admins):
    acme, _, globex = admins
    listed = client.get("/api/audit", headers=acme)
    assert listed.status_code == 200
    actions = [(e["action"], e["target"]) for e in listed.json["entries"]]
    assert actions == [("token.create", "tests"), ("token.create", "tests")]  # newest first, Acme's two
    first = listed.json["entries"][0]
    assert set(first) == {"id", "at", "actor", "action", "target", "before", "after"}
    assert client.get(f"/api/audit/{first['id']}", headers=acme).json == first
    # Globex's own entry, and not Acme's.
    assert len(client.get("/api/audit", headers=globex).json["entries"]) == 1
    assert client.get(f"/api/audit/{first['id']}", headers=globex).status_code == 404


def test_the_export_pages_by_id(client, admins):
    acme = admins[0]
    page = client.get("/api/audit?limit=1", headers=acme).json
    assert len(page["entries"]) == 1 and page["next"]
    following = client.get(page["next"], headers=acme).json
    assert following["entries"][0]["id"] < page["entries"][0]["id"] and following["next"] is None


@pytest.mark.parametrize("path", ["/api/audit", "/api/audit/1"])
def test_the_export_needs_an_administrator(client, admins, path):
    assert client.get(path).status_code == 401
    refused = client.get(path, headers=admins[1])
    assert refused.status_code == 403 and refused.json["error"]


def test_a_missing_entry_answers_404(client, admins):
    assert client.get("/api/audit/999999", headers=admins[0]).status_code == 404


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "limit=1001", "before=-1", "before=%C3%A9"])
def test_bad_paging_answers_422(client, admins, query):
    response = client.get(f"/api/audit?{query}", headers=admins[0])
    assert response.status_code == 422 and response.json["error"]


def test_settings_shows_the_audit_log(client, make_user, login):
    make_user()
    login()
    client.post("/settings/tokens", data={"name": "deploy-bot", "csrf_token": csrf_token(client)})
    page = client.get("/settings").get_data(as_text=True)
    assert "Audit log" in page and "token.create" in page and "deploy-bot" in page and "/api/audit" in page
