"""HTTP plumbing shared by the provider clients: one session per server, timeouts, typed errors."""
from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import quote

import requests

from .errors import ProviderTimeout, ProviderUnavailable, error_for_status

# Gateway errors that a second try may get past; anything else is an answer.
RETRY_STATUSES = frozenset({502, 503, 504})


def segment(value: str) -> str:
    """A value made safe as one URL path segment (instance names may hold spaces or slashes)."""
    return quote(value, safe="")


def provider_message(body: Any, fallback: str) -> str:
    """The human message from an error body, flattened.

    Evolution nests it as `response.message` (a list, sometimes of lists, or a string on 401);
    WAHA puts `message` (a string or list) beside `error`.
    """
    if isinstance(body, dict):
        response = body.get("response")
        message = response.get("message") if isinstance(response, dict) else None
        message = message or body.get("message") or body.get("error")
    else:
        message = body
    text = "; ".join(_flatten(message)) if message else ""
    return text or fallback


def _flatten(message: Any) -> list[str]:
    if isinstance(message, (list, tuple)):
        return [part for item in message for part in _flatten(item)]
    return [str(message)] if message not in (None, "") else []


class HttpClient:
    """Calls one server with its key; reads are retried, writes never (they may have happened)."""

    def __init__(self, base_url: str, headers: dict[str, str], secret: str, timeout: float,
                 retry_delays: tuple[float, ...] = (0.2, 0.5)):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry_delays = retry_delays
        self._secret = secret
        self.session = requests.Session()
        self.session.headers.update(headers)
        # requests reads proxies, NO_PROXY, the CA bundle and ~/.netrc from the environment on every
        # call (a third of a resync's CPU). Read the proxies and the CA bundle once, as requests would
        # for this server, so that HTTP(S)_PROXY and NO_PROXY still apply; providers take their key in
        # a header, never from netrc.
        self.session.trust_env = False
        self.session.proxies = requests.utils.get_environ_proxies(self.base_url)
        self.session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded JSON answer (None when empty); a typed ProviderError otherwise."""
        attempts = len(self.retry_delays) + 1 if method == "GET" else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._send(method, path, **kwargs)
            except ProviderUnavailable:
                if last:
                    raise
            else:
                if last or response.status_code not in RETRY_STATUSES:
                    return self._answer(response)
            # A short pause before reading again; the caller is waiting on this answer.
            time.sleep(self.retry_delays[attempt])

    def close(self) -> None:
        self.session.close()

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.Timeout as error:
            raise ProviderTimeout(f"{self.base_url} did not answer within {self.timeout:g} s") from error
        except requests.RequestException as error:
            raise ProviderUnavailable(f"cannot reach {self.base_url}: {type(error).__name__}") from error

    def _answer(self, response: requests.Response) -> Any:
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        if response.status_code >= 400:
            message = provider_message(body, f"HTTP {response.status_code} {response.reason}")
            raise error_for_status(response.status_code, self.redact(message))
        return body

    def redact(self, text: str) -> str:
        """Keep the key out of anything we raise, whatever the provider echoed."""
        return text.replace(self._secret, "***") if self._secret else text

