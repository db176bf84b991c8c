"""A CLI command run beside a cluster tells the other processes what it changed, as a web process does."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gateway.accounts import create_user
from gateway.extensions import db
from gateway.models import ProviderServer, Role
from gateway.realtime.relay import decode
from gateway.simulator.testing import wait_for
from gateway.tokens import issue_token
from tests.conftest import build_app

ROOT = Path(__file__).resolve().parents[2]


def test_a_mode_switched_from_the_cli_reaches_other_processes_pages_and_caches(
        postgres_url, sim, redis_server, redis_prefix, redis_client):
    app = build_app(postgres_url)
    with app.app_context():
        user = create_user("Acme", "admin@example.com", "correct horse battery", Role.ADMIN)
        server = ProviderServer(name="sim", kind="evolution", base_url=sim.base_url, api_key=sim.api_key)
        db.session.add(server)
        db.session.commit()
        token, server_id, tenant_id = issue_token(user, "tests"), server.id, user.tenant_id
    created = app.test_client().post("/api/instances", headers={"Authorization": f"Bearer {token}"},
                                     json={"name": "sales", "server_id": server_id, "mode": "none"})
    assert created.status_code == 201, created.json
    heard = redis_client.pubsub(ignore_subscribe_messages=True)
    heard.subscribe(redis_prefix + "bus", redis_prefix + "instances")
    try:
        env = os.environ | {"DATABASE_URL": postgres_url, "REDIS_URL": redis_server, "REDIS_PREFIX": redis_prefix,
                            "SECRET_KEY": "cli-test-key", "LOG_LEVEL": "WARNING"}
        switched = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "instances", "mode",
                                   "sales", "webhook"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert switched.returncode == 0, switched.stderr
        messages: dict[bytes, list[bytes]] = {}

        def both_heard():
            while (message := heard.get_message(timeout=0.1)) is not None:
                messages.setdefault(message["channel"], []).append(message["data"])
            return len(messages) == 2

        wait_for(both_heard, timeout=10, what="the notice and the announcement")
    finally:
        heard.close()
        with app.app_context():
            db.engine.dispose()
    assert messages[(redis_prefix + "instances").encode()] == [b"instance"]  # caches emptied, sockets reconciled
    [announcement] = [decode(data)[2] for data in messages[(redis_prefix + "bus").encode()]]
    assert (announcement.tenant_id, announcement.instance_id) == (tenant_id, created.json["id"])  # pages re-render
