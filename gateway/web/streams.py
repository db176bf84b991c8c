"""`/api/stream`: live JSON frames for programs, per instance they subscribe to, within their tenant.

Client frames: `{"action": "subscribe" | "unsubscribe", "instance": "<name>"}`. Server frames: the
event frames (`{"type": "whatsapp:<event>", ...}`, serialised once per event for every client),
`subscribed` / `unsubscribed`, `skipped` (this client fell behind), and `error`.
"""
from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, g

from ..extensions import db, sock
from ..ingest.pipeline import LiveEvent
from ..models import Instance
from ..realtime.bus import Subscription, instance_topic
from ..realtime.hub import LiveSocket, text_frame
from ..services import services

bp = Blueprint("streams", __name__)

STREAM_QUEUE = 1000
KEEPALIVE = 25.0


@bp.before_request
def _bearer_only():
    if g.auth != "token":
        abort(401, "A valid bearer token is required (Authorization: Bearer <token>).")


def _frame(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))


def _error(message: str, **extra) -> dict:
    return {"type": "error", "error": message, **extra}


def control(subscription: Subscription, tenant_id: int, message: str | bytes) -> dict:
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
    # Topics are read by Bus.publish; under gevent this set changes between publishes, never during.
    if request["action"] == "subscribe":
        subscription.topics.add(instance_topic(instance_id))
    else:
        subscription.topics.discard(instance_topic(instance_id))
    return {"type": request["action"] + "d", "instance": name}


@sock.route("/api/stream", bp=bp)
def stream(ws):
    """Send each subscribed instance's events as they are stored."""
    tenant_id, cache = g.user.tenant_id, current_app.extensions["fragments"]
    db.session.close()
    live = LiveSocket(ws, services().bus.subscribe((), STREAM_QUEUE, tenant_id), services().background.spawn)
    try:
        while live.open:
            items, skipped, messages = live.next_batch(KEEPALIVE)
            frames = [text_frame(_frame(control(live.subscription, tenant_id, m))) for m in messages]
            if skipped:
                frames.append(text_frame(_frame({"type": "skipped", "count": skipped})))
            frames += [cache.get(("frame", item.id), lambda e=item: text_frame(e.frame_json))
                       for item in items if isinstance(item, LiveEvent)]
            if frames and not live.send_frame(b"".join(frames)):
                break
    finally:
        services().bus.unsubscribe(live.subscription)
