"""A TCP proxy in front of the shared loopback Redis: a test cuts and restores it to play an outage
without stopping the Redis server that other tests use."""
from __future__ import annotations

import socket

import gevent
from gevent.server import StreamServer


class RedisProxy:
    """A TCP proxy to Redis: `cut()` drops every connection and refuses new ones until `restore()`."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 6379)):
        self.target = target
        self.pipes: list[socket.socket] = []
        self.server = StreamServer(("127.0.0.1", 0), self._serve)
        self.server.start()
        self.cut_off = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.server.server_port}/0"

    def _serve(self, downstream: socket.socket, _address) -> None:
        if self.cut_off:
            downstream.close()
            return
        upstream = socket.create_connection(self.target)
        self.pipes += [downstream, upstream]
        gevent.spawn(self._pump, upstream, downstream)
        self._pump(downstream, upstream)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                end.close()

    def cut(self) -> None:
        self.cut_off = True
        for pipe in self.pipes:
            try:
                pipe.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.pipes.clear()

    def restore(self) -> None:
        self.cut_off = False

    def stop(self) -> None:
        self.cut()
        self.server.stop(timeout=1)
