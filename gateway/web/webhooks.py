"""Receivers of provider webhooks: verify by the instance's secret, then hand over to the pipeline.

Evolution signs nothing, so the secret travels in the URL the gateway configured
(`/api/webhooks/evolution/<secret>[/<event>]`) or, on the bare route, in the header it configured.
"""
from __future__ import annotations

import hmac
import json

from flask import Blueprint, abort, jsonify, request
from flask.sessions import SecureCookieSessionInterface

from ..connections.settings import SECRET_HEADER, WEBHOOK_PATH
from ..ingest.normalize import NormalizeError, normalize_evolution
from ..extensions import db
from ..ingest.pipeline import Target
from ..models import EventSource
from ..services import services

bp = Blueprint("webhooks", __name__, url_prefix=WEBHOOK_PATH)


@bp.post("", defaults={"rest": ""})
@bp.post("/<path:rest>")
def evolution(rest: str):
    """Store one Evolution event; acknowledged only once it is durable."""
    secret, path_event = _secret_and_event(rest)
    try:
        event = normalize_evolution(_json_body(), path_event)
        target = _verified_target(event.instance, secret)
        # Waiting requests must not hold pooled connections: the group commit needs one (PostgreSQL's
        # pool is finite; beyond it every waiter would time out together).
        db.session.close()
        event_id = services().pipeline.store(target, event, EventSource.WEBHOOK.value)
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


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is out of range")
    return number


def _json_body() -> object:
    raw = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        # Strict JSON: NaN, Infinity and overflowing numbers could be stored by SQLite but not PostgreSQL.
        return json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        abort(400, f"The body is not valid JSON: {str(error)[:200]}")


def _verified_target(instance_name: str | None, secret: str) -> Target:
    """The instance the event names, if the secret is its own (compared in constant time)."""
    if not instance_name:
        abort(400, "The event names no instance.")
    candidates = services().targets.named(instance_name)
    if not candidates:
        # Evolution does not retry a 404, and keeps emitting for deleted instances for a while.
        abort(404, f'Unknown instance "{instance_name[:120]}".')
    given = secret.encode("utf-8", "surrogatepass")
    for candidate in candidates:
        if hmac.compare_digest(candidate.secret.encode(), given):
            return candidate.target
    abort(401, "The webhook secret does not match the instance.")


class CookielessWebhooks(SecureCookieSessionInterface):
    """Providers send no cookies: webhook requests get Flask's null session, which skips signing."""

    def open_session(self, app, request):
        if request.path.startswith(WEBHOOK_PATH):
            return None
        return super().open_session(app, request)
