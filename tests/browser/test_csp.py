"""§9 in a real browser: every page, the connection modal, the live QR, the event monitor and the
settings load and work under the Content-Security-Policy without a single violation.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.connections.conftest import api, create  # noqa: F401

pytestmark = pytest.mark.timeout(90)

# Runs before any page script; Playwright's own scripts are exempt from the page's policy.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Violations:
    """CSP violations a page reported (event and console), across its navigations."""

    def __init__(self, page: Page):
        self.page = page
        self.console: list[str] = []
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def check(self, where: str) -> None:
        reported = self.page.evaluate("window.__violations || []")
        assert not reported and not self.console, (where, reported, self.console)


def test_first_run_and_login_pages_pass_the_policy(browser, live):
    context = browser.new_context(base_url=live.url)
    page = context.new_page()
    violations = Violations(page)
    try:
        for path in ("/", "/login", "/nowhere"):
            answer = page.goto(path)
            assert "script-src 'self'" in answer.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
            violations.check(path)
    finally:
        context.close()


def test_every_signed_in_page_passes_the_policy(open_page, create, sim):
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    violations = Violations(page)

    page.reload()
    expect(page.locator("body")).to_have_class("live")  # htmx and its ws extension ran
    sim.control("POST", "instances/sales/qr")
    qr = page.get_by_role("img", name="QR code for sales")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "the QR image did not load"
    page.locator("tr", has_text="sales").get_by_role("button", name="Connection").click()
    expect(page.locator("dialog#modal")).to_be_visible()
    screenshot(page, "csp-instances-modal")
    violations.check("instances, QR and modal")

    page.goto("/events?instance=sales")
    expect(page.locator("body")).to_have_class("live")
    sim.control("POST", "instances/sales/messages", {"text": "under the policy"})
    row = page.locator("#event-rows tr.event", has_text="messages.upsert").first
    row.get_by_text("View").click()
    expect(row.locator("pre")).to_contain_text("under the policy")
    violations.check("event monitor")

    page.goto("/settings")
    tokens = page.locator("section#tokens")
    tokens.get_by_label("Token name").fill("policy")
    tokens.get_by_role("button", name="Create token").click()
    shown = tokens.get_by_label("New API token")
    shown.focus()
    assert shown.evaluate("input => input.selectionEnd - input.selectionStart") == len(shown.input_value())
    screenshot(page, "csp-settings")
    violations.check("settings")

    page.goto("/account/password")
    page.wait_for_load_state("networkidle")
    violations.check("password change")

    page.locator("form.lang button[lang=pt-BR]").click()
    page.wait_for_load_state("networkidle")
    violations.check("language switch")
