"""A one-off socket.io handshake against a provider, to tell an operator whether a socket would work."""
from __future__ import annotations

import time
from collections.abc import Callable

import socketio

from ...connections.socketio_client import SocketIOClient
from ..base import SocketAddress


def probe_socket(address: SocketAddress, namespace: str, name: str, spawn: Callable, timeout: float = 10.0) -> dict:
    """Connect to the namespace the gateway would use, then leave; latency or the server's exact refusal."""
    refusal: list[str] = []
    client = SocketIOClient()
    client.on("connect_error", lambda data=None: refusal.append(
        str(data.get("message") if isinstance(data, dict) else data)), namespace=namespace)
    began = time.monotonic()
    try:
        client.connect(address.url, namespaces=[namespace], transports=["websocket"], headers=dict(address.headers),
                       socketio_path=address.path, wait_timeout=timeout)
    except socketio.exceptions.ConnectionError as error:
        return {"ok": False, "namespace": namespace, "error": address.masked(refusal[-1] if refusal else str(error))}
    latency_ms = round((time.monotonic() - began) * 1000, 1)
    # The goodbye needs no answer from the server; the caller's reply need not wait for it either.
    spawn(f"probe-disconnect:{name}", client.disconnect_quietly)
    return {"ok": True, "namespace": namespace, "latency_ms": latency_ms}
