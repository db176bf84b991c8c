"""Both simulators turn Nagle's algorithm off on the connections they accept, as Node's http server does."""
from __future__ import annotations

import socket

import gevent
import requests
from gevent.pywsgi import WSGIServer

from gateway.simulator.serving import PromptHandler


def test_the_simulators_handler_turns_nagle_off_on_each_connection():
    seen = []

    class Recording(PromptHandler):
        def handle_one_request(self):
            seen.append(self.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            return super().handle_one_request()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = WSGIServer(("127.0.0.1", 0), app, log=None, handler_class=Recording)
    server.start()
    try:
        with requests.Session() as session:  # one keep-alive connection, two requests on it
            for _ in range(2):
                assert session.get(f"http://127.0.0.1:{server.server_port}/", timeout=5).text == "ok"
    finally:
        server.stop(timeout=1)
        gevent.sleep(0)
    assert seen and all(seen), seen


def test_both_simulators_serve_with_the_prompt_handler(monkeypatch):
    from gateway.simulator.evolution import app as evolution
    from gateway.simulator.waha import app as waha

    assert issubclass(evolution.SimulatorHandler, PromptHandler)
    used = []
    monkeypatch.setattr(waha, "WSGIServer", lambda *args, **kwargs: used.append(kwargs["handler_class"]) or
                        type("Stopped", (), {"serve_forever": lambda self: None})())
    waha.serve(port=0, api_key="k")
    assert used == [PromptHandler]
