"""A WAHA session in a real browser: the modal shows WAHA's own options, toggles reach WAHA, the QR shows live."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gateway.extensions import db
from gateway.models import ProviderServer
from tests.browser.conftest import screenshot
from tests.browser.test_pages import open_modal

pytestmark = pytest.mark.timeout(60)


def gateway_webhooks(wsim) -> list[dict]:
    """The gateway's entries in the session's config.webhooks (the customer's stay untouched)."""
    config = wsim.control("GET", "instances/default")["session"]["config"] or {}
    return [hook for hook in config.get("webhooks") or [] if "/api/webhooks/waha" in hook["url"]]


def create_default_session(open_page, app, simulator):
    """A WAHA server at the simulator's version, and its `default` session created in webhook mode in the page."""
    with app.app_context():
        db.session.add(ProviderServer(name="waha", kind="waha", base_url=simulator.base_url,
                                      api_key=simulator.api_key, version=simulator.version))
        db.session.commit()
    page = open_page("admin@example.com")
    page.get_by_text("Create or import instances").click()
    page.get_by_label("Name").fill("default")
    page.get_by_label("Delivery").select_option("webhook")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.locator("#instance-rows")).to_contain_text("default")
    assert len(gateway_webhooks(simulator)) == 1
    return page


def test_a_waha_sessions_modal_toggles_and_qr(open_page, app, live, wsim):
    page = create_default_session(open_page, app, wsim)

    modal = open_modal(page, "default")
    webhook = modal.get_by_role("switch", name="Webhook", exact=True)
    websocket = modal.get_by_role("switch", name="WebSocket", exact=True)
    expect(webhook).to_be_checked()
    expect(modal.get_by_role("switch", name="Receive media as Base64")).to_have_count(0)
    expect(modal.get_by_role("switch", name="Webhook by events (one URL per event)")).to_have_count(0)
    expect(modal.locator("[data-provider-note=restart]")).to_contain_text("a switch restarts the session")
    expect(modal.locator("[data-provider-note=signed]")).to_contain_text("signed")
    expect(modal.locator("[data-provider-note=retries]")).to_contain_text(
        "retried 8 times, exponential delays starting at 2 s")
    expect(modal.locator("[data-provider-note=websocket-refused]")).to_have_count(0)
    expect(modal.locator("input[name=events][value='message']")).to_be_checked()
    expect(modal.locator("input[name=events][value='session.status']")).to_have_count(1)
    screenshot(page, "waha-connection-modal")

    websocket.click()
    expect(modal.get_by_role("status")).to_contain_text("WebSocket enabled")
    expect(websocket).to_be_checked()
    expect(webhook).not_to_be_checked()
    assert gateway_webhooks(wsim) == []
    webhook.click()
    expect(modal.get_by_role("status")).to_contain_text("Webhook enabled")
    assert len(gateway_webhooks(wsim)) == 1
    page.keyboard.press("Escape")

    page.locator("tr", has_text="default").get_by_role("button", name="Connect", exact=True).click()
    qr = page.locator("#qr-panels img")
    expect(qr).to_be_visible()
    expect(page.locator("#instance-rows .provider-word")).to_have_text("SCAN_QR_CODE")
    screenshot(page, "waha-qr")
    wsim.control("POST", "instances/default/scan", {"number": "5511999990000"})
    expect(qr).to_have_count(0)
    expect(page.locator("#instance-rows .badge")).to_have_attribute("data-state", "open")


def test_a_waha_2024_sessions_modal_shows_only_what_that_version_has(open_page, app, live, wsim_2024):
    """2024.10.8 signs nothing, never retries, and its /ws carries no messages: none of it is offered."""
    page = create_default_session(open_page, app, wsim_2024)
    modal = open_modal(page, "default")
    websocket = modal.get_by_role("switch", name="WebSocket", exact=True)
    expect(modal.get_by_role("switch", name="Webhook", exact=True)).to_be_checked()
    expect(websocket).to_be_disabled()
    expect(websocket).not_to_be_checked()
    expect(modal.locator("[data-provider-note=websocket-refused]")).to_contain_text(
        "WAHA 2024.10.8's /ws sends session.status only, so messages would be lost")
    expect(modal.locator("[data-provider-note=signed]")).to_have_count(0)
    expect(modal.locator("[data-provider-note=retries]")).to_have_count(0)
    expect(modal.locator(".current-state")).not_to_contain_text("signed")
    expect(modal.locator("[data-provider-note=restart]")).to_contain_text("a switch restarts the session")
    screenshot(page, "waha-2024-connection-modal")
