"""Evolution's catch-up source: the state and QR it shows now, and what its store gives back, as envelopes
shaped like the ones Evolution emits, so they meet the live ones in de-duplication."""
from __future__ import annotations

from datetime import datetime, timezone

from .client import EvolutionClient


def missed(client: EvolutionClient, name: str, since_timestamp: int) -> list[dict]:
    return [{"event": event, "instance": name, "data": data}
            for event, data in client.missed_events(name, since_timestamp)]


def state_now(client: EvolutionClient, name: str) -> list[dict]:
    state = client.connection_state(name)
    if state is None:
        return []  # the provider is deleting the instance and says nothing
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    envelopes = [{"event": "connection.update", "instance": name, "date_time": now,
                  "data": {"instance": name, "state": state, "statusReason": 200}}]
    if state == "connecting":
        # The first QR is often emitted before any socket could join: ask for the current one.
        qr = client.connect(name)
        if qr.base64 or qr.code:
            envelopes.append({"event": "qrcode.updated", "instance": name, "date_time": now,
                              "data": {"qrcode": {"instance": name, "pairingCode": qr.pairing_code,
                                                  "code": qr.code, "base64": qr.base64}}})
    return envelopes
