"""Tenant scoping in one place: every read of tenant data goes through these helpers."""
from __future__ import annotations

from flask import abort, g
from sqlalchemy import Select

from .extensions import db
from .ingest.normalize import INSTANCE_NAME_LENGTH
from .models import Instance
from .text import name_problem, storable


def current_tenant_id() -> int:
    if getattr(g, "user", None) is None:
        abort(401)
    return g.user.tenant_id


def scoped(model) -> Select:
    """A SELECT of `model` limited to the caller's tenant."""
    return db.select(model).where(model.tenant_id == current_tenant_id())


def instance_or_404(name: str) -> Instance:
    """The caller's instance by name; another tenant's instance is as absent as a missing one.

    A name no instance can have (a control character, which PostgreSQL cannot even compare when it
    is NUL) is missing without asking the database.
    """
    if name_problem("name", name, INSTANCE_NAME_LENGTH) is not None:
        abort(404, f'Instance "{storable(name[:INSTANCE_NAME_LENGTH])}" not found.')
    instance = db.session.execute(scoped(Instance).where(Instance.name == name)).scalar_one_or_none()
    if instance is None:
        abort(404, f'Instance "{name}" not found.')
    return instance
