"""The simulators' HTTP handler: answers leave at once, as they do from the real servers.

Simulator machinery, shared by both providers (the tests' stand-in for gunicorn uses it too: gunicorn
turns Nagle's algorithm off on its listeners, gunicorn/sock.py). Both real providers serve from Node.js's http server,
whose `noDelay` option is on by default: Nagle's algorithm is off on every connection it accepts.
gevent's server leaves it on, and it writes an answer's head and body in two segments; a keep-alive
client (the gateway's provider session) then got the body only after its own delayed ACK, 40 ms
later on Linux, on every call but a connection's first.
"""
from __future__ import annotations

import socket

from gevent.pywsgi import WSGIHandler


class PromptHandler(WSGIHandler):
    """gevent's handler with Nagle's algorithm off on its connection."""

    def handle(self):
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return super().handle()
