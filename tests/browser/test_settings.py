"""Settings in a real browser: a provider server (key masked, wrong key refused), users, API tokens
shown once, and an operator who may look but not change.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.timeout(60)


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Instances")).to_be_visible()


def add_server(page: Page, url: str, key: str) -> None:
    servers = page.locator("section#servers")
    servers.get_by_label("Name").fill("evolution-main")
    servers.get_by_label("URL").fill(url)
    servers.get_by_label("API key").fill(key)
    servers.get_by_role("button", name="Add server").click()


def test_admin_adds_a_server_whose_key_is_only_ever_shown_masked(open_page, sim):
    page = open_page("admin@example.com")
    page.get_by_role("link", name="Settings").click()
    servers = page.locator("section#servers")
    expect(servers).to_contain_text("No server yet.")

    wrong = "not-the-key-0000"
    add_server(page, sim.base_url, wrong)
    expect(servers.get_by_role("alert")).to_contain_text(f"The server at {sim.base_url} did not accept the key")
    expect(servers).to_contain_text("No server yet.")
    assert wrong not in page.content()

    add_server(page, sim.base_url, sim.api_key)
    expect(servers.get_by_role("status")).to_have_text("Server evolution-main added.")
    row = servers.locator("tbody tr", has_text="evolution-main")
    expect(row.locator("code")).to_have_text("••••" + sim.api_key[-4:])
    assert sim.api_key not in page.content()

    page.reload()
    expect(row).to_contain_text(sim.base_url)
    assert sim.api_key not in page.content()
    row.get_by_role("button", name="Test connection").click()
    expect(servers.get_by_role("status")).to_have_text("Server evolution-main answered.")


def test_api_token_is_shown_once_and_works(open_page, client):
    page = open_page("admin@example.com")
    page.goto("/settings")
    tokens = page.locator("section#tokens")
    tokens.get_by_label("Token name").fill("deploy bot")
    tokens.get_by_role("button", name="Create token").click()
    shown = tokens.get_by_label("New API token")
    expect(shown).to_be_visible()
    token = shown.input_value()
    assert token and token in page.content()
    assert client.get("/api/instances", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    page.reload()
    expect(tokens).to_contain_text("deploy bot")
    expect(tokens.get_by_label("New API token")).to_have_count(0)
    assert token not in page.content()


def test_admin_adds_an_operator_who_sees_settings_read_only(open_page, browser, live):
    page = open_page("admin@example.com")
    page.goto("/settings")
    users = page.locator("section#users")
    form = users.locator("form fieldset").last
    form.get_by_label("E-mail").fill("ops@example.com")
    form.get_by_label("Password").fill(PASSWORD)
    expect(form.get_by_label("Role")).to_have_value("operator")
    users.get_by_role("button", name="Add user").click()
    expect(users.get_by_role("status")).to_have_text("User ops@example.com added.")
    expect(users.locator("tbody td:first-child")).to_have_text(["admin@example.com (you)", "ops@example.com"])
    expect(users.get_by_label("Role of ops@example.com")).to_have_value("operator")

    context = browser.new_context(base_url=live.url)
    try:
        operator = context.new_page()
        log_in(operator, "ops@example.com")  # the account made in the page works
        nav = operator.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Events")).to_be_visible()
        nav.get_by_role("link", name="Settings").click()
        expect(operator.get_by_role("note")).to_contain_text("You are signed in as operator")
        expect(operator.locator("section#tokens").get_by_role("button", name="Create token")).to_be_disabled()
        expect(operator.locator("section#servers").get_by_role("button", name="Test connection")).to_have_count(0)
    finally:
        context.close()
