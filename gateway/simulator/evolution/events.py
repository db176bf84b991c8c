"""Routes one instance event to its socket.io namespaces and its webhook, as EventManager.emit does.

Follows src/api/integrations/event/event.manager.ts (emit),
src/api/integrations/event/websocket/websocket.controller.ts (emit) and
src/api/integrations/event/webhook/webhook.controller.ts (emit).
"""
from __future__ import annotations

import re

from .catalog import is_selected, url_suffix
from .delivery import WebhookSender
from .ids import now_iso
from .payloads import socket_envelope, webhook_envelope
from .sockets import SocketHub
from .store import Instance

_HTTP_URL = re.compile(r"^https?://")


class Dispatcher:
    def __init__(self, hub: SocketHub, sender: WebhookSender, server_url: str) -> None:
        self.hub = hub
        self.sender = sender
        self.server_url = server_url

    def emit(self, instance: Instance, event: str, data) -> None:
        date_time = now_iso()
        self.hub.publish(instance.name, event, socket_envelope(instance, event, data, date_time, self.server_url),
                         to_instance=is_selected(instance.websocket, event))
        hook = instance.webhook
        if is_selected(hook, event) and _HTTP_URL.match(hook["url"] or ""):
            url = f"{hook['url']}/{url_suffix(event)}" if hook.get("webhookByEvents") else hook["url"]
            self.sender.send(url, hook.get("headers"),
                             webhook_envelope(instance, event, data, date_time, self.server_url))
