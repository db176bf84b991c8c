"""The audit log as JSON (administrators, their own tenant's entries): the export and one entry."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for

from ... import audit
from ...auth import api_auth_required
from ...extensions import db
from ...i18n import translate
from ...models import MAX_ID, AuditEntry, Role
from ...tenancy import current_tenant_id

bp = Blueprint("api_audit", __name__, url_prefix="/api/audit")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


def _whole_number(name: str, default: int | None, high: int | None) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or (high is not None and int(raw) > high):
        abort(422, translate("{name} must be a whole number from 1 to {high}." if high else
                             "{name} must be a whole number from 1.", name=name, high=high))
    return int(raw)


@bp.get("")
@api_auth_required(Role.ADMIN)
def export():
    """`?limit=&before=`: the tenant's entries, newest first; `next` links the following page."""
    limit = _whole_number("limit", DEFAULT_LIMIT, MAX_LIMIT)
    entries = audit.entries(current_tenant_id(), limit + 1, _whole_number("before", None, MAX_ID))
    page = [audit.entry_json(entry) for entry in entries[:limit]]
    following = url_for(".export", limit=limit, before=page[-1]["id"]) if len(entries) > limit else None
    return jsonify(entries=page, next=following)


@bp.get(f"/<int(max={MAX_ID}):entry_id>")
@api_auth_required(Role.ADMIN)
def get_entry(entry_id: int):
    """One entry; another tenant's answers 404 like a missing one."""
    entry = db.session.execute(db.select(AuditEntry).where(
        AuditEntry.id == entry_id, AuditEntry.tenant_id == current_tenant_id())).scalar_one_or_none()
    if entry is None:
        abort(404, f"Audit entry {entry_id} not found.")
    return jsonify(audit.entry_json(entry))
