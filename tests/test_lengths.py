"""Field limits: the database, the API (422 with the rule) and the forms agree, from one set of numbers;
instance names are unique per server whatever their case."""
from __future__ import annotations

import re

import pytest
from sqlalchemy.exc import DataError, IntegrityError

from gateway import lengths
from gateway.extensions import db
from gateway.models import ApiToken, Instance, ProviderServer, Tenant, User
from tests.conftest import csrf_token
from tests.connections.conftest import api, create, server_id  # noqa: F401


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user())


@pytest.mark.parametrize("field, limit", [("name", lengths.SERVER_NAME), ("base_url", lengths.SERVER_URL),
                                          ("api_key", lengths.API_KEY)])
def test_server_fields_over_their_limit_are_a_422_with_the_rule(client, admin, field, limit):
    fields = {"kind": "evolution", "base_url": "http://127.0.0.1:9", "api_key": "some-key-123", "name": "sim"}
    fields[field] = fields[field] + "x" * limit if field == "base_url" else "x" * (limit + 1)
    response = client.post("/api/servers", json=fields, headers=admin)
    assert response.status_code == 422
    assert response.json["error"] == f"'{field}' is longer than {limit} characters."
    assert client.get("/api/servers", headers=admin).json == []


def test_a_server_name_at_its_limit_is_kept_whole(client, admin, sim):
    name = "n" * lengths.SERVER_NAME
    response = client.post("/api/servers", json={"kind": "evolution", "base_url": sim.base_url,
                                                 "api_key": sim.api_key, "name": name}, headers=admin)
    assert response.status_code == 201 and response.json["name"] == name


@pytest.mark.parametrize("name", ["x" * (lengths.INSTANCE_NAME + 1), "-starts-with-dash", "has space", ""])
def test_instance_names_outside_the_rule_are_a_422_in_words(api, server_id, name):  # noqa: F811
    response = api.post("/api/instances", json={"name": name, "server_id": server_id})
    assert response.status_code == 422
    assert f"1 to {lengths.INSTANCE_NAME} letters, digits" in response.json["error"]


def test_instance_names_are_unique_per_server_whatever_the_case(api, server_id, create):  # noqa: F811
    create("Sales")
    response = api.post("/api/instances", json={"name": "sales", "server_id": server_id, "mode": "none"})
    assert response.status_code == 422 and response.json["error"] == 'An instance named "Sales" already exists.'
    assert [i["name"] for i in api.get("/api/instances").json] == ["Sales"]


def _row(app, model, **fields):
    with app.app_context():
        db.session.add(model(**fields))
        try:
            db.session.commit()
        finally:
            db.session.rollback()


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_the_database_itself_refuses_case_twins_and_overlong_text(app, make_user):
    with app.app_context():
        server = ProviderServer(name="s", kind="evolution", base_url="http://x", api_key="k" * 8)
        tenant = Tenant(name="t")
        db.session.add_all([server, tenant])
        db.session.commit()
        server_id, tenant_id = server.id, tenant.id
    user_id = make_user()
    _row(app, Instance, tenant_id=tenant_id, server_id=server_id, name="Sales")
    with pytest.raises(IntegrityError):
        _row(app, Instance, tenant_id=tenant_id, server_id=server_id, name="SALES")
    for model, fields in [
        (Instance, {"tenant_id": tenant_id, "server_id": server_id, "name": "i" * (lengths.INSTANCE_NAME + 1)}),
        (ProviderServer, {"name": "n" * (lengths.SERVER_NAME + 1), "kind": "evolution", "base_url": "http://y",
                          "api_key": "k" * 8}),
        (Tenant, {"name": "t" * (lengths.TENANT_NAME + 1)}),
        (ApiToken, {"user_id": user_id, "name": "n" * (lengths.TOKEN_NAME + 1), "token_hash": "h", "prefix": "p"}),
        (User, {"tenant_id": tenant_id, "email": "e" * lengths.EMAIL + "@x.io", "password_hash": "h"}),
    ]:
        # SQLite: the CHECK constraint; PostgreSQL: the VARCHAR length already.
        with pytest.raises((IntegrityError, DataError)):
            _row(app, model, **fields)


def test_a_token_name_over_its_limit_is_a_422_with_the_rule(client, make_user, login):
    make_user()
    login()
    response = client.post("/settings/tokens", data={"name": "t" * (lengths.TOKEN_NAME + 1)},
                           headers={"X-CSRFToken": csrf_token(client), "HX-Request": "true"})
    assert response.status_code == 422
    assert f"is longer than {lengths.TOKEN_NAME} characters" in response.get_data(as_text=True)


def test_the_first_run_form_states_the_rule_for_a_long_tenant_name(client):
    response = client.post("/setup", data={"tenant": "t" * (lengths.TENANT_NAME + 1), "email": "a@b.io",
                                           "password": "long enough", "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert f"The tenant name is longer than {lengths.TENANT_NAME} characters." in response.get_data(as_text=True)


def _maxlengths(html: str) -> set[tuple[str, int]]:
    """(field name, maxlength) of every input that has both."""
    found = set()
    for tag in re.findall(r"<input\b[^>]*>", html):
        name, size = re.search(r'name="(\w+)"', tag), re.search(r'maxlength="(\d+)"', tag)
        if name and size:
            found.add((name.group(1), int(size.group(1))))
    return found


def test_forms_carry_the_same_limits(client, make_user, login, server_id):  # noqa: F811
    make_user()
    login()
    assert _maxlengths(client.get("/settings").get_data(as_text=True)) >= {
        ("name", lengths.SERVER_NAME), ("base_url", lengths.SERVER_URL), ("api_key", lengths.API_KEY),
        ("email", lengths.EMAIL), ("password", lengths.PASSWORD), ("name", lengths.TOKEN_NAME)}
    page = client.get("/").get_data(as_text=True)
    assert ("name", lengths.INSTANCE_NAME) in _maxlengths(page)
    # The naming rule in words, beside the field and as the browser's message.
    assert f"1 to {lengths.INSTANCE_NAME} letters, digits" in page and 'data-rule="1 to' in page
