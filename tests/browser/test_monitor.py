"""The event monitor in a real browser: pause and resume, the "N events skipped" marker of a page
that fell too far behind, the filter by event name and the payload view.
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from gateway.web.live import UI_QUEUE
from tests.connections.conftest import api, create  # noqa: F401
from tests.pipeline.conftest import store  # noqa: F401

pytestmark = pytest.mark.timeout(60)

MESSAGES = "#event-rows tr.event[data-event='messages.upsert']"


def monitor(page: Page, query: str = "") -> Page:
    page.goto("/events" + query)
    expect(page.locator("body")).to_have_class("live")
    return page


def key_ids(page: Page) -> list[str]:
    """The message key id of every message row, top to bottom, read from its payload view."""
    return page.locator(f"{MESSAGES} pre").evaluate_all(
        "pres => pres.map(pre => JSON.parse(pre.textContent).data.key.id)")


def test_paused_monitor_holds_new_events_and_shows_them_newest_first_on_resume(open_page, create, sim):
    create("sales", mode="webhook")
    page = monitor(open_page("admin@example.com"))
    # Same session, never paused: it shows when the events have reached every open monitor.
    watcher = monitor(page.context.new_page())
    summaries, watched = page.locator(f"{MESSAGES} .summary .text"), watcher.locator(f"{MESSAGES} .summary .text")

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#monitor-controls")).to_contain_text("Paused: new events are held.")
    for text in ("first", "second", "third"):
        sim.control("POST", "instances/sales/messages", {"text": text})
    expect(watched).to_have_text(["third", "second", "first"])
    expect(summaries).to_have_count(0)
    expect(page.locator("#monitor-controls .held")).to_have_text("3 held")

    page.get_by_role("button", name="Resume").click()
    expect(summaries).to_have_text(["third", "second", "first"])
    expect(page.get_by_role("button", name="Pause")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#monitor-controls")).not_to_contain_text("Paused")

    sim.control("POST", "instances/sales/messages", {"text": "fourth"})  # live again
    expect(summaries).to_have_text(["fourth", "third", "second", "first"])


def test_a_page_too_far_behind_sees_how_many_events_it_lost(open_page, create, sim, store):
    create("sales", mode="webhook")
    page = monitor(open_page("admin@example.com"), "?instance=sales&event=messages.upsert")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()

    emitted = UI_QUEUE + 25
    ids = sim.control("POST", "instances/sales/messages", {"count": emitted})["ids"]
    store.wait_messages("sales", ids, timeout=30)  # all published before the page resumes (slow on a busy machine)
    page.get_by_role("button", name="Resume").click()

    markers = page.locator("#event-rows tr.skipped")
    expect(markers.first).to_have_text(re.compile(r"^\d+ events skipped$"))
    expect(page.locator(MESSAGES).first.locator("pre")).to_contain_text(ids[-1])  # the last frame is in
    shown = key_ids(page)
    skipped = sum(int(text.split()[0]) for text in markers.all_text_contents())
    assert len(shown) <= UI_QUEUE
    assert shown == ids[::-1][:len(shown)]  # the newest kept, newest first: the oldest were dropped
    assert len(shown) + skipped == emitted  # every event either shown or counted


def test_filter_by_event_name_and_the_payload_view(open_page, create, sim):
    create("sales", mode="webhook")
    text = '<b>bold</b> & "quoted"'
    [message_id] = sim.control("POST", "instances/sales/messages", {"text": text})["ids"]
    page = monitor(open_page("admin@example.com"))

    row = page.locator(MESSAGES)
    expect(row).to_have_count(1)
    payload_view = row.locator("pre")
    expect(payload_view).to_be_hidden()
    row.get_by_text("View").click()
    expect(payload_view).to_be_visible()
    payload = json.loads(payload_view.text_content())
    assert payload["event"] == "messages.upsert"
    assert payload["data"]["key"]["id"] == message_id
    assert payload["data"]["message"]["conversation"] == text
    expect(row.locator("b")).to_have_count(0)  # shown as text, never as markup

    page.get_by_label("Event name contains").fill("connection")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]event=connection(&|$)"))
    expect(page.locator("body")).to_have_class("live")
    expect(page.locator(MESSAGES)).to_have_count(0)  # the stored list is filtered too

    sim.control("POST", "instances/sales/messages", {"text": "not a connection event"})
    sim.control("POST", "instances/sales/emit",
                {"event": "connection.update", "data": {"instance": "sales", "state": "connecting",
                                                         "statusReason": 200}})
    # Published after the message on the same socket: once it shows, the message would have shown too.
    expect(page.locator("#event-rows tr.event", has_text="connecting").first).to_be_visible()
    names = page.locator("#event-rows tr.event").evaluate_all("rows => rows.map(row => row.dataset.event)")
    assert names and all("connection" in name for name in names), names
    expect(page.locator("#event-rows")).not_to_contain_text("not a connection event")
