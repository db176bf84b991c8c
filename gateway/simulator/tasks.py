"""The one way either simulator starts a greenlet: named, with its start, exit and crash logged.

Simulator machinery (the gateway's own greenlets go through gateway/background.py); it follows no provider file.
"""
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
