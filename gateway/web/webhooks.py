"""Receivers of provider webhooks: verify by the instance's secret, then hand over to the pipeline.

Evolution signs nothing, so the secret travels in the URL the gateway configured
(`/api/webhooks/evolution/<secret>[/<event>]`) or, on the bare route, in the header it configured.
"""
from __future__ import annotations

import hmac
import json

from flask import Blueprint, abort, jsonify, request

from ..connections.settings import SECRET_HEADER, WEBHOOK_PATH
from ..extensions import db
from ..ingest.normalize import NormalizeError, normalize_evolution
from ..ingest.pipeline import Target
from ..models import EventSource, Instance
from ..services import services

bp = Blueprint("webhooks", __name__, url_prefix=WEBHOOK_PATH)


@bp.post("", defaults={"rest": ""})
@bp.post("/<path:rest>")
def evolution(rest: str):
    """Store one Evolution event; acknowledged only once it is durable."""
    secret, path_event = _secret_and_event(rest)
    envelope = _json_body()
    try:
        instance_name = normalize_evolution(envelope, path_event).instance
    except NormalizeError as error:
        abort(400, str(error))
    target = _verified_target(instance_name, secret)
    try:
        event_id = services().pipeline.handle(target, envelope, EventSource.WEBHOOK.value, path_event)
    except NormalizeError as error:
        abort(400, str(error))
    return jsonify(status="stored" if event_id else "duplicate", id=event_id)


def _secret_and_event(rest: str) -> tuple[str, str | None]:
    parts = [part for part in rest.split("/") if part]
    header = request.headers.get(SECRET_HEADER)
    if header is not None:
        return header, parts[0] if parts else None
    if not parts:
        abort(401, f"The webhook secret is missing (in the URL or the {SECRET_HEADER} header).")
    return parts[0], parts[1] if len(parts) > 1 else None


def _json_body() -> object:
    raw = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        abort(400, f"The body is not valid JSON: {error}")


def _verified_target(instance_name: str | None, secret: str) -> Target:
    """The instance the event names, if the secret is its own (compared in constant time)."""
    if not instance_name:
        abort(400, "The event names no instance.")
    candidates = db.session.execute(
        db.select(Instance.id, Instance.tenant_id, Instance.name, Instance.webhook_secret)
        .where(Instance.name == instance_name)).all()
    if not candidates:
        # Evolution does not retry a 404, and keeps emitting for deleted instances for a while.
        abort(404, f'Unknown instance "{instance_name}".')
    matches = [row for row in candidates if hmac.compare_digest(row.webhook_secret.encode(), secret.encode())]
    if not matches:
        abort(401, "The webhook secret does not match the instance.")
    row = matches[0]
    return Target(row.id, row.tenant_id, row.name)
