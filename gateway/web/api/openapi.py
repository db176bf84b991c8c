"""The OpenAPI document of the JSON API: paths from the routes themselves, bodies described here."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify

bp = Blueprint("api_openapi", __name__, url_prefix="/api")

EVENTS = {"type": "array", "items": {"type": "string"}, "description": "Event names, any spelling; [] = all"}
WEBHOOK_CHOICE = {"type": "object", "properties": {
    "webhook_base64": {"type": "boolean"}, "webhook_by_events": {"type": "boolean"}, "events": EVENTS}}
# The JSON body each route reads; a route absent here takes none (a test keeps this complete).
BODIES = {
    "api_servers.create_server": {"type": "object", "required": ["kind", "base_url", "api_key"], "properties": {
        "kind": {"enum": ["evolution", "waha"]}, "base_url": {"type": "string"}, "api_key": {"type": "string"},
        "global_events": {"type": "boolean"}, "name": {"type": "string"}}},
    "api_instances.create_instance": {"type": "object", "required": ["name", "server_id"], "properties": {
        "name": {"type": "string"}, "server_id": {"type": "integer"},
        "mode": {"enum": ["none", "webhook", "websocket"]}, **WEBHOOK_CHOICE["properties"],
        "websocket_events": EVENTS}},
    "api_instances.import_instances": {"type": "object", "required": ["server_id"], "properties": {
        "server_id": {"type": "integer"}, "names": {"type": "array", "items": {"type": "string"}}}},
    "api_instances.pairing_code": {"type": "object", "required": ["number"], "properties": {
        "number": {"type": "string", "description": "Phone number with country code, e.g. 5511999990000"}}},
    "api_instances.set_mode": {"type": "object", "required": ["mode"], "properties": {
        "mode": {"enum": ["none", "webhook", "websocket"]}}},
    "api_instances.catch_up": {"type": "object", "properties": {
        "since": {"type": "string", "format": "date-time",
                  "description": "Start of the window; default: the last stored event minus CATCHUP_MARGIN"}}},
    "api_instance_management.enable_webhook": WEBHOOK_CHOICE,
    "api_instance_management.enable_websocket": {"type": "object", "properties": {"events": EVENTS}},
    "api_webhook_management.configure": WEBHOOK_CHOICE,
}
SECURITY = [{"bearer": []}, {"session": []}]


def _path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def document() -> dict:
    paths: dict = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint.startswith("webhooks."):
            continue
        view = current_app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = {"operationId": rule.endpoint, "summary": (view.__doc__ or "").strip().split("\n")[0],
                         "security": SECURITY,
                         "parameters": [{"name": arg, "in": "path", "required": True, "schema": {"type": "string"}}
                                        for arg in sorted(rule.arguments)],
                         "responses": {"200": {"description": "OK"},
                                       "4XX": {"description": 'Bad request: {"error": "..."}'}}}
            if rule.endpoint in BODIES:
                operation["requestBody"] = {"content": {"application/json": {"schema": BODIES[rule.endpoint]}}}
            paths.setdefault(_path(rule.rule), {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Gateway API", "version": "1"},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                           "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
        "paths": dict(sorted(paths.items())),
    }


@bp.get("/openapi.json")
def openapi():
    """This document."""
    return jsonify(document())
