"""De-duplication keys: one per event whatever way it came (pure: no I/O, no mocks)."""
from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.providers.evolution.dedupe import dedupe_key
from gateway.providers.evolution.events import EMITTED_EVENTS
from gateway.providers.evolution.normalize import NormalizeError, normalize_evolution
from gateway.providers.keys import MAX_LENGTH

JID = "5511988887777@s.whatsapp.net"
KEY = {"remoteJid": JID, "fromMe": False, "id": "3EB0C431C2A1B8F5E6D7"}
MESSAGE = {"key": KEY, "pushName": "Ana", "status": "DELIVERY_ACK", "message": {"conversation": "hi"},
           "messageType": "conversation", "messageTimestamp": 1795407756, "source": "android"}
QR_CODE = "2@y8eK+bjtEjUWy9/FOM7" + "A" * 200 + "==,5nb,Xk2="


def ack(status: str) -> dict:
    return {"keyId": KEY["id"], "remoteJid": JID, "fromMe": False, "status": status,
            "instanceId": "10f4a929", "messageId": "cmh9x2db0000"}


def qr(code: str) -> dict:
    return {"qrcode": {"instance": "sales", "pairingCode": None, "code": code, "base64": "data:image/png;base64,"}}


def key_of(envelope: dict) -> str:
    return dedupe_key(normalize_evolution(envelope))


def test_captured_copies_of_one_emission_share_a_key(captures):
    """The captures hold one emission by webhook and socket, and a webhook retried three times."""
    keys = defaultdict(set)
    copies = defaultdict(set)
    for transport, _, envelope in captures:
        emission = (envelope["instance"], envelope["event"], envelope["date_time"])
        keys[emission].add(key_of(envelope))
        copies[emission].add(transport)
    assert all(len(found) == 1 for found in keys.values())
    assert any(len(transports) == 2 for transports in copies.values())
    assert len({key for found in keys.values() for key in found}) == len(keys)


def test_captured_connecting_repeats_are_distinct_events(captures):
    repeats = [envelope for _, _, envelope in captures
               if envelope["instance"] == "qr1" and envelope["event"] == "connection.update"]
    assert len(repeats) > 2
    assert len({key_of(envelope) for envelope in repeats}) == len({e["date_time"] for e in repeats})


@pytest.mark.parametrize("name, data", [
    ("messages.upsert", MESSAGE),
    ("send.message", {**MESSAGE, "key": {**KEY, "fromMe": True}}),
    ("messages.update", ack("READ")),
    ("messages.delete", KEY),
    ("messages.edited", {"key": KEY, "type": "MESSAGE_EDIT", "editedMessage": {"conversation": "x"}}),
    ("connection.update", {"instance": "sales", "state": "connecting", "statusReason": 200}),
    ("qrcode.updated", qr(QR_CODE)),
    ("qrcode.updated", {"message": "QR code limit reached, please login again", "statusCode": 500}),
    ("contacts.upsert", [{"remoteJid": JID, "pushName": "Ana", "profilePicUrl": None}]),
    ("remove.instance", None),
    ("logout.instance", None),
    ("status.instance", {"instance": "sales", "status": "closed", "disconnectionReasonCode": 401}),
    ("reactions.new", {"anything": [1, 2]}),
])
def test_webhook_socket_and_retry_share_a_key(name, data, envelope):
    webhook = envelope(name, data)
    socket = envelope(name, data, socket=True, sender=None, server_url="http://10.0.0.5:8080")
    del socket["apikey"]
    retry = envelope(name, data, apikey="rotated-token", destination="https://other.example/hook")
    keys = {key_of(webhook), key_of(socket), key_of(retry)}
    assert len(keys) == 1
    assert len(keys.pop()) <= MAX_LENGTH


@pytest.mark.parametrize("name, data, key", [
    ("messages.upsert", MESSAGE, "messages.upsert:3EB0C431C2A1B8F5E6D7"),
    ("messages.upsert", {"messages": [MESSAGE], "type": "notify"}, "messages.upsert:3EB0C431C2A1B8F5E6D7"),
    ("send.message", MESSAGE, "send.message:3EB0C431C2A1B8F5E6D7"),
    ("messages.update", ack("DELIVERY_ACK"), "messages.update:3EB0C431C2A1B8F5E6D7:DELIVERY_ACK"),
    ("messages.delete", KEY, "messages.delete:3EB0C431C2A1B8F5E6D7"),
    ("connection.update", {"state": "close", "statusReason": 401},
     "connection.update:close:401:2026-11-23T04:22:36.847Z"),
])
def test_readable_keys(name, data, key, envelope):
    assert key_of(envelope(name, data)) == key


