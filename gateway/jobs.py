"""Periodic background work: each job a greenlet that runs, then sleeps on the shared stop event."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .background import Background

log = logging.getLogger(__name__)


class Jobs:
    def __init__(self, background: Background):
        self.background = background
        self.stopping = threading.Event()

    def every(self, name: str, interval: float, job: Callable[[], object]) -> None:
        """Run `job` every `interval` seconds until stop(); a failing run is logged and the next one still comes."""

        def loop():
            while not self.stopping.wait(interval):
                try:
                    job()
                except Exception:
                    log.exception("periodic job failed", extra={"fields": {"job": name}})

        self.background.spawn(f"job:{name}", loop)

    def stop(self) -> None:
        self.stopping.set()
