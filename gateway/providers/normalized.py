"""The provider-neutral shape of one event and of the facts it carries; every normaliser returns these."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..text import name_problem


# Instance.name's column: an event naming a longer instance cannot be for one of ours.
INSTANCE_NAME_LENGTH = 120


class NormalizeError(ValueError):
    """The input is not an event; the message is safe to show to whoever sent it."""


@dataclass(frozen=True)
class NormalizedEvent:
    """One provider event, whatever way it came.

    `name` is the provider's own event name, canonically spelled; `instance` is the provider's
    name for the instance (WAHA's session); `provider_time` is when the provider says it happened.
    `payload` is what is stored: the envelope without anything secret.
    """

    name: str
    known: bool
    instance: str | None
    provider_time: Any
    sender: str | None
    data: Any
    payload: dict
    provider: str = "unknown"  # the ProviderKind whose normaliser made it (the metrics' provider label)


@dataclass(frozen=True)
class QrCode:
    base64: str | None
    pairing_code: str | None
    code: str | None


@dataclass(frozen=True)
class Connection:
    """A connection state in the gateway's words (open, connecting, close) and the provider's own word."""

    state: str
    phone_number: str | None
    profile_name: str | None
    provider_status: str | None = None


@dataclass(frozen=True)
class Facts:
    """What an event changes on its instance.

    `qr_pending` says the provider has a QR code that the event itself does not carry (WAHA's
    SCAN_QR_CODE): the gateway has to fetch it.
    """

    qr: QrCode | None = None
    connection: Connection | None = None
    logged_out: bool = False
    qr_pending: bool = False


def parse_utc(value: Any) -> datetime | None:
    """An ISO 8601 time as aware UTC; a time without a zone is taken as UTC (Evolution writes Z)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


def check_name(field: str, value: str, length: int | None = None) -> None:
    """A name is looked up and stored as text: refuse what neither database can hold."""
    problem = name_problem(field, value, length)
    if problem is not None:
        raise NormalizeError(str(problem))


def event_name(raw: Any) -> str:
    """The envelope's event name, checked: a non-empty string a database can hold."""
    if not isinstance(raw, str) or not raw.strip():
        raise NormalizeError("the event has no name (a non-empty string 'event')")
    check_name("event", raw)
    return raw


def optional_instance(envelope: dict, key: str) -> str | None:
    """The instance's name under the provider's own `key`, checked when present."""
    value = envelope.get(key)
    if value is not None:
        if not isinstance(value, str):
            raise NormalizeError(f"'{key}' must be a string")
        check_name(key, value, INSTANCE_NAME_LENGTH)
    return value
