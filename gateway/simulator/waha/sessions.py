"""What the simulated WAHA Core does with its one session: life cycle, config, status events, QR, messages.

Follows src/core/manager.core.ts (only `default`; exists at boot STOPPED with config null; config in
memory only; upsert/start/stop/delete, SESSION_STOP_TIMEOUT; 2026.x: after DELETE, POST start:false
answers 201 empty and creates nothing), src/api/sessions.controller.ts (PUT replaces the whole config
and restarts a running session), src/core/abc/session.abc.ts (status payload with the last 3 statuses),
src/core/abc/manager.abc.ts (envelope: populateSessionInfo), src/api/auth.controller.ts (QR, pairing
code), src/core/QR.ts (the PNG) and src/core/engines/noweb/session.noweb.core.ts (requestCode).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from gevent.event import Event

from ..qr import new_code, new_pairing_code, png
from ..tasks import spawn
from .errors import http_error, only_default, session_not_found, unexpected_status
from .ids import event_id, now_ms, ulid
from .validation import session_config
from .versions import Version
from .webhooks import WebhookSender, selected
from .ws import WsHub

DEFAULT = "default"
RUNNING = ("STARTING", "SCAN_QR_CODE", "WORKING")
# `PUT {}` leaves the session without a `config` key at all, unlike `{"config": null}`.
ABSENT = object()
ACK_NAMES = {-1: "ERROR", 0: "PENDING", 1: "SERVER", 2: "DEVICE", 3: "READ", 4: "PLAYED"}


@dataclass
class Session:
    name: str = DEFAULT
    status: str = "STOPPED"
    config: object = None
    statuses: list[dict] = field(default_factory=list)
    qr_code: str | None = None
    # The phone the auth files belong to: WAHA keeps them across restarts and stops, not across logout.
    paired: dict | None = None
    messages: list[dict] = field(default_factory=list)

    @property
    def me(self) -> dict | None:
        return self.paired if self.status == "WORKING" else None

    def view(self, engine: bool = True) -> dict:
        """GET /api/sessions/{name}; the list leaves `engine` out."""
        answer = {"name": self.name, "status": self.status}
        if self.config is not ABSENT:
            answer["config"] = self.config
        answer.update(me=self.me, presence=None,
                      timestamps={"activity": None} if self.status == "STOPPED" else {})
        if engine:
            answer["engine"] = {} if self.status == "STOPPED" else {"engine": "NOWEB"}
        return answer


class WahaSimulator:
    def __init__(self, api_key: str, version: Version, sender: WebhookSender, hub: WsHub,
                 time_scale: float = 1.0, qr_delay: float = 0.2):
        self.api_key = api_key
        self.version = version
        self.sender = sender
        self.hub = hub
        # Multiplies WAHA's own waits (stop 3 s, logout 4 s, QR 5-10 s), so tests need not sit through them.
        self.time_scale = time_scale
        self.qr_delay = qr_delay
        self.session: Session | None = Session()
        self.faults = None  # set by the app (shared with the Evolution simulator)
        self._stop = Event()

    # -- helpers -----------------------------------------------------------------------------
    def pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stop.wait(seconds)

    def check_name(self, name: str) -> None:
        if name != DEFAULT:
            raise only_default(name)

    def existing(self, name: str) -> Session:
        self.check_name(name)
        if self.session is None:
            raise session_not_found()
        return self.session

    # -- REST ----------------------------------------------------------------------------------
    def list(self, all_: bool) -> list[dict]:
        if self.session is None or (not all_ and self.session.status == "STOPPED"):
            return []
        return [self.session.view(engine=False)]

    def create(self, body: dict) -> dict | None:
        name = body.get("name") or f"session_{ulid().lower()}"
        self.check_name(name)
        config = session_config(body.get("config"), self.version)
        if self.session is not None:
            raise http_error(422, f"Session '{name}' already exists. Use PUT to update it.")
        start = body.get("start", True) is not False
        if not start and self.version.start_false_trap:
            return None  # 201 with an empty body, and still 404 afterwards
        self.session = Session(config=config)
        if start:
            self._start(self.session)
        return self.session.view()

    def update(self, name: str, body: dict) -> dict:
        session = self.existing(name)
        config = session_config(body.get("config"), self.version) if "config" in body else ABSENT
        if session.status in RUNNING:
            self._stop_running(session)
            session.config = config
            self._start(session)
        else:
            session.config = config
        return session.view()

    def delete(self, name: str) -> None:
        session = self.existing(name)
        if session.status in RUNNING:
            self._stop_running(session)
        self.session = None

    def start(self, name: str) -> dict:
        session = self.existing(name)
        if session.status in RUNNING:
            raise http_error(422, f"Session '{name}' is already started.")
        self._start(session)
        return session.view()

    def stop(self, name: str) -> dict:
        session = self.existing(name)
        if session.status in RUNNING:
            self._stop_running(session)
        return session.view()

    def restart(self, name: str) -> dict:
        session = self.existing(name)
        if session.status in RUNNING:
            self._stop_running(session)
        self._start(session)
        return session.view()

    def logout(self, name: str) -> dict:
        """Stop, clean the auth files, start again (4 s on a running session)."""
        session = self.existing(name)
        session.paired = None
        if session.status in RUNNING:
            self._stop_running(session)
            self.pause(1.0 * self.time_scale)
            self._start(session)
        return session.view()

    def qr(self, name: str) -> str:
        """The current QR string; 422 after WAHA's wait (5 s stopped or gone, 10 s starting) otherwise."""
        self.check_name(name)
        session = self.session
        if session is None or session.status != "SCAN_QR_CODE":
            status = None if session is None else session.status
            self.pause((10.0 if status == "STARTING" else 5.0) * self.time_scale)
            raise unexpected_status(name, status, ["SCAN_QR_CODE"])
        return session.qr_code

    def request_code(self, name: str, phone: str) -> dict:
        session = self.existing(name)
        if session.status != "SCAN_QR_CODE":
            raise unexpected_status(name, session.status, ["SCAN_QR_CODE"])
        if not phone.isdigit():
            raise http_error(400, ["phoneNumber must be digits"])
        code = new_pairing_code()
        return {"code": f"{code[:4]}-{code[4:]}"}  # requestCode shows it as ABCD-ABCD

    def working(self, name: str) -> Session:
        session = self.existing(name)
        if session.status != "WORKING":
            raise unexpected_status(name, session.status, ["WORKING"])
        return session

    # -- the phone (control API) ------------------------------------------------------------------
    def rotate_qr(self) -> None:
        session = self.session
        if session is not None and session.status == "SCAN_QR_CODE":
            session.qr_code = new_code()
            self._status(session, "SCAN_QR_CODE")

    def scan(self, number: str, push_name: str) -> None:
        session = self.session
        if session is None or session.status not in RUNNING:
            raise http_error(422, "the session is not running")
        session.paired = {"id": f"{number}@c.us", "pushName": push_name}
        session.qr_code = None
        self._status(session, "WORKING")

    def receive(self, session: Session, text: str, chat: str, from_me: bool, timestamp: int | None) -> dict:
        me = (session.paired or {}).get("id", "")
        message_id = f"{'true' if from_me else 'false'}_{chat}_{secrets.token_hex(10).upper()}"
        message = {"id": message_id, "timestamp": timestamp or now_ms() // 1000,
                   "from": me if from_me else chat, "fromMe": from_me, "source": "app",
                   "to": chat if from_me else me, "body": text, "hasMedia": False, "media": None,
                   "ack": 1, "ackName": "SERVER", "replyTo": None, "_data": {}}
        session.messages.append(message)
        if not from_me:
            self.emit(session, "message", message)
        self.emit(session, "message.any", message)
        return message

    def ack(self, session: Session, message_id: str, ack: int) -> dict:
        message = next((m for m in session.messages if m["id"] == message_id), None)
        if message is None:
            raise http_error(404, f"Message {message_id} not found")
        message.update(ack=ack, ackName=ACK_NAMES.get(ack, "UNKNOWN"))
        payload = {key: message[key] for key in ("id", "from", "fromMe", "to", "ack", "ackName")}
        self.emit(session, "message.ack", payload)
        return payload

    def restart_server(self) -> None:
        """A WAHA restart: config (memory only) lost, session back to STOPPED, sockets cut, retries gone."""
        self.hub.drop()
        self.sender.forget()
        paired = self.session.paired if self.session else None
        self.session = Session(paired=paired)

    def reset(self) -> None:
        self._stop.set()
        self._stop = Event()
        self.hub.drop()
        self.sender.reset()
        self.session = Session()

    # -- events ------------------------------------------------------------------------------
    def emit(self, session: Session, event: str, payload, config: dict | None | bool = False) -> dict:
        """One event to every selected webhook of the config (the session's own by default) and to /ws."""
        config = session.config if config is False else config
        envelope = {}
        if self.version.signs:
            envelope.update(id=event_id(), timestamp=now_ms())
        envelope.update(event=event, session=session.name)
        if isinstance(config, dict) and config.get("metadata"):
            envelope["metadata"] = config["metadata"]
        envelope.update(me=session.me, payload=payload, engine="NOWEB", environment=self.version.environment)
        for hook in (config if isinstance(config, dict) else {}).get("webhooks") or []:
            if selected(hook, event):
                self.sender.send(hook, envelope)
        self.hub.publish(envelope)
        return envelope

    def _status(self, session: Session, status: str, config: dict | None | bool = False) -> None:
        session.status = status
        session.statuses = (session.statuses + [{"status": status, "timestamp": now_ms()}])[-3:]
        payload = {"name": session.name, "status": status}
        if self.version.statuses_in_payload:
            payload["statuses"] = list(session.statuses)
        self.emit(session, "session.status", payload, config)

    def _start(self, session: Session) -> None:
        self._status(session, "STARTING")
        spawn("waha-connect", self._connect, session)

    def _connect(self, session: Session) -> None:
        """NOWEB's first answer from WhatsApp: paired auth files log straight in, else a QR to scan."""
        self.pause(self.qr_delay)
        if self.session is not session or session.status != "STARTING":
            return
        if session.paired:
            self._status(session, "WORKING")
        else:
            session.qr_code = new_code()
            self._status(session, "SCAN_QR_CODE")

    def _stop_running(self, session: Session) -> None:
        self.pause(self.version.stop_delay * self.time_scale)
        session.qr_code = None
        self._status(session, "STOPPED")


def qr_png(code: str) -> bytes:
    """The PNG WAHA renders for a QR string: src/core/QR.ts calls npm `qrcode` toDataURL with its defaults."""
    return png(code, error="m", border=4, dark="#000000")
