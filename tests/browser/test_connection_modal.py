"""The connection modal in a real browser: the customer's layout, the keyboard path, toasts that leave,
no green for a failure, the switch in flight, the socket's states, grouped events and the URL copy;
every state photographed in English and in Portuguese (tests/artifacts/modal-*.png).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gateway.extensions import db
from gateway.models import Instance, Role
from tests.browser.conftest import screenshot
from tests.browser.test_pages import channels
from tests.connections.conftest import api, create  # noqa: F401

pytestmark = pytest.mark.timeout(90)

GREEN = "rgb(31, 138, 76)"  # --ok
RED = "rgb(192, 57, 43)"    # --bad
TEXTS = {
    "en-US": {
        "title": "Configure connection – sales", "webhook on": "Webhook enabled!",
        "websocket on": "WebSocket enabled! Webhook was disabled.", "websocket off": "WebSocket disabled!",
        "none": "No active connection – messages will not be received", "base64": "Webhook active with Base64: Yes",
        "switching": "Enabling the WebSocket…", "connected": "WebSocket connected",
        "awaiting": "Waiting for the instance's first event (Evolution opens its socket namespace only then)",
    },
    "pt-BR": {
        "title": "Configurar Conexão – sales", "webhook on": "Webhook ativado!",
        "websocket on": "WebSocket ativado! Webhook foi desativado.", "websocket off": "WebSocket desativado!",
        "none": "Nenhuma conexão ativa – mensagens não serão recebidas", "base64": "Webhook ativo com Base64: Sim",
        "switching": "Ativando o WebSocket…", "connected": "WebSocket conectado",
        "awaiting": "Aguardando o primeiro evento da instância (a Evolution só abre o namespace do socket nesse momento)",
    },
}


def opener(page: Page, name: str):
    """The row's button that opens the modal, whatever the page's language."""
    return page.locator("tr", has_text=name).locator("button[hx-get$='/connection']")


def open_modal(page: Page, name: str):
    opener(page, name).click()
    modal = page.locator("dialog#modal")
    expect(modal).to_be_visible()
    return modal


def switches(modal):
    """The two main switches, by their id (their names differ by language)."""
    return modal.locator("input[name=webhook]"), modal.locator("input[name=websocket]")


def colour(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).color")


def focused_is(page: Page, locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tabs_to(page: Page, target, limit: int = 10) -> int:
    """How many Tab presses from the current focus reach `target`."""
    for presses in range(limit + 1):
        if focused_is(page, target):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reached within {limit} Tab presses")


@pytest.mark.parametrize("locale", ["en-US", "pt-BR"])
def test_every_state_in_its_tone_and_language(open_page, create, sim, locale):
    texts, tag = TEXTS[locale], locale[:2]
    create("sales", mode="none")
    page = open_page("admin@example.com", locale=locale)
    modal = open_modal(page, "sales")
    webhook, websocket = switches(modal)
    state = modal.locator(".current-state .status")
    expect(modal.get_by_role("heading", level=2)).to_have_text(texts["title"])
    expect(state).to_have_class("status warning")
    expect(state).to_have_text(texts["none"])
    screenshot(page, f"modal-none-{tag}")

    webhook.click()
    toast = modal.locator(".toasts .toast")
    expect(toast).to_have_text(texts["webhook on"])  # from none: nothing was disabled, so it does not say so
    expect(toast).to_have_class("toast success")
    expect(state).to_have_text(texts["base64"])
    expect(state).to_have_css("color", GREEN)
    screenshot(page, f"modal-webhook-{tag}")

    # A provider failure: an error toast and an inline alert, red, and the switches back at the truth.
    sim.control("POST", "faults", {"path": "/websocket/set", "status": 400})
    websocket.click()
    expect(modal.get_by_role("alert")).to_contain_text("Simulated fault")
    expect(toast).to_have_class("toast error")
    expect(toast).to_contain_text("Simulated fault")
    for failure in (toast, modal.get_by_role("alert")):
        assert colour(failure) == RED
    assert not modal.locator(".toast.success, .alert.error .success").count()
    expect(webhook).to_be_checked()
    expect(websocket).not_to_be_checked()
    screenshot(page, f"modal-failure-{tag}")

    # In flight: the target on, the other already off, the old notice gone, the state neutral.
    sim.control("POST", "faults", {"path": "/websocket/set", "delay": 1.5, "status": None})
    websocket.click()
    expect(websocket).to_be_disabled()
    expect(websocket).to_be_checked()
    expect(webhook).not_to_be_checked()
    expect(modal.get_by_role("alert")).to_have_count(0)
    expect(toast).to_have_count(0)
    expect(state).to_have_text(texts["switching"])
    expect(state).to_have_class("status neutral pending")
    screenshot(page, f"modal-switching-{tag}")

    # The simulator opens the instance's namespace only at its first event: a wait, said plainly, not green.
    expect(toast).to_have_text(texts["websocket on"], timeout=10000)
    expect(state).to_have_text(texts["awaiting"])
    expect(state).to_have_class("status neutral")
    assert colour(state) not in (GREEN, RED)
    screenshot(page, f"modal-awaiting-{tag}")

    sim.control("POST", "instances/sales/messages", {"text": "the first event"})
    expect(state).to_have_text(texts["connected"], timeout=20000)  # the box asks again until it settles
    expect(state).to_have_class("status success")
    screenshot(page, f"modal-websocket-{tag}")
    assert channels(sim, "sales") == (False, True)

    websocket.click()
    expect(toast).to_have_text(texts["websocket off"])
    expect(toast).to_have_class("toast neutral")  # turning delivery off is no success to celebrate
    expect(state).to_have_class("status warning")


def test_layout_and_keyboard_path(open_page, create):
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    modal = open_modal(page, "sales")
    webhook = modal.get_by_role("switch", name="Webhook", exact=True)
    websocket = modal.get_by_role("switch", name="WebSocket", exact=True)
    expect(modal.get_by_role("note")).to_have_text(
        "Webhook and WebSocket cannot be active at the same time. Enabling one disables the other automatically.")
    expect(webhook).to_have_accessible_description("Receives messages via HTTP POST")
    expect(websocket).to_have_accessible_description("Receives messages in real time via WS")
    base64 = modal.get_by_role("switch", name="Receive media as Base64")
    expect(base64).to_have_accessible_description("Recommended: converts media automatically")
    expect(modal.locator(".retry-policy")).to_have_count(0)  # Evolution's server retries on its own terms
    # Cards: the title on the left, the switch on the right; Base64 nested under the webhook.
    for switch, title in ((webhook, "Webhook"), (websocket, "WebSocket")):
        card = modal.locator(".channel", has=page.get_by_role("switch", name=title, exact=True))
        assert switch.bounding_box()["x"] > card.get_by_text(title, exact=True).bounding_box()["x"] + 200
    assert base64.bounding_box()["y"] < websocket.bounding_box()["y"]

    # Keyboard: with the webhook on (its options open), both switches within 5 Tab presses of opening.
    assert tabs_to(page, webhook) <= 5
    assert tabs_to(page, websocket) <= 4
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    assert focused_is(page, opener(page, "sales"))
    expect(modal.locator("#modal-body > *")).to_have_count(0)  # nothing left polling behind

    # Switched from the keyboard, the row is re-rendered live; Esc still lands on its button.
    page.keyboard.press("Enter")
    expect(modal).to_be_visible()
    assert tabs_to(page, websocket) <= 5
    page.keyboard.press("Space")
    expect(modal.get_by_role("status")).to_have_text("WebSocket enabled! Webhook was disabled.")
    expect(page.locator("#instance-rows .chip")).to_have_attribute("data-mode", "websocket")
    expect(websocket).to_be_focused()
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    assert focused_is(page, opener(page, "sales"))


def test_focus_stays_on_the_opener_when_a_live_update_re_renders_its_row_after_esc(app, open_page, create):
    from gateway.realtime.hub import announce

    created = create("sales", mode="webhook")
    page = open_page("admin@example.com")
    opener(page, "sales").focus()
    page.keyboard.press("Enter")
    modal = page.locator("dialog#modal")
    expect(modal).to_be_visible()
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    assert focused_is(page, opener(page, "sales"))
    old_row = page.locator("tr", has_text="sales").element_handle()
    with app.app_context():
        instance = db.session.get(Instance, created["id"])
        announce(app.extensions["gateway"].bus, instance.tenant_id, instance.id)
    page.wait_for_function("row => !row.isConnected", arg=old_row)  # the row was replaced, its button too
    assert focused_is(page, opener(page, "sales"))


def test_toasts_leave_on_their_own_and_the_error_stays_inline(open_page, create, sim):
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    modal = open_modal(page, "sales")
    webhook, websocket = switches(modal)
    webhook.click()
    toast = modal.locator(".toasts .toast")
    expect(toast).to_have_text("Webhook disabled!")
    expect(toast).to_have_count(0, timeout=8000)

    sim.control("POST", "faults", {"path": "/webhook/set", "status": 400})
    webhook.click()
    expect(toast).to_contain_text("Simulated fault")
    expect(toast).to_have_count(0, timeout=12000)
    expect(modal.get_by_role("alert")).to_contain_text("Simulated fault")  # the inline error stays
    expect(modal.locator(".current-state .status")).to_have_class("status warning")


def test_events_grouped_with_select_all_and_none_per_group_and_overall(open_page, create, sim):
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    modal = open_modal(page, "sales")
    events = modal.locator("details.events")
    summary = events.locator("summary")
    expect(summary).to_contain_text("2 of 31 chosen")
    summary.click()
    messages = events.locator("fieldset", has=page.locator("legend", has_text="Messages"))
    expect(messages.get_by_role("checkbox", name="New message received or sent MESSAGES_UPSERT")).to_be_checked()

    messages.get_by_role("button", name="Select all: Messages").click()
    expect(summary).to_contain_text("7 of 31 chosen")
    expect(messages.locator("legend .count")).to_have_text("7/7")
    expect(events).to_have_attribute("open", "")  # still open after the re-render

    calls = events.locator("fieldset", has=page.locator("legend", has_text="Calls"))
    calls.get_by_role("checkbox", name="Incoming call CALL").check()
    expect(summary).to_contain_text("8 of 31 chosen")
    messages.get_by_role("button", name="Clear: Messages").click()
    expect(summary).to_contain_text("1 of 31 chosen")
    assert set(sim.control("GET", "instances/sales")["webhook"]["events"]) >= {"CALL"}

    events.get_by_role("button", name="Select all", exact=True).click()
    expect(summary).to_contain_text("31 of 31 chosen")
    events.get_by_role("button", name="Select none", exact=True).click()
    expect(summary).to_contain_text("none chosen: the provider sends every event")
    screenshot(page, "modal-events-en")


def test_only_an_operator_can_copy_the_full_webhook_url(open_page, create, app):
    create("sales", mode="webhook")
    with app.app_context():
        secret = db.session.execute(db.select(Instance.webhook_secret)).scalar_one()
    page = open_page("admin@example.com")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    modal = open_modal(page, "sales")
    expect(modal.locator(".webhook-url code")).to_have_text(f"{app.config['PUBLIC_URL']}/api/webhooks/evolution/••••"
                                                            f"{secret[-4:]}")
    assert secret not in page.content()
    modal.get_by_role("button", name="Copy full URL").click()
    expect(modal.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/api/webhooks/evolution/{secret}")

    viewer = open_page("viewer@example.com", role=Role.VIEWER)
    modal = open_modal(viewer, "sales")
    expect(modal.locator(".webhook-url")).to_contain_text("operators can copy the full URL")
    expect(modal.get_by_role("button", name="Copy full URL")).to_have_count(0)
    expect(modal).to_contain_text("You can look but not change: switching needs the operator role.")
    expect(modal.get_by_role("switch", name="WebSocket", exact=True)).to_be_disabled()
    assert secret not in viewer.content()
