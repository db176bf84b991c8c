"""The pages in a real browser: the connection modal against the simulator, live QR and state, the
event monitor (escaped, tenant-scoped), and every toggle from the keyboard.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.connections.conftest import api, create  # noqa: F401

pytestmark = pytest.mark.timeout(60)


def channels(sim, name: str) -> tuple[bool, bool]:
    """(webhook on, websocket on) as the simulated provider holds them."""
    state = sim.control("GET", f"instances/{name}")
    return bool((state["webhook"] or {}).get("enabled")), bool((state["websocket"] or {}).get("enabled"))


def open_modal(page: Page, name: str, label: str = "Connection"):
    page.locator("tr", has_text=name).get_by_role("button", name=label).click()
    modal = page.locator("dialog#modal")
    expect(modal).to_be_visible()
    return modal


def test_connection_modal_switches_and_shows_the_truth(open_page, server_id, sim):
    page = open_page("admin@example.com")
    page.get_by_text("Create or import instances").click()
    page.get_by_label("Name").fill("sales")
    page.get_by_label("Delivery").select_option("websocket")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.locator("#instance-rows")).to_contain_text("sales")
    screenshot(page, "instances")

    modal = open_modal(page, "sales")
    webhook = modal.get_by_role("switch", name="Webhook", exact=True)
    websocket = modal.get_by_role("switch", name="WebSocket", exact=True)
    expect(websocket).to_be_checked()
    expect(modal).to_contain_text("In WebSocket mode Evolution sends media without Base64.")

    webhook.click()
    expect(modal.get_by_role("status")).to_have_text("Webhook enabled! WebSocket was disabled.")
    expect(webhook).to_be_checked()
    expect(websocket).not_to_be_checked()
    assert channels(sim, "sales") == (True, False)
    expect(modal.get_by_role("switch", name="Receive media as Base64")).to_be_checked()
    expect(modal.locator(".current-state")).to_contain_text("Webhook active with Base64: Yes")
    screenshot(page, "connection-modal")

    sim.control("POST", "faults", {"path": "/websocket/set", "delay": 0.6, "status": None})
    websocket.click()
    expect(websocket).to_be_disabled()  # while the request runs
    expect(modal.get_by_role("status")).to_have_text("WebSocket enabled! Webhook was disabled.")
    expect(websocket).to_be_checked()
    expect(webhook).not_to_be_checked()
    assert channels(sim, "sales") == (False, True)
    expect(page.locator("#instance-rows .chip")).to_have_attribute("data-mode", "websocket")

    sim.control("POST", "faults", {"path": "/webhook/set", "status": 400})
    webhook.click()
    expect(modal.get_by_role("alert")).to_contain_text("Simulated fault")
    expect(websocket).to_be_checked()
    expect(webhook).not_to_be_checked()
    assert channels(sim, "sales") == (False, True)


def test_qr_appears_live_and_goes_when_connected(open_page, create, sim):
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    expect(page.locator("body")).to_have_class("live")
    qr = page.get_by_role("img", name="QR code for sales")
    expect(qr).to_have_count(0)

    sim.control("POST", "instances/sales/qr")
    expect(qr).to_be_visible(timeout=1000)
    badge = page.locator("#instance-rows .badge")

    sim.control("POST", "instances/sales/scan", {"number": "5511912345678", "profileName": "Alice"})
    expect(qr).to_have_count(0)
    expect(badge).to_have_attribute("data-state", "open")
    expect(badge).to_have_css("color", "rgb(31, 138, 76)")  # --ok, green
    expect(page.locator("#instance-rows")).to_contain_text("5511912345678 · Alice")


def test_monitor_escapes_provider_text_and_stays_within_the_tenant(open_page, create, client, token_for, user_id,
                                                                     server_id, sim):
    create("sales", mode="websocket")
    mine = open_page("admin@example.com")
    mine.goto("/events")
    theirs = open_page("other@example.org", tenant="Other")
    answer = client.post("/api/instances", headers=token_for(user_id("other@example.org")),
                         json={"name": "others", "server_id": server_id, "mode": "webhook"})
    assert answer.status_code == 201, answer.json
    theirs.goto("/events")
    for page in (mine, theirs):
        expect(page.locator("body")).to_have_class("live")

    attack = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"
    sim.control("POST", "instances/sales/messages", {"text": attack})
    row = mine.locator("#event-rows tr.event", has_text="messages.upsert").first
    expect(row.locator(".summary .text")).to_have_text(attack)
    row.get_by_text("View").click()
    expect(row.locator("pre")).to_contain_text("<script>")
    assert mine.evaluate("window.pwned") is None
    assert mine.locator("#event-rows script, #event-rows img").count() == 0

    # Published after the first tenant's event, so once it shows, anything leaked would have shown too.
    sim.control("POST", "instances/others/messages", {"text": "for the other tenant"})
    expect(theirs.locator("#event-rows tr.event")).to_have_count(1)
    expect(theirs.locator("#event-rows")).to_contain_text("for the other tenant")
    expect(theirs.locator("#event-rows")).not_to_contain_text("sales")
    theirs.goto("/")
    expect(theirs.locator("#instance-rows")).to_contain_text("others")
    expect(theirs.locator("#instance-rows")).not_to_contain_text("sales")


def tab_to(page: Page, target, limit: int = 80) -> None:
    """Press Tab until `target` has the focus: it is reachable from the keyboard."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with Tab")


def test_every_toggle_is_labelled_and_works_from_the_keyboard(open_page, create, sim):
    create("sales", mode="none")
    page = open_page("admin@example.com")
    modal = open_modal(page, "sales")
    expect(modal.locator(".current-state .warning")).to_contain_text("No active connection – messages will not be received")

    webhook = modal.get_by_role("switch", name="Webhook", exact=True)
    tab_to(page, webhook)
    page.keyboard.press("Space")
    expect(modal.get_by_role("status")).to_have_text("Webhook enabled!")
    expect(webhook).to_be_focused()  # the re-rendered modal keeps the keyboard's place
    for name in ("Receive media as Base64", "Webhook by events (one URL per event)"):
        toggle = modal.get_by_role("switch", name=name)
        tab_to(page, toggle)
        before = toggle.is_checked()
        page.keyboard.press("Space")
        expect(modal.get_by_role("status")).to_have_text("Webhook settings saved.")
        expect(toggle).to_be_checked(checked=not before)

    websocket = modal.get_by_role("switch", name="WebSocket", exact=True)
    tab_to(page, websocket)
    page.keyboard.press("Space")
    expect(modal.get_by_role("status")).to_have_text("WebSocket enabled! Webhook was disabled.")
    assert channels(sim, "sales") == (False, True)
