"""Typed REST errors and the Evolution error envelope they render to.

Follows src/exceptions/400.exception.ts (and its 401, 403, 404 and 500 siblings) and the error
middleware in src/main.ts.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any


class ApiError(Exception):
    """An answer `{"status", "error", "response": {"message"}}` with the given status."""

    def __init__(self, status: int, message: Any, error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error = error or HTTPStatus(status).phrase

    def body(self) -> dict:
        return {"status": self.status, "error": self.error, "response": {"message": self.message}}


def bad_request(*messages: Any) -> ApiError:
    return ApiError(400, list(messages))


def unauthorized() -> ApiError:
    # UnauthorizedException without arguments answers a string, not a list.
    return ApiError(401, "Unauthorized")


def forbidden(*messages: Any) -> ApiError:
    return ApiError(403, list(messages))


def not_found(*messages: Any) -> ApiError:
    return ApiError(404, list(messages))


def crash(message: str) -> ApiError:
    """A JavaScript TypeError escaping to Express: 500 with the error text as a string."""
    return ApiError(500, message)
