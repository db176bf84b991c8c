"""Defect 3: no log line carries a webhook secret: not the app's (an unexpected error logs the path),
not gunicorn's access log (the request line), not gunicorn's error log (the URL of a failed request).
"""
from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from gunicorn.config import Config

from gateway.connections.settings import WEBHOOK_PATH
from gateway.logs import JsonFormatter
from gateway.serverlog import MaskingLogger
from gateway.simulator.testing import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq8-not-registered-anywhere-Xk2Lw9"


@pytest.fixture
def app_log():
    """What the app's JSON formatter writes, as the stdout handler would."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_an_unexpected_error_on_a_webhook_logs_its_path_masked(served, envelope, app_log, monkeypatch):
    def broken(*_args):
        raise RuntimeError(f"failed while handling {served.hook}")

    monkeypatch.setattr(served.app.extensions["gateway"].pipeline, "store", broken)
    response = served.post({**envelope("messages.upsert", {"key": {"id": "3EB0LOG"}}), "instance": "sales"})
    assert response.status_code == 500
    written = app_log.getvalue()
    assert f"POST {WEBHOOK_PATH}/••••" in written and "failed while handling" in written
    assert served.secret not in written


def test_gunicorn_access_log_masks_the_secret_in_the_request_line(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'gateway.sqlite3'}", "SECRET_KEY": "x",
           "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING"}
    output = tmp_path / "gunicorn.log"
    with output.open("w") as sink:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "-", "wsgi:app"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(lambda: _answers(f"{url}/healthz"), 30, "gunicorn")
            hook = f"{url}{WEBHOOK_PATH}/{SECRET}/messages-upsert"
            answer = requests.post(hook, data=b"not json", headers={"Referer": hook}, timeout=10)
            assert answer.status_code == 400
            wait_for(lambda: "messages-upsert" in output.read_text(), 10, "the access log line")
        finally:
            process.terminate()
            process.wait(timeout=10)
    written = output.read_text()
    assert f"POST {WEBHOOK_PATH}/••••{SECRET[-4:]}/messages-upsert" in written
    assert SECRET not in written


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_gunicorn_error_log_masks_the_url_of_a_failed_request(tmp_path):
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = MaskingLogger(config)
    uri = f"{WEBHOOK_PATH}/{SECRET}"
    try:
        raise TimeoutError(f"30 seconds while handling {uri}")
    except TimeoutError:
        logger.exception("Error handling request %s", uri)
    written = (tmp_path / "error.log").read_text()
    assert "Error handling request" in written and "TimeoutError: 30 seconds while handling" in written
    assert SECRET not in written
