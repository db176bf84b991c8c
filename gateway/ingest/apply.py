"""What an event changes on its instance (pure): QR code, connection state, phone, last event time."""
from __future__ import annotations

from datetime import datetime

from ..text import storable
from .normalize import NormalizedEvent, connection, is_logout, qr_code

_CLEARED_QR = {"qr_code": None, "qr_pairing_code": None, "qr_updated_at": None}
# Instance's column lengths; None for a text column.
_LENGTHS = {"qr_code": None, "qr_pairing_code": 32, "phone_number": 32, "profile_name": 255}


def instance_changes(event: NormalizedEvent, received_at: datetime) -> dict:
    """Column updates for the event's instance; applied in the transaction that stores the event."""
    changes: dict = {"last_event_at": received_at}
    qr = qr_code(event)
    if qr is not None:
        changes.update(qr_code=qr.base64, qr_pairing_code=qr.pairing_code, qr_updated_at=received_at,
                       connection_state="connecting")
    state = connection(event)
    if state is not None:
        changes["connection_state"] = state.state
        if state.state == "open":
            # Connected: the QR has served its purpose and the number is known.
            changes.update(_CLEARED_QR)
            if state.phone_number:
                changes["phone_number"] = state.phone_number
            if state.profile_name:
                changes["profile_name"] = state.profile_name
    if is_logout(event):
        changes.update(_CLEARED_QR, connection_state="close")
    return {column: _storable(column, value) for column, value in changes.items()}


def _storable(column: str, value):
    """A fact as its column can hold it: cut to length, NUL and lone surrogates (which PostgreSQL
    text cannot hold) replaced. The stored event keeps the provider's exact value."""
    if column not in _LENGTHS or value is None:
        return value
    return storable(value, _LENGTHS[column])
