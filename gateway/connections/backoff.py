"""Reconnect delays: exponential back-off with full jitter, capped (pure)."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delay before retry `attempt` (0-based) is uniform in [0, min(cap, base * 2**attempt)].

    Full jitter spreads the reconnects of many clients after a provider restart, so they do not
    all arrive at the same instant.
    """

    base: float = 0.5
    cap: float = 30.0

    def ceiling(self, attempt: int) -> float:
        return min(self.cap, self.base * 2 ** min(attempt, 32))

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        return rand() * self.ceiling(attempt)
