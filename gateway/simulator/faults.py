"""Injected REST failures, shared by both simulators: the next matching calls answer an error and/or wait.

Simulator machinery with no provider counterpart; each simulator renders the error in its provider's own
shape (`error_body`), so a client meets the envelope it would meet from the real server.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app, jsonify, request


@dataclass
class Fault:
    """Matches when `method` (any if None) is the request's and the request path starts with `path`."""

    path: str
    method: str | None = None
    status: int | None = 500
    body: dict | None = None
    delay: float = 0.0
    times: int = 1
    # Matching calls let through before the fault fires: "fail the (skip+1)-th call from now".
    skip: int = 0

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and (self.method is None or self.method.upper() == method) and path.startswith(self.path)


def fault_from(body: dict, error_body: Callable[[int], dict]) -> Fault:
    """The fault a `POST /_sim/faults` body asks for; without a `body`, the provider's error for `status`."""
    status = body.get("status", 500)
    answer = body.get("body")
    if answer is None and status is not None:
        answer = error_body(status)
    return Fault(path=body["path"], method=body.get("method"), status=status, body=answer,
                 delay=float(body.get("delay", 0.0)), times=int(body.get("times", 1)), skip=int(body.get("skip", 0)))


class Faults:
    """The pending faults of one simulator; `spared` paths (control API, sockets) are no REST calls."""

    def __init__(self, spared: tuple[str, ...] = ()) -> None:
        self._faults: list[Fault] = []
        self._spared = ("/_sim/", *spared)

    def init_app(self, app: Flask) -> None:
        app.before_request(self._apply)

    def add(self, fault: Fault) -> None:
        self._faults.append(fault)

    def clear(self) -> None:
        self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The first matching fault, spending one of its `times`."""
        for fault in self._faults:
            if fault.matches(method, path):
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                fault.times -= 1
                return fault
        return None

    def _apply(self):
        if request.path.startswith(self._spared):
            return None
        fault = self.take(request.method, request.path)
        if fault is None:
            return None
        current_app.extensions["simulator"].pause(fault.delay)  # a wait that the simulator's reset cuts short
        return (jsonify(fault.body), fault.status) if fault.status is not None else None
