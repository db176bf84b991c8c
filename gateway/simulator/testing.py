"""Starts either simulator as a subprocess on a free loopback port, for pytest fixtures and bench/ scripts.

Simulator machinery, shared by both providers; it follows no provider file.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
_FLAGS = {"connect_delay": "--connect-delay", "webhook_timeout": "--webhook-timeout", "qr_limit": "--qr-limit",
          "server_url": "--server-url", "trusted_hosts": "--trusted-hosts"}


class SimulatorError(RuntimeError):
    """The simulator process did not come up."""


class RunningSimulator:
    def __init__(self, process: subprocess.Popen, base_url: str, api_key: str, log_path: str) -> None:
        self.version: str | None = None  # a WAHA simulator's version
        self.process = process
        self.base_url = base_url
        self.api_key = api_key
        self.log_path = log_path

    def control(self, method: str, path: str, json=None):
        """Call `/_sim/<path>` (the `/_sim/` prefix may be given) and return its JSON; non-2xx raises."""
        path = path.lstrip("/").removeprefix("_sim/")
        response = requests.request(method, f"{self.base_url}/_sim/{path}", json=json, timeout=10)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self.control("POST", "reset")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        Path(self.log_path).unlink(missing_ok=True)

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_simulator(api_key: str = "test-global-key", global_events: bool = False, retry_base_delay: float = 0.05,
                    timeout: float = 15.0, **options) -> RunningSimulator:
    """Launch `python -m gateway.simulator` (Evolution) and return once `GET /` answers."""
    port = free_port()
    command = [sys.executable, "-m", "gateway.simulator", "--provider", "evolution", "--host", "127.0.0.1",
               "--port", str(port), "--api-key", api_key, "--retry-base-delay", str(retry_base_delay)]
    if global_events:
        command.append("--global-events")
    for name, value in options.items():
        command += [_FLAGS[name], ",".join(value) if isinstance(value, (list, tuple)) else str(value)]
    return launch(command, port, api_key, "/", timeout)


def start_waha_simulator(api_key: str = "test-waha-key", version: str = "2026.2.1", time_scale: float = 0.01,
                         retry_delay_scale: float = 0.01, qr_delay: float = 0.05,
                         timeout: float = 15.0) -> RunningSimulator:
    """Launch `python -m gateway.simulator --provider waha` (WAHA's waits and retry delays shortened) once `/ping`
    answers."""
    port = free_port()
    command = [sys.executable, "-m", "gateway.simulator", "--provider", "waha", "--host", "127.0.0.1",
               "--port", str(port), "--api-key", api_key, "--waha-version", version, "--time-scale", str(time_scale),
               "--retry-delay-scale", str(retry_delay_scale), "--qr-delay", str(qr_delay)]
    simulator = launch(command, port, api_key, "/ping", timeout)
    simulator.version = version
    return simulator


def launch(command: list[str], port: int, api_key: str, health_path: str, timeout: float = 15.0) -> RunningSimulator:
    """Run a simulator command line (`python -m gateway.simulator ...`); return once `health_path` answers on `port`."""
    log = tempfile.NamedTemporaryFile(prefix="simulator-", suffix=".log", delete=False)
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    simulator = RunningSimulator(process, f"http://127.0.0.1:{port}", api_key, log.name)
    _wait_until_up(simulator, timeout, health_path)
    return simulator


def wait_for(predicate, timeout: float = 5.0, what: str = "condition"):
    """Poll `predicate` until it returns something truthy, else fail after `timeout` seconds."""
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        pause.wait(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _wait_until_up(simulator: RunningSimulator, timeout: float, health_path: str) -> None:
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while time.monotonic() < deadline:
        if simulator.process.poll() is not None:
            break
        try:
            if requests.get(simulator.base_url + health_path, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        pause.wait(0.05)
    output = Path(simulator.log_path).read_text(errors="replace")
    simulator.stop()
    raise SimulatorError(f"simulator did not answer within {timeout} s:\n{output}")
