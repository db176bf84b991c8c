"""The instances row's "Catch up" button in a real browser: what a lost webhook missed comes back."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gateway.simulator.testing import wait_for
from tests.browser.conftest import screenshot
from tests.connections.conftest import api, create, provider  # noqa: F401
from tests.pipeline.conftest import Store

pytestmark = pytest.mark.timeout(60)


def test_the_catch_up_button_recovers_what_a_lost_webhook_missed(open_page, live, create, sim, provider):
    create(mode="webhook")
    url = provider.webhook("sales")["url"]
    provider.rest("POST", "/webhook/set/sales", {"webhook": {"enabled": False, "url": url}})
    [key] = sim.control("POST", "instances/sales/messages", {})["ids"]
    sim.control("POST", "instances/sales/ack", {"id": key, "status": "READ"})
    page = open_page("admin@example.com")
    page.locator("tr", has_text="sales").get_by_role("button", name="Catch up").click()
    expect(page.get_by_role("status")).to_have_text("sales caught up: 2 missed event(s) recovered of 2 read.")
    screenshot(page, "instances-caught-up")
    store = Store(live.app)
    assert wait_for(lambda: store.message_sources("sales")) == {key: ["catchup"]}
    assert store.ack_sources("sales") == {(key, "READ"): ["catchup"]}
