"""The banner a page shows while events of other processes cannot reach it (Redis cut), and its end."""
from __future__ import annotations

import socket

import pytest
from playwright.sync_api import expect

from gateway.extensions import db
from tests.browser.conftest import screenshot
from tests.conftest import build_app
from tests.pipeline.conftest import LiveServer

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def live(database_url, redis_proxy, redis_prefix):  # noqa: F811  (this module's app talks to Redis)
    """The app on a free port, its bus on Redis through a proxy the test can cut."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    server = LiveServer(build_app(database_url, PUBLIC_URL=f"http://127.0.0.1:{port}",
                                  REDIS_URL=redis_proxy.url, REDIS_PREFIX=redis_prefix), port)
    server.start(listener)
    yield server
    server.stop()
    server.app.extensions["gateway"].shutdown()
    with server.app.app_context():
        db.engine.dispose()


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
