"""What the simulated Evolution server does: instance lifecycle, event settings, messages, resets.

Follows src/api/controllers/instance.controller.ts, src/api/services/monitor.service.ts,
src/api/integrations/event/event.controller.ts (set), src/api/integrations/event/event.manager.ts,
src/api/integrations/event/webhook/webhook.controller.ts (set) and
src/api/integrations/channel/whatsapp/whatsapp.baileys.service.ts (connectionUpdate, messages).
"""
from __future__ import annotations

from gevent.event import Event

from . import payloads
from .catalog import EVENTS
from .delivery import WebhookSender
from .errors import ApiError, bad_request, crash, not_found, unauthorized
from .events import Dispatcher
from ..faults import Faults
from .ids import cuid, epoch_seconds, instance_id, instance_token, message_key_id, now_iso
from ..qr import new_code, new_pairing_code
from .schema import MISSING
from .sockets import SocketHub
from .store import Instance, Registry
from ..tasks import spawn

INTEGRATION = "WHATSAPP-BAILEYS"
PURGE_DELAY = 0.3  # deleted rows vanish after the asynchronous cleanup
# A thrown plain object stringified by the controllers' catch blocks.
OBJECT_ERROR = {"error": True, "message": "[object Object]"}


def success(message: str) -> dict:
    return {"status": "SUCCESS", "error": False, "response": {"message": message}}


def _settings(body: dict) -> dict:
    """The settings DTO built by createInstance from the flat body fields."""
    return {
        "rejectCall": body.get("rejectCall") is True, "msgCall": body.get("msgCall") or "",
        "groupsIgnore": body.get("groupsIgnore") is True, "alwaysOnline": body.get("alwaysOnline") is True,
        "readMessages": body.get("readMessages") is True, "readStatus": body.get("readStatus") is True,
        "syncFullHistory": body.get("syncFullHistory") is True, "wavoipToken": body.get("wavoipToken") or "",
    }


def stored_events(block: dict) -> list[str]:
    """EventController.set: disabled forgets the selection, `[]` means every event, missing crashes."""
    if not block.get("enabled"):
        return []
    events = block.get("events", MISSING)
    if events is MISSING or events is None:
        kind = "undefined" if events is MISSING else "null"
        raise crash(f"Cannot read properties of {kind} (reading 'length')")
    return list(events) or list(EVENTS)


