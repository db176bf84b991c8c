"""Refusals built from values (a length, a list of choices, a name) read in the reader's language, like the
fixed ones: the template is translated, then filled in. English stays the words without a language asked."""
from __future__ import annotations

import pytest

from gateway import lengths
from gateway.i18n import Message, Refusal
from gateway.models import Role
from tests.conftest import csrf_token
from tests.connections.conftest import server_id  # noqa: F401  (a registered Evolution simulator)

PT = {"Accept-Language": "pt-BR"}


def test_a_refusal_is_english_as_text_and_translated_for_a_reader(app):
    refusal = Refusal("{field} is longer than {limit} characters.", field=Message("The tenant name"), limit=120)
    assert str(refusal) == "The tenant name is longer than 120 characters."
    with app.test_request_context(headers=PT):
        assert refusal.translated() == "O nome do tenant tem mais de 120 caracteres."
    with app.test_request_context():
        assert refusal.translated() == str(refusal)
    # Words that came from elsewhere are kept as they are (and found when they are a known sentence).
    assert Refusal.of(ValueError("Nothing changed.")).translated() == "Nothing changed."


@pytest.mark.parametrize("form, english, portuguese", [
    ({"tenant": "t" * (lengths.TENANT_NAME + 1), "email": "a@b.io", "password": "long enough"},
     "The tenant name is longer than 120 characters.", "O nome do tenant tem mais de 120 caracteres."),
    ({"tenant": "Acme", "email": "a@b.io", "password": "short"},
     "The password needs at least 8 characters.", "A senha precisa de pelo menos 8 caracteres."),
])
def test_the_first_run_form_refuses_in_the_browsers_language(client, form, english, portuguese):
    for headers, words in (({}, english), (PT, portuguese)):
        response = client.post("/setup", data={**form, "csrf_token": csrf_token(client)}, headers=headers)
        assert response.status_code == 400 and words in response.get_data(as_text=True)


@pytest.mark.parametrize("data, portuguese", [
    ({"name": "t" * (lengths.TOKEN_NAME + 1)}, "&#39;name&#39; tem mais de 120 caracteres."),
    ({"name": "ok", "expires_in_days": "9999"}, "expires_in_days deve ser um número inteiro de 1 a 3650, ou null."),
])
def test_the_settings_forms_refuse_in_the_pages_language(client, make_user, login, data, portuguese):
    make_user()
    login()
    response = client.post("/settings/tokens", data=data,
                           headers={**PT, "X-CSRFToken": csrf_token(client), "HX-Request": "true"})
    assert response.status_code == 422 and portuguese in response.get_data(as_text=True)


def test_the_instances_form_states_the_naming_rule_in_the_pages_language(client, make_user, login, server_id):
    make_user()
    login()
    response = client.post("/instances", data={"name": "-bad", "server_id": server_id, "mode": "webhook"},
                           headers={**PT, "X-CSRFToken": csrf_token(client), "HX-Request": "true"})
    assert response.status_code == 422
    assert "name deve seguir a regra: De 1 a 100 letras, dígitos" in response.get_data(as_text=True)


@pytest.mark.parametrize("body, english, portuguese", [
    ({"kind": "matrix", "base_url": "http://x", "api_key": "k"},
     "kind must be one of evolution, waha.", "kind deve ser um destes: evolution, waha."),
    ({"kind": "evolution", "base_url": "http://x", "api_key": "k", "global_events": "yes"},
     "global_events must be true or false.", "global_events deve ser true ou false."),
])
def test_the_api_answers_in_the_callers_language_and_in_english_by_default(client, make_user, token_for, body,
                                                                          english, portuguese):
    bearer = token_for(make_user(role=Role.ADMIN))
    for headers, words in (({}, english), (PT, portuguese)):
        response = client.post("/api/servers", json=body, headers={**bearer, **headers})
        assert response.status_code == 422 and response.json["error"] == words
