"""gunicorn settings read on every start (Procfile, scripts/run): workers from WEB_CONCURRENCY, checked."""
import os

from gateway.cluster.mode import refusal

worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))


def on_starting(server):
    """Refuse several workers on a configuration that cannot share work, before any worker starts."""
    reason = refusal(server.cfg.workers, os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL"))
    if reason:
        raise SystemExit(f"gateway: {reason}")
