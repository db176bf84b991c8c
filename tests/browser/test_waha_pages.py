"""A WAHA session in a real browser: the modal shows WAHA's own options, toggles reach WAHA, the QR shows live."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gateway.extensions import db
from gateway.models import ProviderServer, Role
from gateway.simulator.waha.versions import VERSIONS as WAHA_VERSIONS
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
    expect(modal.locator(".retry-policy")).to_have_count(0)
    expect(modal.locator(".current-state")).not_to_contain_text("signed")
    expect(modal.locator("[data-provider-note=restart]")).to_contain_text("a switch restarts the session")
    screenshot(page, "waha-2024-connection-modal")


def test_a_waha_2024_sessions_picker_offers_exactly_the_events_that_version_emits(open_page, app, live, wsim_2024):
    """No event that came with a later version is offered, and choosing them all is each of its own (no `*`)."""
    page = create_default_session(open_page, app, wsim_2024)
    modal = open_modal(page, "default")
    emitted = list(WAHA_VERSIONS["2024.10.8"].events)
    offered = modal.locator("input[name=events]")
    expect(offered).to_have_count(len(emitted))
    assert sorted(offered.evaluate_all("boxes => boxes.map(box => box.value)")) == sorted(emitted)
    events = modal.locator("details.events")
    events.locator("summary").click()
    expect(events.locator("summary")).to_contain_text(f"2 of {len(emitted)} chosen")
    expect(events.get_by_text("Message edited")).to_have_count(0)
    screenshot(page, "waha-2024-event-picker")

    events.get_by_role("button", name="Select all", exact=True).click()
    expect(modal.get_by_role("status")).to_contain_text("Webhook settings saved.")
    expect(modal.locator("details.events summary")).to_contain_text(f"{len(emitted)} of {len(emitted)} chosen")
    assert sorted(gateway_webhooks(wsim_2024)[0]["events"]) == sorted(emitted)
    modal.locator("details.events").get_by_role("button", name="Select none", exact=True).click()
    expect(modal.locator("details.events summary")).to_contain_text("none chosen: the provider sends every event")
    assert gateway_webhooks(wsim_2024)[0]["events"] == emitted


def test_an_operator_edits_the_retry_policy_in_the_modal(open_page, app, live, wsim):
    """The API's check answers beside the fields; a good policy reaches WAHA and is what the page shows next time."""
    page = create_default_session(open_page, app, wsim)
    modal = open_modal(page, "default")
    policy, delay, attempts = (modal.get_by_label(label, exact=True)
                               for label in ("Delays", "First delay (seconds)", "Retries"))
    expect(policy).to_have_value("exponential")
    expect(delay).to_have_value("2")
    expect(attempts).to_have_value("8")
    save = modal.get_by_role("button", name="Save retry policy")

    attempts.fill("-1")
    save.click()
    error = modal.locator(".retry-policy [role=alert]")
    expect(error).to_have_text("retries.attempts must be a whole number of retries from 0 to 2147483647.")
    expect(modal.get_by_label("Retries", exact=True)).to_have_value("-1")
    expect(modal.get_by_label("Retries", exact=True)).to_have_attribute("aria-invalid", "true")
    assert gateway_webhooks(wsim)[0]["retries"] == {"policy": "exponential", "delaySeconds": 2, "attempts": 8}
    screenshot(page, "waha-retry-policy-refused")

    modal.get_by_label("Delays", exact=True).select_option("constant")
    modal.get_by_label("First delay (seconds)", exact=True).fill("1.5")
    modal.get_by_label("Retries", exact=True).fill("3")
    save.click()
    expect(modal.get_by_role("status")).to_contain_text("Webhook settings saved.")
    expect(error).to_have_count(0)
    assert gateway_webhooks(wsim)[0]["retries"] == {"policy": "constant", "delaySeconds": 1.5, "attempts": 3}

    page.reload()
    modal = open_modal(page, "default")
    expect(modal.locator("[data-provider-note=retries]")).to_contain_text(
        "retried 3 times, constant delays starting at 1.5 s")
    expect(modal.get_by_label("Delays", exact=True)).to_have_value("constant")
    expect(modal.get_by_label("First delay (seconds)", exact=True)).to_have_value("1.5")
    expect(modal.get_by_label("Retries", exact=True)).to_have_value("3")
    screenshot(page, "waha-retry-policy-saved")


def test_a_viewer_sees_the_retry_policy_but_cannot_change_it(open_page, app, live, wsim):
    create_default_session(open_page, app, wsim).context.close()
    page = open_page("viewer@example.com", role=Role.VIEWER, locale="pt-BR")
    modal = open_modal(page, "default", label="Conexão")
    expect(modal.get_by_label("Novas tentativas", exact=True)).to_have_value("8")
    expect(modal.get_by_label("Novas tentativas", exact=True)).to_be_disabled()
    expect(modal.get_by_role("button", name="Salvar política", exact=True)).to_have_count(0)
    expect(modal.locator("[data-provider-note=retries]")).to_contain_text(
        "Uma entrega que falha é repetida 8 vezes, com intervalos exponenciais a partir de 2 s.")
    screenshot(page, "waha-retry-policy-viewer-pt-BR")


def test_a_refused_retry_policy_reads_in_the_pages_language(open_page, app, live, wsim):
    create_default_session(open_page, app, wsim).context.close()
    page = open_page("operador@example.com", role=Role.OPERATOR, locale="pt-BR")
    modal = open_modal(page, "default", label="Conexão")
    modal.get_by_label("Primeiro intervalo (segundos)", exact=True).fill("9999999")
    modal.get_by_role("button", name="Salvar política", exact=True).click()
    expect(modal.locator(".retry-policy [role=alert]")).to_have_text(
        "retries.delaySeconds deve ser um número de segundos de 0 a 2147483.")
    assert gateway_webhooks(wsim)[0]["retries"] == {"policy": "exponential", "delaySeconds": 2, "attempts": 8}
    screenshot(page, "waha-retry-policy-refused-pt-BR")
