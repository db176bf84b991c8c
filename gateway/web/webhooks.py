"""Receivers of provider webhooks: `/api/webhooks/<kind>/...`; the provider's proof is checked against the
instance's secret, then the event goes to the pipeline.

What counts as proof is the provider's (`webhook_proof`): Evolution signs nothing, so its secret
travels in the URL or a header; WAHA signs the raw body with the instance's HMAC key.
"""
from __future__ import annotations

import json

from flask import Blueprint, abort, jsonify, request
from flask.sessions import SecureCookieSessionInterface

from ..extensions import db
from ..ingest.pipeline import Target
from ..models import EventSource
from ..providers import PROVIDERS
from ..providers.base import WebhookProof, WebhookRefused
from ..providers.normalized import NormalizeError
from ..services import services

WEBHOOK_PATH = "/api/webhooks"
bp = Blueprint("webhooks", __name__, url_prefix=WEBHOOK_PATH)


@bp.post("/<kind>", defaults={"rest": ""})
@bp.post("/<kind>/<path:rest>")
def receive(kind: str, rest: str):
    """Store one provider event; acknowledged only once it is durable."""
    provider = PROVIDERS.get(kind)
    if provider is None:
        abort(404, f'No provider called "{kind[:40]}".')
    # The wait for the writer must hold no pooled connection: the writer needs one from the same pool.
    # Give back whatever this request has read so far (a bearer header makes it look a user up).
    db.session.close()
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH; the proof may sign these bytes
    try:
        proof = provider.webhook_proof(rest, request.headers, raw)
    except WebhookRefused as error:
        abort(error.status, str(error))
    try:
        event = provider.normalize(_json_body(), proof.path_event)
        event_id = services().pipeline.store(_verified_target(event.instance, kind, proof), event,
                                             EventSource.WEBHOOK.value)
    except NormalizeError as error:
        abort(400, str(error))
    return jsonify(status="stored" if event_id else "duplicate", id=event_id)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is out of range")
    return number


def _json_body() -> object:
    raw = request.get_data(cache=True)
    try:
        # Strict JSON: NaN, Infinity and overflowing numbers could be stored by SQLite but not PostgreSQL.
        return json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        abort(400, f"The body is not valid JSON: {str(error)[:200]}")


def _verified_target(instance_name: str | None, kind: str, proof: WebhookProof) -> Target:
    """The instance the event names, if the proof is made with its secret (compared in constant time)."""
    if not instance_name:
        abort(400, "The event names no instance.")
    candidates = services().targets.named(instance_name, kind)
    if not candidates:
        # Evolution does not retry a 404, and keeps emitting for deleted instances for a while.
        abort(404, f'Unknown instance "{instance_name[:120]}".')
    for candidate in candidates:
        if proof.matches(candidate.secret):
            return candidate.target
    abort(401, "The webhook secret does not match the instance.")


class CookielessWebhooks(SecureCookieSessionInterface):
    """Providers send no cookies: webhook requests get Flask's null session, which skips signing."""

    def open_session(self, app, request):
        if request.path.startswith(WEBHOOK_PATH):
            return None
        return super().open_session(app, request)
