"""GET /metrics: Prometheus text, read back with prometheus_client's own parser; the numbers follow
what really happens (webhooks over real HTTP, a socket dropped and caught up, drift repaired)."""
from __future__ import annotations

import json

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from gateway.providers.evolution.channels import WEBHOOK_PATH
from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Tenant
from gateway.realtime.hub import LiveSocket
from gateway.simulator.testing import wait_for
from tests.connections.conftest import api, create, provider, server_id  # noqa: F401
from tests.pipeline.conftest import live  # noqa: F401

TOKEN = "metrics-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def parse(text: str) -> dict[tuple, float]:
    """Every sample as {(name, sorted labels): value}."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


class Scraper:
    def __init__(self, get):
        self.get = get

    def __call__(self) -> dict[tuple, float]:
        response = self.get()
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        return parse(response.text)


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def scrape(app, client):
    app.config["METRICS_TOKEN"] = TOKEN
    return Scraper(lambda: client.get("/metrics", headers=AUTH))


def test_metrics_are_off_without_a_token(client):
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 404 and "METRICS_TOKEN" in response.get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}])
def test_metrics_need_their_token(app, client, headers):
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics", headers=headers).status_code == 401


@pytest.fixture
def webhook(live):
    """A webhook-mode instance on the live server, and a scraper of the same server."""
    live.app.config["METRICS_TOKEN"] = TOKEN
    with live.app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        instance = Instance(tenant=Tenant(name="Acme"), server=server, name="sales")
        db.session.add(instance)
        db.session.commit()
        url = f"{live.url}{WEBHOOK_PATH}/{instance.webhook_secret}"

    def post(body, to=url):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return requests.post(to, data=data, headers={"Content-Type": "application/json"}, timeout=10).status_code

    post.scrape = Scraper(lambda: requests.get(f"{live.url}/metrics", headers=AUTH, timeout=10))
    post.wrong_secret = f"{live.url}{WEBHOOK_PATH}/not-the-secret"
    return post


def message(n: int) -> dict:
    return {"event": "messages.upsert", "instance": "sales",
            "data": {"key": {"id": f"MSG{n}", "remoteJid": "5511999990000@s.whatsapp.net"}, "messageTimestamp": n}}


def test_counters_follow_the_webhooks_that_arrive(webhook):
    before = webhook.scrape()
    answers = [webhook(message(n)) for n in range(3)]
    answers += [webhook(message(0)),  # a duplicate
                webhook({"event": "made.up.event", "instance": "sales", "data": {}}),
                webhook(message(9), to=webhook.wrong_secret),
                webhook(b"{not json")]
    assert answers == [200] * 5 + [401, 400]
    after = webhook.scrape()

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    received = {"provider": "evolution", "source": "webhook"}
    assert delta("gateway_events_received_total", **received, event="messages.upsert") == 4
    # A name outside the provider's catalogue is counted as "other": labels stay bounded.
    assert delta("gateway_events_received_total", **received, event="other") == 1
    assert delta("gateway_events_duplicate_total", **received) == 1
    assert [delta("gateway_webhook_responses_total", status=s) for s in ("200", "401", "400")] == [5, 1, 1]
    # One request at a time: each event is its own batch, and every batch's commit is timed.
    assert delta("gateway_writer_batch_size_count") == 5 and delta("gateway_writer_batch_size_sum") == 5
    assert delta("gateway_writer_commit_seconds_count") == 5
    assert delta("gateway_writer_commit_seconds_sum") > 0
    assert value(after, "gateway_writer_queue_depth") == 0


def test_gauges_show_live_streams_and_skipped_frames(app, scrape):
    bus = app.extensions["gateway"].bus
    assert value(scrape(), "gateway_live_stream_clients") == 0
    subscription = bus.subscribe(["t"], maxsize=2)
    before = scrape()
    assert value(before, "gateway_live_stream_clients") == 1
    for n in range(5):
        bus.publish(["t"], n)
    socket = LiveSocket(None, subscription, lambda *_: None)  # the receiving side is not needed here
    assert socket.next_batch(0)[:2] == ([3, 4], 3)
    after = scrape()
    assert value(after, "gateway_stream_frames_skipped_total") - value(before, "gateway_stream_frames_skipped_total") == 3
    bus.unsubscribe(subscription)


def joined(api, name):
    socket = api.get(f"/api/instance-management/state/{name}").json["socket"]
    return socket and socket["state"] == "connected"


def test_sockets_reconnects_and_catch_up_are_counted(api, create, sim, scrape):
    create(mode="websocket")
    sim.control("POST", "instances/sales/messages", {"count": 1})  # creates the namespace
    wait_for(lambda: joined(api, "sales"), what="the socket client joined")
    before = scrape()
    assert value(before, "gateway_provider_sockets", state="connected") == 1
    assert value(before, "gateway_provider_sockets", state="failed") == 0
    sim.control("POST", "restart")  # cuts the socket; the next message reaches no socket
    wait_for(lambda: not joined(api, "sales"), what="the drop noticed")
    sim.control("POST", "instances/sales/messages", {"count": 2})
    wait_for(lambda: joined(api, "sales"), what="the socket client rejoined")

    def recovered():
        return value(scrape(), "gateway_catchup_events_recovered_total", provider="evolution") \
            - value(before, "gateway_catchup_events_recovered_total", provider="evolution")

    assert wait_for(recovered, what="the missed message caught up") >= 1
    after = scrape()
    assert value(after, "gateway_socket_reconnects_total") - value(before, "gateway_socket_reconnects_total") >= 1
    assert value(after, "gateway_events_received_total", provider="evolution", source="catchup",
                 event="messages.upsert") > value(before, "gateway_events_received_total", provider="evolution",
                                                  source="catchup", event="messages.upsert")


def test_drift_found_and_repaired_are_counted(api, create, provider, scrape):
    create(mode="webhook")
    url = provider.webhook("sales")["url"]
    before = scrape()
    response = provider.rest("POST", "/webhook/set/sales", json={"webhook": {"enabled": False, "url": url}})
    assert response.status_code == 201
    assert api.post("/api/instance-management/sync/sales").json["drift"] is False
    after = scrape()
    assert value(after, "gateway_drift_found_total") - value(before, "gateway_drift_found_total") == 1
    assert value(after, "gateway_drift_repaired_total") - value(before, "gateway_drift_repaired_total") == 1
