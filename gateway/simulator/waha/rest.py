"""WAHA's REST routes: `X-Api-Key`, the session controller, QR and pairing code, chats and messages.

Follows src/core/auth/apiKey.strategy.ts and src/core/auth/api-key-auth.middleware.ts (2026.x: the
header only; /ping open), src/config.service.ts of 2024.10.8 (getApiKey, which Core never checks),
src/api/server.controller.ts (version), src/api/sessions.controller.ts, src/api/auth.controller.ts
(QR formats, request-code) and src/api/chats.controller.ts (chats, chat messages with filter.timestamp).
"""
from __future__ import annotations

import base64

from flask import Blueprint, Response, current_app, jsonify, request

from .errors import WahaError, http_error, unauthorized
from .sessions import WahaSimulator, qr_png
from .validation import Invalid

bp = Blueprint("waha", __name__)
OPEN_PATHS = ("/ping", "/_sim/")


def _sim() -> WahaSimulator:
    return current_app.extensions["simulator"]


@bp.before_app_request
def _authenticate():
    if request.path.startswith(OPEN_PATHS) or request.path == "/ws" or not _sim().version.rest_key:
        return None
    if request.headers.get("X-Api-Key") != _sim().api_key:
        raise unauthorized()
    return None


@bp.app_errorhandler(WahaError)
def _waha_error(error: WahaError):
    return jsonify(error.body), error.status


@bp.app_errorhandler(Invalid)
def _invalid(error: Invalid):
    return jsonify({"message": error.messages, "error": "Bad Request", "statusCode": 400}), 400


def _body() -> dict:
    body = request.get_json(silent=True)
    if body is None and request.get_data():
        raise http_error(400, "Unexpected token in JSON")
    return body if isinstance(body, dict) else {}


@bp.get("/ping")
def ping():
    return jsonify(message="pong")


@bp.get("/api/server/version")
@bp.get("/api/version")
def version():
    return jsonify({"version": _sim().version.number, "engine": "NOWEB", "tier": "CORE",
                    "browser": _sim().version.environment.get("browser"), "platform": "linux/x64",
                    "worker": {"id": None}})


@bp.get("/api/sessions")
def list_sessions():
    return jsonify(_sim().list(request.args.get("all") in ("true", "1")))


@bp.post("/api/sessions")
def create_session():
    created = _sim().create(_body())
    return (jsonify(created), 201) if created is not None else Response(status=201)


@bp.get("/api/sessions/<name>")
def get_session(name: str):
    return jsonify(_sim().existing(name).view())


@bp.put("/api/sessions/<name>")
def update_session(name: str):
    return jsonify(_sim().update(name, _body()))


@bp.delete("/api/sessions/<name>")
def delete_session(name: str):
    _sim().delete(name)
    return Response(status=200)


@bp.post("/api/sessions/<name>/<any(start, stop, restart, logout):action>")
def session_action(name: str, action: str):
    return jsonify(getattr(_sim(), action)(name)), 201


@bp.get("/api/<name>/auth/qr")
def qr(name: str):
    """`format=raw` -> `{value}`; an image as PNG, or `{mimetype, data}` for `Accept: application/json`."""
    code = _sim().qr(name)
    if request.args.get("format") == "raw":
        return jsonify(value=code)
    png = qr_png(code)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(mimetype="image/png", data=base64.b64encode(png).decode())
    return Response(png, mimetype="image/png")


@bp.post("/api/<name>/auth/request-code")
def request_code(name: str):
    phone = _body().get("phoneNumber")
    if not isinstance(phone, str):
        raise http_error(400, ["phoneNumber must be a string"])
    return jsonify(_sim().request_code(name, phone)), 201


@bp.get("/api/<name>/chats")
def chats(name: str):
    """Chats newest first (conversationTimestamp), `limit`/`offset` pages."""
    session = _sim().working(name)
    latest: dict[str, int] = {}
    for message in session.messages:
        chat = message["to"] if message["fromMe"] else message["from"]
        latest[chat] = max(latest.get(chat, 0), message["timestamp"])
    rows = sorted(({"id": chat, "name": None, "conversationTimestamp": ts} for chat, ts in latest.items()),
                  key=lambda row: row["conversationTimestamp"], reverse=True)
    return jsonify(_page(rows))


@bp.get("/api/<name>/chats/<chat>/messages")
def chat_messages(name: str, chat: str):
    """The chat's messages, newest first; `filter.timestamp.gte`/`lte` in epoch seconds."""
    session = _sim().working(name)
    gte, lte = request.args.get("filter.timestamp.gte", type=int), request.args.get("filter.timestamp.lte", type=int)
    rows = [m for m in session.messages if chat in (m["from"], m["to"])
            and (gte is None or m["timestamp"] >= gte) and (lte is None or m["timestamp"] <= lte)]
    rows.sort(key=lambda m: m["timestamp"], reverse=request.args.get("sortOrder", "desc") == "desc")
    return jsonify(_page(rows))


def _page(rows: list) -> list:
    offset = request.args.get("offset", 0, type=int)
    limit = request.args.get("limit", type=int)
    return rows[offset:offset + limit if limit else None]
