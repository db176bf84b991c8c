"""Users of the caller's tenant (administrators only): list, add, change role, remove."""
from flask import Blueprint, abort, g, jsonify

from ...admin_input import InputError, role
from ...auth import api_auth_required
from ...models import MAX_ID, Role, User
from ...users import LastAdmin, add_user, change_role, remove_user, tenant_user, tenant_users, user_json
from .common import json_body

bp = Blueprint("api_users", __name__, url_prefix="/api/users")


def _user(user_id: int) -> User:
    user = tenant_user(g.user.tenant_id, user_id)
    if user is None:
        abort(404, f"No user with id {user_id}.")
    return user


@bp.get("")
@api_auth_required(Role.ADMIN)
def list_users():
    """The tenant's users and their roles."""
    return jsonify([user_json(user) for user in tenant_users(g.user.tenant_id)])


@bp.post("")
@api_auth_required(Role.ADMIN)
def create_user():
    """Add a user to the tenant, `{email, password, role?}` (operator by default)."""
    try:
        user = add_user(g.user.tenant, json_body())
    except InputError as error:
        abort(422, error.translated())
    return jsonify(user_json(user)), 201


@bp.patch(f"/<int(max={MAX_ID}):user_id>")
@api_auth_required(Role.ADMIN)
def edit_user(user_id: int):
    """Change a user's role, `{role}`; the tenant's last administrator cannot be demoted (409)."""
    user = _user(user_id)
    try:
        change_role(user, role(json_body().get("role")))
    except LastAdmin as error:
        abort(409, error.translated())
    except InputError as error:
        abort(422, error.translated())
    return jsonify(user_json(user))


@bp.delete(f"/<int(max={MAX_ID}):user_id>")
@api_auth_required(Role.ADMIN)
def delete_user(user_id: int):
    """Remove a user and their tokens; the tenant's last administrator cannot be removed (409)."""
    try:
        remove_user(_user(user_id), g.user)
    except LastAdmin as error:
        abort(409, error.translated())
    except InputError as error:
        abort(422, error.translated())
    return "", 204
