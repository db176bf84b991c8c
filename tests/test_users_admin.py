"""A tenant's administrators add users, change roles and remove users; the last admin always stays."""
from __future__ import annotations

import threading

import pytest

from gateway import users
from gateway.extensions import db
from gateway.models import Role, User
from tests.conftest import csrf_token


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user())


def user_id(app, email: str) -> int | None:
    with app.app_context():
        return db.session.execute(db.select(User.id).where(User.email == email)).scalar_one_or_none()


def test_add_change_role_and_remove(client, app, admin):
    added = client.post("/api/users", json={"email": "Ops@Example.com", "password": "long enough"}, headers=admin)
    assert added.status_code == 201, added.json
    assert (added.json["email"], added.json["role"]) == ("ops@example.com", "operator")
    assert "password" not in added.get_data(as_text=True)
    ops = added.json["id"]
    changed = client.patch(f"/api/users/{ops}", json={"role": "viewer"}, headers=admin)
    assert changed.status_code == 200 and changed.json["role"] == "viewer"
    assert [(u["email"], u["role"]) for u in client.get("/api/users", headers=admin).json] == [
        ("admin@example.com", "admin"), ("ops@example.com", "viewer")]
    assert client.delete(f"/api/users/{ops}", headers=admin).status_code == 204
    assert user_id(app, "ops@example.com") is None


def test_the_last_admin_can_be_neither_demoted_nor_removed(client, app, admin):
    me = user_id(app, "admin@example.com")
    demoted = client.patch(f"/api/users/{me}", json={"role": "operator"}, headers=admin)
    assert demoted.status_code == 409 and "last administrator" in demoted.json["error"]
    removed = client.delete(f"/api/users/{me}", headers=admin)
    assert removed.status_code == 422 and "cannot remove yourself" in removed.json["error"]
    second = client.post("/api/users", json={"email": "boss@example.com", "password": "long enough",
                                             "role": "admin"}, headers=admin).json["id"]
    assert client.patch(f"/api/users/{me}", json={"role": "operator"}, headers=admin).status_code == 200
    # The admin just demoted lost the right to go on (their token acts as an operator now).
    assert client.delete(f"/api/users/{second}", headers=admin).status_code == 403


def test_an_admin_cannot_remove_themselves_in_the_page_either(client, app, make_user, login):
    make_user()
    make_user("boss@example.com")
    login()
    me = user_id(app, "admin@example.com")
    answer = client.post(f"/settings/users/{me}/delete", data={"csrf_token": csrf_token(client)})
    assert answer.status_code == 422 and "cannot remove yourself" in answer.get_data(as_text=True)
    assert user_id(app, "admin@example.com") == me


def test_removing_a_user_ends_their_tokens_and_session(client, app, make_user, token_for, admin, login):
    viewer_id = make_user("viewer@example.com", role=Role.VIEWER)
    their_token = token_for(viewer_id)
    login("viewer@example.com")
    assert client.get("/api/instances").status_code == 200
    assert client.delete(f"/api/users/{viewer_id}", headers=admin).status_code == 204
    assert client.get("/api/instances", headers=their_token).status_code == 401
    assert client.get("/api/instances").status_code == 401  # the session finds no user any more


@pytest.mark.parametrize("body, message", [
    ({"password": "long enough"}, "email is required"),
    ({"email": "not-an-email", "password": "long enough"}, "valid e-mail"),
    ({"email": "a@b.co", "password": "short"}, "at least 8"),
    ({"email": "a@b.co"}, "password is required"),
    ({"email": "a@b.co", "password": "long enough", "role": "owner"}, "role must be one of"),
    ({"email": "x" * 250 + "@b.co", "password": "long enough"}, "is longer than 254"),
    ({"email": "admin@example.com", "password": "long enough"}, "already exists"),
])
def test_bad_new_users_are_422(client, admin, body, message):
    response = client.post("/api/users", json=body, headers=admin)
    assert response.status_code == 422 and message in response.json["error"], response.json


def test_a_bad_role_is_422(client, app, admin):
    me = user_id(app, "admin@example.com")
    response = client.patch(f"/api/users/{me}", json={"role": "root"}, headers=admin)
    assert response.status_code == 422 and "role must be one of" in response.json["error"]


def test_another_tenants_user_is_404_and_untouched(client, app, make_user, admin):
    theirs = make_user("other@example.com", tenant="Other", role=Role.OPERATOR)
    assert client.patch(f"/api/users/{theirs}", json={"role": "admin"}, headers=admin).status_code == 404
    assert client.delete(f"/api/users/{theirs}", headers=admin).status_code == 404
    assert "other@example.com" not in client.get("/api/users", headers=admin).get_data(as_text=True)
    assert user_id(app, "other@example.com") == theirs


@pytest.mark.parametrize("method, path", [("get", "/api/users"), ("post", "/api/users"),
                                          ("patch", "/api/users/1"), ("delete", "/api/users/1")])
