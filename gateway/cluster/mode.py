"""Which mode the configuration asks for, and the refusal of a half-working one (pure)."""
from __future__ import annotations


def refusal(workers: int, database_url: str | None, redis_url: str | None) -> str | None:
    """Why `workers` processes cannot run on this configuration, or None when they can.

    Several workers need PostgreSQL (SQLite is one process's database here) and Redis (the bus,
    socket leases and job leadership); without them every worker would open its own provider
    sockets and run every job, and browsers would miss other workers' events.
    """
    if workers <= 1:
        return None
    missing = []
    if not (database_url or "").startswith(("postgres://", "postgresql")):
        missing.append("DATABASE_URL=postgresql://... (SQLite serves one process only)")
    if not redis_url:
        missing.append("REDIS_URL=redis://...")
    if not missing:
        return None
    return (f"WEB_CONCURRENCY={workers} asks for {workers} workers, which needs " + " and ".join(missing)
            + ". Set them, or run one worker with WEB_CONCURRENCY=1.")
