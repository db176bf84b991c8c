"""The WAHA simulator's `/_sim/` control API, shaped like the Evolution simulator's (../evolution/control.py).

No WAHA file has it: it plays the phone and WhatsApp. What it makes the session emit follows
src/core/engines/noweb/session.noweb.core.ts (status changes, messages, acks).
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..faults import fault_from
from .errors import http_error
from .sessions import Session, WahaSimulator

bp = Blueprint("waha_control", __name__, url_prefix="/_sim")


def _sim() -> WahaSimulator:
    return current_app.extensions["simulator"]


def _session(name: str) -> Session:
    return _sim().existing(name)


def _body() -> dict:
    return request.get_json(silent=True) or {}


@bp.post("/reset")
def reset():
    """Back to boot: `default` STOPPED with config null, no faults, no deliveries, sockets dropped."""
    _sim().reset()
    _sim().faults.clear()
    return jsonify(ok=True)


@bp.post("/restart")
def restart():
    """A server restart: the config (kept in memory only) is lost, sockets dropped, retries gone."""
    _sim().restart_server()
    return jsonify(ok=True)


@bp.post("/sockets/drop")
def drop_sockets():
    """Cut every /ws connection without a close frame."""
    _sim().hub.drop()
    return jsonify(ok=True)


@bp.get("/sockets/departures")
def departures():
    """How the last /ws clients left: their close codes (1000: a clean close frame)."""
    return jsonify(_sim().hub.departures())


@bp.get("/instances/<name>")
def describe(name):
    """The session as WAHA holds it, with its QR string, its paired phone and the number of open sockets."""
    session = _session(name)
    return jsonify(session=session.view(), qr=session.qr_code, paired=session.paired,
                   sockets=len(_sim().hub.listeners), messages=len(session.messages))


@bp.post("/instances/<name>/qr")
def new_qr(name):
    """WhatsApp issues a new QR (SCAN_QR_CODE again, with a new code)."""
    _session(name)
    _sim().rotate_qr()
    return describe(name)


@bp.post("/instances/<name>/scan")
def scan(name):
    """The phone scans the QR: WORKING, with `me`."""
    _session(name)
    body = _body()
    _sim().scan(str(body.get("number", "5511999990000")), body.get("profileName", "Alice"))
    return describe(name)


@bp.post("/instances/<name>/messages")
def messages(name):
    """`count` incoming messages (`message` and `message.any`), or outgoing ones with `fromMe`."""
    session, body = _session(name), _body()
    if session.status != "WORKING":
        raise http_error(422, "the session is not WORKING")
    ids = [_sim().receive(session, body.get("text", "hello"), body.get("chatId", "5511988887777@c.us"),
                          bool(body.get("fromMe", False)), body.get("timestamp"))["id"]
           for _ in range(int(body.get("count", 1)))]
    return jsonify(ids=ids)


@bp.post("/instances/<name>/ack")
def ack(name):
    """`message.ack` for a message id (3 = READ by default)."""
    body = _body()
    return jsonify(_sim().ack(_session(name), body["id"], int(body.get("ack", 3))))


@bp.post("/instances/<name>/emit")
def emit(name):
    """Any event with the given payload, unchanged."""
    body = _body()
    return jsonify(_sim().emit(_session(name), body["event"], body.get("payload")))


@bp.post("/faults")
def add_fault():
    """The next `times` REST calls whose path starts with `path` (and `method`) fail with WAHA's shape or wait."""
    _sim().faults.add(fault_from(_body(), lambda status: {"message": "Simulated fault", "statusCode": status}))
    return jsonify(ok=True)


@bp.delete("/faults")
def clear_faults():
    _sim().faults.clear()
    return jsonify(ok=True)


@bp.get("/deliveries")
def deliveries():
    """Every webhook attempt: url, event, id, attempt, request id, status or error."""
    return jsonify(_sim().sender.log)
