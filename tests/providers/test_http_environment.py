"""The provider session reads the environment once, yet an operator's HTTP(S)_PROXY, NO_PROXY and CA
bundle still apply to every call, over real loopback sockets."""
from __future__ import annotations

import pytest
import requests
from gevent.server import StreamServer

from gateway.providers.errors import ProviderUnavailable
from gateway.providers.http import HttpClient

ENVIRONMENT = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
               "NO_PROXY", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


class Recorder:
    """A loopback HTTP server that keeps each request line and answers `{}` (a CONNECT: 403, a refusal)."""

    def __init__(self):
        self.lines: list[str] = []
        self.server = StreamServer(("127.0.0.1", 0), self._handle)
        self.server.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def _handle(self, sock, address) -> None:
        with sock, sock.makefile("rb") as reader:
            self.lines.append(reader.readline().decode().strip())
            while reader.readline() not in (b"\r\n", b"\n", b""):
                pass
            if self.lines[-1].startswith("CONNECT "):
                sock.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            else:
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                             b"Connection: close\r\n\r\n{}")


@pytest.fixture
def environment(monkeypatch):
    """The test's environment alone decides: nothing inherited from the machine's."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def recorder():
    started = []

    def start() -> Recorder:
        started.append(Recorder())
        return started[-1]

    yield start
    for server in started:
        server.server.stop()


def client(base_url: str) -> HttpClient:
    return HttpClient(base_url, {"apikey": "k"}, "k", timeout=5.0, retry_delays=())


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_a_proxy_from_the_environment_carries_the_call(environment, recorder, variable):
    proxy = recorder()
    environment.setenv(variable, proxy.url)
    # The provider's name resolves nowhere: only the proxy can answer.
    assert client("http://provider.invalid:8080").call("GET", "/instance/fetchInstances") == {}
    assert proxy.lines == ["GET http://provider.invalid:8080/instance/fetchInstances HTTP/1.1"]


def test_an_https_provider_is_tunnelled_through_the_https_proxy(environment, recorder):
    proxy = recorder()
    environment.setenv("HTTPS_PROXY", proxy.url)
    with pytest.raises(ProviderUnavailable):  # the recorder refuses the tunnel
        client("https://provider.invalid").call("GET", "/instance/fetchInstances")
    assert [line.rsplit(" ", 1)[0] for line in proxy.lines] == ["CONNECT provider.invalid:443"]


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.0/8", "*"])
def test_no_proxy_sends_the_call_straight_to_the_provider(environment, recorder, no_proxy):
    proxy, provider = recorder(), recorder()
    environment.setenv("HTTP_PROXY", proxy.url)
    environment.setenv("NO_PROXY", no_proxy)
    assert client(provider.url).call("GET", "/instance/fetchInstances") == {}
    assert (provider.lines, proxy.lines) == (["GET /instance/fetchInstances HTTP/1.1"], [])


@pytest.mark.parametrize("variables", [
    {},
    {"HTTPS_PROXY": "http://proxy.example:3128", "HTTP_PROXY": "http://other.example:3128"},
    {"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": ".example.org"},
    {"https_proxy": "http://proxy.example:3128", "no_proxy": "provider.example.org"},
    {"ALL_PROXY": "socks5://proxy.example:1080"},
    {"REQUESTS_CA_BUNDLE": "/etc/ssl/operator.pem", "CURL_CA_BUNDLE": "/etc/ssl/curl.pem"},
    {"CURL_CA_BUNDLE": "/etc/ssl/curl.pem"},
])
def test_every_call_gets_the_proxies_and_ca_bundle_requests_would_read(environment, variables):
    for name, value in variables.items():
        environment.setenv(name, value)
    url = "https://provider.example.org/instance/fetchInstances"
    ours = client("https://provider.example.org").session.merge_environment_settings(url, {}, None, None, None)
    assert ours == requests.Session().merge_environment_settings(url, {}, None, None, None)
