"""Is a provider server up? One timed call with its key: reachable, version and latency."""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from flask import current_app

from .logs import register_secret
from .models import ProviderServer, utcnow
from .presenters import iso
from .providers import client_for
from .providers.errors import ProviderError, ProviderUnavailable

# Settings checks every server when it opens: a server that is down must not hold the page long.
HEALTH_TIMEOUT = 3.0


@dataclass(frozen=True)
class Health:
    reachable: bool  # something answered at the URL
    ok: bool  # ...and accepted the key
    version: str | None
    latency_ms: float | None
    error: str | None
    checked_at: str


def check_health(server: ProviderServer) -> Health:
    """Call the server's key check once; a refusal is reachable but not ok, no answer is unreachable."""
    register_secret(server.api_key)
    client = client_for(server, timeout=min(HEALTH_TIMEOUT, current_app.config["PROVIDER_TIMEOUT"]))
    started = time.perf_counter()
    try:
        answer = client.check()
    except ProviderUnavailable as error:
        reachable = error.status is not None  # a 5xx answered; a refused connection did not
        return Health(reachable, False, None, _elapsed(started) if reachable else None, error.message, iso(utcnow()))
    except ProviderError as error:
        return Health(True, False, None, _elapsed(started), error.message, iso(utcnow()))
    # Evolution's check tells its version; a client whose check does not simply has none to show.
    return Health(True, True, getattr(answer, "version", None), _elapsed(started), None, iso(utcnow()))


def health_json(health: Health) -> dict:
    return asdict(health)


def _elapsed(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
