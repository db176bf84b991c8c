"""GET /api/cluster: administrators only; this process alone, or every process from the registry."""
from __future__ import annotations

import os

import pytest

from gateway.models import Role


@pytest.mark.parametrize("who, status", [(None, 401), (Role.OPERATOR, 403), (Role.VIEWER, 403)])
def test_only_administrators_see_the_cluster(client, make_user, token_for, who, status):
    headers = token_for(make_user("someone@example.com", role=who)) if who else {}
    response = client.get("/api/cluster", headers=headers)
    assert response.status_code == status and response.json["error"]


def test_one_process_alone_lists_itself_as_leader(client, make_user, token_for):
    body = client.get("/api/cluster", headers=token_for(make_user())).json
    assert body["mode"] == "single"
    (process,) = body["processes"]
    assert process["pid"] == os.getpid() and process["leads_jobs"] and body["leader"] == process["id"]
    assert process["sockets"] == [] and process["heartbeat"]


def test_the_route_is_documented(client):
    assert "get" in client.get("/api/openapi.json").json["paths"]["/api/cluster"]


def test_in_a_cluster_it_lists_the_registry_and_names_only_the_tenants_own_instances(
        app, client, make_user, token_for, redis_server, redis_prefix, redis_client):
    from gateway.cluster.registry import Registry
    from gateway.extensions import db
    from gateway.models import Instance, ProviderServer, Tenant
    from tests.conftest import build_app

    clustered = build_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_server, REDIS_PREFIX=redis_prefix)
    headers = token_for(make_user())
    with clustered.app_context():
        server = ProviderServer(name="s", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        mine = Instance(tenant_id=1, server=server, name="sales", delivery_mode="websocket")
        theirs = Instance(tenant=Tenant(name="Other"), server=server, name="secret-name", delivery_mode="websocket")
        db.session.add_all([mine, theirs])
        db.session.commit()
        ids = mine.id, theirs.id
    registry = Registry(redis_client, redis_prefix, ttl=5.0)
    for pid, held in ((11, [ids[0]]), (12, [ids[1]])):
        registry.beat({"id": f"web.1:{pid}", "host": "web.1", "pid": pid, "started": f"2026-11-26T10:00:{pid}Z",
                       "leads_jobs": pid == 12, "sockets": [{"key": f"socket:instance:{held[0]}", "token": 7,
                                                             "instance_ids": held, "status": {"state": "connected"}}]})
    body = clustered.test_client().get("/api/cluster", headers=headers).json
    assert body["mode"] == "cluster" and body["leader"] == "web.1:12"
    first, second = body["processes"]
    assert first["sockets"] == [{"instances": ["sales"], "state": "connected", "token": 7, "global": False}]
    assert second["sockets"] == [] and second["other_tenants_sockets"] == 1
    assert "secret-name" not in str(body)


def test_settings_show_the_processes(client, make_user, login):
    make_user()
    login()
    page = client.get("/settings").get_data(as_text=True)
    assert 'id="cluster"' in page and str(os.getpid()) in page


def test_redis_away_answers_503_on_the_api_and_a_note_in_settings(app, make_user, token_for, unused_port):
    from tests.conftest import build_app, csrf_token

    clustered = build_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=f"redis://127.0.0.1:{unused_port}/0")
    headers = token_for(make_user())
    client = clustered.test_client()
    response = client.get("/api/cluster", headers=headers)
    assert response.status_code == 503 and "Redis did not answer" in response.json["error"]
    assert str(unused_port) not in response.json["error"]
    client.post("/login", data={"email": "admin@example.com", "password": "correct horse",
                                "csrf_token": csrf_token(client)})
    page = client.get("/settings")
    assert page.status_code == 200 and "the processes cannot be listed" in page.get_data(as_text=True)
