"""Every background greenlet starts here: named, with an app context, its start, exit and crash logged."""
from __future__ import annotations

import logging
from collections.abc import Callable

import gevent
from flask import Flask
from gevent.pool import Pool

log = logging.getLogger(__name__)


class Background:
    """A gevent pool of the app's long-running greenlets (socket clients, periodic jobs)."""

    def __init__(self, app: Flask):
        self.app = app
        self.pool = Pool()

    def spawn(self, name: str, target: Callable, *args) -> gevent.Greenlet:
        def run():
            log.debug("greenlet started", extra={"fields": {"greenlet": name}})
            try:
                with self.app.app_context():
                    target(*args)
            except gevent.GreenletExit:
                raise
            except Exception:
                log.exception("greenlet crashed", extra={"fields": {"greenlet": name}})
            finally:
                log.debug("greenlet exited", extra={"fields": {"greenlet": name}})

        greenlet = self.pool.spawn(run)
        greenlet.name = name
        return greenlet

    def run_each(self, name: str, target: Callable, items: list, concurrency: int) -> None:
        """Call `target(item)` for every item on at most `concurrency` greenlets of the pool, each
        taking the next item when it is done; return when every item is done.

        For batches too large to run one greenlet each, too slow to run one after another (the
        resyncs of thousands of instances after their server's socket rejoined). `target` handles
        its own errors: one that raises ends its greenlet, and the others take its share.
        """
        pending = iter(items)  # shared: a greenlet switches only in I/O, never inside next()

        def work() -> None:
            for item in pending:
                target(item)

        gevent.joinall([self.spawn(f"{name}:{number}", work) for number in range(min(concurrency, len(items)))])

    def shutdown(self, timeout: float = 5.0) -> None:
        """Wait for greenlets that were asked to stop; kill what is still running after `timeout`."""
        self.pool.join(timeout=timeout)
        self.pool.kill(timeout=1.0)
