"""The screens an operator keeps open, in a real browser: the event monitor's search and export,
pairing by phone number, the instance filter, and both pages in Brazilian Portuguese."""
from __future__ import annotations

import csv
import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.connections.conftest import api, create  # noqa: F401
from tests.pipeline.conftest import store  # noqa: F401

pytestmark = pytest.mark.timeout(90)

CUSTOMER = "5511988887777@s.whatsapp.net"


def live(page: Page, path: str) -> Page:
    page.goto(path)
    expect(page.locator("body")).to_have_class("live")
    return page


def send(sim, instance: str, *texts: str, push_name: str = "Maria") -> list[str]:
    return [sim.control("POST", f"instances/{instance}/messages",
                        {"text": text, "remoteJid": CUSTOMER, "pushName": push_name})["ids"][0] for text in texts]


def test_event_search_narrows_the_monitor_and_the_export_downloads_what_it_shows(open_page, create, sim, store,
                                                                                  tmp_path):
    create("sales", mode="webhook")
    ids = send(sim, "sales", "order 42 shipped", "where is order 42?", "thanks, bye")
    store.wait_messages("sales", ids)
    page = live(open_page("admin@example.com"), "/events")
    rows = page.locator("#event-rows tr.event[data-event='messages.upsert']")
    expect(rows).to_have_count(3)
    expect(rows.first.locator(".sender")).to_have_text("Maria · 5511988887777")

    page.get_by_label("Text (number, message)").fill("order 42")
    page.get_by_role("button", name="Filter").click()
    expect(rows.locator(".text")).to_have_text(["where is order 42?", "order 42 shipped"])
    expect(page.locator("body")).to_have_class("live")
    send(sim, "sales", "unrelated")           # live rows obey the search too...
    send(sim, "sales", "order 42 arrived")
    expect(rows.locator(".text")).to_have_text(["order 42 arrived", "where is order 42?", "order 42 shipped"])
    screenshot(page, "events-search-en")

    with page.expect_download() as jsonl:
        page.get_by_role("link", name="JSONL").click()
    lines = [json.loads(line) for line in jsonl.value.path().read_text().splitlines()]
    assert [line["data"]["message"]["conversation"] for line in lines] == [
        "order 42 arrived", "where is order 42?", "order 42 shipped"]
    assert {line["instance"] for line in lines} == {"sales"}

    with page.expect_download() as table:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / table.value.suggested_filename
    table.value.save_as(path)
    exported = list(csv.DictReader(path.open(newline="")))
    assert [(row["sender"], row["text"]) for row in exported] == [
        ("Maria · 5511988887777", text) for text in ("order 42 arrived", "where is order 42?", "order 42 shipped")]


def test_pairing_code_connect_against_the_simulator(open_page, create, client, token_for, user_id, sim):
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    row = page.locator("#instance-rows tr.instance", has_text="sales")
    row.locator("details.more summary").click()
    row.get_by_label("Phone number with country code").fill("+55 11 99999-0000")
    row.get_by_role("button", name="Get a pairing code").click()

    code = page.locator("#qr-panels .pairing-code")
    expect(code).to_have_text(re.compile(r"^[1-9A-HJ-NP-TV-Z]{8}$"))
    expect(page.locator("#panel .toast")).to_contain_text("Type the pairing code in WhatsApp")
    assert sim.control("GET", "instances/sales")["pairingNumber"] == "5511999990000"
    stored = client.get("/api/instances/sales", headers=token_for(user_id("admin@example.com"))).json
    assert stored["qr"]["pairing_code"] == code.text_content()
    expect(page.locator(".qr-countdown")).to_have_text(re.compile(r"^This code changes in \d+ s\.$"))
    expect(row.locator(".badge")).to_have_text("connecting")
    screenshot(page, "instances-pairing-en")

    sim.control("POST", "instances/sales/qr")  # the next code comes live, for the same number
    expect(code).not_to_have_text(stored["qr"]["pairing_code"])


