"""Webhook delivery: POSTs like Evolution's axios client, its retry policy, and a log of attempts.

Follows src/api/integrations/event/webhook/webhook.controller.ts (emit, retryWebhookRequest,
generateJwtToken).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time
from typing import Callable

import requests
from gevent.event import Event
from gevent.queue import Queue

from .ids import now_iso
from ..tasks import spawn

MAX_ATTEMPTS = 10
MAX_DELAY = 300.0
JITTER = 0.2
NON_RETRYABLE = frozenset({400, 401, 403, 404, 422})
AXIOS_HEADERS = {
    "Accept": "application/json, text/plain, */*",
    "Content-Type": "application/json",
    "User-Agent": "axios/1.12.2",
    "Accept-Encoding": "gzip, compress, deflate, br",
    "Connection": "keep-alive",
}


def retry_delay(attempt: int, base: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds before try `attempt + 1`: base doubling, capped, +/-20 % jitter, never below base."""
    delay = min(base * 2 ** (attempt - 1), MAX_DELAY)
    return max(base, delay + delay * JITTER * (rand() * 2 - 1))


def request_headers(configured: dict | None) -> dict:
    """axios defaults plus the configured headers; `jwt_key` becomes a signed Bearer token."""
    headers = dict(AXIOS_HEADERS)
    for name, value in (configured or {}).items():
        if name == "jwt_key":
            headers["Authorization"] = f"Bearer {jwt_hs256(str(value))}"
        else:
            headers[name] = str(value)
    return headers


def jwt_hs256(secret: str, now: float | None = None) -> str:
    """`{app: "evolution", action: "webhook"}` valid 600 s, signed HS256."""
    issued = int(now if now is not None else time.time())
    claims = {"iat": issued, "exp": issued + 600, "app": "evolution", "action": "webhook"}
    parts = [_b64url({"alg": "HS256", "typ": "JWT"}), _b64url(claims)]
    signature = hmac.new(secret.encode(), ".".join(parts).encode(), hashlib.sha256).digest()
    return ".".join([*parts, base64.urlsafe_b64encode(signature).rstrip(b"=").decode()])


def _b64url(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


class WebhookSender:
    """First attempts go out in emit order per instance; retries run on their own, so they never block."""

    def __init__(self, base_delay: float, timeout: float) -> None:
        self.base_delay = base_delay
        self.timeout = timeout
        self.log: list[dict] = []
        self._stop = Event()
        self._queues: dict[str, Queue] = {}

    def send(self, url: str, headers: dict | None, body: dict) -> None:
        queue = self._queues.get(body["instance"])
        if queue is None:
            queue = self._queues[body["instance"]] = Queue()
            spawn(f"webhooks of {body['instance']}", self._drain, queue, self._stop)
        payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        queue.put((url, request_headers(headers), payload, body))

    def cancel_pending(self) -> None:
        """Queued posts and waiting retries are dropped, as a process restart loses them."""
        self._stop.set()
        for queue in self._queues.values():
            queue.put(None)
        self._queues.clear()
        self._stop = Event()

    def clear_log(self) -> None:
        self.log.clear()

    def _drain(self, queue: Queue, stop: Event) -> None:
        while (item := queue.get()) is not None and not stop.is_set():
            if not self._attempt(*item, attempt=1):
                spawn(f"webhook retries {item[3]['event']} {item[0]}", self._retry, item, stop)

    def _retry(self, item: tuple, stop: Event) -> None:
        for attempt in range(2, MAX_ATTEMPTS + 1):
            if stop.wait(retry_delay(attempt - 1, self.base_delay)) or self._attempt(*item, attempt=attempt):
                return

    def _attempt(self, url: str, headers: dict, payload: bytes, body: dict, attempt: int) -> bool:
        """One POST, logged; True when there is nothing left to retry."""
        entry = {"url": url, "event": body["event"], "instance": body["instance"], "attempt": attempt}
        try:
            status = requests.post(url, data=payload, headers=headers, timeout=self.timeout).status_code
        except requests.RequestException as exc:
            self.log.append(entry | {"error": type(exc).__name__, "at": now_iso()})
            return False
        self.log.append(entry | {"status": status, "at": now_iso()})
        return 200 <= status < 300 or status in NON_RETRYABLE
