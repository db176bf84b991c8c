"""After a socket joins: read the instance's state (and QR) from the provider and catch up missed messages,
through the provider's catch-up source (providers/<kind>/catchup.py).

Everything read here goes through the pipeline as source `catchup`, so de-duplication drops what
already arrived live and the browser sees the result like any other event.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from ..extensions import db
from ..models import EventSource, Instance, utcnow
from ..servers import provider
from ..providers import provider_for
from ..providers.errors import ProviderError
from ..providers.normalized import NormalizeError
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
        target = Target(instance.id, instance.tenant_id, instance.name, instance.server.kind)
        since = (instance.last_event_at or utcnow() - FIRST_LOOKBACK) - CATCHUP_MARGIN
        client = provider(instance.server)
        db.session.commit()  # release the read transaction before the slow provider calls
        try:
            fed = sum(self._feed(target, envelope)
                      for envelope in provider_for(target.kind).catch_up(client, target.name, since))
        except ProviderError as error:
            log.warning("resync after join failed", extra={"fields": {"instance": target.name,
                                                                      "error": error.message}})
            return
        if fed:
            log.info("caught up", extra={"fields": {"instance": target.name, "stored": fed}})

    def _feed(self, target: Target, envelope: dict) -> bool:
        """Store one recovered envelope; True when it was new."""
        try:
            return self.pipeline.handle(target, envelope, EventSource.CATCHUP.value) is not None
        except NormalizeError as error:
            log.warning("catch-up record skipped", extra={"fields": {"instance": target.name, "error": str(error)}})
            return False
