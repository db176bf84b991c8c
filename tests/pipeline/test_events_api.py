"""The events API: tenant-scoped listing newest first with filters and paging, one event, replay, retention."""
from __future__ import annotations

from datetime import timedelta

import pytest

from gateway.extensions import db
from gateway.ingest.retention import prune_events
from gateway.models import Event, Instance, ProviderServer, Role, Tenant, utcnow
from gateway.realtime.bus import instance_topic
from tests.connections.conftest import Api


@pytest.fixture
def events(app):
    """Two instances of Acme and one of Globex with stored events; returns the event ids by instance."""
    now = utcnow()
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        acme, globex = Tenant(name="Acme"), Tenant(name="Globex")
        instances = {"sales": Instance(tenant=acme, server=server, name="sales"),
                     "support": Instance(tenant=acme, server=server, name="support"),
                     "rival": Instance(tenant=globex, server=server, name="rival")}
        db.session.add_all(instances.values())
        db.session.flush()
        made = {name: [] for name in instances}
        for minute in range(6):
            for name, instance in instances.items():
                kind = "messages.upsert" if minute % 2 else "connection.update"
                event = Event(tenant_id=instance.tenant_id, instance_id=instance.id, name=kind, source="webhook",
                              dedupe_key=f"{name}-{minute}", received_at=now - timedelta(minutes=10 - minute),
                              payload={"event": kind, "instance": name, "data": {"n": minute}})
                db.session.add(event)
                db.session.flush()
                made[name].append(event.id)
        db.session.commit()
    return made


@pytest.fixture
def acme(client, make_user, token_for, events):
    return Api(client, token_for(make_user("op@acme.test", tenant="Acme", role=Role.OPERATOR)))


@pytest.fixture
def viewer(client, make_user, token_for, events):
    return Api(client, token_for(make_user("viewer@acme.test", tenant="Acme", role=Role.VIEWER)))


def ids(response):
    assert response.status_code == 200, response.json
    return [frame["id"] for frame in response.json["events"]]


def test_the_list_is_the_tenants_own_newest_first(acme, events):
    assert ids(acme.get("/api/events")) == sorted(events["sales"] + events["support"], reverse=True)


def test_filters_narrow_the_list(acme, events):
    assert ids(acme.get("/api/events?instance=sales")) == sorted(events["sales"], reverse=True)
    assert ids(acme.get("/api/events?instance=sales&event=MESSAGES_UPSERT")) == sorted(
        events["sales"][1::2], reverse=True)
    since = (utcnow() - timedelta(minutes=6, seconds=30)).isoformat()
    assert ids(acme.get("/api/events", query_string={"instance": "sales", "since": since})) == sorted(
        events["sales"][4:], reverse=True)


def test_pages_follow_the_next_link_to_the_end(acme, events):
    seen, url = [], "/api/events?instance=support&limit=4"
    while url:
        response = acme.get(url)
        seen += ids(response)
        url = response.json["next"]
    assert seen == sorted(events["support"], reverse=True)


def test_frames_carry_the_event(acme, events):
    [frame] = acme.get("/api/events?instance=sales&limit=1").json["events"]
    assert frame == {**frame, "id": events["sales"][-1], "instance": "sales", "event": "messages.upsert",
                     "type": "whatsapp:message_received", "source": "webhook", "data": {"n": 5}}
    one = acme.get(f"/api/events/{frame['id']}").json
    assert one["payload"] == {"event": "messages.upsert", "instance": "sales", "data": {"n": 5}}


def test_another_tenants_events_are_not_found(acme, events):
    assert acme.get(f"/api/events/{events['rival'][0]}").status_code == 404
    assert acme.get("/api/events?instance=rival").status_code == 404
    assert acme.get("/api/events/999999").status_code == 404


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=ten", "before=x", "before=0",
                                   "since=yesterday", "since=2026-13-01"])
def test_bad_parameters_are_a_400_that_says_why(acme, query):
    response = acme.get(f"/api/events?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json["error"]


def test_the_list_needs_a_caller(client, events):
    assert client.get("/api/events").status_code == 401


def test_replay_publishes_the_range_again_oldest_first(app, acme, events, store):
    subscription = app.extensions["gateway"].bus.subscribe([instance_topic(store.instance("sales").id)])
    now = utcnow()
    response = acme.post("/api/events/replay", json={
        "instance": "sales", "since": (now - timedelta(minutes=8, seconds=30)).isoformat(),
        "until": (now - timedelta(minutes=5, seconds=30)).isoformat()})
    assert response.status_code == 200, response.json
    assert response.json == {"replayed": 3}
    frames, _ = subscription.drain(timeout=1)
    assert [frame.id for frame in frames] == events["sales"][2:5]


@pytest.mark.parametrize("body, status", [
    ({}, 400), ({"instance": "sales"}, 400), ({"instance": "sales", "since": "soon"}, 400),
    ({"instance": "sales", "since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, 400),
    ({"instance": "rival", "since": "2026-01-01T00:00:00Z"}, 404),
])
def test_replay_refuses_bad_requests(acme, body, status):
    assert acme.post("/api/events/replay", json=body).status_code == status


def test_replay_needs_the_operator_role(viewer):
    response = viewer.post("/api/events/replay", json={"instance": "sales", "since": "2026-01-01T00:00:00Z"})
    assert response.status_code == 403


def test_retention_prunes_only_what_is_older_than_the_limit_in_batches(app, events):
    with app.app_context():
        assert prune_events(timedelta(minutes=7, seconds=30), batch=2) == 9  # minutes 0-2 of 3 instances
        left = db.session.execute(db.select(Event.id).order_by(Event.id)).scalars().all()
    assert left == sorted(events["sales"][3:] + events["support"][3:] + events["rival"][3:])
