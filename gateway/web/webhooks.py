"""Receivers of provider webhooks: `/api/webhooks/<kind>/...`; the provider's proof is checked against the
instance's secret, then the event goes to the pipeline.

What counts as proof is the provider's (`webhook_proof`): Evolution signs nothing, so its secret
travels in the URL or a header; WAHA signs the raw body with the instance's HMAC key.

Two ways in share every check below (`receive`): this Flask view, and the thin WSGI handler in
gateway/web/webhook_fast_path.py that takes the common case and hands anything else to the view.
"""
from __future__ import annotations

import json
from collections.abc import Mapping

from flask import Blueprint, abort, jsonify, request
from flask.sessions import SecureCookieSessionInterface

from ..extensions import db
from ..ingest.pipeline import Target
from ..ingest.writer import WriterStopped
from ..models import EventSource
from ..providers import PROVIDERS
from ..providers.base import Provider, WebhookProof, WebhookRefused
from ..providers.normalized import NormalizeError
from ..services import Services, services

WEBHOOK_PATH = "/api/webhooks"
bp = Blueprint("webhooks", __name__, url_prefix=WEBHOOK_PATH)


class Refused(Exception):
    """A webhook that is not stored, with the status and message it is answered with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@bp.post("/<kind>", defaults={"rest": ""})
@bp.post("/<kind>/<path:rest>")
def webhook(kind: str, rest: str):
    """Store one provider event; acknowledged only once it is durable."""
    provider = PROVIDERS.get(kind)
    if provider is None:
        abort(404, f'No provider called "{kind[:40]}".')
    # The wait for the writer must hold no pooled connection: the writer needs one from the same pool.
    # Give back whatever this request has read so far (a bearer header makes it look a user up).
    db.session.close()
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH; the proof may sign these bytes
    try:
        event_id = receive(services(), provider, rest, request.headers, raw)
    except Refused as refused:
        abort(refused.status, refused.message)
    return jsonify(acknowledgement(event_id))


def receive(gateway: Services, provider: Provider, rest: str, headers: Mapping[str, str], raw: bytes) -> int | None:
    """Verify and store one webhook: the stored event's id, or None for a duplicate; Refused otherwise.

    `rest` is the path after `<kind>/`, `headers` the request's (case-insensitive) and `raw` its body.
    Needs no app context, so that the fast path can skip pushing one.
    """
    try:
        proof = provider.webhook_proof(rest, headers, raw)
    except WebhookRefused as error:
        raise Refused(error.status, str(error)) from None
    try:
        event = provider.normalize(_strict_json(raw), proof.path_event)
        return gateway.pipeline.store(_verified_target(gateway, event.instance, provider.kind, proof), event,
                                      EventSource.WEBHOOK.value)
    except NormalizeError as error:
        raise Refused(400, str(error)) from None
    except WriterStopped:
        # Not stored: the provider retries an error answer, and reaches a process that is running.
        raise Refused(503, "The gateway is shutting down and did not store this event: send it again.") from None


def acknowledgement(event_id: int | None) -> dict:
    """The 200 answer's body (the fast path writes the same JSON as bytes: its `_STORED`, `_DUPLICATE`)."""
    return {"status": "stored" if event_id else "duplicate", "id": event_id}


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is out of range")
    return number


# Built once: json.loads(raw, parse_constant=..., parse_float=...) would build a decoder per webhook.
_STRICT = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite)


def _strict_json(raw: bytes) -> object:
    """Strict JSON: NaN, Infinity and overflowing numbers could be stored by SQLite but not PostgreSQL.
    Bytes are decoded as json.loads decodes them (UTF-8, -16 or -32)."""
    try:
        return _STRICT.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise Refused(400, f"The body is not valid JSON: {str(error)[:200]}") from None


def _verified_target(gateway: Services, instance_name: str | None, kind: str, proof: WebhookProof) -> Target:
    """The instance the event names, if the proof is made with its secret (compared in constant time)."""
    if not instance_name:
        raise Refused(400, "The event names no instance.")
    candidates = gateway.targets.named(instance_name, kind)
    if not candidates:
        # Evolution does not retry a 404, and keeps emitting for deleted instances for a while.
        raise Refused(404, f'Unknown instance "{instance_name[:120]}".')
    for candidate in candidates:
        if proof.matches(candidate.secret):
            return candidate.target
    raise Refused(401, "The webhook secret does not match the instance.")


class CookielessWebhooks(SecureCookieSessionInterface):
    """Providers send no cookies: webhook requests get Flask's null session, which skips signing."""

    def open_session(self, app, request):
        if request.path.startswith(WEBHOOK_PATH):
            return None
        return super().open_session(app, request)