def test_user_routes_need_an_admin(client, make_user, token_for, method, path):
    assert getattr(client, method)(path, json={}).status_code == 401
    operator = token_for(make_user("op@example.com", role=Role.OPERATOR))
    assert getattr(client, method)(path, json={}, headers=operator).status_code == 403


def test_a_session_call_still_needs_the_csrf_token(client, make_user, login):
    make_user()
    login()
    assert client.post("/api/users", json={"email": "a@b.co", "password": "long enough"}).status_code == 403
    ok = client.post("/api/users", json={"email": "a@b.co", "password": "long enough"},
                     headers={"X-CSRFToken": csrf_token(client)})
    assert ok.status_code == 201


def test_settings_page_is_read_only_below_admin_and_says_why(client, make_user, login):
    make_user()
    make_user("viewer@example.com", role=Role.VIEWER)
    login("viewer@example.com")
    page = client.get("/settings")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "only an administrator can change servers, users and API tokens" in html
    assert "Ask admin@example.com." in html
    assert 'title="Only an administrator can change this."' in html
    token = csrf_token(client)
    assert client.post("/settings/users", data={"email": "a@b.co", "password": "long enough",
                                                "csrf_token": token}).status_code == 403


def test_cli_lists_changes_roles_and_removes_users(runner, app, make_user):
    make_user()
    make_user("ops@example.com", role=Role.OPERATOR)
    assert "Acme\tops@example.com\toperator" in runner.invoke(args=["admin", "list"]).output
    assert runner.invoke(args=["admin", "role", "--email", "ops@example.com", "admin"]).exit_code == 0
    refused = runner.invoke(args=["admin", "remove", "--email", "admin@example.com"])
    assert refused.exit_code == 0  # ops is an admin now, so admin@ is not the last one
    last = runner.invoke(args=["admin", "role", "--email", "ops@example.com", "viewer"])
    assert last.exit_code != 0 and "last administrator" in last.output
    removed = runner.invoke(args=["admin", "remove", "--email", "ops@example.com"])
    assert removed.exit_code != 0 and "last administrator" in removed.output
    assert user_id(app, "admin@example.com") is None


def test_role_changes_removals_revocations_and_server_edits_are_audited(client, app, admin, unused_port):
    ops = client.post("/api/users", json={"email": "ops@example.com", "password": "long enough"}, headers=admin).json
    client.patch(f"/api/users/{ops['id']}", json={"role": "viewer"}, headers=admin)
    client.delete(f"/api/users/{ops['id']}", headers=admin)
    token = client.post("/api/tokens", json={"name": "ci", "expires_in_days": 7}, headers=admin).json
    client.delete(f"/api/tokens/{token['id']}", headers=admin)
    with app.app_context():
        from gateway.models import ProviderServer
        server = ProviderServer(name="gone", kind="evolution", base_url=f"http://127.0.0.1:{unused_port}",
                                api_key="gone-server-key-1234")
        db.session.add(server)
        db.session.commit()
        server_id = server.id
    client.patch(f"/api/servers/{server_id}", json={"name": "renamed"}, headers=admin)
    client.delete(f"/api/servers/{server_id}", headers=admin)
    entries = client.get("/api/audit", headers=admin).json["entries"]
    seen = {(e["action"], e["target"]): e for e in entries}
    assert seen[("user.role", "ops@example.com")]["before"] == {"role": "operator"}
    assert seen[("user.role", "ops@example.com")]["after"] == {"role": "viewer"}
    assert ("user.remove", "ops@example.com") in seen and ("token.revoke", "ci") in seen
    assert seen[("token.create", "ci")]["after"]["expires_at"]
    update = seen[("server.update", f"http://127.0.0.1:{unused_port}")]
    assert (update["before"]["name"], update["after"]["name"]) == ("gone", "renamed")
    assert ("server.delete", f"http://127.0.0.1:{unused_port}") in seen
    assert all(e["actor"] == "admin@example.com" for e in entries if e["target"] != "tests")  # not the fixture's
    assert "gone-server-key-1234" not in str(entries)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, make_user):
    """The second demotion waits for the first to commit, then counts one admin and is refused."""
    first, second = make_user("a@example.com"), make_user("b@example.com")
    outcome: dict[str, object] = {}

    def demote_second() -> None:
        with app.app_context():
            try:
                users.change_role(db.session.get(User, second), Role.OPERATOR)
                outcome["second"] = "demoted"
            except users.LastAdmin as refusal:
                outcome["second"] = refusal

    with app.app_context():
        users._refuse_last_admin(db.session.get(User, first), "refused")  # counts 2 admins, holds the lock
        racer = threading.Thread(target=demote_second)
        racer.start()
        racer.join(timeout=1.0)
        assert racer.is_alive(), "the second demotion did not wait for the first to commit"
        db.session.get(User, first).role = Role.OPERATOR.value
        db.session.commit()
    racer.join(timeout=10)
    assert isinstance(outcome["second"], users.LastAdmin)
    with app.app_context():
        admins = db.session.execute(db.select(User.email).where(User.role == Role.ADMIN.value)).scalars().all()
    assert admins == ["b@example.com"]
