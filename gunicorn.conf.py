"""gunicorn settings shared by the Procfile and scripts/run (both pass their own --bind and turn the
access log on; gunicorn also reads this file by itself when started in this directory, as the benches are).

One gevent worker (the app's live streams and event writer are per process); its concurrency,
WORKER_CONNECTIONS, is what the database pool (DB_POOL_SIZE, DB_MAX_OVERFLOW) is sized against:
see the README's "Database pool". Access and error logs go through MaskingLogger, which masks
webhook secrets and credentials like every log line of the app.
"""
import os

worker_class = "gevent"
workers = 1
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "1000"))
logger_class = "gateway.serverlog.MaskingLogger"
