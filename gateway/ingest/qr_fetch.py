"""The QR a provider announces without sending it (WAHA's SCAN_QR_CODE): fetched and stored like a received one.

WAHA rotates its codes and says SCAN_QR_CODE again with each, so every such event fetches anew and
the panel stays live; the fetch runs on the background pool so the event is acknowledged at once.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from ..extensions import db
from ..models import ConnectionState, Instance, utcnow
from ..providers.errors import ProviderError
from ..servers import provider
from .pipeline import Target

log = logging.getLogger(__name__)


class QrFetcher:
    def __init__(self, spawn: Callable, announce: Callable[[int, int], None]):
        self.spawn = spawn
        self.announce = announce

    def __call__(self, target: Target) -> None:
        self.spawn(f"qr:{target.name}", self.fetch, target.instance_id)

    def fetch(self, instance_id: int) -> bool:
        """Store the provider's current QR on the instance; False when there is none to store."""
        instance = db.session.get(Instance, instance_id)
        if instance is None:
            return False
        try:
            qr = provider(instance.server).current_qr(instance.name)
        except ProviderError as error:
            log.warning("fetching the QR failed", extra={"fields": {"instance": instance.name,
                                                                    "error": error.message}})
            return False
        if qr is None or not qr.base64:
            return False
        instance.qr_code, instance.qr_pairing_code, instance.qr_updated_at = qr.base64, qr.pairing_code, utcnow()
        instance.connection_state = ConnectionState.CONNECTING.value
        db.session.commit()
        self.announce(instance.tenant_id, instance.id)
        return True
