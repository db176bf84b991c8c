"""`/api/stream`: live JSON frames for programs, per instance they subscribe to, within their tenant.

Client frames: `{"action": "subscribe" | "unsubscribe", "instance": "<name>"}`. Server frames: the
event frames (`{"type": "whatsapp:<event>", ...}`, serialised once per event for every client),
`subscribed` / `unsubscribed`, `skipped` (this client fell behind), `error`, and
`gateway:degraded` / `gateway:recovered` (events of other processes stopped / started arriving).
"""
from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, abort, g
from simple_websocket import ConnectionClosed

from ..extensions import db, sock
from ..ingest.pipeline import LiveEvent
from ..models import Instance
from ..realtime.bus import Bus, BusStatus, instance_topic
from ..realtime.hub import FrameWriter, text_frame
from ..services import services

bp = Blueprint("streams", __name__)

STREAM_QUEUE = 1000


@bp.before_request
def _bearer_only():
    if g.auth != "token":
        abort(401, "A valid bearer token is required (Authorization: Bearer <token>).")
    # Give the database connection back before the WebSocket handshake, which waits for its reader
    # greenlet to start: held across that wait, a burst of clients opening streams empties the
    # pool and the last ones time out with a 500.
    g.tenant_id = g.user.tenant_id
    db.session.close()


def _frame(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))


def _error(message: str, **extra) -> dict:
    return {"type": "error", "error": message, **extra}


@lru_cache(maxsize=64)
def skipped_frame(count: int) -> bytes:
    return text_frame(_frame({"type": "skipped", "count": count}))


@lru_cache(maxsize=16)
def status_frame(status: BusStatus) -> bytes:
    """`gateway:degraded` (with when it began) or `gateway:recovered` (with since when events may be
    missing: read them from /api/events?since=...)."""
    name = "gateway:degraded" if status.degraded else "gateway:recovered"
    return text_frame(_frame({"type": name, "event": name, "since": status.since,
                              **({"error": status.error} if status.error else {})}))


class StreamSubscriber:
    """One `/api/stream` client as a bus subscriber: the publisher writes each frame to its socket."""

    def __init__(self, tenant_id: int, writer: FrameWriter):
        self.topics: set[str] = set()
        self.tenant_id = tenant_id
        self.writer = writer

    def put(self, item) -> None:
        if isinstance(item, LiveEvent):
            self.writer.send(item.wire_frame)
        elif isinstance(item, BusStatus):
            self.writer.send(status_frame(item))


def control(bus: Bus, subscriber: StreamSubscriber, tenant_id: int, message: str | bytes) -> dict:
    """Apply one client frame; the answer to send back (an error frame for anything wrong)."""
    try:
        request = json.loads(message)
    except ValueError:
        return _error("Frames must be JSON.")
    if not isinstance(request, dict) or request.get("action") not in ("subscribe", "unsubscribe"):
        return _error('Send {"action": "subscribe" or "unsubscribe", "instance": "<name>"}.')
    name = request.get("instance")
    if not isinstance(name, str):
        return _error("instance must be an instance name.")
    instance_id = db.session.execute(db.select(Instance.id).where(
        Instance.tenant_id == tenant_id, Instance.name == name)).scalar_one_or_none()
    db.session.close()
    if instance_id is None:
        return _error(f'Instance "{name}" not found.', instance=name)
    if request["action"] == "subscribe":
        bus.follow(subscriber, instance_topic(instance_id))
    else:
        bus.unfollow(subscriber, instance_topic(instance_id))
    return {"type": request["action"] + "d", "instance": name}


@sock.route("/api/stream", bp=bp)
def stream(ws):
    """Send each subscribed instance's events as they are stored; answer the client's frames."""
    tenant_id, bus = g.tenant_id, services().bus
    client = bus.attach(StreamSubscriber(tenant_id, FrameWriter(ws.sock, services().background.spawn,
                                                                STREAM_QUEUE, skipped_frame)))
    try:
        if bus.status.degraded:
            client.put(bus.status)
        while client.writer.open:
            message = ws.receive()
            if message is not None:
                client.writer.send(text_frame(_frame(control(bus, client, tenant_id, message))))
    except ConnectionClosed:
        pass
    finally:
        bus.unsubscribe(client)
        client.writer.close()
