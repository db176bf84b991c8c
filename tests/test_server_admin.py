"""Editing, deleting and checking provider servers (API and CLI), including a server that is down."""
from __future__ import annotations

import pytest

from gateway.extensions import db
from gateway.models import Event, Instance, ProviderServer, Role
from tests.connections.conftest import register_server


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user())


@pytest.fixture
def down_server_id(app, unused_port):
    """A server registered while it was up, now gone: nothing listens on its port."""
    with app.app_context():
        server = ProviderServer(name="gone", kind="evolution", base_url=f"http://127.0.0.1:{unused_port}",
                                api_key="gone-server-key-1234")
        db.session.add(server)
        db.session.commit()
        return server.id


def add_instance(app, server_id: int, name: str, tenant_id: int = 1, mode: str = "none") -> int:
    """An instance known here only (no provider call), with one stored event."""
    with app.app_context():
        instance = Instance(tenant_id=tenant_id, server_id=server_id, name=name, delivery_mode=mode)
        db.session.add(instance)
        db.session.flush()
        db.session.add(Event(tenant_id=tenant_id, instance_id=instance.id, name="messages.upsert", source="webhook",
                             dedupe_key=f"k-{name}", payload={"instance": name}))
        db.session.commit()
        return instance.id


def server(app, server_id: int) -> ProviderServer | None:
    with app.app_context():
        found = db.session.get(ProviderServer, server_id)
        if found is not None:
            db.session.expunge(found)
        return found


def instance_names(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.execute(db.select(Instance.name)).scalars())


def test_edit_name_and_flag_of_a_server_that_is_down_makes_no_call(client, app, admin, down_server_id):
    response = client.patch(f"/api/servers/{down_server_id}", json={"name": "renamed", "global_events": True},
                            headers=admin)
    assert response.status_code == 200, response.json
    assert (response.json["name"], response.json["global_events"]) == ("renamed", True)
    assert (server(app, down_server_id).name, server(app, down_server_id).global_events) == ("renamed", True)


def test_a_new_key_is_checked_against_the_server_before_it_is_saved(client, app, admin, sim):
    server_id = register_server(app, sim)
    refused = client.patch(f"/api/servers/{server_id}", json={"api_key": "wrong-key-000000"}, headers=admin)
    assert refused.status_code == 422 and "did not accept the key" in refused.json["error"]
    assert "wrong-key-000000" not in refused.get_data(as_text=True)
    assert server(app, server_id).api_key == sim.api_key
    accepted = client.patch(f"/api/servers/{server_id}", json={"api_key": sim.api_key, "name": "main"}, headers=admin)
    assert accepted.status_code == 200 and sim.api_key not in accepted.get_data(as_text=True)


def test_moving_a_down_server_to_a_working_url_is_checked_and_saved(client, app, admin, sim, down_server_id):
    moved = client.patch(f"/api/servers/{down_server_id}", json={"base_url": sim.base_url + "/",
                                                                  "api_key": sim.api_key}, headers=admin)
    assert moved.status_code == 200, moved.json
    assert server(app, down_server_id).base_url == sim.base_url


def test_a_url_held_by_another_server_is_refused(client, app, admin, sim, down_server_id):
    register_server(app, sim)
    response = client.patch(f"/api/servers/{down_server_id}", json={"base_url": sim.base_url}, headers=admin)
    assert response.status_code == 422 and "already registered" in response.json["error"]


@pytest.mark.parametrize("body, message", [
    ({"kind": "waha"}, "kind cannot be changed"),
    ({"base_url": "http://[::1"}, "base_url must be"),
    ({"base_url": "ftp://x"}, "base_url must be"),
    ({"api_key": ""}, "api_key is required"),
    ({"name": "x" * 121}, "is longer than 120"),
    ({"name": "a\x00b"}, "holds a character"),
    ({"global_events": "yes"}, "global_events must be true or false"),
])
def test_bad_edits_are_422_with_the_rule(client, admin, down_server_id, body, message):
    response = client.patch(f"/api/servers/{down_server_id}", json=body, headers=admin)
    assert response.status_code == 422 and message in response.json["error"]


def test_delete_an_unused_server_that_is_down(client, app, admin, down_server_id):
    response = client.delete(f"/api/servers/{down_server_id}", headers=admin)
    assert response.status_code == 200 and response.json["forgotten_instances"] == []
    assert server(app, down_server_id) is None


def test_a_server_in_use_is_kept_until_its_instances_are_forgotten_here(client, app, admin, down_server_id):
    add_instance(app, down_server_id, "sales")
    add_instance(app, down_server_id, "support")
    refused = client.delete(f"/api/servers/{down_server_id}", headers=admin)
    assert refused.status_code == 409 and "sales, support" in refused.json["error"]
    assert server(app, down_server_id) is not None and instance_names(app) == ["sales", "support"]
    forgotten = client.delete(f"/api/servers/{down_server_id}?forget_instances=true", headers=admin)
    assert forgotten.status_code == 200 and forgotten.json["forgotten_instances"] == ["sales", "support"]
    assert server(app, down_server_id) is None and instance_names(app) == []
    with app.app_context():
        assert db.session.execute(db.select(Event)).first() is None


