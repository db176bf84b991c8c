"""Reconnect delays (pure): exponential back-off with full jitter for failures, a fixed short
interval while the provider has not created the namespace yet, and a fresh start after every join.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Backoff:
    """Delay before retry `attempt` (0-based) is uniform in [0, min(cap, base * 2**attempt)].

    Full jitter spreads the reconnects of many clients after a provider restart, so they do not
    all arrive at the same instant. `random.random` is looked up on each call so tests can patch it.
    """

    base: float = 0.5
    cap: float = 30.0

    def ceiling(self, attempt: int) -> float:
        return min(self.cap, self.base * 2 ** min(attempt, 32))

    def delay(self, attempt: int, rand: Callable[[], float] | None = None) -> float:
        return (rand or random.random)() * self.ceiling(attempt)


class Outcome(Enum):
    """How one connection attempt ended."""

    DROPPED = "dropped"  # it joined, then the connection went away
    NO_NAMESPACE = "no_namespace"  # Evolution answered "Invalid namespace": no event for the instance yet
    FAILED = "failed"  # a real failure: refused key, unreachable, timeout


@dataclass(frozen=True)
class Retry:
    """What the client does next: the state it shows while waiting, the wait, the failure count after it."""

    state: str
    delay: float
    attempt: int


def next_retry(outcome: Outcome, attempt: int, backoff: Backoff, namespace_retry: float = 1.5) -> Retry:
    """The wait before the next attempt, given `attempt` failures in a row before this outcome.

    - DROPPED: the join proved the server and the key good, so the back-off starts again from
      its first step (as python-socketio's own reconnection does); waiting on a back-off grown by
      earlier failures is what made a flapping provider's recovery take 11 s.
    - NO_NAMESPACE (an instance's namespace only): the server answered and accepted the key; the
      namespace appears at the instance's next event, so poll it every `namespace_retry` seconds,
      not on a growing interval.
    - FAILED: back off, doubling up to the cap, so a server that is down is not hammered.
    """
    if outcome is Outcome.DROPPED:
        return Retry("retrying", backoff.delay(0), 1)
    if outcome is Outcome.NO_NAMESPACE:
        return Retry("awaiting_first_event", namespace_retry, 0)
    return Retry("failed", backoff.delay(attempt), attempt + 1)
