"""Instances of the caller's tenant."""
from flask import Blueprint, jsonify

from ...auth import api_auth_required
from ...extensions import db
from ...models import Instance
from ...presenters import instance_json
from ...tenancy import instance_or_404, scoped

bp = Blueprint("api_instances", __name__, url_prefix="/api/instances")


@bp.get("")
@api_auth_required()
def list_instances():
    """The tenant's instances, by name."""
    rows = db.session.execute(scoped(Instance).order_by(Instance.name)).scalars()
    return jsonify([instance_json(instance) for instance in rows])


@bp.get("/<name>")
@api_auth_required()
def get_instance(name: str):
    """One instance; another tenant's answers 404 like a missing one."""
    return jsonify(instance_json(instance_or_404(name)))
