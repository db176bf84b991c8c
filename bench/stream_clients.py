"""The fan-out bench's load generator: N `/api/stream` clients in one process of their own, as cheap
as a Python client can be, so that what the bench measures is the gateway and not its clients.

    .venv/bin/python bench/stream_clients.py <clients> <frames per client> <token> <instance> <port>...

Run by bench/fanout.py, never imported by the gateway. No gevent: 50 threads open the clients with
plain blocking sockets (handshake, subscribe, wait for `subscribed`), then one thread reads them all
through epoll: one `recv` per readable socket, the receipt time taken right after it. A frame's
bytes are the same for every client (the gateway encodes each event once), so an event's number is
parsed once and a read holding exactly one known frame, nearly every read, costs one dict lookup;
anything else is split into frames by their headers. Protocol with the parent: `ready <clients>`
on stdout once every client is subscribed, then, once every client holds its frames (or stdin is
closed), one pickle on stdout: the receipt times per event number, the frames the gateway said it
skipped, and this process's CPU time from `ready` on.
"""
from __future__ import annotations

import base64
import os
import pickle
import re
import resource
import select
import socket
import sys
import threading
import time
from array import array

OPENING_AT_ONCE = 50  # handshakes in flight: 4,000 at once overflow gunicorn's listen backlog
EVENT_NUMBER = re.compile(rb'"id":"BENCH(\d{8})"')


class Receipts:
    """What the clients got: per event number, the moment each client had its frame (time.time())."""

    def __init__(self):
        self.times: dict[int, array] = {}
        self.skipped = 0  # frames the gateway told a client it dropped (`{"type":"skipped"}`)
        self.numbers: dict[bytes, int] = {}  # frame payload -> event number (the same bytes for every client)
        # a whole event frame, header included -> its receipt times: one read of exactly one frame,
        # nearly every read, costs one lookup
        self.whole: dict[bytes, array] = {}

    def take(self, payload: bytes, now: float) -> bool:
        """Stamp one frame with the moment it was read; whether it was an event."""
        number = self.numbers.get(payload)
        if number is None:
            if payload.startswith(b'{"type":"skipped"'):
                self.skipped += int(re.search(rb'"count":(\d+)', payload).group(1))
                return False
            number = self.numbers[payload] = event_number(payload)
            if number >= 0:
                self.times[number] = self.whole[header(len(payload)) + payload] = array("d")
        if number < 0:
            return False
        self.times[number].append(now)
        return True


class Client:
    """One stream: its socket and the start of a frame not yet whole."""

    __slots__ = ("sock", "pending")

    def __init__(self, sock: socket.socket, pending: bytes):
        self.sock, self.pending = sock, pending

    def read(self, data: bytes, now: float, receipts: Receipts) -> int:
        """Take the whole frames now held, stamped `now`; how many were events."""
        buffer = self.pending + data if self.pending else data
        got = position = 0
        while True:
            payload, end = next_frame(buffer, position)
            if payload is None:
                break
            got += receipts.take(payload, now)
            position = end
        self.pending = buffer[position:]
        return got


def header(size: int) -> bytes:
    """A server's (unmasked, final, text) frame header for a payload of `size` bytes."""
    if size < 126:
        return bytes((0x81, size))
    if size < 65536:
        return bytes((0x81, 126)) + size.to_bytes(2, "big")
    return bytes((0x81, 127)) + size.to_bytes(8, "big")


def masked(payload: bytes) -> bytes:
    """A client frame (clients must mask); short control frames only."""
    mask = os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def next_frame(buffer: bytes, position: int) -> tuple[bytes | None, int]:
    """The payload of the whole frame at `position` and where it ends; (None, position) if incomplete."""
    size = len(buffer)
    if size - position < 2:
        return None, position
    length, offset = buffer[position + 1] & 0x7F, 2
    if length == 126:
        if size - position < 4:
            return None, position
        length, offset = int.from_bytes(buffer[position + 2:position + 4], "big"), 4
    elif length == 127:
        if size - position < 10:
            return None, position
        length, offset = int.from_bytes(buffer[position + 2:position + 10], "big"), 10
    end = position + offset + length
    if end > size:
        return None, position
    return buffer[position + offset:end], end


def open_client(port: int, token: str, instance: str) -> Client:
    """Handshake and subscribe on a blocking socket; the client once the gateway confirmed it."""
    sock = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                  f"Authorization: Bearer {token}\r\n\r\n").encode())
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the gateway closed the stream during the handshake")
        buffer += chunk
    head, buffer = buffer.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(f"handshake refused: {(head + buffer)[:600]!r}")
    sock.sendall(masked(b'{"action":"subscribe","instance":"%s"}' % instance.encode()))
    position = 0
    while True:
        payload, end = next_frame(buffer, position)
        if payload is None:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("the gateway closed the stream before confirming the subscription")
            buffer += chunk
        elif payload.startswith(b'{"type":"subscribed"'):
            return Client(sock, buffer[end:])  # what follows the confirmation is the reader's
        elif payload.startswith(b'{"type":"error"'):
            raise ConnectionError(payload.decode())
        else:
            position = end


def open_all(ports: list[int], token: str, instance: str, count: int) -> list[Client]:
    """`count` subscribed clients spread over `ports`, at most OPENING_AT_ONCE opening at a time."""
    clients: list[Client | None] = [None] * count
    failures: list[BaseException] = []
    numbers = iter(range(count))
    lock = threading.Lock()

    def opener():
        while not failures:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            try:
                clients[number] = open_client(ports[number % len(ports)], token, instance)
            except BaseException as error:  # reported by the parent, which stops the gateway
                failures.append(error)

    threads = [threading.Thread(target=opener) for _ in range(min(OPENING_AT_ONCE, count))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return clients


def event_number(payload: bytes) -> int:
    """The bench's message number in an event frame; -1 for any other frame."""
    if not payload.startswith(b'{"type":"whatsapp:'):
        return -1
    found = EVENT_NUMBER.search(payload)
    return int(found.group(1)) if found else -1


def read_all(clients: list[Client], frames_each: int) -> Receipts:
    """Read every client until each holds `frames_each` event frames, or the parent closes stdin."""
    receipts, clock = Receipts(), time.time
    whole = receipts.whole
    by_fd = {client.sock.fileno(): client for client in clients}
    poller = select.epoll(len(clients) + 1)
    for fd, client in by_fd.items():
        client.sock.setblocking(False)
        poller.register(fd, select.EPOLLIN)
    poller.register(sys.stdin.fileno(), select.EPOLLIN)
    missing = frames_each * len(clients)
    for client in clients:  # frames that came along with the subscription confirmation
        missing -= client.read(b"", clock(), receipts)
    while missing > 0:
        for fd, _ in poller.poll():
            client = by_fd.get(fd)
            if client is None:
                return receipts
            data = client.sock.recv(65536)
            now = clock()
            stamps = None if client.pending else whole.get(data)
            if stamps is not None:
                stamps.append(now)
                missing -= 1
            elif data:
                missing -= client.read(data, now, receipts)
            else:
                poller.unregister(fd)
    return receipts


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    count, frames_each, token, instance, *ports = sys.argv[1:]
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one descriptor per client
    clients = open_all([int(port) for port in ports], token, instance, int(count))
    print(f"ready {len(clients)}", flush=True)
    cpu = cpu_seconds()
    receipts = read_all(clients, int(frames_each))
    pickle.dump({"times": receipts.times, "skipped": receipts.skipped, "cpu_s": cpu_seconds() - cpu},
                sys.stdout.buffer)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
