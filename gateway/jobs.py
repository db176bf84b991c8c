"""Periodic background work: each job a greenlet that runs, then sleeps on the shared stop event."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .background import Background

log = logging.getLogger(__name__)


def always(_job: str, _interval: float) -> bool:
    """One process alone runs every job on its own clock."""
    return True


class Jobs:
    def __init__(self, background: Background, may_run: Callable[[str, float], bool] = always):
        self.background = background
        # may_run(name, interval): in a cluster, only the leader runs a job, once per interval.
        self.may_run = may_run
        self.stopping = threading.Event()

    def every(self, name: str, interval: float, job: Callable[[], object]) -> None:
        """Run `job` every `interval` seconds until stop(); a failing run is logged and the next one still comes."""

        def loop():
            while not self.stopping.wait(interval):
                if not self.may_run(name, interval):
                    continue
                try:
                    job()
                except Exception:
                    log.exception("periodic job failed", extra={"fields": {"job": name}})

        self.background.spawn(f"job:{name}", loop)

    def once(self, name: str, within: float, every: float, job: Callable[[], object]) -> None:
        """Run `job` once, here, if this process may run it within `within` seconds of now (asked every
        `every` seconds): at once alone; in a cluster only if this process comes to lead meanwhile, and
        only one process per `within`, so a whole cluster starting together runs it once."""

        def attempt():
            for _ in range(max(1, int(within / every))):
                if self.may_run(name, within):
                    log.info("one-off job ran here", extra={"fields": {"job": name}})
                    job()
                    return
                if self.stopping.wait(every):
                    return
            log.info("one-off job left to the leader", extra={"fields": {"job": name}})

        self.background.spawn(f"job:{name}", attempt)

    def stop(self) -> None:
        self.stopping.set()
