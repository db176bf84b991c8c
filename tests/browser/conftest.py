"""A real Chromium (Debian's, driven by Playwright) against the app served on loopback.

The browser tests need /usr/bin/chromium: without it they fail, never skip (`scripts/browser`
installs it).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from gateway.extensions import db
from gateway.models import Role, User
from tests.connections.conftest import register_server
from tests.pipeline.conftest import app, live  # noqa: F401  (the app served over real HTTP)

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse"


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is required for the browser tests; run scripts/browser to install it.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server_id(app, sim):  # noqa: F811  (the live app)
    return register_server(app, sim)


@pytest.fixture
def open_page(browser, live, make_user):
    """A logged-in page for a new user (own tenant unless told), in its own browser context."""
    contexts = []

    def open_as(email: str, tenant: str = "Acme", role: Role = Role.ADMIN, locale: str = "en-US") -> Page:
        make_user(email, tenant=tenant, role=role, password=PASSWORD)
        context = browser.new_context(base_url=live.url, locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        # By field name, not label: the form is in the browser's language.
        page.locator("input[name=email]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(live.url + "/")
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def user_id(app):  # noqa: F811  (the live app)
    def find(email: str) -> int:
        with app.app_context():
            return db.session.execute(db.select(User.id).where(User.email == email)).scalar_one()

    return find


def screenshot(page: Page, name: str) -> None:
    """Saved for people to look at (tests/artifacts/ is not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def context_permissions(live):
    """Let a page's context use the clipboard (for copy buttons)."""

    def grant(page: Page) -> None:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)

    return grant
