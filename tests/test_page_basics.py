"""Small things a new operator meets first: failures shown as errors with their status, 405 answers,
the favicon, one default delivery mode for the form and the API, and the README's masked key hint."""
from __future__ import annotations

import pytest

from gateway.instances import DEFAULT_MODE
from tests.conftest import csrf_token
from tests.connections.conftest import api, create, server_id  # noqa: F401


@pytest.fixture
def operator_page(client, make_user, login):
    make_user()
    login()
    return {"X-CSRFToken": csrf_token(client), "HX-Request": "true"}


def test_a_refused_action_is_an_error_with_its_status_not_a_green_notice(client, operator_page, server_id,  # noqa: F811
                                                                        create):
    create("sales")
    answer = client.post("/instances", data={"name": "SALES", "server_id": server_id}, headers=operator_page)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert '<p class="alert error" role="alert">An instance named &#34;sales&#34; already exists.</p>' in html
    assert 'class="toast"' not in html


def test_a_provider_failure_is_an_error_with_a_5xx(client, operator_page, server_id, create, sim):  # noqa: F811
    create("sales")
    sim.control("POST", "faults", {"path": "/instance/connect/sales", "status": 500, "times": 1})
    answer = client.post("/instances/sales/connect", headers=operator_page)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 502
    assert '<p class="alert error" role="alert">The provider' in html and 'class="toast"' not in html
    assert ">502<" not in html


def test_405_is_a_page_for_pages_and_json_for_the_api(client, make_user, token_for):
    page = client.delete("/")
    assert page.status_code == 405 and page.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert page.mimetype == "text/html" and "DELETE is not allowed here; this address accepts GET." in page.text
    api_answer = client.put("/api/servers", headers=token_for(make_user()))
    assert api_answer.status_code == 405 and api_answer.json == {
        "error": "PUT is not allowed here; this address accepts GET, POST.", "allowed": ["GET", "POST"]}


def test_the_favicon_is_served_and_linked(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon" href="/favicon.ico"' in client.get("/login").text


def test_the_api_and_the_form_share_one_default_delivery_mode(client, api, server_id, operator_page):  # noqa: F811
    assert DEFAULT_MODE.value == "webhook"
    created = api.post("/api/instances", json={"name": "by-api", "server_id": server_id})
    assert created.status_code == 201 and created.json["delivery_mode"] == DEFAULT_MODE.value
    assert f'<option value="{DEFAULT_MODE.value}" selected>' in client.get("/").text
    posted = client.post("/instances", data={"name": "by-form", "server_id": server_id}, headers=operator_page)
    assert posted.status_code == 200
    assert {i["name"]: i["delivery_mode"] for i in api.get("/api/instances").json} == {
        "by-api": DEFAULT_MODE.value, "by-form": DEFAULT_MODE.value}
    document = client.get("/api/openapi.json").json
    body = document["paths"]["/api/instances"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["mode"]["default"] == DEFAULT_MODE.value


def test_the_masked_key_shows_its_last_characters_as_the_readme_says(client, make_user, token_for, sim):
    admin = token_for(make_user())
    client.post("/api/servers", json={"kind": "evolution", "base_url": sim.base_url, "api_key": sim.api_key},
                headers=admin)
    assert client.get("/api/servers", headers=admin).json[0]["api_key_hint"] == "••••-key"  # test-global-key
