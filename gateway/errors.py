"""Turns every error into a clear answer in one place: JSON under /api/, an HTML page elsewhere."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from .connections.settings import SettingError
from .connections.steps import SwitchError
from .i18n import translate
from .instances import InstanceConflict, InstanceError
from .providers.errors import (
    ProviderError,
    ProviderNotFound,
    ProviderRejected,
)

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, message: str, **extra):
    if wants_json():
        return jsonify(error=message, **extra), status
    if request.headers.get("HX-Request"):
        # An htmx action that failed outside its view's own handling: a notice, not a page in a table cell.
        return render_template("_error_toast.html", message=message), status, \
            {"HX-Retarget": "#toasts", "HX-Reswap": "beforeend"}
    return render_template("error.html", status=status, message=message), status


def provider_status(error: ProviderError) -> int:
    if isinstance(error, ProviderRejected):
        return 422
    if isinstance(error, ProviderNotFound):
        return 404
    return 502


def register_error_handlers(app: Flask) -> None:
    from .web import failures  # the pages' wording (which itself needs provider_status from here)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_response(error.code or 500, error.description or error.name)

    @app.errorhandler(MethodNotAllowed)
    def method_not_allowed(error: MethodNotAllowed):
        allowed = sorted(set(error.valid_methods or ()) - {"HEAD", "OPTIONS"})
        message = translate("{method} is not allowed here; this address accepts {allowed}.",
                            method=request.method, allowed=", ".join(allowed))
        response = make_response(error_response(405, message, allowed=allowed))
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if request.path.startswith("/api/"):
            # A session call without its token is refused for who is calling, as the API document says.
            return error_response(403, f"{error.description} Send it in the X-CSRFToken header, or use a bearer token.")
        return error_response(400, f"The form was rejected: {error.description} Reload the page and try again.")

    @app.errorhandler(ProviderError)
    def provider_error(error: ProviderError):
        log.warning("provider error", extra={"fields": {"error": str(error), "type": type(error).__name__}})
        return error_response(provider_status(error), f"Provider error: {error.message}"
                              if wants_json() else failures.provider_message(error), provider_status=error.status)

    @app.errorhandler(SwitchError)
    def switch_error(error: SwitchError):
        log.warning("switch failed", extra={"fields": {"error": error.message}})
        return error_response(provider_status(error.error), f"The provider refused the change: {error.message}"
                              if wants_json() else failures.switch_message(error),
                              step=error.step, provider_status=error.error.status)

    @app.errorhandler(InstanceError)
    @app.errorhandler(SettingError)
    def refused(error: InstanceError | SettingError):
        return error_response(422, error.translated())

    @app.errorhandler(InstanceConflict)
    def conflict(error: InstanceConflict):
        return error_response(409, error.translated())

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, InternalServerError.description)
