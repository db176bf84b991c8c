"""WAHA's catch-up source: the session's status now, and the incoming messages since a moment, as envelopes.

What WAHA lets the gateway recover: the session status (GET /api/sessions/{name}) and incoming
messages (the chats API, which needs a WORKING session and an engine with a message store). What it
does not: acks, reactions, revocations, edits, group, presence, call and label events missed while
nothing listened, and any message of a session whose engine keeps no store (the chats API answers
an error; the catch-up then recovers nothing more).
"""
from __future__ import annotations

from ..errors import ProviderRejected
from .client import WahaClient


def missed(client: WahaClient, name: str, since_timestamp: int) -> list[dict]:
    session = client.session(name)
    if session.status != "WORKING":
        return []
    try:
        messages = client.find_messages(name, since_timestamp)
    except ProviderRejected:
        return []  # no message store on this engine
    return [{"event": "message", "session": name, "me": session.me, "payload": message}
            for message in messages if not message.get("fromMe")]


def state_now(client: WahaClient, name: str) -> list[dict]:
    """The status as a session.status would say it; a SCAN_QR_CODE one makes the gateway fetch the QR."""
    session = client.session(name)
    return [{"event": "session.status", "session": name, "me": session.me,
             "payload": {"name": name, "status": session.status}}]