def test_another_tenants_instances_are_never_forgotten_from_here(client, app, make_user, token_for, down_server_id):
    admin = token_for(make_user())
    make_user("other@example.com", tenant="Other")
    add_instance(app, down_server_id, "theirs", tenant_id=2)
    response = client.delete(f"/api/servers/{down_server_id}?forget_instances=true", headers=admin)
    assert response.status_code == 409 and "other tenants" in response.json["error"]
    assert "theirs" not in response.json["error"] and instance_names(app) == ["theirs"]


def test_forget_one_instance_whose_server_is_down(client, app, make_user, token_for, down_server_id):
    operator = token_for(make_user("op@example.com", role=Role.OPERATOR))
    add_instance(app, down_server_id, "sales")
    assert client.delete("/api/instances/sales", headers=operator).status_code == 502  # the provider is gone
    assert client.post("/api/instances/sales/forget", headers=operator).status_code == 204
    assert instance_names(app) == []


def test_health_of_a_server_that_is_up_and_of_one_that_is_down(client, app, admin, sim, down_server_id):
    up = client.get(f"/api/servers/{register_server(app, sim)}/health", headers=admin)
    assert up.status_code == 200
    assert up.json["reachable"] and up.json["ok"] and up.json["version"] and up.json["latency_ms"] >= 0
    down = client.get(f"/api/servers/{down_server_id}/health", headers=admin)
    assert down.status_code == 200
    assert (down.json["reachable"], down.json["ok"], down.json["version"]) == (False, False, None)
    assert "cannot reach" in down.json["error"] and "gone-server-key" not in down.get_data(as_text=True)


def test_health_of_a_server_whose_key_was_changed_behind_our_back(client, app, admin, sim):
    with app.app_context():
        wrong = ProviderServer(name="stale", kind="evolution", base_url=sim.base_url, api_key="stale-key-0000")
        db.session.add(wrong)
        db.session.commit()
        server_id = wrong.id
    health = client.get(f"/api/servers/{server_id}/health", headers=admin).json
    assert (health["reachable"], health["ok"]) == (True, False)


ROUTES = [("get", "/api/servers/{id}"), ("patch", "/api/servers/{id}"), ("delete", "/api/servers/{id}"),
          ("get", "/api/servers/{id}/health")]


@pytest.mark.parametrize("method, path", ROUTES)
def test_server_routes_need_an_admin(client, make_user, token_for, down_server_id, method, path):
    url = path.format(id=down_server_id)
    assert getattr(client, method)(url, json={}).status_code == 401
    assert getattr(client, method)(url, json={}, headers={"Authorization": "Bearer gw_nope"}).status_code == 401
    operator = token_for(make_user("op@example.com", role=Role.OPERATOR))
    assert getattr(client, method)(url, json={}, headers=operator).status_code == 403


@pytest.mark.parametrize("method, path", ROUTES)
def test_an_unknown_server_is_404(client, admin, method, path):
    response = getattr(client, method)(path.format(id=999), json={}, headers=admin)
    assert response.status_code == 404 and "No server with id 999" in response.json["error"]


def test_forget_needs_an_operator_and_hides_other_tenants(client, app, make_user, token_for, down_server_id):
    viewer = token_for(make_user("viewer@example.com", role=Role.VIEWER))
    stranger = token_for(make_user("stranger@example.com", tenant="Other"))
    add_instance(app, down_server_id, "sales")
    assert client.post("/api/instances/sales/forget").status_code == 401
    assert client.post("/api/instances/sales/forget", headers=viewer).status_code == 403
    assert client.post("/api/instances/sales/forget", headers=stranger).status_code == 404
    assert instance_names(app) == ["sales"]


def test_cli_lists_checks_edits_and_deletes_servers(runner, app, make_user, down_server_id):
    make_user()
    add_instance(app, down_server_id, "sales")
    assert "gone\tevolution" in runner.invoke(args=["servers", "list"]).output
    assert runner.invoke(args=["servers", "health", str(down_server_id)]).output.startswith("unreachable")
    edited = runner.invoke(args=["servers", "edit", str(down_server_id), "--name", "old", "--global-events"])
    assert edited.exit_code == 0, edited.output
    assert (server(app, down_server_id).name, server(app, down_server_id).global_events) == ("old", True)
    refused = runner.invoke(args=["servers", "delete", str(down_server_id)])
    assert refused.exit_code != 0 and "used by 1 instance(s): sales" in refused.output
    deleted = runner.invoke(args=["servers", "delete", str(down_server_id), "--forget-instances"])
    assert deleted.exit_code == 0 and "forgot sales" in deleted.output
    assert server(app, down_server_id) is None


@pytest.mark.parametrize("base_url", ["http://[::1", "http://127.0.0.1:99999999", "http://exa\x00mple.com"])
def test_a_malformed_url_is_a_422_when_registering_too(client, admin, base_url):
    response = client.post("/api/servers", json={"kind": "evolution", "base_url": base_url, "api_key": "k"},
                           headers=admin)
    assert response.status_code == 422 and response.json["error"]
