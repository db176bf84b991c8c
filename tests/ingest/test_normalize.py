"""Normalising Evolution envelopes and reading their facts (pure: no I/O, no mocks)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.providers.normalized import Connection, NormalizedEvent, NormalizeError, QrCode
from gateway.providers.evolution.normalize import (
    canonical_name,
    connection,
    is_logout,
    message_ids,
    normalize_evolution,
    qr_code,
)
from gateway.providers import stream_frame_name
from gateway.providers.evolution.events import EMITTED_EVENTS, EVOLUTION_EVENTS, url_suffix

JID = "5511988887777@s.whatsapp.net"
KEY = {"remoteJid": JID, "fromMe": False, "id": "3EB0C431C2A1B8F5E6D7"}
MESSAGE = {  # prepareMessage in whatsapp.baileys.service.ts
    "key": KEY, "pushName": "Ana", "status": "DELIVERY_ACK", "message": {"conversation": "hi"},
    "contextInfo": None, "messageType": "conversation", "messageTimestamp": 1795407756,
    "instanceId": "10f4a929-bb2c-4bcf-adea-6f706f6dadb3", "source": "android",
}
SENT = {**MESSAGE, "key": {"remoteJid": JID, "fromMe": True, "id": "3EB0AA11BB22CC33DD44"},
        "pushName": "Você", "status": "PENDING"}
EDIT = {  # the protocolMessage of an edit
    "key": {"remoteJid": JID, "fromMe": True, "id": "3EB0AA11BB22CC33DD44"}, "type": "MESSAGE_EDIT",
    "editedMessage": {"conversation": "hi, fixed"}, "timestampMs": "1795407790000",
}
QR = {"qrcode": {"instance": "sales", "pairingCode": "WZYEH1YY", "code": "2@y8eK+bjtEjUWy9/FOM7==,5nb",
                 "base64": "data:image/png;base64,iVBORw0KGgo="}}
CONTACT = {"remoteJid": JID, "pushName": "Ana", "profilePicUrl": None, "instanceId": "10f4a929"}
CHAT = {"remoteJid": JID, "instanceId": "10f4a929", "name": "Ana", "unreadMessages": 0}
GROUP = {"id": "120363025246125888@g.us", "subject": "Team", "owner": JID, "creation": 1795400000,
         "participants": [{"id": JID, "admin": "superadmin"}]}

# Realistic data of every emitted event, from the sendDataWebhook(Events.X, data) calls of 2.3.6.
SAMPLES = {
    "application.startup": None,
    "instance.create": {"instanceName": "sales", "instanceId": "10f4a929"},
    "instance.delete": {"instanceName": "sales", "instanceId": "10f4a929"},
    "qrcode.updated": QR,
    "connection.update": {"instance": "sales", "wuid": "5511999990000@s.whatsapp.net",
                          "profileName": "Sales", "profilePictureUrl": None, "state": "open",
                          "statusReason": 200},
    "status.instance": {"instance": "sales", "status": "closed", "disconnectionAt": "2026-11-23T04:22:36.827Z",
                        "disconnectionReasonCode": 401, "disconnectionObject": "{}"},
    "messages.set": [MESSAGE, SENT],
    "messages.upsert": MESSAGE,
    "messages.edited": EDIT,
    "messages.update": {"keyId": KEY["id"], "remoteJid": JID, "fromMe": False, "status": "READ",
                        "instanceId": "10f4a929", "messageId": "cmh9x2db0000"},
    "messages.delete": KEY,
    "send.message": SENT,
    "send.message.update": EDIT,
    "contacts.set": [CONTACT],
    "contacts.upsert": [CONTACT],
    "contacts.update": [CONTACT],
    "presence.update": {"id": JID, "presences": {JID: {"lastKnownPresence": "composing"}}},
    "chats.set": [CHAT],
    "chats.update": [{"remoteJid": JID, "instanceId": "10f4a929"}],
    "chats.upsert": [CHAT],
    "chats.delete": [JID],
    "groups.upsert": [GROUP],
    "groups.update": [{"id": GROUP["id"], "subject": "Team 2"}],
    "group-participants.update": {"id": GROUP["id"], "participants": [JID], "action": "add",
                                  "participantsData": [{"jid": JID, "phoneNumber": "5511988887777"}]},
    "call": {"chatId": JID, "from": JID, "id": "CALL7F3A", "date": "2026-11-23T04:22:36.000Z",
             "isVideo": False, "isGroup": False, "status": "offer", "offline": False},
    "typebot.start": {"remoteJid": JID, "url": "https://typebot.example", "typebot": "sales-bot",
                      "variables": [], "sessionId": "s1"},
    "typebot.change-status": {"remoteJid": JID, "status": "paused", "session": None},
    "labels.edit": {"id": "3", "name": "Paid", "color": 4, "deleted": False, "predefinedId": None,
                    "instance": "sales"},
    "labels.association": {"instance": "sales", "type": "add", "chatId": JID, "labelId": "3"},
    "creds.update": None,
    "messaging-history.set": None,
    "remove.instance": None,
    "logout.instance": None,
}


def event_of(name, data, **fields) -> NormalizedEvent:
    return normalize_evolution({"event": name, "instance": "sales", "data": data, **fields})


def test_samples_cover_every_emitted_event():
    assert set(SAMPLES) == set(EMITTED_EVENTS)


def test_every_captured_envelope_normalises(captured):
    transport, path_event, envelope = captured
    event = normalize_evolution(envelope, path_event)
    assert event.name == envelope["event"] and event.known
    assert event.instance == envelope["instance"]
    assert event.provider_time is not None and event.provider_time.tzinfo is not None
    assert event.provider_time.utcoffset().total_seconds() == 0
    assert event.data == envelope["data"]
    assert "apikey" not in event.payload and "destination" not in event.payload
    assert event.payload == {key: value for key, value in envelope.items() if key not in ("apikey", "destination")}


def test_the_captures_hold_both_transports(captures):
    assert {transport for transport, _, _ in captures} == {"webhook", "socket"}
    assert any(path_event for _, path_event, _ in captures)


@pytest.mark.parametrize("name", EMITTED_EVENTS)
def test_every_emitted_event_normalises(name, envelope):
    for form in (envelope(name, SAMPLES[name]), envelope(name, SAMPLES[name], socket=True)):
        event = normalize_evolution(form)
        assert (event.name, event.known, event.instance) == (name, True, "sales")
        assert event.data == SAMPLES[name]
        assert event.sender == "5511999990000@s.whatsapp.net"
        assert event.provider_time == datetime(2026, 11, 23, 4, 22, 36, 847000, tzinfo=timezone.utc)
        assert "apikey" not in event.payload and event.payload["server_url"] == "http://127.0.0.1:18080"


@pytest.mark.parametrize("name", EMITTED_EVENTS)
def test_every_emitted_event_comes_by_its_url_path(name, envelope):
    body = envelope(name, SAMPLES[name])
    del body["event"]
    assert normalize_evolution(body, url_suffix(name)).name == name


@pytest.mark.parametrize("raw, name", [
    ("messages.upsert", "messages.upsert"),
    ("messages-upsert", "messages.upsert"),
    ("MESSAGES_UPSERT", "messages.upsert"),
    ("Messages.Upsert", "messages.upsert"),
    (" messages_upsert ", "messages.upsert"),
    ("group-participants-update", "group-participants.update"),
    ("GROUP_PARTICIPANTS_UPDATE", "group-participants.update"),
    ("group-participants.update", "group-participants.update"),
    ("typebot-change-status", "typebot.change-status"),
    ("TYPEBOT_CHANGE_STATUS", "typebot.change-status"),
    ("messaging-history-set", "messaging-history.set"),
    ("send-message-update", "send.message.update"),
    ("call", "call"),
    ("CALL", "call"),
    # Unknown names are kept, lower-cased: dotted ones as they are, the others with dots.
    ("Reactions.New-Thing", "reactions.new-thing"),
    ("REACTIONS_NEW", "reactions.new"),
    ("reactions-new", "reactions.new"),
    ("GROUP_UPDATE", "group.update"),
])
def test_canonical_name_of_every_spelling(raw, name):
    assert canonical_name(raw) == name


@pytest.mark.parametrize("upper", EVOLUTION_EVENTS)
def test_every_selectable_name_is_canonical_in_every_spelling(upper):
    assert canonical_name(upper) == canonical_name(url_suffix(upper)) == canonical_name(upper.lower())


def test_unknown_events_are_kept_not_dropped():
    event = event_of("Reactions.New", {"x": 1})
    assert (event.name, event.known, event.data) == ("reactions.new", False, {"x": 1})


def test_the_envelope_name_wins_over_the_path(envelope):
    assert normalize_evolution(envelope("qrcode.updated", QR), "connection-update").name == "qrcode.updated"
    assert normalize_evolution(envelope("QRCODE_UPDATED", QR)).name == "qrcode.updated"


def test_apikey_and_destination_are_never_kept(envelope):
    body = envelope("messages.upsert", MESSAGE, destination="https://gw.example/api/webhooks/evolution/s3cr3t")
    event = normalize_evolution(body)
    assert "apikey" not in event.payload and "0D7E1F7A-INSTANCE-TOKEN" not in repr(event)
    assert "destination" not in event.payload and "s3cr3t" not in repr(event)
    assert body["apikey"] == "0D7E1F7A-INSTANCE-TOKEN"  # the caller's envelope is untouched


@pytest.mark.parametrize("bad, path_event", [
    (None, None), ([], None), ("messages.upsert", None), (42, "call"),
    ({}, None), ({"event": None}, None), ({"event": ""}, None), ({"event": "  "}, None),
    ({"event": 5}, None), ({"event": ["call"]}, "call"), ({"data": {}}, ""),
    ({"event": "call", "instance": 7}, None), ({"event": "call", "instance": {"name": "x"}}, None),
])
def test_what_is_not_an_event_raises(bad, path_event):
    with pytest.raises(NormalizeError):
        normalize_evolution(bad, path_event)


def test_everything_else_is_tolerated():
    event = normalize_evolution({"event": "call"})
    assert (event.name, event.instance, event.provider_time, event.sender, event.data) == (
        "call", None, None, None, None)
    assert event.payload == {"event": "call"}


@pytest.mark.parametrize("date_time, expected", [
    ("2026-11-23T04:20:31.908Z", datetime(2026, 11, 23, 4, 20, 31, 908000, tzinfo=timezone.utc)),
    ("2026-11-23T07:20:31+03:00", datetime(2026, 11, 23, 4, 20, 31, tzinfo=timezone.utc)),
    ("2026-11-23T04:20:31", datetime(2026, 11, 23, 4, 20, 31, tzinfo=timezone.utc)),
    ("yesterday", None), ("", None), (1795407631908, None), (None, None), ({"at": 1}, None),
    ("0001-01-01T00:00:00+01:00", None),  # before datetime.min in UTC
])
def test_provider_time(date_time, expected):
    assert event_of("call", None, date_time=date_time).provider_time == expected


def test_a_non_string_sender_is_dropped():
    assert event_of("call", None, sender=5511).sender is None


@given(data=st.data())
def test_arbitrary_json_raises_nothing_but_normalize_error(data, envelopes):
    value, path_event = data.draw(envelopes), data.draw(st.none() | st.text(max_size=30))
    try:
        event = normalize_evolution(value, path_event)
    except NormalizeError:
        return
    assert "apikey" not in event.payload and event.name
    assert isinstance(message_ids(event), tuple) and isinstance(is_logout(event), bool)
    assert stream_frame_name(event.name).startswith("whatsapp:")


@given(data=st.data())
def test_facts_of_any_data_raise_nothing(data, json_values):
    event = event_of(data.draw(st.sampled_from(EMITTED_EVENTS)), data.draw(json_values))
    assert isinstance(message_ids(event), tuple) and isinstance(is_logout(event), bool)
    assert qr_code(event) is None or isinstance(qr_code(event), QrCode)
    assert connection(event) is None or isinstance(connection(event), Connection)


def test_qr_code():
    assert qr_code(event_of("qrcode.updated", QR)) == QrCode(
        base64="data:image/png;base64,iVBORw0KGgo=", pairing_code="WZYEH1YY",
        code="2@y8eK+bjtEjUWy9/FOM7==,5nb")
    without_pairing = {"qrcode": {**QR["qrcode"], "pairingCode": None}}
    assert qr_code(event_of("qrcode.updated", without_pairing)).pairing_code is None


@pytest.mark.parametrize("name, data", [
    ("qrcode.updated", {"message": "QR code limit reached, please login again", "statusCode": 500}),
    ("qrcode.updated", {"qrcode": {"instance": "sales", "pairingCode": None}}),
    ("qrcode.updated", {"qrcode": "2@abc"}),
    ("qrcode.updated", None),
    ("connection.update", QR),
])
def test_no_qr_code(name, data):
    assert qr_code(event_of(name, data)) is None


@pytest.mark.parametrize("data, expected", [
    (SAMPLES["connection.update"], Connection("open", "5511999990000", "Sales", "open")),
    ({"instance": "sales", "wuid": "5511999990000:12@s.whatsapp.net", "state": "open", "statusReason": 200},
     Connection("open", "5511999990000", None, "open")),
    ({"instance": "sales", "wuid": "81234567890123@lid", "state": "open"}, Connection("open", None, None, "open")),
    ({"instance": "sales", "state": "connecting", "statusReason": 200},
     Connection("connecting", None, None, "connecting")),
    ({"instance": "sales", "state": "close", "statusReason": 401}, Connection("close", None, None, "close")),
    # After the QR limit the session ends; Evolution's own word stays beside the gateway's state.
    ({"instance": "sales", "state": "refused", "statusReason": 428}, Connection("close", None, None, "refused")),
])
def test_connection(data, expected):
    assert connection(event_of("connection.update", data)) == expected


@pytest.mark.parametrize("name, data", [
    ("connection.update", {"state": "sleeping"}), ("connection.update", {"state": ["open"]}),
    ("connection.update", None), ("status.instance", {"state": "open"}),
])
def test_no_connection(name, data):
    assert connection(event_of(name, data)) is None


@pytest.mark.parametrize("name, data, expected", [
    ("logout.instance", None, True),
    ("connection.update", {"instance": "sales", "state": "close", "statusReason": 401}, True),
    ("connection.update", {"instance": "sales", "state": "close", "statusReason": 428}, False),
    ("connection.update", {"instance": "sales", "state": "connecting", "statusReason": 200}, False),
    ("status.instance", SAMPLES["status.instance"], False),
    ("remove.instance", None, False),
])
def test_is_logout(name, data, expected):
    assert is_logout(event_of(name, data)) is expected


def test_the_captured_logout_is_a_logout(captures):
    logouts = [envelope for _, _, envelope in captures if is_logout(normalize_evolution(envelope))]
    assert {envelope["event"] for envelope in logouts} == {"logout.instance", "connection.update"}


DELETED_BY_API = {  # deleteMessage: the stored message; its `id` is Evolution's database id
    "id": "cmh9x2db0000", "instanceId": "10f4a929", "key": KEY, "messageType": "conversation",
    "status": "DELETED", "source": "android", "messageTimestamp": 1795407756, "pushName": "Ana",
    "participant": None, "message": {"conversation": "hi"},
}


@pytest.mark.parametrize("name, data, ids", [
    ("messages.upsert", MESSAGE, (KEY["id"],)),
    ("messages.upsert", {"messages": [MESSAGE, SENT, MESSAGE], "type": "notify"}, (KEY["id"], SENT["key"]["id"])),
    ("messages.set", [MESSAGE, SENT], (KEY["id"], SENT["key"]["id"])),
    ("send.message", SENT, (SENT["key"]["id"],)),
    ("messages.update", SAMPLES["messages.update"], (KEY["id"],)),
    ("messages.update", {"messageId": "cmh9x2db0000", "status": "READ"}, ("cmh9x2db0000",)),
    ("messages.delete", KEY, (KEY["id"],)),
    ("messages.delete", DELETED_BY_API, (KEY["id"],)),
    ("messages.edited", EDIT, (EDIT["key"]["id"],)),
    ("send.message.update", EDIT, (EDIT["key"]["id"],)),
    ("messages.upsert", {"key": {"id": 7}}, ()),
    ("messages.upsert", None, ()),
    ("contacts.upsert", [CONTACT], ()),
    ("chats.delete", [JID], ()),
])
def test_message_ids(name, data, ids):
    assert message_ids(event_of(name, data)) == ids


@pytest.mark.parametrize("name, frame", [
    ("messages.upsert", "whatsapp:message_received"),
    ("messages.update", "whatsapp:message_ack"),
    ("connection.update", "whatsapp:connection_update"),
    ("qrcode.updated", "whatsapp:qrcode_updated"),
    ("status.instance", "whatsapp:status_instance"),
    ("group-participants.update", "whatsapp:group_participants_update"),
    ("typebot.change-status", "whatsapp:typebot_change_status"),
    ("send.message.update", "whatsapp:send_message_update"),
    ("call", "whatsapp:call"),
])
def test_stream_frame_name(name, frame):
    assert stream_frame_name(name) == frame


def test_every_event_has_its_own_frame_name():
    frames = {stream_frame_name(name) for name in EMITTED_EVENTS}
    assert len(frames) == len(EMITTED_EVENTS)
