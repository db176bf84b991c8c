"""What the connection modal says about the gateway's socket client, and in which tone (pure)."""
from __future__ import annotations

from typing import NamedTuple

AWAITING_FIRST_EVENT = ("Waiting for the instance's first event "
                        "(Evolution opens its socket namespace only then)")


class SocketStatus(NamedTuple):
    """`tone` is success, neutral or error (never success for a failure); `text` is a page text."""

    tone: str
    text: str
    detail: str | None = None

    @property
    def settled(self) -> bool:
        """Connected or failed: nothing will change without a new event, so the modal stops asking."""
        return self.tone != "neutral"


_NEUTRAL_TEXTS = {
    "idle": "WebSocket connecting…",
    "connecting": "WebSocket connecting…",
    "retrying": "WebSocket reconnecting…",
    "stopped": "WebSocket stopped",
}


def socket_status(status: dict | None) -> SocketStatus:
    """The socket client's `status()` (None when no client runs) as the modal shows it."""
    if status is None:
        return SocketStatus("neutral", "WebSocket not started")
    state, error = status.get("state"), status.get("last_error") or None
    if state == "connected":
        return SocketStatus("success", "WebSocket connected")
    # Until the client reports awaiting_first_event itself, Evolution's refusal of a namespace it has
    # not created yet reads as "refused", "retrying", "connecting" again: the same wait, not a failure.
    if state == "awaiting_first_event" or (state in {"refused", "retrying", "connecting"}
                                           and "Invalid namespace" in (error or "")):
        return SocketStatus("neutral", AWAITING_FIRST_EVENT)
    if state in {"failed", "refused"}:
        return SocketStatus("error", "WebSocket failed", error)
    return SocketStatus("neutral", _NEUTRAL_TEXTS.get(state, "WebSocket connecting…"), error)
