"""The one way the simulator starts a greenlet: named, with its start, exit and crash logged."""
from __future__ import annotations

import logging
from typing import Callable

import gevent

log = logging.getLogger("gateway.simulator")


def spawn(name: str, target: Callable, *args) -> gevent.Greenlet:
    def run() -> None:
        log.debug("greenlet %s started", name)
        try:
            target(*args)
        except Exception:
            log.exception("greenlet %s crashed", name)
        else:
            log.debug("greenlet %s exited", name)

    return gevent.spawn(run)
