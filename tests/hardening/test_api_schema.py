"""schemathesis against /api/openapi.json, with bounded examples: no answer is a 5xx, and every answer
has a status, content type and body the document gives for its route.
"""
from __future__ import annotations

import ipaddress
import socket

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.extensions import db
from gateway.models import ProviderServer
from tests.connections.conftest import register_server

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Per operation and strategy (valid input, invalid input, the real instance); about a minute and a half in
# all on the 2-core machine.
EXAMPLES = 6


def loopback_only(resolve):
    """getaddrinfo that refuses every host but loopback: generated URLs never reach another machine."""

    def guarded(host, *args, **kwargs):
        try:
            allowed = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = False
        if not allowed:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not a loopback address (tests)")
        return resolve(host, *args, **kwargs)

    return guarded


@pytest.fixture
def admin_headers(app, client, make_user, token_for, sim):
    """An admin's token, with the simulator registered as a server; teardown stops any socket client."""
    headers = token_for(make_user())
    register_server(app, sim)
    yield headers
    app.extensions["gateway"].shutdown()


def restore(app, client, headers, token_for, sim) -> None:
    """Put back what a generated call removed: the admin's token (revoked), the server (deleted, its
    instances forgotten) and the instance `sales` (deleted, or forgotten here while the provider keeps it).
    """
    if client.get("/api/instances", headers=headers).status_code == 401:
        headers.update(token_for(1))  # the admin is user 1, and cannot be removed (the last admin)
    if client.get("/api/instances/sales", headers=headers).status_code != 404:
        return
    with client.application.app_context():
        server_id = db.session.execute(db.select(ProviderServer.id)).scalars().first()
    server_id = server_id or register_server(app, sim)
    answer = client.post("/api/instances", headers=headers,
                         json={"name": "sales", "server_id": server_id, "mode": "webhook"})
    if answer.status_code == 422 and "already in use" in answer.json["error"]:
        answer = client.post("/api/instances/import", headers=headers, json={"server_id": server_id, "names": ["sales"]})
    assert answer.status_code == 201, answer.json


def strategies(operation):
    """Valid and invalid input; and, for a route about an instance, the real one as well as random names."""
    modes = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    if "{name}" in operation.path:
        modes.append(operation.as_strategy(path_parameters={"name": "sales"}))
    return st.one_of(*modes)


@pytest.mark.parametrize("caller, database_url", [("admin", "sqlite"), ("admin", "postgresql"), ("nobody", "sqlite")],
                         indirect=["database_url"])
def test_the_api_answers_as_its_document_says(app, client, admin_headers, token_for, sim, monkeypatch, caller):
    """Every operation with bounded examples; failures are gathered, then shown together.

    The schemathesis pytest plugin is not used (it is disabled in pyproject.toml: it imports ssl before
    gevent patches it), so each operation's strategy is run here with Hypothesis directly.
    """
    monkeypatch.setattr(socket, "getaddrinfo", loopback_only(socket.getaddrinfo))
    headers = admin_headers if caller == "admin" else {}
    app.config["API_LIMIT_TOKEN"] = app.config["API_LIMIT_TENANT"] = "100000 per minute"  # a 429 tests nothing
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures, operations = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=strategies(operation))
        def call(case):
            restore(app, client, admin_headers, token_for, sim)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (every operation's failure is reported)
            failures[operation.label] = str(error)[:2000]
    assert operations >= 25
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())


def test_a_session_call_without_its_csrf_token_is_refused_with_403(client, login, make_user):
    make_user()
    login()
    response = client.post("/api/instances/sales/connect")
    assert response.status_code == 403 and "CSRF" in response.json["error"]


def test_an_api_call_from_nobody_is_a_401_even_without_a_csrf_token(client):
    response = client.post("/api/servers", json={"kind": "evolution"})
    assert response.status_code == 401 and response.json["error"]
