"""The OpenAPI document of the JSON API: paths from the routes themselves, bodies described here."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify

from ...instances import DEFAULT_MODE
from ...models import ProviderKind, RetryShape
from ..export import MEDIA_TYPES

bp = Blueprint("api_openapi", __name__, url_prefix="/api")

EVENTS = {"type": "array", "items": {"type": "string"}, "description": "Event names, any spelling; [] = all"}
RETRIES = {"type": ["object", "null"], "additionalProperties": False, "properties": {
    "policy": {"enum": [shape.value for shape in RetryShape]}, "delaySeconds": {"type": "number", "minimum": 0},
    "attempts": {"type": "integer", "minimum": 0}}, "description": (
    "The webhook's retry policy, where the server has one to set (WAHA that signs; elsewhere 422): "
    "fields left out take the gateway's default, so {} restores it; absent or null keeps the stored one")}
WEBHOOK_CHOICE = {"type": "object", "properties": {
    "webhook_base64": {"type": "boolean"}, "webhook_by_events": {"type": "boolean"}, "events": EVENTS,
    "retries": RETRIES}}
ROLE = {"enum": ["admin", "operator", "viewer"]}
# The JSON body each route reads; a route absent here takes none (a test keeps this complete).
BODIES = {
    "api_servers.create_server": {"type": "object", "required": ["kind", "base_url", "api_key"], "properties": {
        "kind": {"enum": [kind.value for kind in ProviderKind]}, "base_url": {"type": "string"},
        "api_key": {"type": "string"}, "global_events": {"type": "boolean"}, "name": {"type": "string"}}},
    "api_servers.edit_server": {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 120}, "base_url": {"type": "string", "maxLength": 500},
        "api_key": {"type": "string", "maxLength": 500}, "global_events": {"type": "boolean"}}},
    "api_tokens.new_token": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "maxLength": 120},
        "expires_in_days": {"type": ["integer", "null"], "minimum": 1, "maximum": 3650}}},
    "api_users.create_user": {"type": "object", "required": ["email", "password"], "properties": {
        "email": {"type": "string", "maxLength": 254}, "password": {"type": "string"}, "role": ROLE}},
    "api_users.edit_user": {"type": "object", "required": ["role"], "properties": {"role": ROLE}},
    "api_instances.create_instance": {"type": "object", "required": ["name", "server_id"], "properties": {
        "name": {"type": "string"}, "server_id": {"type": "integer"},
        "mode": {"enum": ["none", "webhook", "websocket"], "default": DEFAULT_MODE.value}, **WEBHOOK_CHOICE["properties"],
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
    "api_events.replay_events": {"type": "object", "required": ["instance", "since"], "properties": {
        "instance": {"type": "string"}, "since": {"type": "string", "format": "date-time"},
        "until": {"type": "string", "format": "date-time"}}},
}
# Query parameters a route reads besides those of its path.
QUERIES = {
    "api_servers.remove_server": [{"name": "forget_instances", "in": "query", "required": False,
                                   "schema": {"type": "boolean"},
                                   "description": "Also forget the server's instances here (never on the provider)"}],
}
SECURITY = [{"bearer": []}, {"session": []}]

# What each route answers besides 401 (no valid caller) and 429 (a rate limit, gateway/limits.py),
# which every route but this document's can, 403 (the caller's role, or a session call without its
# CSRF token), which every route with a role or a method other than GET can, and 400 (a malformed
# body), which every route in BODIES can.
# PROVIDER: the provider refused (422), does not know the instance (404) or failed (502).
PROVIDER = (404, 422, 502)
STATUSES = {
    "api_servers.list_servers": (200,),
    "api_servers.create_server": (201, 422),
    "api_servers.get_server": (200, 404),
    "api_servers.edit_server": (200, 404, 422),
    "api_servers.remove_server": (200, 404, 409),
    "api_servers.server_health": (200, 404),
    "api_instances.forget": (204, 404),
    "api_tokens.list_tokens": (200,),
    "api_tokens.new_token": (201, 422),
    "api_tokens.revoke_token": (204, 404),
    "api_users.list_users": (200,),
    "api_users.create_user": (201, 422),
    "api_users.edit_user": (200, 404, 409, 422),
    "api_users.delete_user": (204, 404, 409, 422),
    "api_instances.list_instances": (200,),
    "api_instances.create_instance": (201, *PROVIDER),
    "api_instances.import_instances": (201, *PROVIDER),
    "api_instances.get_instance": (200, 404),
    "api_instances.connect": (200, *PROVIDER),
    "api_instances.pairing_code": (200, 409, *PROVIDER),
    "api_instances.reconnect": (200, 404, 409),
    "api_instances.catch_up": (200, *PROVIDER),
    "api_instances.logout": (200, *PROVIDER),
    "api_instances.delete": (204, *PROVIDER),
    "api_instances.set_mode": (200, *PROVIDER),
    "api_instance_management.state": (200, 404),
    "api_instance_management.enable_webhook": (200, *PROVIDER),
    "api_instance_management.disable_webhook": (200, *PROVIDER),
    "api_instance_management.enable_websocket": (200, *PROVIDER),
    "api_instance_management.disable_websocket": (200, *PROVIDER),
    "api_instance_management.sync": (200, *PROVIDER),
    "api_webhook_management.events": (200,),
    "api_webhook_management.find": (200, *PROVIDER),
    "api_webhook_management.configure": (200, *PROVIDER),
    "api_webhook_management.remove": (200, *PROVIDER),
    "api_websocket.status": (200,),
    "api_websocket.instances": (200,),
    "api_websocket.connect_instance": (200, 404, 409),
    "api_websocket.disconnect_instance": (200, 404),
    "api_websocket.connect_all": (200,),
    "api_websocket.disconnect_all": (200,),
    "api_websocket.connect_global": (200,),
    "api_websocket.disconnect_global": (200,),
    "api_websocket.test": (200, 404),
    "api_events.list_events": (200, 400, 404),
    "api_events.get_event": (200, 404),
    "api_events.export_events": (200, 404, 422),
    "api_events.replay_events": (200, 404),
    "api_audit.export": (200, 422),
    "api_audit.get_entry": (200, 404),
    "api_openapi.openapi": (200,),
    # A WebSocket: 101 when the upgrade succeeds, 400 for a plain HTTP request.
    "streams.stream": (101, 400),
}
# Routes whose success is not JSON: the media types they answer.
DOWNLOADS = {"api_events.export_events": MEDIA_TYPES.values()}
# Routes with a role even for GET (403 for a caller below it).
ROLE_GATED_READS = {"api_servers.list_servers", "api_audit.export", "api_audit.get_entry", "api_servers.get_server",
                    "api_servers.server_health", "api_tokens.list_tokens", "api_users.list_users"}
PUBLIC = {"api_openapi.openapi"}
# A route missing from STATUSES (added since) is described by everything an API route may answer.
ANY_STATUS = (200, 201, 204, 400, 403, 404, 409, 422, 502)
ERROR = {"application/json": {"schema": {
    "type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}
REASONS = {101: "Switching to the WebSocket protocol", 200: "OK", 201: "Created", 204: "Done, no content",
           400: "Malformed request (body, query or CSRF-free form)", 401: "No valid bearer token or session",
           403: "The caller's role does not allow it, or a session call lacks its CSRF token",
           404: "No such object for this tenant (another tenant's answers the same)",
           409: "Does not fit the instance's delivery mode", 422: "Input the gateway or the provider refuses",
           429: "Too many requests for this API token or tenant; Retry-After says when to come back",
           502: "The provider failed or did not answer"}


def _path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def _concrete(rule: str) -> list[str]:
    """A rule with an `any(...)` part (one route per provider) as one path per choice, so each is listed."""
    match = re.search(r"<any\(([^)]*)\):[^>]+>", rule)
    if match is None:
        return [rule]
    return [concrete for choice in match.group(1).split(",")
            for concrete in _concrete(rule[:match.start()] + choice.strip() + rule[match.end():])]


def statuses(endpoint: str, method: str) -> set[int]:
    """Every status the route answers (see STATUSES)."""
    found = set(STATUSES.get(endpoint, ANY_STATUS))
    if endpoint not in PUBLIC:
        found.update((401, 429))
        if method != "GET" or endpoint in ROLE_GATED_READS:
            found.add(403)
    if endpoint in BODIES:
        found.add(400)
    return found


def _responses(endpoint: str, method: str) -> dict:
    responses = {}
    for status in sorted(statuses(endpoint, method)):
        response = {"description": REASONS[status]}
        if status >= 400:
            response["content"] = ERROR
        elif status not in (101, 204):
            response["content"] = {media: {} for media in DOWNLOADS.get(endpoint, ["application/json"])}
        responses[str(status)] = response
    return responses


def document() -> dict:
    paths: dict = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint.startswith("webhooks."):
            continue
        view = current_app.view_functions[rule.endpoint]
        for method, concrete in ((m, c) for m in sorted(rule.methods - {"HEAD", "OPTIONS"}) for c in _concrete(rule.rule)):
            path = _path(concrete)
            operation = {"operationId": rule.endpoint, "summary": (view.__doc__ or "").strip().split("\n")[0],
                         "security": [] if rule.endpoint in PUBLIC else SECURITY,
                         "parameters": [{"name": arg, "in": "path", "required": True, "schema": {"type": "string"}}
                                        for arg in sorted(rule.arguments) if "{" + arg + "}" in path]
                                       + QUERIES.get(rule.endpoint, []),
                         "responses": _responses(rule.endpoint, method)}
            if rule.endpoint in BODIES:
                operation["requestBody"] = {"content": {"application/json": {"schema": BODIES[rule.endpoint]}}}
            paths.setdefault(path, {})[method.lower()] = operation
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
