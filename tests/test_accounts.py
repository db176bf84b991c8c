"""First run, login, CSRF and the operator CLI."""
from gateway.extensions import db
from gateway.models import ApiToken, User
from tests.conftest import csrf_token


def setup_form(client, **fields):
    data = {"tenant": "Acme", "email": "boss@example.com", "password": "long enough", **fields}
    data.setdefault("csrf_token", csrf_token(client))
    return client.post("/setup", data=data)


def test_first_run_offers_setup_then_closes(client, app):
    assert "Create the first administrator" in client.get("/").get_data(as_text=True)
    response = setup_form(client)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert (user.email, user.role, user.tenant.name) == ("boss@example.com", "admin", "Acme")
    # The new admin is logged in and sees the instances page, not the setup form.
    page = client.get("/").get_data(as_text=True)
    assert "Instances" in page and "first administrator" not in page
    # Setup is closed for everyone afterwards, logged in or not.
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert setup_form(client, email="intruder@example.com").status_code == 404
    assert "first administrator" not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_setup_rejects_bad_input_with_a_message(client):
    response = setup_form(client, password="short")
    assert response.status_code == 400
    assert "at least 8 characters" in response.get_data(as_text=True)


def test_forged_post_without_csrf_token_is_rejected(client, app):
    response = setup_form(client, csrf_token="forged")
    assert response.status_code == 400
    assert "The form was rejected" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(User)).first() is None


def test_forged_login_and_logout_are_rejected(client, make_user, login):
    make_user()
    assert client.post("/login", data={"email": "admin@example.com", "password": "correct horse"}).status_code == 400
    assert login().status_code == 302
    assert client.post("/logout").status_code == 400
    assert "Log out" in client.get("/").get_data(as_text=True)


def test_login_wrong_password_and_logout(client, make_user, login):
    make_user()
    assert login(password="wrong password").status_code == 401
    assert client.get("/").status_code == 302
    assert login().headers["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/").status_code == 302


def test_login_never_redirects_off_site(client, make_user):
    make_user()
    response = client.post("/login?next=//evil.example/x", data={
        "email": "admin@example.com", "password": "correct horse", "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/"


def test_cli_creates_admin_and_token(runner, app):
    result = runner.invoke(args=["admin", "create", "--tenant", "Ops", "--email", "Ops@Example.com",
                                 "--password", "long enough"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["token", "create", "--email", "ops@example.com", "--name", "ci"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("gw_")
    with app.app_context():
        stored = db.session.execute(db.select(ApiToken)).scalar_one()
        assert stored.token_hash != token and token not in stored.token_hash
    client = app.test_client()
    response = client.get("/api/instances", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json == []
    with app.app_context():
        assert db.session.execute(db.select(ApiToken)).scalar_one().last_used_at is not None


def test_cli_refuses_duplicate_user_and_unknown_email(runner):
    args = ["admin", "create", "--tenant", "Ops", "--email", "ops@example.com", "--password", "long enough"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "already exists" in again.output
    missing = runner.invoke(args=["token", "create", "--email", "nobody@example.com", "--name", "x"])
    assert missing.exit_code != 0 and "No user" in missing.output


def test_api_requires_a_valid_token(client):
    assert client.get("/api/instances").status_code == 401
    response = client.get("/api/instances", headers={"Authorization": "Bearer gw_not-a-token"})
    assert response.status_code == 401 and "error" in response.json
