"""A thin WSGI handler in front of Flask for the webhook receiver's common case.

A provider posts thousands of small events a second, and Flask's request machinery (routing,
the request and session objects, before/after hooks, the response object) cost more than the
gateway's own work on each. This handler takes a plain `POST /api/webhooks/<kind>[/...]` for a known
provider with a Content-Length within the limit, runs the very same checks and storage as the Flask view
(gateway.web.webhooks.receive) and answers 200 only after the commit.

Anything else goes to Flask untouched: another path or method, a bearer header, a chunked or
oversized body, and every webhook that is refused or fails, whose body is handed on so that Flask
answers it exactly as it always has (its status, message, error page and hooks).
"""
from __future__ import annotations

import io
import logging

from flask import Flask

from werkzeug.datastructures import EnvironHeaders

from .. import metrics
from ..providers import PROVIDERS
from .headers import HEADERS
from .webhooks import WEBHOOK_PATH, Refused, receive

log = logging.getLogger(__name__)
_ANSWER_HEADERS = [("Content-Type", "application/json"), *HEADERS.items()]
# webhooks.acknowledgement() as Flask's jsonify writes it (compact, keys sorted).
_STORED, _DUPLICATE = b'{"id":%d,"status":"stored"}\n', b'{"id":null,"status":"duplicate"}\n'



class WebhookFastPath:
    def __init__(self, app: Flask, flask_wsgi):
        self.app = app
        self.flask_wsgi = flask_wsgi
        self.gateway = app.extensions["gateway"]

    def __call__(self, environ: dict, start_response):
        body = self._plain_webhook_body(environ)
        if body is not None:
            # No app context: pushing and popping one costs more than the gateway's own work on an event.
            answer = self._store(environ, body)
            if answer is not None:
                start_response("200 OK", [*_ANSWER_HEADERS, ("Content-Length", str(len(answer)))])
                return [answer]
            # Flask reads the body again, and answers the refusal or failure as the view always has.
            environ["wsgi.input"] = io.BytesIO(body)
        return self.flask_wsgi(environ, start_response)

    def _plain_webhook_body(self, environ: dict) -> bytes | None:
        """The body of a webhook this handler takes, read whole; None for anything to leave to Flask."""
        path = environ.get("PATH_INFO", "")
        if (environ.get("REQUEST_METHOD") != "POST" or not path.isascii()
                or not path.startswith(WEBHOOK_PATH + "/") or path.endswith("/")
                or "HTTP_AUTHORIZATION" in environ):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        limit = self.app.config["MAX_CONTENT_LENGTH"]
        if length < 0 or (limit is not None and length > limit):
            return None
        body = environ["wsgi.input"].read(length)
        if len(body) != length:
            environ["wsgi.input"] = io.BytesIO(body)  # a short body: Flask answers it
            return None
        return body

    def _store(self, environ: dict, body: bytes) -> bytes | None:
        """The 200 answer's body once the event is durable; None when Flask is to answer instead."""
        kind, _, rest = environ["PATH_INFO"][len(WEBHOOK_PATH) + 1:].partition("/")
        provider = PROVIDERS.get(kind)
        if provider is None:
            return None
        try:
            event_id = receive(self.gateway, provider, rest, EnvironHeaders(environ), body)
        except Refused:
            return None
        except Exception:
            # A failed store is rare: Flask's view tries again (a stored copy is found as a duplicate)
            # and answers any failure as the app's error handlers do.
            log.warning("webhook fast path failed, handing over to the view", exc_info=True)
            return None
        metrics.webhook_answered(200)
        return _STORED % event_id if event_id else _DUPLICATE


def init_app(app: Flask) -> None:
    app.wsgi_app = WebhookFastPath(app, app.wsgi_app)
