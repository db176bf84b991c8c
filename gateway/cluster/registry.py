"""Which gateway processes are alive: each writes a heartbeat with what it holds; anyone can list them."""
from __future__ import annotations

import json
import os
import socket
import time

import redis

from ..models import utcnow
from ..presenters import iso


def process_identity() -> dict:
    """This process as the cluster names it: host and pid, and when it started."""
    host, pid = socket.gethostname(), os.getpid()
    return {"id": f"{host}:{pid}", "host": host, "pid": pid, "started": iso(utcnow())}


class Registry:
    """Heartbeats under `<prefix>process:<id>` (expiring) and an index of ids scored by their last beat."""

    def __init__(self, client: redis.Redis, prefix: str, ttl: float):
        self.client = client
        self.prefix = prefix
        self.ttl = ttl

    def beat(self, process: dict) -> None:
        """Record that `process` is alive now, with what it holds; raises RedisError when Redis is away."""
        now = time.time()
        record = {**process, "heartbeat": iso(utcnow())}
        with self.client.pipeline() as pipe:
            pipe.set(self._key(process["id"]), json.dumps(record), px=int(self.ttl * 1000))
            pipe.zadd(self.prefix + "processes", {process["id"]: now})
            pipe.zremrangebyscore(self.prefix + "processes", "-inf", now - 10 * self.ttl)
            pipe.execute()

    def leave(self, process_id: str) -> None:
        with self.client.pipeline() as pipe:
            pipe.delete(self._key(process_id))
            pipe.zrem(self.prefix + "processes", process_id)
            pipe.execute()

    def alive(self) -> list[dict]:
        """Every process whose heartbeat is younger than the lease, oldest first."""
        ids = self.client.zrangebyscore(self.prefix + "processes", time.time() - self.ttl, "+inf")
        if not ids:
            return []
        records = self.client.mget([self._key(i.decode()) for i in ids])
        return sorted((json.loads(r) for r in records if r), key=lambda record: record["started"])

    def _key(self, process_id: str) -> str:
        return f"{self.prefix}process:{process_id}"
