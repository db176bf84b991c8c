"""The event monitor's filters on SQLite and PostgreSQL: text in the payload, a time range, paging back
by id, and the export of exactly what the page shows (JSONL and CSV, tenant-scoped)."""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from gateway.extensions import db
from gateway.ingest.pipeline import LiveEvent
from gateway.models import Event, Instance, ProviderServer, Role, Tenant, utcnow
from gateway.web.event_filter import EventFilter
from gateway.web.events import LATEST
from tests.connections.conftest import Api

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

TEXTS = ["Olá, pedido 42 chegou", "reunião às 15h", "50% off_today", 'He said "hi"']


def message(text: str, number: str, name: str) -> dict:
    return {"key": {"remoteJid": f"{number}@s.whatsapp.net", "fromMe": False, "id": f"ID{abs(hash(text))}"},
            "pushName": name, "message": {"conversation": text}, "messageType": "conversation"}


@pytest.fixture
def stored(app):
    """Acme's sales and support, Globex's rival: messages (with accents, quotes, % and _) an hour apart."""
    now = utcnow()
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        acme, globex = Tenant(name="Acme"), Tenant(name="Globex")
        sales, support = Instance(tenant=acme, server=server, name="sales"), Instance(tenant=acme, server=server,
                                                                                       name="support")
        rival = Instance(tenant=globex, server=server, name="rival")
        db.session.add_all([sales, support, rival])
        db.session.flush()
        for hours, text in enumerate(TEXTS):
            for instance, number, who in ((sales, "5511988887777", "João"), (rival, "5511911112222", "Eve")):
                db.session.add(Event(tenant_id=instance.tenant_id, instance_id=instance.id, name="messages.upsert",
                                     source="webhook", dedupe_key=f"{instance.name}-{hours}",
                                     received_at=now - timedelta(hours=len(TEXTS) - hours),
                                     payload={"event": "messages.upsert", "instance": instance.name,
                                              "data": message(text, number, who)}))
        db.session.add(Event(tenant_id=support.tenant_id, instance_id=support.id, name="connection.update",
                             source="websocket", dedupe_key="support-open", received_at=now,
                             payload={"event": "connection.update", "instance": "support",
                                      "data": {"state": "open", "wuid": "5511933334444@s.whatsapp.net"}}))
        db.session.commit()
    return now


@pytest.fixture
def acme(client, make_user, login, stored):
    make_user("op@acme.test", tenant="Acme", role=Role.OPERATOR)
    login("op@acme.test")
    return client


def texts(page) -> list[str]:
    html = page.get_data(as_text=True)
    return [text for text in TEXTS if text.replace('"', "&#34;") in html]


@pytest.mark.parametrize("query, found", [
    ("pedido", [TEXTS[0]]),
    ("PEDIDO", [TEXTS[0]]),                 # ASCII letters in any case
    ("olá", [TEXTS[0]]),                    # accents as typed, though the store escapes them
    ("reunião às", [TEXTS[1]]),
    ("988887777", TEXTS),                   # the sender's number
    ("joão", TEXTS),                        # the sender's name
    ("50%", [TEXTS[2]]), ("f_t", [TEXTS[2]]), ("%", [TEXTS[2]]),  # LIKE wildcards are plain characters
    ('said "hi"', [TEXTS[3]]),
    ("5511911112222", []),                  # Globex's sender: another tenant's events never match
])
def test_text_search_finds_numbers_and_message_text(acme, query, found):
    assert sorted(texts(acme.get("/events", query_string={"q": query}))) == sorted(found)


def test_a_time_range_narrows_the_page(acme, stored):
    since = (stored - timedelta(hours=3, minutes=30)).strftime("%Y-%m-%dT%H:%M")
    until = (stored - timedelta(hours=1, minutes=30)).strftime("%Y-%m-%dT%H:%M:%S")
    assert sorted(texts(acme.get("/events", query_string={"since": since, "until": until}))) == sorted(TEXTS[1:3])
    wrong = acme.get("/events", query_string={"since": "yesterday", "q": "pedido"})
    assert wrong.status_code == 200 and "since must be a date and time" in wrong.get_data(as_text=True)
    assert texts(wrong) == [TEXTS[0]]  # the rest of the filter still applies


