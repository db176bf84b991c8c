"""WAHA's error answers: NestJS HttpException bodies `{message, error, statusCode}`, and the QR waits' own shape.

Follows src/api/sessions.controller.ts, src/core/manager.core.ts (OnlyDefaultSessionIsAllowed: the
Core-only-default 422) and src/core/abc/manager.abc.ts waitUntilStatus (the QR 422), as
waha-2026.2.1-rest.md recorded them.
"""
from __future__ import annotations

import base64
from http import HTTPStatus


class WahaError(Exception):
    def __init__(self, status: int, body: dict):
        super().__init__(str(body))
        self.status = status
        self.body = body


def http_error(status: int, message) -> WahaError:
    return WahaError(status, {"message": message, "error": HTTPStatus(status).phrase, "statusCode": status})


def unauthorized() -> WahaError:
    return WahaError(401, {"message": "Unauthorized", "statusCode": 401})


def session_not_found() -> WahaError:
    return http_error(404, "Session not found")


def only_default(name: str) -> WahaError:
    encoded = base64.b64encode(name.encode()).decode()
    return http_error(422, f"WAHA Core support only 'default' session. You tried to access '{name}' session "
                           f"(base64: {encoded}). If you want to run more then one WhatsApp account - please get "
                           f"WAHA PLUS version. Check this out: https://waha.devlike.pro/")


def unexpected_status(name: str, status: str | None, expected: list[str]) -> WahaError:
    if status is None:
        return WahaError(422, {"error": f'Session "{name}" does not exist', "session": name})
    return WahaError(422, {"error": "Session status is not as expected. Try again later or restart the session",
                           "session": name, "status": status, "expected": expected})
