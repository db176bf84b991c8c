"""The API's OpenAPI document stays true to the routes; the operator CLI drives the same manager."""
from gateway.web.api.openapi import BODIES, _concrete, _path
from tests.connections.conftest import stored_mode


def api_rules(app):
    return [r for r in app.url_map.iter_rules()
            if r.rule.startswith("/api/") and not r.endpoint.startswith("webhooks.")]


def test_every_api_route_and_method_is_documented(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    for rule in api_rules(app):
        for concrete in _concrete(rule.rule):
            documented = document["paths"][_path(concrete)]
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                operation = documented[method.lower()]
                assert operation["summary"], f"{rule.endpoint} needs a docstring"


def test_the_waha_routes_are_documented(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert set(paths["/api/webhook-management/waha/{name}"]) == {"get", "post", "delete"}
    assert "get" in paths["/api/webhook-management/waha/events"]
    assert paths["/api/instances/{name}/pairing-code"]["post"]["requestBody"]


def test_every_route_that_reads_a_body_has_its_schema(app):
    endpoints = {rule.endpoint for rule in api_rules(app)}
    assert set(BODIES) <= endpoints, "BODIES names a route that does not exist"
    for rule in api_rules(app):
        source = app.view_functions[rule.endpoint].__code__.co_names
        if "json_body" in source or "webhook_choice" in source:
            assert rule.endpoint in BODIES, f"{rule.endpoint} reads a body the document does not describe"


def test_cli_lists_syncs_and_switches(app, runner, create, provider):
    create(mode="webhook")
    listed = runner.invoke(args=["instances", "list"])
    assert listed.exit_code == 0 and "sales\twebhook" in listed.output
    switched = runner.invoke(args=["instances", "mode", "sales", "websocket"])
    assert switched.exit_code == 0, switched.output
    assert stored_mode(app, "sales") == "websocket" and provider.channels("sales") == (False, True)
    synced = runner.invoke(args=["instances", "sync", "sales"])
    assert synced.exit_code == 0 and "ok" in synced.output
    assert "sales\tok" in runner.invoke(args=["instances", "sync"]).output
    missing = runner.invoke(args=["instances", "mode", "ghost", "none"])
    assert missing.exit_code != 0 and 'No instance "ghost"' in missing.output
