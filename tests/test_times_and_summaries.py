"""Pure page rules: relative times in both languages, and the sender and text of each event summary."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from gateway.providers.base import Summary
from gateway.providers.evolution.summary import summary
from gateway.web.times import ago

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("seconds, english, portuguese", [
    (0, "just now", "agora mesmo"), (9, "just now", "agora mesmo"), (10, "10 seconds ago", "há 10 segundos"),
    (60, "1 minute ago", "há 1 minuto"), (150, "2 minutes ago", "há 2 minutos"), (3600, "1 hour ago", "há 1 hora"),
    (86400 * 3 + 5, "3 days ago", "há 3 dias"), (-30, "just now", "agora mesmo"),  # a clock a little ahead
])
def test_relative_times_in_both_languages(app, seconds, english, portuguese):
    for lang, expected in (("en", english), ("pt-BR", portuguese)):
        with app.test_request_context(headers={"Accept-Language": lang}):
            assert ago(NOW - timedelta(seconds=seconds), NOW) == expected
    with app.test_request_context():  # SQLite's naive datetimes are UTC
        assert ago((NOW - timedelta(seconds=seconds)).replace(tzinfo=None), NOW) == english


@pytest.mark.parametrize("name, data, expected", [
    ("messages.upsert", {"key": {"remoteJid": "5511988887777@s.whatsapp.net", "fromMe": False}, "pushName": "Bob",
                         "message": {"conversation": "hi"}}, Summary("Bob · 5511988887777", "hi")),
    ("messages.upsert", {"key": {"remoteJid": "120363@g.us", "participant": "5511911112222@s.whatsapp.net"},
                         "message": {"extendedTextMessage": {"text": "in a group"}}},
     Summary("5511911112222", "in a group")),
    ("messages.upsert", {"key": {"remoteJid": "5511988887777@s.whatsapp.net", "fromMe": True},
                         "message": {"imageMessage": {"caption": "photo"}}}, Summary("me", "photo")),
    ("messages.upsert", {"key": {}, "message": {"audioMessage": {}}, "messageType": "audioMessage"},
     Summary("", "audioMessage")),
    ("messages.update", {"remoteJid": "5511988887777@s.whatsapp.net", "status": "READ"},
     Summary("5511988887777", "read")),
    ("connection.update", {"state": "open", "wuid": "5511999990000@s.whatsapp.net"},
     Summary("5511999990000", "open")),
    ("qrcode.updated", {"qrcode": {"base64": "..."}}, Summary("", "New QR code")),
    ("qrcode.updated", {"message": "QR code limit reached, please login again"}, Summary("", "QR code limit reached")),
    ("contacts.update", [{"id": "x"}], Summary()),
    ("chats.upsert", {"whatever": 1}, Summary()),
])
def test_summaries_say_who_and_what(app, name, data, expected):
    with app.test_request_context():
        assert summary(name, data) == expected
