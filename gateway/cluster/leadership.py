"""The periodic jobs run in one process of the cluster: the holder of the leader lease.

A leader change could otherwise run a job twice in one interval (the old leader ran it just before
it lost the lease, the new one runs it at once), so each run also claims its interval in Redis.
"""
from __future__ import annotations

import logging

import redis

from .leases import Lease

log = logging.getLogger(__name__)

# A claim lasts a little less than the interval so that the leader's own next run is never refused.
CLAIM_FRACTION = 0.9


class Leadership:
    def __init__(self, lease: Lease, client: redis.Redis, prefix: str):
        self.lease = lease
        self.client = client
        self.prefix = prefix

    def leads(self) -> bool:
        return self.lease.held()

    def keep(self) -> None:
        """Renew the lease when held, else try to take it; called by the keeper loop."""
        if self.lease.token is not None and self.lease.renew():
            return
        if self.lease.acquire():
            log.info("leading the periodic jobs", extra={"fields": {"token": self.lease.token}})

    def resign(self) -> None:
        self.lease.release()

    def may_run(self, job: str, interval: float) -> bool:
        """True for the leader, once per interval of `job` across the cluster."""
        if not self.leads():
            return False
        try:
            return bool(self.client.set(f"{self.prefix}job:{job}", self.lease.value, nx=True,
                                        px=int(interval * 1000 * CLAIM_FRACTION)))
        except redis.RedisError as error:
            log.warning("job skipped: Redis failed", extra={"fields": {"job": job, "error": str(error)}})
            return False
