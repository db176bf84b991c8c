"""In-process publish/subscribe: subscribers indexed by topic (per tenant, per instance), bounded queues.

Publishing looks up the subscribers of the published topics only; it never scans every subscription.
"""
from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

DEFAULT_QUEUE = 1000


def tenant_topic(tenant_id: int) -> str:
    return f"tenant:{tenant_id}"


def instance_topic(instance_id: int) -> str:
    return f"instance:{instance_id}"


@dataclass(frozen=True)
class BusStatus:
    """Whether events from other processes reach this one; broadcast to every subscriber when it changes.

    `since` is when the bus became degraded (ISO 8601): what a client missed was received after it.
    """

    degraded: bool
    since: str | None = None
    error: str | None = None


HEALTHY = BusStatus(degraded=False)


class Subscriber(Protocol):
    """Anything the bus hands items to: a queue read by its own greenlet, or a socket written directly."""

    topics: set[str]
    tenant_id: int | None  # whose client this is (None: the process's own), for status counts

    def put(self, item) -> None: ...


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
    """The process's subscribers, indexed by topic; `publish` hands an item to each interested one once."""

    status = HEALTHY  # one process: nothing can cut it off from the other processes

    def __init__(self):
        self._by_topic: defaultdict[str, set[Subscriber]] = defaultdict(set)
        self._subscribers: set[Subscriber] = set()
        self._lock = threading.Lock()

    def subscribe(self, topics: Iterable[str], maxsize: int = DEFAULT_QUEUE,
                  tenant_id: int | None = None) -> Subscription:
        return self.attach(Subscription(topics, maxsize, tenant_id))

    def attach(self, subscriber: Subscriber) -> Subscriber:
        """Index a subscriber under the topics it already has."""
        with self._lock:
            self._subscribers.add(subscriber)
            for topic in subscriber.topics:
                self._by_topic[topic].add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(subscriber)
            for topic in subscriber.topics:
                self._unindex(topic, subscriber)

    def follow(self, subscriber: Subscriber, topic: str) -> None:
        """Add a topic to a subscriber already attached."""
        with self._lock:
            subscriber.topics.add(topic)
            if subscriber in self._subscribers:
                self._by_topic[topic].add(subscriber)

    def unfollow(self, subscriber: Subscriber, topic: str) -> None:
        with self._lock:
            subscriber.topics.discard(topic)
            self._unindex(topic, subscriber)

    def _unindex(self, topic: str, subscriber: Subscriber) -> None:
        followers = self._by_topic.get(topic)
        if followers is not None:
            followers.discard(subscriber)
            if not followers:
                del self._by_topic[topic]

    def followers_of(self, topics: Iterable[str]) -> list[Subscriber]:
        """Each subscriber of any of `topics` once (a client may follow both an instance and its tenant)."""
        with self._lock:
            found = [self._by_topic[topic] for topic in topics if topic in self._by_topic]
            if len(found) == 1:
                return list(found[0])
            return list(set().union(*found))

    def publish(self, topics: Iterable[str], item) -> int:
        """Hand `item` to every subscriber of any of `topics` once; returns how many got it."""
        return self.deliver(topics, item)

    def deliver(self, topics: Iterable[str], item) -> int:
        """Hand `item` to this process's subscribers only."""
        targets = self.followers_of(topics)
        for subscriber in targets:
            subscriber.put(item)
        return len(targets)

    def broadcast(self, item) -> None:
        """Hand `item` to every subscriber of this process, whatever it follows (bus status changes)."""
        with self._lock:
            targets = list(self._subscribers)
        for subscriber in targets:
            subscriber.put(item)

    def flush(self) -> None:
        """Nothing waits to leave an in-process bus; the Redis bus sends its outbox here."""

    def stop(self) -> None:
        """Nothing runs behind an in-process bus; the Redis bus stops its greenlets here."""

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def subscribers_of(self, tenant_id: int) -> int:
        """How many of the subscribers are that tenant's clients (browsers and stream programs)."""
        with self._lock:
            return sum(1 for subscriber in self._subscribers if subscriber.tenant_id == tenant_id)
