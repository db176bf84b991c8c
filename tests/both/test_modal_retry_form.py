"""The connection modal's retry policy form (POST /instances/<name>/connection with `retries.<field>`): the
API's one check of a policy, operators of the instance's tenant only, and the provider told once it passes."""
from __future__ import annotations

import re

import pytest

from gateway.models import Role
from tests.conftest import csrf_token

DEFAULT = {"policy": "exponential", "delaySeconds": 2, "attempts": 8}
HX = {"HX-Request": "true"}
waha_only = pytest.mark.parametrize("backend", ["waha"], indirect=True)


def typed(client, name: str, **fields: str):
    """The form as the modal posts it: the webhook stays on, the policy's fields as typed."""
    return client.post(f"/instances/{name}/connection", data={"webhook": "on", **{f"retries.{key}": value
                                                                                 for key, value in fields.items()}},
                       headers={**HX, "X-CSRFToken": csrf_token(client)})


@waha_only
def test_a_policy_typed_by_an_operator_reaches_waha_and_the_modal(client, login, backend, create):
    create(mode="webhook")
    login("operator@example.com")  # made by the `api` fixture that created the instance
    answer = typed(client, "default", policy="linear", delaySeconds="0.5", attempts="0")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Webhook settings saved." in html and "retried 0 times, linear delays starting at 0.5 s" in html
    assert backend.ours()[0]["retries"] == {"policy": "linear", "delaySeconds": 0.5, "attempts": 0}


@waha_only
@pytest.mark.parametrize("fields, body", [
    ({"policy": "random", "delaySeconds": "2", "attempts": "8"}, {"policy": "random"}),
    ({"policy": "linear", "delaySeconds": "", "attempts": "8"}, {"delaySeconds": ""}),
    ({"policy": "linear", "delaySeconds": "nan", "attempts": "8"}, {"delaySeconds": -1}),
    ({"policy": "linear", "delaySeconds": "9999999", "attempts": "8"}, {"delaySeconds": 9999999}),
    ({"policy": "linear", "delaySeconds": "2", "attempts": "2.5"}, {"attempts": 2.5}),
    ({"policy": "linear", "delaySeconds": "2", "attempts": "-1"}, {"attempts": -1}),
    ({"policy": "linear", "delaySeconds": "2", "attempts": "8", "jitter": "1"}, {"jitter": 1}),
])
def test_a_bad_policy_typed_in_the_modal_gets_the_apis_words_beside_its_fields(api, client, login, backend, create,
                                                                              fields, body):
    create(mode="webhook")
    login("operator@example.com")
    words = api.post("/api/webhook-management/waha/default", json={"retries": body}).json["error"]
    answer = typed(client, "default", **fields)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert re.search(rf'<p class="alert error" role="alert" id="c\d+-retries-error">{re.escape(words)}</p>', html)
    assert html.count('aria-invalid="true"') == 3
    assert backend.ours()[0]["retries"] == DEFAULT


@waha_only
@pytest.mark.parametrize("who, status", [
    (None, 302),                                            # anonymous: to the login form
    (("viewer@example.com", "Acme", Role.VIEWER), 403),
    (("intruder@example.org", "Other", Role.ADMIN), 404),  # another tenant's instance is not there
])
def test_the_policy_is_changed_by_the_tenants_operators_only(client, login, make_user, backend, create, who, status):
    create(mode="webhook")
    if who:
        make_user(who[0], tenant=who[1], role=who[2])
        login(who[0])
    assert typed(client, "default", policy="constant", delaySeconds="1", attempts="1").status_code == status
    assert backend.ours()[0]["retries"] == DEFAULT


@pytest.mark.parametrize("backend", ["evolution"], indirect=True)
def test_a_server_without_a_policy_refuses_one_from_the_form_too(client, login, backend, create):
    create(mode="webhook")
    login("operator@example.com")
    answer = typed(client, "sales", policy="constant", delaySeconds="1", attempts="1")
    assert answer.status_code == 422
    assert ('<p class="alert error" role="alert">Evolution API has no per-instance webhook retry policy'
            in answer.get_data(as_text=True))
