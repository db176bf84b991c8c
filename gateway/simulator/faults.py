"""Injected REST failures for tests: the next matching calls answer an error and/or wait first."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, jsonify, request

from .errors import ApiError


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

    def answer(self):
        body = self.body if self.body is not None else ApiError(self.status, ["Simulated fault"]).body()
        return jsonify(body), self.status


class Faults:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def init_app(self, app: Flask) -> None:
        app.before_request(_apply)

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


def _apply():
    if request.path.startswith("/_sim/") or request.path == "/ws":  # control and sockets are no REST calls
        return None
    simulator = current_app.extensions["simulator"]
    fault = simulator.faults.take(request.method, request.path)
    if fault is None:
        return None
    simulator.pause(fault.delay)
    return fault.answer() if fault.status is not None else None
