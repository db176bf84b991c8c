"""What a findMessages record gives back: its message, its acks and its delete, each keyed exactly
as the live event Evolution sent for it, so a live event and its catch-up twin are stored once."""
from __future__ import annotations

import pytest

from gateway.providers.evolution.dedupe import dedupe_key
from gateway.providers.evolution.normalize import normalize_evolution
from gateway.providers.evolution.client import replayed_events
from gateway.simulator.evolution import payloads
from gateway.simulator.evolution.store import Instance

KEY = {"remoteJid": "5511988887777@s.whatsapp.net", "fromMe": True, "id": "3EB0C431C2A1B8F5E6D7"}


def record(*statuses, key=KEY):
    """A Message row as fetchMessages selects it (src/api/services/channel.service.ts)."""
    return {"id": "cmrow1", "key": key, "pushName": "Você", "messageType": "conversation",
            "message": {"conversation": "hi"}, "messageTimestamp": 1764130000, "instanceId": "inst-1",
            "source": "web", "contextInfo": None, "MessageUpdate": [{"status": s} for s in statuses]}


def key_of(event, data, date_time="2026-11-26T10:00:00.000Z"):
    return dedupe_key(normalize_evolution({"event": event, "instance": "sales", "data": data, "date_time": date_time}))


def test_acks_come_back_in_whatsapp_order_once_each_and_a_delete_last():
    events = replayed_events(record("READ", "DELETED", "DELIVERY_ACK", "READ", "EDITED", "SERVER_ACK"))
    assert [(name, data.get("status")) for name, data in events] == [
        ("messages.upsert", None), ("messages.update", "SERVER_ACK"), ("messages.update", "DELIVERY_ACK"),
        ("messages.update", "READ"), ("messages.delete", None)]
    assert events[-1][1] == KEY  # live, Baileys sends the bare key


@pytest.mark.parametrize("status", ["SERVER_ACK", "DELIVERY_ACK", "READ", "PLAYED"])
def test_a_replayed_ack_has_the_key_of_the_live_ack(status):
    instance = Instance(name="sales", id="inst-1", token="t", integration="WHATSAPP-BAILEYS", number=None, settings={})
    live = payloads.message_update(instance, record(), status)  # the messages.update handler's data
    [(_, replayed)] = [e for e in replayed_events(record(status)) if e[0] == "messages.update"]
    assert replayed == live
    assert key_of("messages.update", replayed, date_time=None) == key_of("messages.update", live)


def test_a_group_ack_keeps_the_participant_and_the_message_keeps_its_key():
    group = KEY | {"remoteJid": "1203630@g.us", "participant": "5511977776666@s.whatsapp.net"}
    upsert, ack = replayed_events(record("READ", key=group))
    assert ack[1]["participant"] == group["participant"]
    assert key_of(*upsert) == "messages.upsert:" + KEY["id"]
    assert key_of("messages.delete", group) == "messages.delete:" + KEY["id"]


def test_a_record_without_a_key_id_gives_nothing():
    assert replayed_events({"id": "x", "key": {}}) == []
