"""In-process publish/subscribe with a topic per tenant and per instance, and bounded subscriber queues."""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

DEFAULT_QUEUE = 1000


def tenant_topic(tenant_id: int) -> str:
    return f"tenant:{tenant_id}"


def instance_topic(instance_id: int) -> str:
    return f"instance:{instance_id}"


class Subscription:
    """A subscriber's queue: a slow reader loses the oldest items, counted, and never slows publishers."""

    def __init__(self, topics: Iterable[str], maxsize: int = DEFAULT_QUEUE, tenant_id: int | None = None):
        self.topics = set(topics)
        self.tenant_id = tenant_id  # whose client this is (None: the process's own), for status counts
        self.maxsize = maxsize
        self.skipped = 0
        self._items: deque = deque()
        self._ready = threading.Event()

    def put(self, item) -> None:
        if len(self._items) >= self.maxsize:
            self._items.popleft()
            self.skipped += 1
        self._items.append(item)
        self._ready.set()

    def drain(self, timeout: float | None = None) -> tuple[list, int]:
        """Everything queued (waiting up to `timeout` for something) and how many were skipped since."""
        self._ready.wait(timeout)
        self._ready.clear()
        items, self._items = list(self._items), deque()
        skipped, self.skipped = self.skipped, 0
        return items, skipped

    def wake(self) -> None:
        """Release a reader blocked in drain(), e.g. to let it notice a subscription change."""
        self._ready.set()


class Bus:
    def __init__(self):
        self._subscriptions: set[Subscription] = set()
        self._lock = threading.Lock()

    def subscribe(self, topics: Iterable[str], maxsize: int = DEFAULT_QUEUE,
                  tenant_id: int | None = None) -> Subscription:
        subscription = Subscription(topics, maxsize, tenant_id)
        with self._lock:
            self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def publish(self, topics: Iterable[str], item) -> int:
        """Hand `item` to every subscription of any of `topics` once; returns how many got it."""
        topics = set(topics)
        with self._lock:
            targets = [s for s in self._subscriptions if s.topics & topics]
        for subscription in targets:
            subscription.put(item)
        return len(targets)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    def subscribers_of(self, tenant_id: int) -> int:
        """How many of the subscriptions are that tenant's clients (browsers and stream programs)."""
        with self._lock:
            return sum(1 for subscription in self._subscriptions if subscription.tenant_id == tenant_id)
