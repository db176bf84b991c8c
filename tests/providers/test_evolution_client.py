"""EvolutionClient over real HTTP against the Evolution simulator: every method, trap and error."""
from __future__ import annotations

import time

import pytest

from gateway.providers import client_for
from gateway.providers.errors import (
    ProviderMismatch,
    ProviderNotFound,
    ProviderRejected,
    ProviderUnauthorized,
    ProviderUnavailable,
)
from gateway.providers.evolution.events import EVOLUTION_EVENTS
from gateway.providers.evolution.client import EvolutionClient, WebhookConfig, WebsocketConfig

HOOK = "http://127.0.0.1:9/hook"


def wait_for(predicate, timeout=5.0, interval=0.05):
    """Poll until predicate() is truthy; its last value, or a failure after `timeout`."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(interval)
    return value


# --- the server and its key

def test_info_checks_the_key_with_an_authenticated_call(evolution):
    evolution.create_instance("one")
    info = evolution.info()
    assert info.instances == 1 and info.version
    assert evolution.check() == info


def test_wrong_key_is_unauthorized_and_the_key_is_never_in_the_message(sim):
    client = EvolutionClient(sim.base_url, "not-the-key-123")
    with pytest.raises(ProviderUnauthorized) as caught:
        client.info()
    assert (caught.value.status, caught.value.message) == (401, "Unauthorized")
    assert "not-the-key-123" not in str(caught.value)


def test_unreachable_server_is_unavailable(unused_port):
    client = EvolutionClient(f"http://127.0.0.1:{unused_port}", "k", timeout=2)
    with pytest.raises(ProviderUnavailable, match="cannot reach"):
        client.fetch_instances()


def test_slow_server_is_unavailable_after_the_timeout(sim):
    sim.control("POST", "/_sim/faults", json={"method": "POST", "path": "/instance/create", "status": None, "delay": 2, "times": 1})
    client = EvolutionClient(sim.base_url, sim.api_key, timeout=0.5)
    with pytest.raises(ProviderUnavailable, match="did not answer within 0.5 s"):
        client.create_instance("slow")


def test_a_key_echoed_by_the_server_is_redacted(sim, evolution):
    sim.control("POST", "/_sim/faults", json={
        "method": "POST", "path": "/instance/create", "status": 400, "times": 1,
        "body": {"status": 400, "error": "Bad Request", "response": {"message": [f"bad key {sim.api_key}"]}}})
    with pytest.raises(ProviderRejected) as caught:
        evolution.create_instance("echo")
    assert caught.value.message == "bad key ***"


def test_client_for_shares_one_client_per_server(sim):
    class Server:
        kind, base_url, api_key = "evolution", sim.base_url, sim.api_key

    shared = client_for(Server())
    assert client_for(Server()) is shared
    assert isinstance(shared, EvolutionClient)
    Server.api_key = "another-key"
    assert client_for(Server()) is not shared


# --- instances

def test_create_sends_the_integration_and_returns_the_token(evolution):
    created = evolution.create_instance("alpha", token="alpha-token")
    assert (created.name, created.status, created.integration, created.token) == (
        "alpha", "close", "WHATSAPP-BAILEYS", "alpha-token")
    assert created.id
    assert "alpha-token" not in repr(created)
    [fetched] = evolution.fetch_instances("alpha")
    assert (fetched.name, fetched.id, fetched.token) == ("alpha", created.id, "alpha-token")


def test_duplicate_create_is_rejected_with_the_providers_message(evolution):
    evolution.create_instance("dup")
    with pytest.raises(ProviderRejected) as caught:
        evolution.create_instance("dup")
    assert caught.value.status == 403
    assert caught.value.message == 'This name "dup" is already in use.'


def test_fetch_lists_every_instance_and_an_unknown_name_is_not_found(evolution):
    evolution.create_instance("a")
    evolution.create_instance("b")
    assert sorted(instance.name for instance in evolution.fetch_instances()) == ["a", "b"]
    with pytest.raises(ProviderNotFound) as caught:
        evolution.fetch_instances("ghost")
    assert (caught.value.status, caught.value.message) == (404, 'Instance "ghost" not found')


def test_unknown_instance_is_not_found_everywhere(evolution):
    for call in (evolution.connection_state, evolution.connect, evolution.logout, evolution.delete):
        with pytest.raises(ProviderNotFound):
            call("ghost")


def test_create_with_enabled_blocks_stores_them(evolution):
    evolution.create_instance(
        "both", webhook=WebhookConfig(True, HOOK, ("connection.update",), by_events=True),
        websocket=WebsocketConfig(True, ("MESSAGES_UPSERT", "qrcode.updated")))
    webhook = evolution.find_webhook("both")
    assert (webhook.enabled, webhook.url, webhook.events, webhook.by_events) == (
        True, HOOK, ("CONNECTION_UPDATE",), True)
    websocket = evolution.find_websocket("both")
    assert websocket.enabled and set(websocket.events) == {"MESSAGES_UPSERT", "QRCODE_UPDATED"}


def test_create_leaves_disabled_blocks_out_since_the_server_would_enable_them(evolution):
    evolution.create_instance("neither", webhook=WebhookConfig(False, HOOK), websocket=WebsocketConfig(False))
    assert evolution.find_webhook("neither") is None
    assert evolution.find_websocket("neither") is None


def test_connect_gives_a_qr_and_the_state_follows_the_scan(sim, evolution):
    evolution.create_instance("phone")
    assert evolution.connection_state("phone") == "close"
    qr = evolution.connect("phone")
    assert qr.code and qr.base64.startswith("data:image/png;base64,")
    assert evolution.connection_state("phone") == "connecting"
    sim.control("POST", "/_sim/instances/phone/scan", json={"number": "5511999990000", "profileName": "Phone"})
    wait_for(lambda: evolution.connection_state("phone") == "open")
    [fetched] = evolution.fetch_instances("phone")
    assert fetched.owner_jid.startswith("5511999990000") and fetched.profile_name == "Phone"


def test_logout_of_a_closed_instance_is_rejected_with_the_providers_message(evolution):
    evolution.create_instance("closed")
    with pytest.raises(ProviderRejected) as caught:
        evolution.logout("closed")
    assert caught.value.status == 400
    assert caught.value.message == 'The "closed" instance is not connected'


def test_logout_closes_a_connected_instance(sim, evolution):
    evolution.create_instance("online")
    evolution.connect("online")
    sim.control("POST", "/_sim/instances/online/scan", json={"number": "5511999990001", "profileName": "On"})
    wait_for(lambda: evolution.connection_state("online") == "open")
    evolution.logout("online")
    wait_for(lambda: evolution.connection_state("online") == "close")


def test_delete_is_asynchronous_and_wait_deleted_polls_until_gone(evolution):
    evolution.create_instance("doomed")
    evolution.delete("doomed")
    assert evolution.wait_deleted("doomed", timeout=5)
    with pytest.raises(ProviderNotFound):
        evolution.fetch_instances("doomed")


def test_wait_deleted_gives_up_after_its_timeout(evolution):
    evolution.create_instance("stays")
    assert evolution.wait_deleted("stays", timeout=0.2) is False


# --- webhook and websocket settings

def test_set_webhook_sends_nested_camel_case_upper_snake_and_reads_back(evolution):
    evolution.create_instance("hooked")
    kept = evolution.set_webhook("hooked", HOOK, events=("connection.update", "messages-upsert"),
                                 base64=True, by_events=True, headers={"X-Secret": "s3cret"})
    assert (kept.enabled, kept.url, set(kept.events), kept.base64, kept.by_events) == (
        True, HOOK, {"CONNECTION_UPDATE", "MESSAGES_UPSERT"}, True, True)
    assert kept.headers == {"X-Secret": "s3cret"}
    assert evolution.find_webhook("hooked") == kept


def test_set_webhook_with_no_events_means_all(evolution):
    evolution.create_instance("all")
    kept = evolution.set_webhook("all", HOOK)
    assert kept.events in ((), EVOLUTION_EVENTS) or set(kept.events) == set(EVOLUTION_EVENTS)


def test_unknown_event_is_refused_before_calling_the_server(evolution):
    evolution.create_instance("strict")
    with pytest.raises(ValueError, match="not an event Evolution lets you select"):
        evolution.set_webhook("strict", HOOK, events=("connection.updated",))
    with pytest.raises(ValueError, match="groups.update cannot be selected"):
        evolution.set_websocket("strict", True, events=("groups.update",))
    assert evolution.find_webhook("strict") is None
    assert evolution.find_websocket("strict") is None


def test_disable_webhook_keeps_the_url_and_forgets_the_selection(evolution):
    evolution.create_instance("off")
    evolution.set_webhook("off", HOOK, events=("CALL",))
    kept = evolution.disable_webhook("off", HOOK)
    assert (kept.enabled, kept.url, kept.events) == (False, HOOK, ())


def test_find_webhook_of_an_instance_without_one_is_none(evolution):
    evolution.create_instance("bare")
    assert evolution.find_webhook("bare") is None
    assert evolution.find_websocket("bare") is None


def test_set_websocket_reads_back_and_can_be_turned_off(evolution):
    evolution.create_instance("sock")
    kept = evolution.set_websocket("sock", True, events=("qrcode.updated", "CONNECTION_UPDATE"))
    assert kept.enabled and set(kept.events) == {"QRCODE_UPDATED", "CONNECTION_UPDATE"}
    assert evolution.find_websocket("sock") == kept
    assert evolution.set_websocket("sock", False) == WebsocketConfig(False, ())


@pytest.mark.parametrize("lie", [
    {"enabled": False},
    {"url": "http://127.0.0.1:9/elsewhere"},
    {"events": ["CALL"]},
    {"webhookBase64": True},
    {"webhookByEvents": True},
])
def test_webhook_read_back_that_differs_is_a_mismatch(sim, evolution, lie):
    evolution.create_instance("liar")
    stored = {"enabled": True, "url": HOOK, "events": ["CONNECTION_UPDATE"], "webhookBase64": False,
              "webhookByEvents": False, "headers": {}}
    sim.control("POST", "/_sim/faults", json={
        "method": "GET", "path": "/webhook/find/liar", "status": 200, "body": {**stored, **lie}, "times": 1})
    with pytest.raises(ProviderMismatch, match="did not keep the webhook"):
        evolution.set_webhook("liar", HOOK, events=("connection.update",))


def test_websocket_read_back_that_differs_is_a_mismatch(sim, evolution):
    evolution.create_instance("liar")
    sim.control("POST", "/_sim/faults", json={
        "method": "GET", "path": "/websocket/find/liar", "status": 200,
        "body": {"enabled": True, "events": []}, "times": 1})
    with pytest.raises(ProviderMismatch):
        evolution.set_websocket("liar", True, events=("CALL",))


def test_a_read_back_of_null_is_a_mismatch(sim, evolution):
    evolution.create_instance("forgetful")
    sim.control("POST", "/_sim/faults", json={
        "method": "GET", "path": "/webhook/find/forgetful", "status": 200, "body": {}, "times": 1})
    with pytest.raises(ProviderMismatch):
        evolution.set_webhook("forgetful", HOOK)


# --- retries: reads only

@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_get_survives_one_gateway_error(sim, evolution, status):
    evolution.create_instance("steady")
    sim.control("POST", "/_sim/faults", json={
        "method": "GET", "path": "/instance/connectionState/steady", "status": status, "times": 1})
    assert evolution.connection_state("steady") == "close"


def test_a_get_gives_up_after_its_retries(sim, evolution):
    evolution.create_instance("down")
    sim.control("POST", "/_sim/faults", json={
        "method": "GET", "path": "/instance/connectionState/down", "status": 503, "times": 3})
    with pytest.raises(ProviderUnavailable) as caught:
        evolution.connection_state("down")
    assert caught.value.status == 503
    assert evolution.connection_state("down") == "close"


def test_a_post_is_never_retried(sim, evolution):
    evolution.create_instance("once")
    sim.control("POST", "/_sim/faults", json={
        "method": "POST", "path": "/webhook/set/once", "status": 503, "times": 1})
    with pytest.raises(ProviderUnavailable) as caught:
        evolution.set_webhook("once", HOOK)
    assert caught.value.status == 503
    # The fault was spent on the one attempt, so the next call goes through.
    assert evolution.set_webhook("once", HOOK).enabled


def test_a_delete_is_never_retried(sim, evolution):
    evolution.create_instance("kept")
    sim.control("POST", "/_sim/faults", json={
        "method": "DELETE", "path": "/instance/delete/kept", "status": 502, "times": 1})
    with pytest.raises(ProviderUnavailable):
        evolution.delete("kept")
    assert evolution.fetch_instances("kept")


# --- catch-up

def test_find_messages_returns_the_stored_messages_since_a_time_oldest_first(sim, evolution):
    evolution.create_instance("chat")
    evolution.connect("chat")
    sim.control("POST", "/_sim/instances/chat/scan", json={"number": "5511999990002", "profileName": "Chat"})
    wait_for(lambda: evolution.connection_state("chat") == "open")
    since = int(time.time()) - 1
    ids = sim.control("POST", "/_sim/instances/chat/messages", json={"text": "hi", "count": 60})["ids"]
    records = evolution.find_messages("chat", since)
    assert sorted(record["key"]["id"] for record in records) == sorted(ids)
    stamps = [record["messageTimestamp"] for record in records]
    assert stamps == sorted(stamps)
    assert evolution.find_messages("chat", int(time.time()) + 3600) == []


def test_find_messages_of_an_unknown_instance_is_not_found(evolution):
    with pytest.raises(ProviderNotFound):
        evolution.find_messages("ghost", 0)
