"""Instance-change notices between processes over Redis pub/sub.

A process that commits a change to an instance publishes `instance`; every process (itself
included) then empties what it caches about instances and reconciles its sockets. That notice
carries no data: the database is the truth, so a process that missed notices (Redis was away)
only needs to act once more, which it does as soon as it is subscribed again. `restart:<id>` asks
whichever process holds an instance's socket to reconnect it.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import redis

from ..connections.backoff import Backoff

log = logging.getLogger(__name__)
INSTANCE_CHANGED = b"instance"
RESTART = b"restart:"


class Notices:
    def __init__(self, client: redis.Redis, channel: str, backoff: Backoff):
        self.client = client
        self.channel = channel
        self.backoff = backoff
        # Each listener receives the notice's bytes (b"instance", b"restart:12").
        self.listeners: list[Callable[[bytes], None]] = []
        self.stopping = threading.Event()

    def publish(self, notice: bytes = INSTANCE_CHANGED) -> None:
        """Tell every process; a Redis failure is logged, never raised to the writer of the change."""
        try:
            self.client.publish(self.channel, notice)
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
            self._notify(INSTANCE_CHANGED)  # whatever happened while we were not subscribed
            while not self.stopping.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message is not None:
                    self._notify(message["data"])
        finally:
            pubsub.close()

    def _notify(self, notice: bytes) -> None:
        for listener in self.listeners:
            try:
                listener(notice)
            except Exception:
                log.exception("instance notice listener failed")
