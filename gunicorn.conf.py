"""gunicorn settings shared by the Procfile and scripts/run (both pass their own --bind and turn the
access log on; gunicorn also reads this file by itself when started in this directory, as the benches are).

WEB_CONCURRENCY gevent workers (1 by default; the app's live streams and event writer are per
process, so several need PostgreSQL and Redis, and a start without them is refused here, before
any worker runs: see the README's "Scaling out"). Each worker's concurrency, WORKER_CONNECTIONS,
is what the database pool (DB_POOL_SIZE, DB_MAX_OVERFLOW) is sized against: see the README's
"Database pool". Access and error logs go through MaskingLogger, which masks webhook secrets and
credentials like every log line of the app.
"""
import os

from gateway.cluster.mode import refusal

worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "1000"))
logger_class = "gateway.serverlog.MaskingLogger"


def on_starting(server):
    """Refuse several workers on a configuration that cannot share work, before any worker starts."""
    reason = refusal(server.cfg.workers, os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL"))
    if reason:
        raise SystemExit(f"gateway: {reason}")