def test_acks_of_one_message_are_distinct_and_a_retried_ack_is_one(envelope):
    delivered = key_of(envelope("messages.update", ack("DELIVERY_ACK")))
    read = key_of(envelope("messages.update", ack("READ")))
    read_again = key_of(envelope("messages.update", ack("READ"), date_time="2026-11-23T04:23:00.000Z"))
    assert delivered != read == read_again


def test_a_message_emitted_again_later_is_one_event(envelope):
    first = envelope("messages.upsert", MESSAGE)
    again = envelope("messages.upsert", {**MESSAGE, "message": {"conversation": "hi", "base64": "AAAA"}},
                     date_time="2026-11-23T04:30:00.000Z")
    assert key_of(first) == key_of(again)


def test_the_same_id_in_other_events_is_another_event(envelope):
    keys = {key_of(envelope(name, MESSAGE)) for name in ("messages.upsert", "send.message", "messages.delete")}
    assert len(keys) == 3


def test_qr_codes_are_keyed_by_their_code(envelope):
    first = key_of(envelope("qrcode.updated", qr(QR_CODE)))
    assert first == key_of(envelope("qrcode.updated", qr(QR_CODE), date_time="2026-11-23T04:23:00.000Z"))
    assert first != key_of(envelope("qrcode.updated", qr(QR_CODE + "x")))
    assert first.startswith("qrcode.updated:") and len(first) <= MAX_LENGTH


def test_other_events_differ_by_time_instance_and_data(envelope):
    base = key_of(envelope("status.instance", {"status": "closed"}))
    assert len(base) == 64 and int(base, 16) >= 0
    assert base != key_of(envelope("status.instance", {"status": "closed"}, date_time="2026-11-23T04:22:37.000Z"))
    assert base != key_of(envelope("status.instance", {"status": "closed"}, instance="other"))
    assert base != key_of(envelope("status.instance", {"status": "open"}))
    assert base != key_of(envelope("instance.delete", {"status": "closed"}))
    # Key order is not meaning: the canonical JSON sorts it.
    assert base == key_of(envelope("status.instance", {"status": "closed"}) | {"event": "STATUS_INSTANCE"})


@pytest.mark.parametrize("name, data", [
    ("messages.upsert", {"key": {"id": "3EB0" + "F" * 200}}),
    ("messages.update", {"keyId": "id with spaces\n", "status": "READ"}),
    ("messages.upsert", {"key": {"id": "Olá-\ud800"}}),
    ("connection.update", {"state": "connecting", "statusReason": 200, "x": "y"}),
])
def test_long_or_odd_parts_are_hashed_into_a_printable_key(name, data, envelope):
    key = key_of(envelope(name, data, date_time="2026-11-23T04:22:36.847Z" + "9" * 120))
    assert len(key) <= MAX_LENGTH and key.isascii() and key.isprintable()
    assert key.startswith(name + ":")


@pytest.mark.parametrize("name, data", [
    ("messages.upsert", None), ("messages.upsert", {"key": {}}),
    ("messages.set", [MESSAGE, {**MESSAGE, "key": {**KEY, "id": "3EB0OTHER"}}]),
    ("messages.update", {"keyId": KEY["id"]}),
    ("connection.update", {"state": "open"}),
    ("qrcode.updated", {"qrcode": {}}),
])
def test_incomplete_message_and_state_events_fall_back_to_the_digest(name, data, envelope):
    key = key_of(envelope(name, data))
    assert len(key) == 64 and set(key) <= set("0123456789abcdef")


@given(data=st.data())
def test_any_normalisable_envelope_has_a_short_deterministic_key(data, envelopes):
    try:
        event = normalize_evolution(data.draw(envelopes))
    except NormalizeError:
        return
    key = dedupe_key(event)
    assert len(key) <= MAX_LENGTH and key.isascii() and key.isprintable()
    assert key == dedupe_key(normalize_evolution(event.payload))


TEXT = st.text(max_size=150)
SHAPED = (  # the shapes that get readable keys, with any text in them
    st.fixed_dictionaries({"key": st.fixed_dictionaries({"id": TEXT})})
    | st.fixed_dictionaries({"keyId": TEXT, "status": TEXT})
    | st.fixed_dictionaries({"state": TEXT, "statusReason": st.integers() | TEXT})
    | st.fixed_dictionaries({"qrcode": st.fixed_dictionaries({"code": TEXT})})
)


@given(name=st.sampled_from(EMITTED_EVENTS), data=st.data())
def test_any_data_of_a_known_event_has_a_key(name, data, json_values, envelope):
    body = envelope(name, data.draw(SHAPED | json_values), date_time=data.draw(TEXT | json_values))
    key = key_of(body)
    assert len(key) <= MAX_LENGTH and key.isascii() and key.isprintable()
    assert key == key_of(envelope(name, body["data"], socket=True, date_time=body["date_time"]))
