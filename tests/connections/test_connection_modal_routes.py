"""The connection modal as served: the customer's layout, the provider's event catalogue, the webhook
secret kept out of the page, and the full URL only for operators of the instance's own tenant.
"""
from __future__ import annotations

import pytest

from gateway.extensions import db
from gateway.models import Instance, Role
from tests.conftest import csrf_token

HX = {"HX-Request": "true"}


@pytest.fixture
def secret(app, create):
    create("sales", mode="webhook")
    with app.app_context():
        return db.session.execute(db.select(Instance.webhook_secret).where(Instance.name == "sales")).scalar_one()


def modal(client) -> str:
    answer = client.get("/instances/sales/connection", headers=HX)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_modal_shows_the_masked_url_and_the_grouped_catalogue_but_never_the_secret(client, login, make_user,
                                                                                          secret):
    make_user("admin@example.com")
    login()
    html = modal(client)
    assert "Configure connection – sales" in html
    assert secret not in html
    assert f"/api/webhooks/evolution/••••{secret[-4:]}" in html
    for group in ("Messages", "Contacts", "Chats", "Groups", "Connection &amp; QR", "Calls", "Labels", "Instance",
                  "Integrations"):
        assert f"<legend>{group}" in html
    assert 'New message received or sent <code class="hint">MESSAGES_UPSERT</code>' in html
    assert "2 of 31 chosen" in html  # the default selection, counted
    assert html.count('type="checkbox" role="switch"') == 4  # webhook, base64, by events, websocket


def test_the_modal_speaks_brazilian_portuguese(client, login, make_user, secret):
    make_user("admin@example.com")
    login()
    client.post("/language", data={"lang": "pt-BR", "next": "/", "csrf_token": csrf_token(client)})
    html = modal(client)
    for text in ("Configurar Conexão – sales", "Recebe mensagens via HTTP POST", "Recebe mensagens em tempo real via WS",
                 "Receber mídias em Base64", "Recomendado: converte mídias automaticamente", "Webhook ativo com Base64: Sim",
                 "Mensagens", "Conexão e QR", "2 de 31 escolhidos"):
        assert text in html, text


def copy_url(client):
    return client.post("/instances/sales/connection/webhook-url", headers={"X-CSRFToken": csrf_token(client)})


def test_an_operator_gets_the_full_url_uncached(client, login, secret):
    login("operator@example.com")  # made by the `api` fixture that created the instance
    answer = copy_url(client)
    assert answer.status_code == 200
    assert answer.json["url"].endswith(f"/api/webhooks/evolution/{secret}")
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("who, status", [
    (None, 302),                                   # anonymous: to the login form
    (("viewer@example.com", "Acme", Role.VIEWER), 403),
    (("intruder@example.org", "Other", Role.ADMIN), 404),  # another tenant's instance is not there
])
def test_the_full_url_is_refused_to_everyone_else(client, login, make_user, secret, who, status):
    if who:
        make_user(who[0], tenant=who[1], role=who[2])
        login(who[0])
    answer = copy_url(client)
    assert answer.status_code == status
    assert secret not in answer.get_data(as_text=True)


def test_the_full_url_needs_the_csrf_token(client, login, make_user, secret):
    make_user("admin@example.com")
    login()
    answer = client.post("/instances/sales/connection/webhook-url")
    assert answer.status_code == 400
    assert secret not in answer.get_data(as_text=True)
