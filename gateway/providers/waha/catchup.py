"""WAHA's catch-up source: the session's status now, then incoming messages since a moment, as envelopes.

What WAHA lets the gateway recover: the session status (GET /api/sessions/{name}) and incoming
messages (the chats API, which needs a WORKING session and an engine with a message store). What it
does not: acks, reactions, revocations, edits, group, presence, call and label events missed while
nothing listened, and any message of a session whose engine keeps no store (the chats API answers
an error, logged, and the rest of the catch-up still happens).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ..errors import ProviderRejected
from .client import WahaClient


def recover(client: WahaClient, name: str, since: datetime) -> Iterator[dict]:
    session = client.session(name)
    me = session.me
    yield {"event": "session.status", "session": name, "me": me,
           "payload": {"name": name, "status": session.status}}
    if session.status != "WORKING":
        return
    try:
        messages = client.find_messages(name, int(since.timestamp()))
    except ProviderRejected:
        return  # no message store on this engine: nothing more can be recovered
    for message in messages:
        if not message.get("fromMe"):
            yield {"event": "message", "session": name, "me": me, "payload": message}
