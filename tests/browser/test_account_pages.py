"""Accounts in a real browser: a password change that logs out the other browser, a throttled
login that says so, and the audit log in Settings."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, screenshot

pytestmark = pytest.mark.timeout(60)
NEW_PASSWORD = "violet kettle drum"


def test_a_password_change_logs_out_the_other_browser_and_is_audited(open_page):
    page = open_page("admin@example.com")
    other = page.context.browser.new_context(base_url=page.url.rstrip("/"))
    other.add_cookies(page.context.cookies())  # a copied session cookie
    stolen = other.new_page()
    stolen.goto("/")
    expect(stolen.get_by_role("heading", name="Instances")).to_be_visible()

    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("12345678")
    page.get_by_label("New password again").fill("12345678")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("too common or too simple")
    screenshot(page, "password-refused")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password was changed")

    stolen.goto("/")
    expect(stolen.get_by_role("heading", name="Log in")).to_be_visible()
    other.close()

    page.get_by_role("link", name="Settings").click()
    audit = page.locator("section#audit")
    expect(audit.locator("tbody tr", has_text="user.password")).to_contain_text("admin@example.com")
    screenshot(page, "settings-audit-log")


def test_a_throttled_login_says_when_to_come_back(open_page, live, browser):
    live.app.config["LOGIN_LIMIT_ACCOUNT"] = "2 per minute"
    open_page("admin@example.com").context.close()
    context = browser.new_context(base_url=live.url)
    page = context.new_page()
    for _ in range(2):
        page.goto("/login")
        page.get_by_label("E-mail").fill("admin@example.com")
        page.get_by_label("Password").fill("not my password")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_have_text("Wrong e-mail or password.")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Log in").click()
    assert answer.value.status == 429 and int(answer.value.headers["retry-after"]) >= 1
    expect(page.locator("main")).to_contain_text("Too many failed logins for this account")
    screenshot(page, "login-throttled")
    context.close()