def test_live_events_pass_the_same_test_as_the_stored_ones(app, acme, stored):
    """The monitor's live side (Python) and its query (SQL) agree on every filter, event by event."""
    with app.test_request_context():
        from flask import g

        from gateway.models import User
        g.user = db.session.execute(db.select(User)).scalar_one()
        filters = [EventFilter(text=q) for q in ("pedido", "OLÁ", "olá", "988887777", "50%", '"hi"', "open")]
        filters += [EventFilter(since=stored - timedelta(hours=2), until=stored), EventFilter(name="connection")]
        every = EventFilter().page(100)
        for monitor in filters:
            by_query = {event.id for event, _ in monitor.page(100)}
            by_stream = {event.id for event, name in every if monitor.matches(LiveEvent.of(event, name))}
            assert by_query == by_stream, monitor


def test_older_pages_follow_by_id_without_gaps_or_repeats(app, acme):
    with app.app_context():
        sales = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
        db.session.add_all([Event(tenant_id=sales.tenant_id, instance_id=sales.id, name="messages.update",
                                  source="webhook", dedupe_key=f"ack-{n}", payload={"data": {"status": "READ"}})
                            for n in range(LATEST + 7)])
        db.session.commit()
        expected = db.session.execute(db.select(Event.id).where(Event.tenant_id == sales.tenant_id)
                                      .order_by(Event.id.desc())).scalars().all()
    first = acme.get("/events").get_data(as_text=True)
    shown = [int(part.split('"')[0]) for part in first.split('data-id="')[1:]]
    assert shown == expected[:LATEST] and 'id="load-older"' in first
    older = acme.get("/events/older", query_string={"before": shown[-1]})
    assert "HX-Trigger" in older.headers  # fewer than a page left: nothing older after these
    rest = [int(part.split('"')[0]) for part in older.get_data(as_text=True).split('data-id="')[1:]]
    assert shown + rest == expected
    assert acme.get("/events/older").status_code == 422


def test_export_jsonl_is_the_filtered_page_newest_first(acme):
    response = acme.get("/events/export", query_string={"format": "jsonl", "q": "joão", "instance": "sales"})
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="events-')
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [line["data"]["message"]["conversation"] for line in lines] == TEXTS[::-1]
    assert {line["instance"] for line in lines} == {"sales"} and lines[0]["type"] == "whatsapp:message_received"


def test_export_csv_has_sender_and_text_columns(acme):
    response = acme.get("/events/export", query_string={"format": "csv", "since": "2000-01-01T00:00"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["event"] for row in rows] == ["connection.update"] + ["messages.upsert"] * len(TEXTS)
    assert rows[0]["sender"] == "5511933334444" and rows[0]["text"] == "open"
    assert rows[-1]["sender"] == "João · 5511988887777" and rows[-1]["text"] == TEXTS[0]
    assert json.loads(rows[-1]["data"])["pushName"] == "João"


def test_export_api_is_tenant_scoped_and_checks_its_input(client, make_user, token_for, stored):
    acme = Api(client, token_for(make_user("viewer@acme.test", tenant="Acme", role=Role.VIEWER)))
    everything = acme.get("/api/events/export?format=jsonl").get_data(as_text=True).splitlines()
    assert len(everything) == len(TEXTS) + 1  # Acme's only: Globex's rival never appears
    assert Api(client, {"Authorization": "Bearer gw_wrong"}).get("/api/events/export").status_code == 401
    foreign = acme.get("/api/events/export?instance=rival")
    assert (foreign.status_code, foreign.json) == (404, {"error": 'Instance "rival" not found.'})
    for query, message in (("format=xml", "format must be jsonl or csv."),
                           ("since=soon", "since must be a date and time, e.g. 2026-11-23T04:22.")):
        bad = acme.get(f"/api/events/export?{query}")
        assert (bad.status_code, bad.json) == (422, {"error": message})
