"""The one place that decides how an instance's events reach the gateway: webhook XOR websocket.

Every switch is break-before-make (the old channel is off on the provider, and the gateway's socket
client stopped, before the new one comes on; the gap is caught up after), runs under the
instance's lock, and undoes what it already did when a provider call fails, leaving the database
untouched.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .. import audit, metrics
from ..extensions import db
from ..models import ConnectionState, DeliveryMode, Instance, utcnow
from ..presenters import iso
from ..servers import provider
from ..providers.errors import ProviderError, ProviderNotFound, ProviderTimeout
from .unheard import opened_unheard
from .locks import instance_lock
from .channels import channels_of
from .settings import SettingError, chosen_events, delivery_flags, retry_choice, selection, store_retries
from .steps import Step, SwitchError, run_steps

log = logging.getLogger(__name__)


class ModeRefused(SettingError):
    """A mode this gateway cannot use (websocket turned off); the message says why."""


@dataclass(frozen=True)
class WebhookChoice:
    """What a caller asked for; None keeps the instance's stored value."""

    base64: bool | None = None
    by_events: bool | None = None
    events: list[str] | None = None
    # A retry policy in the API's shape, checked against the server by the manager ({} is the default).
    retries: Any = None


class ConnectionManager:
    def __init__(self, listeners, announce: Callable[[int, int], None], websocket_enabled: bool = True,
                 join_timeout: float = 3.0, catch_up: Callable[[int, str], None] = lambda instance_id, why: None):
        self.listeners = listeners
        # announce(tenant_id, instance_id): open pages re-render the instance, whoever changed it.
        self.announce = announce
        # catch_up(instance_id, reason): what a lost channel failed to deliver is read back.
        self.catch_up = catch_up
        self.websocket_enabled = websocket_enabled
        self.join_timeout = join_timeout

    # -- switching ---------------------------------------------------------------------------

    def enable_webhook(self, instance: Instance, choice: WebhookChoice = WebhookChoice()) -> dict:
        """Webhook on (to this gateway), websocket off; stored as mode `webhook`."""
        events = selection(instance, choice.events)
        retries = None if choice.retries is None else retry_choice(instance, choice.retries)

        def update(target: Instance) -> None:
            if choice.base64 is not None:
                target.webhook_base64 = choice.base64
            if choice.by_events is not None:
                target.webhook_by_events = choice.by_events
            if events is not None:
                target.webhook_events = events
            if retries is not None:
                store_retries(target, retries)

        return self._switch(instance, DeliveryMode.WEBHOOK, update)

    def enable_websocket(self, instance: Instance, events: list[str] | None = None) -> dict:
        """Websocket on and the gateway's socket client connected, webhook off; mode `websocket`."""
        if not self.websocket_enabled:
            raise ModeRefused("WebSocket delivery is turned off on this gateway (WEBSOCKET_ENABLED=false).")
        chosen = selection(instance, events)

        def update(target: Instance) -> None:
            if chosen is not None:
                target.websocket_events = chosen

        return self._switch(instance, DeliveryMode.WEBSOCKET, update)

    def disable(self, instance: Instance) -> dict:
        """Both channels off; mode `none` (events stop reaching the gateway)."""
        return self._switch(instance, DeliveryMode.NONE, lambda target: None)

    def apply(self, instance: Instance, mode: DeliveryMode) -> dict:
        """Switch to `mode` with the instance's stored settings."""
        return {
            DeliveryMode.WEBHOOK: self.enable_webhook,
            DeliveryMode.WEBSOCKET: self.enable_websocket,
            DeliveryMode.NONE: self.disable,
        }[mode](instance)

    def _switch(self, instance: Instance, target: DeliveryMode, update: Callable[[Instance], None]) -> dict:
        def chosen(target_instance: Instance) -> None:
            update(target_instance)
            # An operator's explicit choice is the one to defend against drift from now on.
            target_instance.reapply_on_drift = True

        with self._locked(instance):
            try:
                self._switch_locked(instance, target, chosen)
            finally:
                self.announce(instance.tenant_id, instance.id)
        return self.state(instance)

    def _switch_locked(self, instance: Instance, target: DeliveryMode, update: Callable[[Instance], None]) -> None:
        previous, before = instance.mode, audit.delivery(instance)
        steps = self._steps(instance, previous, target, update)
        try:
            # The new settings wait in memory until the provider agrees: nothing may flush them early.
            with db.session.no_autoflush:
                run_steps(steps)
        except SwitchError as error:
            db.session.rollback()
            if error.rollback_failed or error.uncertain or isinstance(error.error, ProviderTimeout):
                # The provider may still apply what timed out, after the undo: only a sync can tell.
                self._mark_drift(instance, f"a switch to {target.value} failed and left the provider "
                                           f"uncertain ({error.message}); the next sync will settle it")
            raise
        instance.delivery_mode = target.value
        instance.drift, instance.drift_reason = False, None
        audit.record("instance.mode", instance.name, before, audit.delivery(instance), tenant_id=instance.tenant_id)
        db.session.commit()
        if DeliveryMode.NONE not in (previous, target) and previous is not target:
            # The gap between the old channel going off and the new one coming on.
            self.catch_up(instance.id, f"switched from {previous.value} to {target.value}")
        log.info("delivery mode set", extra={"fields": {"instance": instance.name, "mode": target.value,
                                                         "previous": previous.value}})

    def _steps(self, instance: Instance, previous: DeliveryMode, target: DeliveryMode,
               update: Callable[[Instance], None]) -> list[Step]:
        """The provider calls for a switch, each with the call that restores the previous state."""
        old = channels_of(instance)
        update(instance)
        new = channels_of(instance)

        def restore_webhook():
            if previous is DeliveryMode.WEBHOOK:
                old.enable_webhook()
            else:
                new.disable_webhook()

        def restore_websocket():
            if previous is DeliveryMode.WEBSOCKET:
                old.enable_websocket()
            else:
                new.disable_websocket()

        def start_listener():
            self.listeners.start(instance.id)
            if not self.listeners.holder:
                return  # a CLI command: the server process opens the socket once the mode is committed
            if not self.listeners.wait_joined(instance.id, self.join_timeout):
                # A quiet instance's namespace appears only at its next event; catch-up covers the gap.
                log.info("switching before the socket joined", extra={"fields": {"instance": instance.name}})

        def stop_listener():
            self.listeners.stop(instance.id)

        # Break before make: the old channel is off before the new one is on, so the provider never
        # delivers both ways at once; what it sent in between is caught up once the switch commits.
        steps = []
        if target is not DeliveryMode.WEBSOCKET:
            steps.append(Step("disabling the websocket", new.disable_websocket, restore_websocket))
            steps.append(Step("stopping the socket client", stop_listener,
                              (lambda: self.listeners.start(instance.id)) if previous is DeliveryMode.WEBSOCKET else None))
        if target is not DeliveryMode.WEBHOOK:
            steps.append(Step("disabling the webhook", new.disable_webhook, restore_webhook))
        if target is DeliveryMode.WEBHOOK:
            steps.append(Step("enabling the webhook", new.enable_webhook, restore_webhook))
        if target is DeliveryMode.WEBSOCKET:
            steps.append(Step("enabling the websocket", new.enable_websocket, restore_websocket))
            steps.append(Step("starting the socket client", start_listener,
                              None if previous is DeliveryMode.WEBSOCKET else stop_listener))
        return steps

    @contextmanager
    def _locked(self, instance: Instance) -> Iterator[None]:
        """Hold the instance's lock with the instance freshly read inside it."""
        instance_id = instance.id
        db.session.commit()  # queue for the lock without holding a database connection
        with instance_lock(instance_id):
            db.session.refresh(instance)
            yield

    # -- truth -------------------------------------------------------------------------------

    def state(self, instance: Instance) -> dict:
        """The seed's state shape, derived from the one stored mode so it can never say 'both'."""
        return {
            "instance": instance.name,
            "mode": instance.delivery_mode,
            **delivery_flags(instance),
            "websocketConfig": {"events": list(chosen_events(instance, instance.websocket_events))},
            "connectionState": instance.connection_state,
            "providerStatus": instance.provider_status,
            "drift": instance.drift,
            "driftReason": instance.drift_reason,
            "lastSyncAt": iso(instance.last_sync_at),
            "socket": self.listeners.status_of(instance.id),
        }

    def sync(self, instance: Instance) -> dict:
        """Read the provider's truth; mark drift and, when the policy says so, put the chosen mode back."""
        with self._locked(instance):
            self._sync_locked(instance)
            self.announce(instance.tenant_id, instance.id)
        return self.state(instance)

    def _sync_locked(self, instance: Instance) -> None:
        try:
            reasons = channels_of(instance).diagnose(instance.delivery_mode)
            status = provider(instance.server).status(instance.name)
        except ProviderNotFound:
            self._mark_drift(instance, "the instance no longer exists on the provider")
            return
        instance.last_sync_at = utcnow()
        if status.state in {s.value for s in ConnectionState}:
            if opened_unheard(instance, status.state):
                instance.open_seen_at = instance.last_sync_at
            instance.connection_state = status.state
            instance.provider_status = status.word
        if not reasons:
            instance.drift = False
            db.session.commit()
            return
        reason = "; ".join(reasons)
        metrics.drift_found()
        log.warning("drift detected", extra={"fields": {"instance": instance.name, "reason": reason}})
        if not instance.reapply_on_drift:
            self._mark_drift(instance, reason)
            return
        db.session.commit()
        try:
            self._switch_locked(instance, instance.mode, lambda target: None)
        except SwitchError as error:
            self._mark_drift(instance, f"{reason}; re-applying {instance.delivery_mode} failed: {error.message}")
            return
        instance.drift_reason = f"{reason}; re-applied {instance.delivery_mode} at {iso(utcnow())}"
        db.session.commit()
        metrics.drift_repaired()
        if instance.mode is not DeliveryMode.NONE:
            # Events sent while the channel was lost went nowhere (a socket's join catches up on its own,
            # but a socket that stayed joined to a namespace the provider stopped feeding does not rejoin).
            self.catch_up(instance.id, "channel re-applied")

    def sync_all(self) -> dict[str, str]:
        """Sync every instance of every tenant; one failure never stops the others."""
        results = {}
        for instance in db.session.execute(db.select(Instance).order_by(Instance.id)).scalars().all():
            try:
                self.sync(instance)
                results[instance.name] = "drift" if instance.drift else "ok"
            except ProviderError as error:
                db.session.rollback()
                results[instance.name] = f"error: {error.message}"
        return results

    def _mark_drift(self, instance: Instance, reason: str) -> None:
        instance.drift, instance.drift_reason = True, reason
        instance.last_sync_at = utcnow()
        db.session.commit()

