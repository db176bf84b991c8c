"""The `/_sim/` control API: drive instances, inject faults and inspect deliveries from tests and demos.

No Evolution file has it: it plays the phone and WhatsApp. What it makes the server emit follows
src/api/integrations/channel/whatsapp/whatsapp.baileys.service.ts (connectionUpdate, messages.upsert,
messages.update, messages.delete).
"""
from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify, request

from ..faults import fault_from
from .errors import ApiError, not_found
from .service import Simulator
from .store import Instance

bp = Blueprint("simulator_control", __name__, url_prefix="/_sim")


def _simulator() -> Simulator:
    return current_app.extensions["simulator"]


def _instance(name: str) -> Instance:
    instance = _simulator().registry.live(name)
    if instance is None:
        raise not_found(f'Instance "{name}" not found')
    return instance


def _body() -> dict:
    return request.get_json(silent=True) or {}


@bp.post("/reset")
def reset():
    """Forget instances, faults and deliveries; drop sockets."""
    _simulator().reset()
    return jsonify(ok=True)


@bp.post("/restart")
def restart():
    """Act like a server restart: sockets dropped, namespaces unknown, retries lost, config kept;
    open instances reconnect (connection.update connecting, then open)."""
    _simulator().restart_server()
    return jsonify(ok=True)


@bp.post("/sockets/drop")
def drop_sockets():
    """Cut every socket.io transport; clients see a transport error and reconnect (after `for` seconds
    during which socket handshakes are refused, if given)."""
    _simulator().hub.drop_clients(float(_body().get("for", 0.0)))
    return jsonify(ok=True)


@bp.get("/sockets")
def sockets():
    """Socket.io clients connected now, by namespace (`/` is the global one)."""
    return jsonify(_simulator().hub.connected())


@bp.get("/sockets/departures")
def departures():
    """How the last socket.io clients left, by namespace (`client disconnect`: they said goodbye)."""
    return jsonify(_simulator().hub.departures())


@bp.get("/instances/<name>")
def describe(name):
    """Internal state of one instance."""
    return jsonify(_simulator().describe(_instance(name)))


@bp.post("/instances/<name>/qr")
def new_qr(name):
    """Emit a fresh qrcode.updated (or the limit message once the limit is reached)."""
    instance = _instance(name)
    _simulator().new_qr(instance)
    return jsonify(_simulator().describe(instance))


@bp.post("/instances/<name>/scan")
def scan(name):
    """The phone scans the QR: connection.update open; later envelopes carry `sender`."""
    body, instance = _body(), _instance(name)
    _simulator().scan(instance, str(body.get("number", "5511999990000")), body.get("profileName", "Alice"),
                      body.get("profilePictureUrl"))
    return jsonify(_simulator().describe(instance))


@bp.post("/instances/<name>/messages")
def messages(name):
    """Emit `count` messages.upsert (text, or an image when `image` holds base64). `emitted_at` is this
    machine's monotonic clock (Python's time.monotonic) as the first is built: a benchmark on the same
    machine times delivery from there, without the control call's own HTTP round trip."""
    body, instance = _body(), _instance(name)
    emitted_at = time.monotonic()
    ids = [
        _simulator().receive(instance, body.get("text", "hello"), bool(body.get("fromMe", False)),
                             body.get("remoteJid", "5511988887777@s.whatsapp.net"), body.get("pushName", "Bob"),
                             body.get("timestamp"), body.get("image"))
        for _ in range(int(body.get("count", 1)))
    ]
    return jsonify(ids=ids, emitted_at=emitted_at)


@bp.post("/instances/<name>/ack")
def ack(name):
    """Emit messages.update for a stored message id."""
    body = _body()
    return jsonify(_simulator().ack(_instance(name), body["id"], body.get("status", "READ")))


@bp.post("/instances/<name>/revoke")
def revoke(name):
    """Emit messages.delete for a stored message id (the sender deleted it for everyone)."""
    return jsonify(_simulator().revoke(_instance(name), _body()["id"]))


@bp.post("/instances/<name>/emit")
def emit(name):
    """Emit any event with the given data, unchanged."""
    body = _body()
    _simulator().dispatch.emit(_instance(name), body["event"], body.get("data"))
    return jsonify(ok=True)


@bp.post("/faults")
def add_fault():
    """The next `times` REST calls whose path starts with `path` (and `method`, if given) fail or wait."""
    _simulator().faults.add(fault_from(_body(), lambda status: ApiError(status, ["Simulated fault"]).body()))
    return jsonify(ok=True)


@bp.delete("/faults")
def clear_faults():
    """Forget every injected fault."""
    _simulator().faults.clear()
    return jsonify(ok=True)


@bp.get("/deliveries")
def deliveries():
    """Every webhook attempt: url, event, instance, attempt, status or error, at."""
    return jsonify(_simulator().sender.log)
