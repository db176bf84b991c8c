"""In a real browser: pages in the browser's language with a switch that sticks, and an instance
switched through the JSON API updating the open page (and the modal's WebSocket caveat).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_pages import open_modal
from tests.connections.conftest import api, create  # noqa: F401

pytestmark = pytest.mark.timeout(60)

CAVEAT = "In WebSocket mode Evolution sends media without Base64."


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_pages_follow_the_browser_language_and_the_switch_sticks(open_page, create, sim):
    create("sales", mode="webhook")
    page = open_page("admin@example.com", locale="pt-BR")
    expect(page.locator("html")).to_have_attribute("lang", "pt-BR")
    expect(heading(page)).to_have_text("Instâncias")
    expect(page.get_by_role("navigation")).to_contain_text("Configurações")
    badge = page.locator("#instance-rows .badge")
    expect(badge).to_have_text("desconectado")
    expect(page.locator("body")).to_have_class("live")
    sim.control("POST", "instances/sales/qr")
    expect(badge).to_have_text("conectando")  # the live fragment speaks the page's language too

    page.get_by_role("button", name="English").click()
    expect(heading(page)).to_have_text("Instances")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    expect(heading(page)).to_have_text("Instances")
    expect(badge).to_have_text("connecting")

    page.goto("/events")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.get_by_role("button", name="Português (Brasil)").click()
    expect(heading(page)).to_have_text("Eventos")
    expect(page).to_have_url(re.compile(r"/events\??$"))  # the switch keeps the page
    expect(page.get_by_role("button", name="Pausar")).to_be_visible()
    page.reload()
    expect(heading(page)).to_have_text("Eventos")


def test_a_mode_switched_through_the_api_shows_on_the_open_page(open_page, create, client, token_for, user_id):
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    chip = page.locator("#instance-rows .chip")
    expect(chip).to_have_attribute("data-mode", "webhook")
    modal = open_modal(page, "sales")
    expect(modal.get_by_role("switch", name="Webhook", exact=True)).to_be_checked()
    expect(modal.locator(".current-state")).to_contain_text("Webhook active")
    expect(modal).not_to_contain_text(CAVEAT)
    page.get_by_role("button", name="Close").click()
    expect(modal).to_be_hidden()

    expect(page.locator("body")).to_have_class("live")
    # Neither a reload nor a reconnect (which re-renders everything) may be what brings the change.
    page.evaluate("window.sameDocument = true; "
                  "document.addEventListener('htmx:wsClose', () => { window.socketClosed = true; })")
    answer = client.post("/api/instance-management/websocket/sales", headers=token_for(user_id("admin@example.com")))
    assert answer.status_code == 200, answer.json
    expect(chip).to_have_attribute("data-mode", "websocket")
    expect(chip).to_have_text("WebSocket")
    assert page.evaluate("[window.sameDocument, window.socketClosed]") == [True, None]

    modal = open_modal(page, "sales")
    expect(modal.get_by_role("switch", name="WebSocket", exact=True)).to_be_checked()
    expect(modal.get_by_role("switch", name="Webhook", exact=True)).not_to_be_checked()
    expect(modal).to_contain_text(CAVEAT)

    # An open modal follows too: switched back through the API while it is showing.
    answer = client.post("/api/instance-management/webhook/sales", headers=token_for(user_id("admin@example.com")))
    assert answer.status_code == 200, answer.json
    expect(modal.get_by_role("switch", name="Webhook", exact=True)).to_be_checked()
    expect(modal.get_by_role("switch", name="WebSocket", exact=True)).not_to_be_checked()
    expect(modal).not_to_contain_text(CAVEAT)
    assert page.evaluate("[window.sameDocument, window.socketClosed]") == [True, None]
