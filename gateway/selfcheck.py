"""Can providers reach this gateway? It GETs its own PUBLIC_URL/healthz and requires the answer to
carry its own identity, so another app (or another gateway) listening there counts as a mismatch."""
from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

import requests
from flask import Flask, current_app

from .models import utcnow

log = logging.getLogger(__name__)

TIMEOUT = 5.0  # seconds; a healthy gateway answers its own /healthz at once
START_ATTEMPTS = 3  # at start the worker may not accept connections yet
START_RETRY_DELAY = 2.0


@dataclass(frozen=True)
class SelfCheck:
    """The outcome of one check; `problem` says what is wrong in words, None when all is well."""

    url: str
    problem: str | None
    checked_at: datetime

    @property
    def ok(self) -> bool:
        return self.problem is None


def identity(app: Flask) -> str:
    """Who this gateway is: the same in every worker sharing its secret and database, different elsewhere."""
    key = app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"gateway-identity:" + app.config["SQLALCHEMY_DATABASE_URI"].encode(),
                    hashlib.sha256).hexdigest()[:16]


def diagnose(url: str, expected: str, timeout: float = TIMEOUT) -> str | None:
    """What keeps `url` from being this gateway, or None when its /healthz answers with our identity."""
    try:
        answer = requests.get(url + "/healthz", timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return f"no answer from {url} within {timeout:g} s"
    except requests.RequestException as error:
        return f"no answer from {url} ({type(error).__name__})"
    if answer.status_code != 200:
        return f"{url}/healthz answered HTTP {answer.status_code}: another application is listening there"
    try:
        found = answer.json().get("gateway")
    except (ValueError, AttributeError):
        found = None
    if found != expected:
        return f"{url} answers, but it is not this gateway (another application or another gateway)"
    return None


class SelfChecker:
    """Runs the check and keeps its latest outcome for the banner and Settings (per process)."""

    def __init__(self) -> None:
        self.latest: SelfCheck | None = None
        self.stopping = threading.Event()

    def run(self, app: Flask | None = None) -> SelfCheck:
        app = app or current_app._get_current_object()
        url = app.config["PUBLIC_URL"]
        self.latest = SelfCheck(url, diagnose(url, identity(app)), utcnow())
        return self.latest

    def at_start(self) -> None:
        """In a background greenlet: check, and retry a few times while this very server starts listening."""
        for attempt in range(START_ATTEMPTS):
            outcome = self.run()
            if outcome.ok or attempt == START_ATTEMPTS - 1 or self.stopping.wait(START_RETRY_DELAY):
                break
        if outcome.ok:
            log.info("this gateway answers at PUBLIC_URL", extra={"fields": {"public_url": outcome.url}})
        else:
            log.warning("providers may not reach this gateway at PUBLIC_URL",
                        extra={"fields": {"public_url": outcome.url, "problem": outcome.problem}})
