"""What every socket subscription shows the UI, the API and the metrics: one status dict, built once.

States (the UI renders them; connected is success, failed is an error, the rest are neutral):
idle, connecting, connected, awaiting_first_event (the provider has no namespace for the instance
until its first event), retrying (after a drop), failed (refused key, unreachable), stopped.
"""
from __future__ import annotations

from datetime import datetime

from ..presenters import iso


class SocketStatus:
    """The fields a socket subscription keeps (an instance's namespace on its server's connection, or
    the server's one socket) and the status dict made from them, so that both kinds read the same."""

    label: str
    namespace: str
    state: str
    connected_since: datetime | None
    reconnects: int
    failures: int
    last_event_at: datetime | None
    last_error: str | None
    next_attempt_at: datetime | None

    def status(self) -> dict:
        return {
            "label": self.label,
            "namespace": self.namespace,
            "state": self.state,
            "connected_since": iso(self.connected_since),
            "reconnects": self.reconnects,
            "last_event_at": iso(self.last_event_at),
            "last_error": self.last_error,
            "failures": self.failures,
            "next_attempt_at": iso(self.next_attempt_at),
        }
