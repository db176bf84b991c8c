"""Clients of a running gateway for the cross-process tests (Redis fixtures: tests/conftest.py)."""
from __future__ import annotations

import json
import time

import requests
import websocket

# -- clients of a running gateway ----------------------------------------------------------------

def seed(app) -> dict:
    """An admin with an API token, and a webhook-mode instance "sales" on a server nobody calls."""
    from gateway.accounts import create_user
    from gateway.tokens import issue_token
    from gateway.extensions import db
    from gateway.models import Instance, ProviderServer, Role

    with app.app_context():
        user = create_user("Acme", "admin@example.com", "correct horse battery", Role.ADMIN)
        server = ProviderServer(name="none", kind="evolution", base_url="http://127.0.0.1:9", api_key="unused-key")
        instance = Instance(tenant_id=user.tenant_id, server=server, name="sales", delivery_mode="webhook")
        db.session.add_all([server, instance])
        db.session.commit()
        return {"token": issue_token(user, "tests"), "secret": instance.webhook_secret, "instance_id": instance.id,
                "email": "admin@example.com", "password": "correct horse battery"}


def stream_socket(base_url: str, token: str, instance: str | None = "sales"):
    """An `/api/stream` client, subscribed to `instance` unless it is None."""
    ws = websocket.create_connection(base_url.replace("http", "ws") + "/api/stream",
                                     header={"Authorization": f"Bearer {token}"}, timeout=5)
    if instance is not None:
        ws.send(json.dumps({"action": "subscribe", "instance": instance}))
        assert json.loads(ws.recv()) == {"type": "subscribed", "instance": instance}
    return ws


def ui_socket(base_url: str, email: str, password: str):
    """A logged-in browser's `/ws/ui` socket on the instances page, past its first full render."""
    session = requests.Session()
    page = session.get(base_url + "/login").text
    marker = 'name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    csrf = page[start:page.index('"', start)]
    answer = session.post(base_url + "/login", data={"email": email, "password": password, "csrf_token": csrf},
                          allow_redirects=False)
    assert answer.status_code == 302, answer.text
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    ws = websocket.create_connection(base_url.replace("http", "ws") + "/ws/ui", timeout=5,
                                     header={"Cookie": cookie}, origin=base_url)
    receive_until(ws, lambda frame: 'id="instance-rows"' in frame)
    return ws


def receive_until(ws, wanted, timeout: float = 5.0):
    """The first frame `wanted(frame)` accepts, within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        ws.settimeout(left)
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            break
        if wanted(frame):
            return frame
    raise AssertionError(f"no wanted frame within {timeout} s")


def webhook(base_url: str, secret: str, number: int) -> requests.Response:
    """A messages.upsert webhook, as Evolution posts it."""
    body = {"event": "messages.upsert", "instance": "sales", "date_time": "2026-11-26T10:00:00.000Z",
            "data": {"key": {"remoteJid": "5511988887777@s.whatsapp.net", "fromMe": False, "id": f"RELAY{number:06d}"},
                     "pushName": "Bob", "message": {"conversation": f"message {number}"},
                     "messageType": "conversation", "messageTimestamp": 1764151200 + number}}
    return requests.post(f"{base_url}/api/webhooks/evolution/{secret}", json=body, timeout=10)