class Simulator:
    def __init__(self, api_key: str, hub: SocketHub, sender: WebhookSender, server_url: str,
                 connect_delay: float = 0.0, qr_limit: int = 30) -> None:
        self.api_key = api_key
        self.hub = hub
        self.sender = sender
        self.faults = Faults()
        self.registry = Registry()
        self.dispatch = Dispatcher(hub, sender, server_url)
        self.connect_delay = connect_delay
        self.qr_limit = qr_limit
        self._stop = Event()

    # -- auth ---------------------------------------------------------------------------------
    def accepts_key(self, key: str) -> bool:
        """Socket handshakes take the global key or any instance's token."""
        return key == self.api_key or bool(self.registry.by_token(key))

    def pause(self, seconds: float) -> None:
        """Wait that a reset cuts short."""
        if seconds > 0:
            self._stop.wait(seconds)

    # -- instance REST ------------------------------------------------------------------------
    def create(self, body: dict) -> dict:
        if body.get("integration") != INTEGRATION:
            raise bad_request("Invalid integration")
        settings = _settings(body)
        instance = Instance(name=body["instanceName"], id=instance_id(), token=body.get("token") or instance_token(),
                            integration=INTEGRATION, number=body.get("number"), settings={})
        instance.settings = {"id": cuid(), **settings, "createdAt": instance.created_at,
                             "updatedAt": instance.created_at, "instanceId": instance.id}
        self.registry.add(instance)
        try:
            self._configure_from_create(instance, body)
        except ApiError as exc:
            # createInstance's catch: the half-made instance is removed, the error becomes a 400.
            self._remove(instance)
            raise bad_request(exc.message) from exc
        self.dispatch.emit(instance, "instance.create", payloads.instance_ref(instance))
        answer = self._create_answer(instance, body, settings)
        if body.get("qrcode") is True:
            instance.phone_number = instance.number  # connectToWhatsapp(instanceData.number)
            self._start_connecting(instance)
            self.pause(self.connect_delay)
            answer["instance"]["status"] = instance.state
            answer["qrcode"] = payloads.qr_answer(instance)
        return answer

    def _configure_from_create(self, instance: Instance, body: dict) -> None:
        """eventManager.setInstance: any nested block is stored enabled, whatever it says."""
        for kind, store in (("websocket", self._store_websocket), ("webhook", self._store_webhook)):
            block = body.get(kind)
            if block:
                block = block if isinstance(block, dict) else {}
                store(instance, block | {"enabled": True})

    @staticmethod
    def _create_answer(instance: Instance, body: dict, settings: dict) -> dict:
        hook = body.get("webhook") if isinstance(body.get("webhook"), dict) else {}

        def enabled(kind: str) -> dict:
            block = body.get(kind) if isinstance(body.get(kind), dict) else {}
            return payloads.without_none(enabled=block.get("enabled"))

        return {
            "instance": {"instanceName": instance.name, "instanceId": instance.id, "integration": INTEGRATION,
                         "webhookWaBusiness": None, "accessTokenWaBusiness": "", "status": instance.state},
            "hash": instance.token,
            "webhook": payloads.without_none(webhookUrl=hook.get("url"), webhookHeaders=hook.get("headers"),
                                              webhookByEvents=hook.get("byEvents"),
                                              webhookBase64=hook.get("base64")),
            "websocket": enabled("websocket"), "rabbitmq": enabled("rabbitmq"), "nats": enabled("nats"),
            "sqs": enabled("sqs"), "settings": settings,
        }

    def fetch(self, key: str, name: str | None, by_id: str | None) -> list[dict]:
        """fetchInstances: the global key sees all, an instance token only its own instance."""
        if key != self.api_key:
            owned = [i.name for i in self.registry.by_token(key)
                     if (not name or i.name == name) and (not by_id or i.id == by_id)]
            if not owned:
                raise unauthorized()
            return self._instance_info(owned)
        if by_id:
            match = next((i for i in self.registry.rows() if i.id == by_id), None)
            if match is None:
                raise not_found(f'Instance "{by_id}" not found')
            return self._instance_info([match.name])
        return self._instance_info([name] if name else None)

    def _instance_info(self, names: list[str] | None) -> list[dict]:
        missing = [n for n in names or [] if self.registry.live(n) is None]
        if missing:
            raise not_found(f'Instance{"s" if len(missing) > 1 else ""} "{", ".join(missing)}" not found')
        return [i.row() for i in self.registry.rows() if names is None or i.name in names]

    def connect(self, instance: Instance, number: str | None = None) -> dict:
        """connectToWhatsapp: only a closed instance starts again, with `number` to pair by code;
        a connecting one answers its current QR and ignores the number (instance.controller.ts)."""
        if instance.removed:
            return OBJECT_ERROR
        if instance.state == "open":
            return self.connection_state(instance)
        if instance.state == "close":
            instance.phone_number = number or None
            self._start_connecting(instance)
            self.pause(self.connect_delay)
        return payloads.qr_answer(instance)

    def restart(self, instance: Instance) -> dict:
        if instance.removed or instance.state == "close":
            return OBJECT_ERROR
        return self.connect(instance)

    @staticmethod
    def connection_state(instance: Instance) -> dict:
        state = None if instance.removed else instance.state
        return {"instance": payloads.without_none(instanceName=instance.name, state=state)}

    def logout(self, instance: Instance) -> dict:
        if not instance.removed:
            if instance.state == "close":
                raise bad_request(f'The "{instance.name}" instance is not connected')
            self._log_out(instance)
        return success("Instance logged out")

    def delete(self, instance: Instance) -> dict:
        if not instance.removed:
            if instance.state != "close":
                self._log_out(instance)
            self.dispatch.emit(instance, "instance.delete", payloads.instance_ref(instance))
            self._remove(instance)
        return success("Instance deleted")

    # -- event settings -----------------------------------------------------------------------
    def set_webhook(self, instance: Instance, block: dict) -> dict:
        if instance.removed:
            stored_events(block)  # the events check runs (and may crash) before the instance lookup
            raise crash("Cannot read properties of undefined (reading 'instanceId')")
        return self._store_webhook(instance, block)

    def set_websocket(self, instance: Instance, block) -> dict:
        if block is MISSING:
            raise crash("Cannot set properties of undefined (setting 'events')")
        if instance.removed:
            stored_events(block)
            raise crash("Cannot read properties of undefined (reading 'instanceId')")
        return self._store_websocket(instance, block)

    @staticmethod
    def find_webhook(instance: Instance) -> dict | None:
        return None if instance.removed else instance.webhook

    @staticmethod
    def find_websocket(instance: Instance) -> dict | None:
        return None if instance.removed else instance.websocket

    def _store_webhook(self, instance: Instance, block: dict) -> dict:
        """Prisma upsert: create fills defaults, update leaves absent fields as they were."""
        events = stored_events(block)
        fields = {"url": block.get("url", MISSING), "headers": block.get("headers", MISSING),
                  "enabled": block.get("enabled"), "events": events,
                  "webhookByEvents": block.get("byEvents", MISSING), "webhookBase64": block.get("base64", MISSING)}
        if instance.webhook is None:
            if fields["url"] is MISSING:
                raise crash("Argument `url` is missing.")
            defaults = {"headers": None, "webhookByEvents": False, "webhookBase64": False}
            now = now_iso()
            instance.webhook = {"id": cuid(), **{k: defaults[k] if v is MISSING else v for k, v in fields.items()},
                                "createdAt": now, "updatedAt": now, "instanceId": instance.id}
        else:
            instance.webhook.update({k: v for k, v in fields.items() if v is not MISSING}, updatedAt=now_iso())
        return instance.webhook

    def _store_websocket(self, instance: Instance, block: dict) -> dict:
        events = stored_events(block)
        now = now_iso()
        if instance.websocket is None:
            instance.websocket = {"id": cuid(), "enabled": block.get("enabled"), "events": events,
                                  "createdAt": now, "updatedAt": now, "instanceId": instance.id}
        else:
            instance.websocket.update(enabled=block.get("enabled"), events=events, updatedAt=now)
        return instance.websocket

    # -- messages -----------------------------------------------------------------------------
    def find_messages(self, instance: Instance, query: dict) -> dict:
        if instance.removed:
            raise crash("Cannot read properties of undefined (reading 'fetchMessages')")
        return payloads.find_messages(instance.messages, query)

    def receive(self, instance: Instance, text: str, from_me: bool, remote_jid: str, push_name: str,
                timestamp: int | None = None, image: str | None = None) -> str:
        """One messages.upsert, stored so findMessages can replay it."""
        key = {"remoteJid": remote_jid, "fromMe": from_me, "id": message_key_id(from_me)}
        if image is None:
            message = {"conversation": text}
        else:
            message = {"imageMessage": {"mimetype": "image/png", "caption": text}}
            hook = instance.webhook or {}
            if hook.get("enabled") and hook.get("webhookBase64"):
                message["base64"] = image
        upsert = payloads.message_upsert(instance, key, "Você" if from_me else push_name, message,
                                         timestamp or epoch_seconds())
        instance.messages.append(payloads.stored_message(cuid(), upsert))
        self.dispatch.emit(instance, "messages.upsert", upsert)
        return key["id"]

    def ack(self, instance: Instance, key_id: str, status: str) -> dict:
        """messages.update, and its MessageUpdate row (DATABASE_SAVE_MESSAGE_UPDATE=true)."""
        record = self._message(instance, key_id)
        record["MessageUpdate"].append({"status": status})
        update = payloads.message_update(instance, record, status)
        self.dispatch.emit(instance, "messages.update", update)
        return update

    def revoke(self, instance: Instance, key_id: str) -> dict:
        """The sender deleted the message: messages.delete with its key, and a "DELETED" MessageUpdate row."""
        record = self._message(instance, key_id)
        record["MessageUpdate"].append({"status": "DELETED"})
        self.dispatch.emit(instance, "messages.delete", record["key"])
        return record["key"]

    @staticmethod
    def _message(instance: Instance, key_id: str) -> dict:
        """The stored message; Evolution skips an update whose message it does not have."""
        record = next((m for m in instance.messages if m["key"]["id"] == key_id), None)
        if record is None:
            raise not_found(f'Message "{key_id}" not found')
        return record

    # -- connection (Baileys side) ------------------------------------------------------------
    def new_qr(self, instance: Instance) -> None:
        """A fresh code, or past the limit: refuse and fall back to close."""
        if instance.qrcode["count"] >= self.qr_limit:
            self.dispatch.emit(instance, "qrcode.updated", payloads.qrcode_limit())
            self.dispatch.emit(instance, "connection.update", payloads.qr_refused(instance))
            instance.state, instance.qrcode = "close", {"count": 0}
            return
        code = new_code()
        instance.state = "connecting"
        # With a number to pair, each QR comes with a pairing code (client.requestPairingCode).
        pairing = new_pairing_code() if instance.phone_number else None
        instance.qrcode = {"count": instance.qrcode["count"] + 1, "pairingCode": pairing,
                           "code": code, "base64": payloads.qr_data_url(code)}
        self.dispatch.emit(instance, "qrcode.updated", payloads.qrcode_updated(instance))

    def scan(self, instance: Instance, number: str, profile_name: str, picture: str | None) -> None:
        if instance.state == "close":
            self._start_connecting(instance)
        instance.state = "open"
        instance.wuid = f"{number}@s.whatsapp.net"
        instance.profile_name, instance.profile_picture_url = profile_name, picture
        instance.touch()
        self.dispatch.emit(instance, "connection.update", payloads.connection_update(instance, "open"))

    def _start_connecting(self, instance: Instance) -> None:
        instance.state = "connecting"
        self.dispatch.emit(instance, "connection.update", payloads.connection_update(instance, "connecting"))
        self.new_qr(instance)

    def _log_out(self, instance: Instance) -> None:
        """WhatsApp confirms the logout: status.instance, logout.instance, then connection.update close."""
        at = now_iso()
        status = payloads.logged_out(instance, at, at)
        instance.state, instance.qrcode = "close", {"count": 0}
        instance.disconnection = {"code": payloads.LOGGED_OUT, "object": status["disconnectionObject"], "at": at}
        instance.touch()
        self.dispatch.emit(instance, "status.instance", status)
        self.dispatch.emit(instance, "logout.instance", None)
        self.dispatch.emit(instance, "connection.update",
                           payloads.connection_update(instance, "close", payloads.LOGGED_OUT))

    def _remove(self, instance: Instance) -> None:
        """remove.instance: gone from memory now, rows purged a moment later."""
        self.dispatch.emit(instance, "remove.instance", None)
        instance.removed = True
        stop = self._stop

        def purge() -> None:
            stop.wait(PURGE_DELAY)
            self.registry.purge(instance)

        spawn(f"purge {instance.name}", purge)

    # -- server-level controls ----------------------------------------------------------------
    def restart_server(self) -> None:
        """Sockets cut, namespaces unknown again, pending retries lost; stored rows kept.

        Booting, Evolution reconnects every instance that was open (WAMonitoringService.loadInstances),
        and Baileys reports it: connection.update connecting, then open.
        """
        self.hub.drop_clients()
        self.hub.forget_namespaces()
        self.sender.cancel_pending()
        for instance in self.registry.rows():
            if instance.state == "open" and not instance.removed:
                self.dispatch.emit(instance, "connection.update", payloads.connection_update(instance, "connecting"))
                self.dispatch.emit(instance, "connection.update", payloads.connection_update(instance, "open"))

    def reset(self) -> None:
        self.restart_server()
        self._stop.set()
        self._stop = Event()
        self.registry.clear()
        self.faults.clear()
        self.sender.clear_log()

    def describe(self, instance: Instance) -> dict:
        return {
            "name": instance.name, "instanceId": instance.id, "token": instance.token, "state": instance.state,
            "removed": instance.removed, "wuid": instance.wuid, "profileName": instance.profile_name,
            "webhook": instance.webhook, "websocket": instance.websocket, "qrcodeCount": instance.qrcode["count"],
            "pairingNumber": instance.phone_number, "messages": len(instance.messages), "namespaceLive": self.hub.is_live(instance.name),
        }
