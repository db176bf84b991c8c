"""Registering provider servers: admin only, key proven against the server, never shown."""
import pytest

from gateway.models import Role


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user())


def register(client, headers, **fields):
    return client.post("/api/servers", json=fields, headers=headers)


def test_register_checks_the_key_and_never_returns_it(client, admin, sim):
    response = register(client, admin, kind="evolution", base_url=sim.base_url + "/", api_key=sim.api_key,
                        global_events=True)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["kind"] == "evolution" and body["base_url"] == sim.base_url and body["global_events"] is True
    assert sim.api_key not in response.get_data(as_text=True)
    assert body["api_key_hint"].endswith(sim.api_key[-4:])
    listed = client.get("/api/servers", headers=admin)
    assert [s["id"] for s in listed.json] == [body["id"]]
    assert sim.api_key not in listed.get_data(as_text=True)


def test_wrong_key_is_a_clear_422_and_nothing_is_saved(client, admin, sim):
    response = register(client, admin, kind="evolution", base_url=sim.base_url, api_key="wrong-key-000000")
    assert response.status_code == 422
    assert "did not accept the key" in response.json["error"]
    assert "wrong-key-000000" not in response.get_data(as_text=True)
    assert client.get("/api/servers", headers=admin).json == []


def test_unreachable_server_is_a_clear_422(client, admin, unused_port):
    response = register(client, admin, kind="evolution", base_url=f"http://127.0.0.1:{unused_port}",
                        api_key="whatever-key-1")
    assert response.status_code == 422 and "did not accept the key" in response.json["error"]


def test_duplicate_server_is_refused(client, admin, sim):
    assert register(client, admin, kind="evolution", base_url=sim.base_url, api_key=sim.api_key).status_code == 201
    again = register(client, admin, kind="evolution", base_url=sim.base_url, api_key=sim.api_key)
    assert again.status_code == 422 and "already registered" in again.json["error"]


@pytest.mark.parametrize("fields, message", [
    ({"base_url": "http://x", "api_key": "k"}, "kind must be one of"),
    ({"kind": "evolution", "base_url": "ftp://x", "api_key": "k"}, "base_url must be"),
    ({"kind": "evolution", "base_url": "http://x", "api_key": ""}, "api_key is required"),
    ({"kind": "evolution", "base_url": "http://x", "api_key": "k", "global_events": "yes"}, "global_events"),
])
def test_bad_input_is_rejected_before_any_call(client, admin, fields, message):
    response = register(client, admin, **fields)
    assert response.status_code == 422 and message in response.json["error"]


def test_non_json_body_is_a_400(client, admin):
    response = client.post("/api/servers", data="not json", headers={**admin, "Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON object" in response.json["error"]


def test_only_admins_manage_servers(client, make_user, token_for):
    operator = token_for(make_user("op@example.com", role=Role.OPERATOR))
    assert client.get("/api/servers", headers=operator).status_code == 403
    assert register(client, operator, kind="evolution", base_url="http://x", api_key="k").status_code == 403


def test_the_key_never_reaches_the_log(client, admin, sim, capfd):
    register(client, admin, kind="evolution", base_url=sim.base_url, api_key="wrong-key-000000")
    register(client, admin, kind="evolution", base_url=sim.base_url, api_key=sim.api_key)
    out, err = capfd.readouterr()
    assert "wrong-key-000000" not in out + err and sim.api_key not in out + err


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize("fields, message", [
    ({"base_url": "http://[::1"}, "base_url must be"),
    ({"base_url": "http://127.0.0.1:99999"}, "base_url must be"),
    ({"base_url": "http://"}, "base_url must be"),
    ({"base_url": "http://127.0.0.1\x00:8080"}, "'base_url' holds a character"),
    ({"base_url": "http://127.0.0.1:8080/\ud800"}, "'base_url' holds a character"),
    ({"base_url": "http://x/" + "a" * 500}, "'base_url' is longer than 500"),
    ({"api_key": "key\x00key"}, "'api_key' holds a character"),
    ({"api_key": "key\nX-Injected: 1"}, "'api_key' holds a character"),
    ({"name": "n\x00"}, "'name' holds a character"),
    ({"name": "n" * 121}, "'name' is longer than 120"),
], ids=["open-bracket", "port", "no-host", "nul", "surrogate", "long-url", "nul-key", "newline-key", "nul-name",
        "long-name"])
def test_a_url_key_or_name_no_database_or_client_takes_is_a_422(client, admin, fields, message):
    response = register(client, admin, **{"kind": "evolution", "base_url": "http://127.0.0.1:9",
                                           "api_key": "some-key", **fields})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert message in response.json["error"]
    assert client.get("/api/servers", headers=admin).json == []
