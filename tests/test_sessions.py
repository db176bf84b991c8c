"""Accounts and sessions: login throttling, equal work for known and unknown e-mails, the password
policy, sessions that end server-side, and Secure cookies over HTTPS."""
from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

import gateway.accounts
from gateway.accounts import AccountError, create_user
from gateway.extensions import db
from gateway.models import Role, User
from tests.conftest import build_app, csrf_token


@pytest.fixture
def throttled(database_url):
    """An app whose login limits are small enough to reach in a test."""

    def make(**limits):
        return build_app(database_url, **{"LOGIN_LIMIT_ACCOUNT": "100 per minute",
                                          "LOGIN_LIMIT_ADDRESS": "100 per minute", **limits})

    return make


def add_user(app, email="admin@example.com", password="correct horse", tenant="Acme") -> int:
    with app.app_context():
        return create_user(tenant, email, password, Role.ADMIN).id


def attempt(client, email="admin@example.com", password="wrong password", address="10.0.0.1", **headers):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def assert_throttled(response, message: str, window: int = 60) -> None:
    assert response.status_code == 429
    assert message in response.get_data(as_text=True)
    assert 1 <= int(response.headers["Retry-After"]) <= window


def test_failed_logins_are_throttled_per_account(throttled):
    app = throttled(LOGIN_LIMIT_ACCOUNT="3 per minute")
    add_user(app)
    add_user(app, "other@example.com")
    client = app.test_client()
    assert [attempt(client).status_code for _ in range(3)] == [401, 401, 401]
    # Even the right password waits now: guessing cannot go on, whoever types it.
    assert_throttled(attempt(client, password="correct horse"), "Too many failed logins for this account")
    assert_throttled(attempt(client, address="10.9.9.9"), "Too many failed logins for this account")
    # Another account, from the same address, is not held back.
    assert attempt(client, "other@example.com", "correct horse").status_code == 302


def test_failed_logins_are_throttled_per_address(throttled):
    app = throttled(LOGIN_LIMIT_ADDRESS="3 per minute")
    add_user(app)
    client = app.test_client()
    statuses = [attempt(client, f"guess{n}@example.com").status_code for n in range(3)]
    assert statuses == [401, 401, 401]
    assert_throttled(attempt(client, "guess9@example.com"), "Too many failed logins from this address")
    assert attempt(client, "admin@example.com", "correct horse", address="10.0.0.2").status_code == 302


def test_successful_logins_do_not_count(throttled):
    app = throttled(LOGIN_LIMIT_ACCOUNT="2 per minute", LOGIN_LIMIT_ADDRESS="2 per minute")
    add_user(app)
    client = app.test_client()
    assert [attempt(client, password="correct horse").status_code for _ in range(5)] == [302] * 5


