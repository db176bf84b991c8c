"""One change at a time per instance: a process lock, plus a PostgreSQL advisory lock across processes."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select

from ..extensions import db

# Advisory lock keys are (namespace, id); this namespace is "gw" in ASCII.
LOCK_NAMESPACE = 0x6777

_process_locks: weakref.WeakValueDictionary[int, threading.Lock] = weakref.WeakValueDictionary()
_registry_lock = threading.Lock()


def _process_lock(instance_id: int) -> threading.Lock:
    with _registry_lock:
        lock = _process_locks.get(instance_id)
        if lock is None:
            lock = _process_locks[instance_id] = threading.Lock()
        return lock


def changing_here() -> set[int]:
    """The instances whose lock this process holds now: a change of theirs is under way here."""
    with _registry_lock:
        return {instance_id for instance_id, lock in _process_locks.items() if lock.locked()}


@contextmanager
def instance_lock(instance_id: int) -> Iterator[None]:
    """Hold the instance's lock for the duration of the block.

    The process lock comes first so that at most one waiter per process holds a database
    connection for the advisory lock; waiters would otherwise drain the pool.
    """
    with _process_lock(instance_id):
        if db.engine.dialect.name != "postgresql":
            # SQLite is single-process by design here, so the process lock is the whole story.
            yield
            return
        with db.engine.connect() as connection:
            connection.execute(select(func.pg_advisory_lock(LOCK_NAMESPACE, instance_id)))
            try:
                yield
            finally:
                connection.execute(select(func.pg_advisory_unlock(LOCK_NAMESPACE, instance_id)))
                connection.commit()
