"""Rate limits, by Flask-Limiter: failed logins per account and per address; the JSON API and the
event stream per API token and per tenant. Counters live in Redis when REDIS_URL is set (shared by
every worker), else in the process.

The provider webhook receiver is never limited: a flood there is slowed by the writer's
back-pressure (each request waits for its commit), never answered by dropping events.
"""
from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app, g, make_response, render_template, request
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from limits import parse_many

from .errors import error_response
from .redis_client import CLIENT_OPTIONS
from .i18n import translate

SETTINGS = ("LOGIN_LIMIT_ACCOUNT", "LOGIN_LIMIT_ADDRESS", "API_LIMIT_TOKEN", "API_LIMIT_TENANT")


def _config(name: str):
    return lambda: current_app.config[name]


def _address() -> str:
    return "address:" + (request.remote_addr or "unknown")


# Storage errors (Redis down) let requests through and are logged, rather than refusing every call.
limiter = Limiter(key_func=_address, strategy="moving-window", key_prefix="gateway", swallow_errors=True)


def _account() -> str:
    """The e-mail being tried; empty (no limit) when the form names none."""
    email = request.form.get("email", "").strip().lower()[:254]
    return "account:" + hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest() if email else ""


def _failed_login(response) -> bool:
    return response.status_code == 401


def _api_caller() -> str:
    """The API token (by digest: the token itself is never a storage key), else the logged-in user."""
    if g.get("auth") == "token":
        return "token:" + hashlib.sha256(request.headers["Authorization"].encode("utf-8", "surrogatepass")).hexdigest()
    if g.get("user") is not None:
        return f"user:{g.user.id}"
    return ""  # anonymous: answered 401 anyway, and not counted


def _tenant() -> str:
    return f"tenant:{g.user.tenant_id}" if g.get("user") is not None else ""


def _seconds_left(limit: RequestLimit | None) -> int:
    """Until the breached limit lets a request through again (Retry-After)."""
    return max(1, math.ceil(limit.window.reset_time - time.time())) if limit is not None else 1


def _login_form_again(text: str):
    """A throttled login answers with the login form, saying why and how long to wait."""

    def respond(limit: RequestLimit):
        message = translate(text, seconds=_seconds_left(limit))
        return make_response(render_template("accounts/login.html", error=message, form=request.form), 429)

    return respond


def _message(text: str):
    return lambda: translate(text)


# Only failed attempts count, so a user who types the password right is never locked out by them.
login_per_account = limiter.limit(_config("LOGIN_LIMIT_ACCOUNT"), key_func=_account, methods=["POST"],
                                  deduct_when=_failed_login, on_breach=_login_form_again(
                                      "Too many failed logins for this account. Try again in {seconds} seconds."))
login_per_address = limiter.limit(_config("LOGIN_LIMIT_ADDRESS"), key_func=_address, methods=["POST"],
                                  deduct_when=_failed_login, on_breach=_login_form_again(
                                      "Too many failed logins from this address. Try again in {seconds} seconds."))
_per_caller = limiter.shared_limit(_config("API_LIMIT_TOKEN"), scope="api-caller", key_func=_api_caller,
                                   error_message=_message("Too many requests for this API token. Slow down."))
_per_tenant = limiter.shared_limit(_config("API_LIMIT_TENANT"), scope="api-tenant", key_func=_tenant,
                                   error_message=_message("Too many requests for this tenant. Slow down."))


def throttle_login(view):
    """The login view, limited per address and per account."""
    return login_per_address(login_per_account(view))


def _limited(blueprint_name: str) -> bool:
    """The JSON API and the event stream; never the webhook receiver, pages or health checks."""
    return blueprint_name.startswith("api_") or blueprint_name == "streams"


def _too_many(error: RateLimitExceeded):
    """429 with Retry-After, as the limit's own page (the login form) or the usual error answer."""
    response = make_response(error.response if error.response is not None
                             else error_response(429, error.description))
    response.headers["Retry-After"] = str(_seconds_left(limiter.current_limit))
    return response


def init_app(app: Flask) -> None:
    """Call after the caller is identified (auth.load_current_user): the keys read g.user."""
    for name in SETTINGS:
        try:
            parse_many(app.config[name])
        except ValueError as error:  # at start, not silently ignored at run time
            raise RuntimeError(f"{name} is not a rate limit ({app.config[name]!r}): {error}") from error
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        # A Redis that does not answer holds a request no longer than it holds the gateway's other callers
        # (swallow_errors then lets the request through).
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(CLIENT_OPTIONS))
    limiter.init_app(app)
    for name, blueprint in app.blueprints.items():
        if _limited(name):
            _per_caller(blueprint)
            _per_tenant(blueprint)
    app.register_error_handler(RateLimitExceeded, _too_many)
