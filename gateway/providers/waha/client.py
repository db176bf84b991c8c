"""Client for WAHA's REST interface (Core, one session `default`), with its traps handled once, here.

- Core knows only `default`; another name is WAHA's 422, passed on with WAHA's words.
- After DELETE, `POST {start: false}` answers 201 and creates nothing: a session is always
  created with `start: true`.
- `PUT` replaces the whole config and restarts a running session: callers read, modify, write.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ..base import ProviderStatus, QrCode, ServerInfo
from ..errors import ProviderNotFound, ProviderRejected
from ..http import HttpClient, segment

# WAHA's statuses in the gateway's words (open / connecting / close).
STATES = {"STOPPED": "close", "STARTING": "connecting", "SCAN_QR_CODE": "connecting", "WORKING": "open",
          "FAILED": "close"}
CHATS_PAGE = 50
# Seconds a pairing request waits for a starting session to offer its QR (and so a code).
PAIRING_WAIT = 5.0
MESSAGES_PAGE = 100


@dataclass(frozen=True)
class Session:
    name: str
    status: str | None
    config: dict | None
    me: dict | None

    @classmethod
    def of(cls, record: dict) -> Session:
        config = record.get("config")
        return cls(record["name"], record.get("status"), config if isinstance(config, dict) else None,
                   record.get("me") if isinstance(record.get("me"), dict) else None)


class WahaClient:
    """One WAHA server, called with its `X-Api-Key`."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0):
        self.http = HttpClient(base_url, {"X-Api-Key": api_key}, api_key, timeout)
        self.base_url = self.http.base_url
        self.api_key = api_key

    def version(self) -> str | None:
        answer = self.http.call("GET", "/api/server/version") or {}
        return answer.get("version") if isinstance(answer, dict) else None

    def check(self) -> ServerInfo:
        """Prove the server answers and takes the key (the version route is open on old servers)."""
        sessions = self.fetch_instances()
        return ServerInfo(self.version(), len(sessions))

    info = check

    def fetch_instances(self, name: str | None = None) -> list[Session]:
        """Every session, stopped ones too (WAHA lists those only with `all=true`)."""
        records = self.http.call("GET", "/api/sessions", params={"all": "true"}) or []
        return [Session.of(record) for record in records if name is None or record.get("name") == name]

    def session(self, name: str) -> Session:
        return Session.of(self.http.call("GET", f"/api/sessions/{segment(name)}"))

    def find(self, name: str) -> Session | None:
        try:
            return self.session(name)
        except ProviderNotFound:
            return None

    def create(self, name: str, config: dict | None) -> Session:
        """Create and start; `start: false` after a DELETE creates nothing (201, empty body)."""
        answer = self.http.call("POST", "/api/sessions", json={"name": name, "start": True, "config": config})
        if not answer:
            raise ProviderRejected(f"WAHA answered the creation of {name!r} without creating it")
        return Session.of(answer)

    def put_config(self, name: str, config: dict | None) -> Session:
        """Replace the whole config (a running session restarts, about 3 s)."""
        return Session.of(self.http.call("PUT", f"/api/sessions/{segment(name)}",
                                         json={"name": name, "config": config}))

    def status(self, name: str) -> ProviderStatus:
        word = self.session(name).status
        return ProviderStatus(STATES.get(word or ""), word)

    def connection_state(self, name: str) -> str | None:
        return self.status(name).state

    def start(self, name: str) -> Session:
        return Session.of(self.http.call("POST", f"/api/sessions/{segment(name)}/start"))

    def connect(self, name: str, number: str | None = None) -> QrCode:
        """Start the session if it is not running; the QR comes with SCAN_QR_CODE (see current_qr).

        With `number`, a pairing code is asked for too, which WAHA gives only in SCAN_QR_CODE: the
        session is given `PAIRING_WAIT` seconds to get there.
        """
        session = self.session(name)
        if session.status in ("STOPPED", "FAILED"):
            session = self.start(name)
        if number is not None and session.status == "STARTING":
            session = self._wait_for_qr(name)
        if session.status != "SCAN_QR_CODE":
            return QrCode()
        qr = self.current_qr(name) or QrCode()
        if number is None:
            return qr
        return QrCode(qr.count, qr.code, qr.base64, self.request_code(name, number))

    def _wait_for_qr(self, name: str) -> Session:
        deadline = time.monotonic() + PAIRING_WAIT
        session = self.session(name)
        while session.status == "STARTING" and time.monotonic() < deadline:
            time.sleep(0.2)
            session = self.session(name)
        return session

    def current_qr(self, name: str) -> QrCode | None:
        """The QR to scan now, as a data URL and its raw string; None unless the session is in SCAN_QR_CODE."""
        try:
            raw = self.http.call("GET", f"/api/{segment(name)}/auth/qr", params={"format": "raw"})
            image = self.http.call("GET", f"/api/{segment(name)}/auth/qr", params={"format": "image"},
                                   headers={"Accept": "application/json"})
        except ProviderRejected:
            return None  # 422: the status moved on
        data = image.get("data") if isinstance(image, dict) else None
        if not data:
            return None
        return QrCode(code=(raw or {}).get("value"), base64=f"data:{image.get('mimetype', 'image/png')};base64,{data}")

    def request_code(self, name: str, phone_number: str) -> str | None:
        """A pairing code to type on the phone instead of scanning."""
        answer = self.http.call("POST", f"/api/{segment(name)}/auth/request-code", json={"phoneNumber": phone_number})
        return answer.get("code") if isinstance(answer, dict) else None

    def logout(self, name: str) -> None:
        self.http.call("POST", f"/api/sessions/{segment(name)}/logout")

    def delete(self, name: str) -> None:
        self.http.call("DELETE", f"/api/sessions/{segment(name)}")

    def wait_deleted(self, name: str, timeout: float = 5.0, interval: float = 0.1) -> bool:
        """WAHA deletes synchronously."""
        return True

    def find_messages(self, name: str, since_timestamp: int) -> list[dict]:
        """Messages from `since_timestamp` (epoch seconds) on, oldest first, from every chat active since then.

        Needs a WORKING session whose engine keeps a store (NOWEB with store enabled); chats are read
        newest first and reading stops at the first chat quiet since then.
        """
        records: dict[str, dict] = {}
        offset = 0
        while True:
            chats = self.http.call("GET", f"/api/{segment(name)}/chats",
                                   params={"limit": CHATS_PAGE, "offset": offset, "sortBy": "conversationTimestamp",
                                           "sortOrder": "desc"}) or []
            for chat in chats:
                if (chat.get("conversationTimestamp") or 0) < since_timestamp:
                    return _oldest_first(records)
                records.update((message["id"], message) for message in self._chat_messages(name, chat["id"],
                                                                                          since_timestamp))
            if len(chats) < CHATS_PAGE:
                return _oldest_first(records)
            offset += CHATS_PAGE

    def _chat_messages(self, name: str, chat_id: str, since_timestamp: int) -> list[dict]:
        messages, offset = [], 0
        while True:
            page = self.http.call("GET", f"/api/{segment(name)}/chats/{segment(chat_id)}/messages",
                                  params={"limit": MESSAGES_PAGE, "offset": offset, "downloadMedia": "false",
                                          "filter.timestamp.gte": since_timestamp}) or []
            messages += [message for message in page if isinstance(message, dict) and message.get("id")]
            if len(page) < MESSAGES_PAGE:
                return messages
            offset += MESSAGES_PAGE


def _oldest_first(records: dict[str, Any]) -> list[dict]:
    return sorted(records.values(), key=lambda message: message.get("timestamp") or 0)
