"""What someone meets at the simulator's port: it says what it is on start, and a client that does not
speak HTTP or socket.io gets a short answer in words, with nothing unreadable in the log."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests

from gateway.simulator.testing import wait_for

TLS_HELLO = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x8e\xa1garbage\r\n\r\n"


def test_it_says_what_it_is_and_where_it_listens(simulator):
    first_line = Path(simulator.log_path).read_text().splitlines()[0]
    assert first_line.startswith("Evolution API simulator (a stand-in for an Evolution API server, not the real "
                                 f"thing) listening on {simulator.base_url}")


def _raw(simulator, payload: bytes) -> bytes:
    host, port = simulator.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(payload)
        chunks = []
        while chunk := connection.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("payload", [TLS_HELLO, b"\x00\x01\x02\xff\xfe\r\n\r\n", b"HELLO\r\n\r\n"])
def test_a_client_that_does_not_speak_http_gets_a_400_in_words(simulator, payload):
    answer = _raw(simulator, payload)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert answer.endswith(b"\r\n\r\nThis is the Evolution API simulator: it speaks HTTP (REST, /_sim control) "
                           b"and socket.io on /socket.io/.\n")
    log = wait_for(lambda: (text := Path(simulator.log_path).read_text(errors="replace"))
                   and "answered 400 to a request that is not HTTP" in text and text, 5, "the warning")
    assert "garbage" not in log and "\\x16" not in log and "Invalid HTTP method" not in log


def test_a_plain_client_on_the_socket_path_is_told_to_use_socket_io(simulator):
    answer = requests.get(f"{simulator.base_url}/socket.io/", params={"apikey": simulator.api_key}, timeout=5)
    assert answer.status_code == 400
    assert answer.text == "This is a socket.io endpoint (Engine.IO 4): connect with a socket.io client.\n"
