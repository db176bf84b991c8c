"""CI step: the README's run command works on a fresh copy with the app's own dependencies only.

Copies the checkout (the files git would commit, no .venv, no instance/) to a temporary folder,
runs `scripts/run` there on a free port (it builds a venv WITHOUT the test extras), and requires
GET /healthz to answer 200, GET / to show the first-run page, and the start-up self-check to find
the gateway at its default PUBLIC_URL. Uses only the standard library.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_LIMIT = 300.0  # seconds: a cold pip install on a slow machine, then gunicorn


def tracked_files() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, check=True, capture_output=True).stdout.decode()
    return [name for name in listing.split("\0") if name and (ROOT / name).is_file()]


def copy_checkout(target: Path) -> None:
    for name in tracked_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"scripts/run exited with {process.returncode} before serving")
        try:
            status, _ = get(url + "/healthz")
        except OSError:
            time.sleep(0.5)
            continue
        if status == 200:
            return
        raise SystemExit(f"/healthz answered {status}")
    raise SystemExit(f"scripts/run did not serve /healthz within {STARTUP_LIMIT:.0f} s")


def wait_logged(log: Path, text: str, process: subprocess.Popen, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while text not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"scripts/run never logged {text!r}")
        time.sleep(0.5)


def check(workdir: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # Only what a new user has: no DATABASE_URL, PUBLIC_URL or SECRET_KEY from this shell.
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "PUBLIC_URL", "SECRET_KEY", "VIRTUAL_ENV", "REDIS_URL"}}
    env["PORT"] = str(port)
    log = (workdir / "run.log").open("w")
    process = subprocess.Popen(["scripts/run"], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        wait_healthy(url, process)
        status, page = get(url + "/")
        if status != 200 or 'action="/setup"' not in page:
            raise SystemExit(f"GET / answered {status} without the first-run form")
        # PUBLIC_URL's default is the address served: the start-up self-check says it answers there.
        wait_logged(workdir / "run.log", "this gateway answers at PUBLIC_URL", process)
        print(f"fresh run: {url} served /healthz and the first-run page, and found itself at PUBLIC_URL")
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    """End scripts/run and everything it started (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gateway-fresh-") as folder:
        workdir = Path(folder) / "gateway"
        copy_checkout(workdir)
        try:
            check(workdir)
        except SystemExit:
            sys.stderr.write((workdir / "run.log").read_text(errors="replace")[-6000:])
            raise


if __name__ == "__main__":
    main()