@pytest.mark.parametrize("hops, separate", [(0, False), (1, True)])
def test_forwarded_address_is_trusted_only_behind_a_configured_proxy(throttled, hops, separate):
    app = throttled(LOGIN_LIMIT_ADDRESS="2 per minute", FORWARDED_HOPS=hops)
    client = app.test_client()
    for n in range(2):
        assert attempt(client, f"guess{n}@example.com", **{"X-Forwarded-For": f"192.0.2.{n}"}).status_code == 401
    # A client that makes up a new X-Forwarded-For each time escapes only if a proxy is trusted to set it.
    response = attempt(client, "guess9@example.com", **{"X-Forwarded-For": "192.0.2.99"})
    assert response.status_code == (401 if separate else 429)


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password hash check the login makes, as (hash method, password)."""
    calls = []

    def spy(stored: str, password: str) -> bool:
        calls.append((stored.split("$")[0], password))
        return check_password_hash(stored, password)

    monkeypatch.setattr(gateway.accounts, "check_password_hash", spy)
    return calls


def test_unknown_and_known_emails_cost_one_password_hash_each(app, client, make_user, hash_checks):
    make_user()
    with app.app_context():
        method = db.session.execute(db.select(User.password_hash)).scalar_one().split("$")[0]
    assert attempt(client, "nobody@example.com", "some password").status_code == 401
    assert attempt(client, "admin@example.com", "some password").status_code == 401
    # The same hash method (and so the same work factor) for both: the timing tells nothing.
    assert hash_checks == [(method, "some password"), (method, "some password")]


@pytest.mark.parametrize("password", ["password", "12345678", "aaaaaaaa", "qwertyuiop", "iloveyou1"])
def test_common_and_trivial_passwords_are_refused(app, client, password):
    response = client.post("/setup", data={"tenant": "Acme", "email": "boss@example.com", "password": password,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert "too common or too simple" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(User)).first() is None


def test_password_policy_applies_everywhere_accounts_are_made(app, runner):
    with app.app_context():
        with pytest.raises(AccountError, match="too common"):
            create_user("Acme", "a@example.com", "password1", Role.OPERATOR)
        with pytest.raises(AccountError, match="too common"):  # the user's own e-mail is guessable
            create_user("Acme", "winterfell@example.com", "winterfell", Role.OPERATOR)
        assert create_user("Acme", "b@example.com", "violet kettle drum", Role.OPERATOR).id
    refused = runner.invoke(args=["admin", "create", "--tenant", "Acme", "--email", "c@example.com",
                                  "--password", "12345678"])
    assert refused.exit_code != 0 and "too common" in refused.output


def copy_of(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_cookie_stops_working_after_logout(app, client, make_user, login):
    make_user()
    login()
    thief = copy_of(app, client)
    assert thief.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert thief.get("/").status_code == 302
    assert thief.get("/api/instances").status_code == 401


def change_password(client, current="correct horse", new="violet kettle drum", confirm=None):
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                   "confirm_password": confirm or new,
                                                   "csrf_token": csrf_token(client)})


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_password_change_ends_the_other_sessions_only(app, client, make_user, login):
    make_user()
    login()
    thief = copy_of(app, client)
    response = change_password(client)
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the browser that changed it stays in
    assert thief.get("/").status_code == 302
    assert login(password="correct horse").status_code == 401
    assert login(password="violet kettle drum").status_code == 302


@pytest.mark.parametrize("fields, message", [
    ({"current": "wrong password"}, "The current password is wrong."),
    ({"new": "12345678"}, "too common or too simple"),
    ({"confirm": "violet kettle drums"}, "The new passwords do not match."),
])
def test_a_refused_password_change_says_why_and_changes_nothing(app, client, make_user, login, fields, message):
    make_user()
    login()
    response = change_password(client, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert login().status_code == 302


def test_the_password_form_needs_a_login(client):
    assert client.get("/account/password").status_code == 302


def test_a_removed_users_cookie_stops_working_even_if_its_id_is_reused(app, client, make_user, login):
    make_user("keeper@example.com")  # so "/" is not the first-run page once the user is gone
    user_id = make_user()
    login()
    thief = copy_of(app, client)
    with app.app_context():
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()
    assert thief.get("/").status_code == 302
    # SQLite hands the highest freed id to the next user: the old cookie must not log in as them.
    with app.app_context():
        newcomer = User(id=user_id, tenant_id=1, email="new@example.com", role="admin")
        newcomer.set_password("violet kettle drum")
        db.session.add(newcomer)
        db.session.commit()
    assert thief.get("/").status_code == 302


@pytest.mark.parametrize("base_url, headers, secure", [
    ("http://localhost", {}, False),
    ("http://localhost", {"X-Forwarded-Proto": "https"}, True),  # Heroku's router terminates TLS
    ("https://localhost", {}, True),
])
def test_session_cookie_is_secure_whenever_served_over_https(client, make_user, base_url, headers, secure):
    make_user()
    token = csrf_token(client)
    # Over HTTPS, Flask-WTF also checks that the form came from this site, as a browser's Referer says.
    response = client.post("/login", base_url=base_url, headers={"Referer": "https://localhost/login", **headers},
                           data={"email": "admin@example.com", "password": "correct horse", "csrf_token": token})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=") and ("; Secure" in cookie) is secure
