"""The banner a page shows while events of other processes cannot reach it (Redis cut), and its end."""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.live_server import serve

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def live(database_url, redis_proxy, redis_prefix):  # noqa: F811  (this module's app talks to Redis)
    """The app on a free port, its bus on Redis through a proxy the test can cut."""
    with serve(database_url, REDIS_URL=redis_proxy.url, REDIS_PREFIX=redis_prefix) as server:
        yield server


@pytest.mark.parametrize("locale, words", [("en-US", "Live updates are degraded"),
                                           ("pt-BR", "Atualizações ao vivo degradadas")])
def test_a_redis_outage_shows_a_banner_until_redis_is_back(open_page, redis_proxy, locale, words):
    page = open_page("admin@example.com", locale=locale)
    expect(page.locator("body.live")).to_have_count(1)  # the live socket is open
    banner = page.locator("#live-status .banner")
    expect(banner).to_have_count(0)

    redis_proxy.cut()
    expect(banner).to_be_visible(timeout=8000)
    expect(banner).to_contain_text(words)
    screenshot(page, f"degraded-banner-{locale}")

    redis_proxy.restore()
    expect(banner).to_have_count(0, timeout=10000)
    expect(page.locator("#instance-rows")).to_be_visible()
