"""Receivers of provider webhooks: verify by the instance's secret, then hand over to the pipeline.

Evolution signs nothing, so the secret travels in the URL the gateway configured
(`/api/webhooks/evolution/<secret>[/<event>]`) or, on the bare route, in the header it configured.
The path is parsed strictly: its first segment is always the secret and is always checked.

Two ways in share every check below: this Flask view, and the thin WSGI handler in
gateway/web/webhook_fast_path.py that takes the common case and hands anything else to the view.
"""
from __future__ import annotations

import hmac
import json
from collections.abc import Callable

from flask import Blueprint, abort, jsonify, request
from flask.sessions import SecureCookieSessionInterface

from ..connections.settings import SECRET_HEADER, WEBHOOK_PATH
from ..extensions import db
from ..ingest.normalize import NormalizedEvent, NormalizeError, normalize_evolution
from ..ingest.pipeline import Target
from ..models import EventSource
from ..services import Services, services

bp = Blueprint("webhooks", __name__, url_prefix=WEBHOOK_PATH)


class Refused(Exception):
    """A webhook that is not stored, with the status and message it is answered with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@bp.post("", defaults={"rest": ""})
@bp.post("/<path:rest>")
def evolution(rest: str):
    """Store one Evolution event; acknowledged only once it is durable."""
    # The wait for the writer must hold no pooled connection: the writer needs one from the same pool.
    # Give back whatever this request has read so far (a bearer header makes it look a user up).
    db.session.close()
    try:
        event_id = receive(services(), rest, request.headers.get(SECRET_HEADER),
                           lambda: request.get_data(cache=False))
    except Refused as refused:
        abort(refused.status, refused.message)
    return jsonify(acknowledgement(event_id))


def receive(gateway: Services, rest: str, header: str | None, body: Callable[[], bytes]) -> int | None:
    """Verify and store one webhook: the stored event's id, or None for a duplicate; Refused otherwise.

    `rest` is the path after WEBHOOK_PATH's slash, `header` the secret header if sent, and `body`
    reads the request body (only once the path has passed, so a bad path is refused before it).
    Needs no app context, so that the fast path can skip pushing one.
    """
    target, event = _verified(gateway, rest, header, body)
    try:
        return gateway.pipeline.store(target, event, EventSource.WEBHOOK.value)
    except NormalizeError as error:
        raise Refused(400, str(error)) from None


def _verified(gateway: Services, rest: str, header: str | None,
              body: Callable[[], bytes]) -> tuple[Target, NormalizedEvent]:
    """The instance and the event of a webhook whose path, JSON and secret all pass; Refused otherwise."""
    secret, path_event = _secret_and_event(rest, header)
    try:
        event = normalize_evolution(_strict_json(body()), path_event)
    except NormalizeError as error:
        raise Refused(400, str(error)) from None
    return _verified_target(gateway, event.instance, secret), event


def acknowledgement(event_id: int | None) -> dict:
    """The 200 answer's body (the fast path writes the same JSON as bytes: its `_STORED`, `_DUPLICATE`)."""
    return {"status": "stored" if event_id else "duplicate", "id": event_id}


def _secret_and_event(rest: str, header: str | None) -> tuple[str, str | None]:
    """`<secret>[/<event>]` from the path, or the header's secret on the bare path; nothing else.

    Evolution sends the secret both ways. When the path has one it is the one checked, a header
    that says otherwise is refused, and a by-events suffix can only come after it.
    """
    if not rest:
        if header is None:
            raise Refused(401, f"The webhook secret is missing (in the URL or the {SECRET_HEADER} header).")
        return header, None
    parts = rest.split("/")
    if len(parts) > 2 or not all(parts):
        raise Refused(404, f"Not a webhook path: post to {WEBHOOK_PATH}/<secret> or "
                           f"{WEBHOOK_PATH}/<secret>/<event>.")
    if header is not None and not _same(header, parts[0]):
        raise Refused(401, f"The {SECRET_HEADER} header and the secret in the URL differ.")
    return parts[0], parts[1] if len(parts) == 2 else None


def _same(secret: str, given: str) -> bool:
    """Compared in constant time; a URL may decode to any text, so encode it losslessly first."""
    return hmac.compare_digest(secret.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass"))


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


def _verified_target(gateway: Services, instance_name: str | None, secret: str) -> Target:
    """The instance the event names, if the secret is its own (compared in constant time)."""
    if not instance_name:
        raise Refused(400, "The event names no instance.")
    candidates = gateway.targets.named(instance_name)
    if not candidates:
        # Evolution does not retry a 404, and keeps emitting for deleted instances for a while.
        raise Refused(404, f'Unknown instance "{instance_name[:120]}".')
    for candidate in candidates:
        if _same(candidate.secret, secret):
            return candidate.target
    raise Refused(401, "The webhook secret does not match the instance.")


class CookielessWebhooks(SecureCookieSessionInterface):
    """Providers send no cookies: webhook requests get Flask's null session, which skips signing."""

    def open_session(self, app, request):
        if request.path.startswith(WEBHOOK_PATH):
            return None
        return super().open_session(app, request)
