"""Webhook delivery: every config.webhooks[] entry gets its own POST series, signed and retried like WAHA's.

Follows src/core/integrations/webhooks/WebhookSender.ts (2026.x: HMAC-SHA512 of the body, X-Webhook-*
headers, axios-retry on ANY failure, constant / linear / exponential delays, no request timeout) and,
for 2024.10.8, src/core/webhooks.core.ts (WebhookSenderCore: one POST, no id, no signature, no retry),
as the captures waha-webhooks.jsonl and waha-2026.2.1-webhooks.jsonl recorded them.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import random

import requests
from gevent.event import Event

from ..tasks import spawn
from .ids import request_id
from .versions import NOT_IN_STAR, Version

DEFAULT_ATTEMPTS = 15
DEFAULT_DELAY = 2.0
# WAHA sets no timeout; a finite one keeps a stuck sink from holding a greenlet for ever.
REQUEST_TIMEOUT = 300.0


def selected(hook: dict, event: str) -> bool:
    events = hook.get("events") or []
    return event in events or ("*" in events and event not in NOT_IN_STAR)


def retry_delays(retries: dict | None, rand=random.random) -> list[float]:
    """Seconds before each retry: `attempts` retries (15 by default), every 2 s by default."""
    retries = retries or {}
    attempts = retries.get("attempts")
    attempts = DEFAULT_ATTEMPTS if attempts is None else int(attempts)
    delay = retries.get("delaySeconds")
    delay = DEFAULT_DELAY if delay is None else float(delay)
    policy = retries.get("policy")
    if policy == "linear":
        return [delay * n for n in range(1, attempts + 1)]
    if policy == "exponential":
        return [2 ** n * delay * (1 + 0.2 * rand()) for n in range(1, attempts + 1)]
    return [delay] * attempts


class WebhookSender:
    def __init__(self, version: Version, delay_scale: float = 1.0):
        self.version = version
        self.delay_scale = delay_scale
        self.log: list[dict] = []
        self._stop = Event()
        self.session = requests.Session()

    def send(self, hook: dict, envelope: dict) -> None:
        body = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()
        headers = {"Accept": "application/json, text/plain, */*", "Content-Type": "application/json",
                   "User-Agent": f"WAHA/{self.version.number}"}
        for header in hook.get("customHeaders") or []:
            if header.get("name"):
                headers[str(header["name"])] = str(header.get("value"))
        delays: list[float] = []
        if self.version.signs:
            headers["X-Webhook-Request-Id"] = request_id()
            headers["X-Webhook-Timestamp"] = str(envelope.get("timestamp"))
            key = (hook.get("hmac") or {}).get("key")
            if key:
                headers["X-Webhook-Hmac"] = hmac.new(str(key).encode(), body, hashlib.sha512).hexdigest()
                headers["X-Webhook-Hmac-Algorithm"] = "sha512"
            delays = retry_delays(hook.get("retries"))
        spawn(f"waha-webhook:{envelope.get('event')}", self._deliver, hook["url"], headers, body, envelope, delays)

    def _deliver(self, url: str, headers: dict, body: bytes, envelope: dict, delays: list[float]) -> None:
        for attempt in range(len(delays) + 1):
            entry = {"url": url, "event": envelope.get("event"), "id": envelope.get("id"),
                     "session": envelope.get("session"), "attempt": attempt + 1,
                     "request_id": headers.get("X-Webhook-Request-Id")}
            try:
                response = self.session.post(url, data=body, headers=headers, timeout=REQUEST_TIMEOUT)
                entry["status"] = response.status_code
                ok = response.status_code < 400
            except requests.RequestException as error:
                entry["error"] = type(error).__name__
                ok = False
            self.log.append(entry)
            # axios-retry with retryCondition () => true: a 4xx (401 too) is retried like a 5xx.
            if ok or attempt == len(delays) or self._stop.wait(delays[attempt] * self.delay_scale):
                return

    def forget(self) -> None:
        """A restart loses every pending retry (they live in the process)."""
        self._stop.set()
        self._stop = Event()

    def reset(self) -> None:
        self.forget()
        self.log.clear()
