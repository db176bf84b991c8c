"""Instance-change notices between processes over Redis pub/sub.

A process that commits a change to an instance publishes one notice; every process (itself
included) then empties what it caches about instances and reconciles its sockets. A notice carries
no data: the database is the truth, so a process that missed notices (Redis was away) only needs
to act once more, which it does as soon as it is subscribed again.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import redis

from ..connections.backoff import Backoff

log = logging.getLogger(__name__)


class Notices:
    def __init__(self, client: redis.Redis, channel: str, backoff: Backoff):
        self.client = client
        self.channel = channel
        self.backoff = backoff
        self.listeners: list[Callable[[], None]] = []
        self.stopping = threading.Event()

    def publish(self) -> None:
        """Tell every process an instance changed; a Redis failure is logged, never raised to the writer."""
        try:
            self.client.publish(self.channel, b"instance")
        except redis.RedisError as error:
            log.warning("instance notice not published", extra={"fields": {"error": str(error)}})

    def run(self) -> None:
        """The subscriber loop a greenlet runs until stop(); it resubscribes after every failure."""
        attempt = 0
        while not self.stopping.is_set():
            try:
                self._listen()
                attempt = 0
            except (redis.RedisError, OSError) as error:
                log.warning("instance notices interrupted", extra={"fields": {"error": str(error)}})
                self.stopping.wait(self.backoff.delay(attempt))
                attempt += 1

    def stop(self) -> None:
        self.stopping.set()

    def _listen(self) -> None:
        pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(self.channel)
            self._notify()  # whatever happened while we were not subscribed
            while not self.stopping.is_set():
                if pubsub.get_message(timeout=1.0) is not None:
                    self._notify()
        finally:
            pubsub.close()

    def _notify(self) -> None:
        for listener in self.listeners:
            try:
                listener()
            except Exception:
                log.exception("instance notice listener failed")
