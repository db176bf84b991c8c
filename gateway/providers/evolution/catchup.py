"""Evolution's catch-up source: the current state and QR, then the stored messages since a moment, as envelopes."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from .client import EvolutionClient


def recover(client: EvolutionClient, name: str, since: datetime) -> Iterator[dict]:
    """Envelopes shaped like the ones Evolution emits, so they meet the live ones in de-duplication."""
    state = client.connection_state(name)
    if state is None:
        return  # the provider is deleting the instance and says nothing
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    yield {"event": "connection.update", "instance": name, "date_time": now,
           "data": {"instance": name, "state": state, "statusReason": 200}}
    if state == "connecting":
        # The first QR is often emitted before any socket could join: ask for the current one.
        qr = client.connect(name)
        if qr.base64 or qr.code:
            yield {"event": "qrcode.updated", "instance": name, "date_time": now,
                   "data": {"qrcode": {"instance": name, "pairingCode": qr.pairing_code,
                                       "code": qr.code, "base64": qr.base64}}}
    for record in client.find_messages(name, int(since.timestamp())):
        yield {"event": "messages.upsert", "instance": name, "data": record}
