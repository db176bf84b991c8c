"""After a socket joins: read the instance's state (and QR) from the provider and catch up missed messages.

Everything read here goes through the pipeline as source `catchup`, so de-duplication drops what
already arrived live and the browser sees the result like any other event.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from ..extensions import db
from ..models import EventSource, Instance, utcnow
from ..servers import provider
from ..providers.errors import ProviderError
from .normalize import NormalizeError
from .pipeline import Pipeline, Target

log = logging.getLogger(__name__)
# Provider and gateway clocks differ and a message may be stored a moment after its timestamp.
CATCHUP_MARGIN = timedelta(seconds=30)
# With no event ever seen, look back this far (a fresh switch to websocket on a busy number).
FIRST_LOOKBACK = timedelta(minutes=5)


class Resync:
    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def on_join(self, instance_id: int, first: bool) -> None:
        instance = db.session.get(Instance, instance_id)
        if instance is None:
            return
        target = Target(instance.id, instance.tenant_id, instance.name)
        since = (instance.last_event_at or utcnow() - FIRST_LOOKBACK) - CATCHUP_MARGIN
        client = provider(instance.server)
        db.session.commit()  # release the read transaction before the slow provider calls
        try:
            self._state(client, target)
            self._catch_up(client, target, since)
        except ProviderError as error:
            log.warning("resync after join failed", extra={"fields": {"instance": target.name,
                                                                      "error": error.message}})

    def _state(self, client, target: Target) -> None:
        state = client.connection_state(target.name)
        if state is None:
            return  # the provider is deleting the instance and says nothing
        now = utcnow().isoformat(timespec="milliseconds").replace("+00:00", "Z")
        self._feed(target, {"event": "connection.update", "instance": target.name, "date_time": now,
                            "data": {"instance": target.name, "state": state, "statusReason": 200}})
        if state == "connecting":
            # The first QR is often emitted before any socket could join: ask for the current one.
            qr = client.connect(target.name)
            if qr.base64 or qr.code:
                self._feed(target, {"event": "qrcode.updated", "instance": target.name, "date_time": now,
                                    "data": {"qrcode": {"instance": target.name, "pairingCode": qr.pairing_code,
                                                        "code": qr.code, "base64": qr.base64}}})

    def _catch_up(self, client, target: Target, since) -> None:
        records = client.find_messages(target.name, int(since.timestamp()))
        for record in records:
            self._feed(target, {"event": "messages.upsert", "instance": target.name, "data": record})
        if records:
            log.info("caught up", extra={"fields": {"instance": target.name, "messages": len(records)}})

    def _feed(self, target: Target, envelope: dict) -> None:
        try:
            self.pipeline.handle(target, envelope, EventSource.CATCHUP.value)
        except NormalizeError as error:
            log.warning("catch-up record skipped", extra={"fields": {"instance": target.name, "error": str(error)}})
