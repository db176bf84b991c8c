"""API tokens of the caller's tenant: list, create (optionally expiring), revoke."""
from flask import Blueprint, abort, g, jsonify

from ...admin_input import InputError, token_fields
from ...auth import api_auth_required
from ...models import MAX_ID, Role
from ...tokens import create_token, revoke, tenant_token, tenant_tokens, token_json
from .common import json_body

bp = Blueprint("api_tokens", __name__, url_prefix="/api/tokens")


@bp.get("")
@api_auth_required(Role.ADMIN)
def list_tokens():
    """The tenant's tokens: name, owner, created, last used (to the minute) and expiry; never the token."""
    return jsonify([token_json(token) for token in tenant_tokens(g.user.tenant_id)])


@bp.post("")
@api_auth_required(Role.ADMIN)
def new_token():
    """A token acting as the caller, `{name, expires_in_days?}`; the answer is the only time it is shown."""
    try:
        name, days = token_fields(json_body())
    except InputError as error:
        abort(422, error.translated())
    api_token, token = create_token(g.user, name, days)
    return jsonify({**token_json(api_token), "token": token}), 201


@bp.delete(f"/<int(max={MAX_ID}):token_id>")
@api_auth_required(Role.ADMIN)
def revoke_token(token_id: int):
    """Revoke a token of the tenant: the next request made with it answers 401."""
    token = tenant_token(g.user.tenant_id, token_id)
    if token is None:
        abort(404, f"No token with id {token_id}.")
    revoke(token)
    return "", 204