def test_the_filter_counts_states_and_hides_what_does_not_match(open_page, create, sim):
    for name, mode in (("sales-north", "webhook"), ("sales-south", "none"), ("support", "websocket")):
        create(name, mode=mode)
    page = open_page("admin@example.com")
    sim.control("POST", "instances/support/qr")
    expect(page.locator("[data-count-state=connecting] b")).to_have_text("1")  # counts follow live changes
    expect(page.locator("[data-count-state=close] b")).to_have_text("2")

    page.get_by_label("Search").fill("SALES")
    expect(page.locator("#instance-rows tr.instance:visible strong.name")).to_have_text(["sales-north", "sales-south"])
    page.get_by_label("Receives by").select_option("webhook")
    expect(page.locator("#instance-rows tr.instance:visible strong.name")).to_have_text(["sales-north"])
    page.get_by_label("Search").fill("")
    page.get_by_label("Receives by").select_option("")
    page.locator("[data-count-state=connecting]").click()
    expect(page.locator("#instance-rows tr.instance:visible strong.name")).to_have_text(["support"])
    expect(page.locator("#filter-shown")).to_have_text("1 / 3")

    last_event = page.locator("#instance-rows tr.instance", has_text="support").locator("time")
    expect(last_event).to_have_text("just now")
    expect(last_event).to_have_attribute("title", re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"))


# What pt-BR must never show in English: the states, the summaries, the wrapped errors, both "log out"s.
ENGLISH = ["open", "connecting", "close", "unknown", "Log out", "Provider error", "The provider", "unavailable",
           "delivered", "read", "New QR code", "Logged out", "held", "me", "Sync now", "Reconnect socket",
           "Disconnect number", "just now", "ago", "Load older", "Download these events"]


def english_left(page: Page) -> list[str]:
    text = page.locator("body").inner_text()
    return [word for word in ENGLISH if re.search(rf"(?<![\w.]){re.escape(word)}(?![\w.])", text)]


def test_brazilian_portuguese_pages_leave_no_english(open_page, create, sim, store):
    create("vendas", mode="webhook")
    create("suporte", mode="websocket")
    create("cobranca", mode="webhook")
    page = open_page("admin@example.com", locale="pt-BR")
    sim.control("POST", "instances/vendas/scan", {"number": "5511999990000", "profileName": "Loja"})
    sim.control("POST", "instances/suporte/qr")
    [message] = send(sim, "vendas", "Olá, meu pedido chegou?")
    sim.control("POST", "instances/vendas/ack", {"id": message, "status": "READ"})
    store.wait_messages("vendas", [message])
    page.reload()
    expect(page.locator("body")).to_have_class("live")

    rows = page.locator("#instance-rows tr.instance")
    expect(rows.locator(".badge")).to_have_text(["desconectado", "conectando", "conectado"])
    expect(page.locator("header")).to_contain_text("Sair")
    row = rows.filter(has_text="vendas")
    row.locator("details.more summary").click()
    expect(row.get_by_role("button", name="Desconectar número")).to_be_visible()
    sim.control("POST", "faults", {"path": "/instance/connect", "status": 500, "times": 10})
    rows.filter(has_text="cobranca").get_by_role("button", name="Conectar", exact=True).click()
    expect(page.locator("#panel .alert.error")).to_contain_text("O provedor está indisponível")
    assert english_left(page) == []
    screenshot(page, "instances-pt-BR")

    live(page, "/events")
    summaries = page.locator("#event-rows .summary")
    expect(summaries.filter(has_text="Olá")).to_have_text("Maria · 5511988887777 Olá, meu pedido chegou?")
    expect(page.locator("#event-rows tr[data-event='messages.update'] .text")).to_have_text("lida")
    expect(page.locator("#event-rows tr[data-event='connection.update'] .text").first).to_have_text(
        re.compile("^(conectado|conectando)$"))
    page.get_by_role("button", name="Pausar").click()
    send(sim, "vendas", "segunda mensagem")
    expect(page.locator("#monitor-controls .held")).to_have_text("1 retido(s)")
    assert english_left(page) == []
    screenshot(page, "events-pt-BR")


def test_screenshots_in_english(open_page, create, sim, store):
    create("sales", mode="webhook")
    create("a-very-long-instance-name-" + "x" * 74, mode="websocket")
    page = open_page("admin@example.com")
    sim.control("POST", "instances/sales/scan", {"number": "5511999990000", "profileName": "Shop"})
    ids = send(sim, "sales", "Hello, is my order on its way?")
    store.wait_messages("sales", ids)
    page.reload()
    expect(page.locator("#instance-rows .badge").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width  # the long name is cut with an ellipsis, not widening the page
    long_name = page.locator("#instance-rows strong.name").first
    expect(long_name).to_have_attribute("title", re.compile("^a-very-long-instance-name-x+$"))
    screenshot(page, "instances-en")
    live(page, "/events")
    screenshot(page, "events-en")


def test_sync_now_and_reconnect_socket_from_the_row(app, open_page, create, sim):
    create("support", mode="websocket")
    supervisor = app.extensions["gateway"].supervisor
    before = dict(supervisor.instance_clients)
    page = open_page("admin@example.com")
    row = page.locator("#instance-rows tr.instance", has_text="support")
    row.get_by_role("button", name="Reconnect socket").click()
    expect(page.locator("#panel .toast")).to_have_text("The socket of support is reconnecting.")
    assert set(supervisor.instance_clients) == set(before)
    assert all(supervisor.instance_clients[key] is not client for key, client in before.items())

    sim.control("POST", "instances/support/qr")  # behind the gateway's back: only a sync sees it at once
    row.get_by_role("button", name="Sync now").click()
    expect(page.locator("#panel .toast")).to_have_text("support was read from the provider again.")
    expect(row.locator(".badge")).to_have_text("connecting")


def test_load_older_pages_back_beyond_the_live_tail(app, open_page, create):
    from gateway.extensions import db
    from gateway.models import Event, Instance
    from gateway.web.events import LATEST

    create("sales", mode="webhook")
    with app.app_context():
        sales = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
        db.session.add_all([Event(tenant_id=sales.tenant_id, instance_id=sales.id, name="messages.update",
                                  source="webhook", dedupe_key=f"ack-{n}", payload={"data": {"status": "READ"}})
                            for n in range(LATEST + 12)])
        db.session.commit()
        expected = db.session.execute(db.select(Event.id).where(Event.instance_id == sales.id)
                                      .order_by(Event.id.desc())).scalars().all()
    page = live(open_page("admin@example.com"), "/events")
    rows = page.locator("#event-rows tr.event")
    expect(rows).to_have_count(LATEST)
    page.get_by_role("button", name="Load older events").click()
    expect(rows).to_have_count(len(expected))
    assert [int(i) for i in rows.evaluate_all("rows => rows.map(row => row.dataset.id)")] == expected
    expect(page.get_by_role("button", name="Load older events")).to_be_hidden()
    expect(page.get_by_text("No older events.")).to_be_visible()
