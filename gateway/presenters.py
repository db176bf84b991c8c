"""How models look in JSON answers; secrets appear only masked."""
from __future__ import annotations

from datetime import datetime, timezone

from .connections.settings import chosen_events, delivery_flags
from .models import Instance


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC; SQLite hands back naive datetimes that were stored as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


def instance_json(instance: Instance) -> dict:
    return {
        "id": instance.id,
        "name": instance.name,
        "server_id": instance.server_id,
        "provider": instance.server.kind,
        "delivery_mode": instance.delivery_mode,
        **delivery_flags(instance),
        "websocket_events": list(chosen_events(instance, instance.websocket_events)),
        "provider_status": instance.provider_status,
        "connection_state": instance.connection_state,
        "phone_number": instance.phone_number,
        "profile_name": instance.profile_name,
        "qr": {
            "base64": instance.qr_code,
            "pairing_code": instance.qr_pairing_code,
            "updated_at": iso(instance.qr_updated_at),
        } if instance.qr_code else None,
        "last_event_at": iso(instance.last_event_at),
        "last_sync_at": iso(instance.last_sync_at),
        "drift": instance.drift,
        "drift_reason": instance.drift_reason,
        "created_at": iso(instance.created_at),
    }
