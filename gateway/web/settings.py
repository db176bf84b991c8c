"""Settings (administrators): provider servers, the tenant's users, and API tokens shown once."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request

from .. import audit
from ..accounts import AccountError, create_user
from ..auth import issue_token, login_required
from ..extensions import db
from ..i18n import translate
from ..models import MAX_ID, ApiToken, ProviderServer, Role, User
from ..servers import ServerError, ServerInput, check_credentials, register_server
from .fragments import render_block

bp = Blueprint("settings", __name__, url_prefix="/settings")

TEMPLATE = "settings/index.html"
AUDIT_SHOWN = 50  # the rest is in the JSON export


def _context() -> dict:
    return {
        "servers": db.session.execute(db.select(ProviderServer).order_by(ProviderServer.id)).scalars().all(),
        "users": db.session.execute(db.select(User).where(User.tenant_id == g.user.tenant_id)
                                    .order_by(User.email)).scalars().all(),
        "tokens": db.session.execute(db.select(ApiToken).where(ApiToken.user_id == g.user.id)
                                     .order_by(ApiToken.id)).scalars().all(),
        "roles": [role.value for role in Role],
        "audit_entries": audit.entries(g.user.tenant_id, AUDIT_SHOWN),
    }


def _section(block: str, status: int = 200, **outcome):
    return render_block(TEMPLATE, block, form=request.form, **outcome, **_context()), status


@bp.get("")
@login_required(Role.ADMIN)
def index():
    """Servers, users and tokens."""
    return render_template(TEMPLATE, form={}, **_context())


@bp.post("/servers")
@login_required(Role.ADMIN)
def add_server():
    """Register a server once its key is proven to work."""
    form = request.form
    try:
        server = register_server({"kind": form.get("kind"), "base_url": form.get("base_url", "").strip(),
                                  "api_key": form.get("api_key", ""), "name": form.get("name", ""),
                                  "global_events": "global_events" in form})
    except ServerError as error:
        return _section("servers", 422, error=str(error))
    return _section("servers", notice=translate("Server {name} added.", name=server.name))


@bp.post(f"/servers/<int(max={MAX_ID}):server_id>/test")
@login_required(Role.ADMIN)
def test_server(server_id: int):
    """Call the server with its key and say whether it answered."""
    server = db.get_or_404(ProviderServer, server_id)
    try:
        check_credentials(ServerInput(server.kind, server.base_url, server.api_key))
    except ServerError as error:
        return _section("servers", error=str(error))
    return _section("servers", notice=translate("Server {name} answered.", name=server.name))


@bp.post("/users")
@login_required(Role.ADMIN)
def add_user():
    """Add a user to the administrator's tenant."""
    form = request.form
    try:
        role = Role(form.get("role", Role.OPERATOR.value))
        user = create_user(g.user.tenant.name, form.get("email", ""), form.get("password", ""), role)
    except (ValueError, AccountError) as error:
        return _section("users", 422, error=str(error))
    return _section("users", notice=translate("User {email} added.", email=user.email))


@bp.post("/tokens")
@login_required(Role.ADMIN)
def add_token():
    """Create an API token; this answer is the only time it is shown."""
    name = request.form.get("name", "").strip()
    if not name:
        return _section("tokens", 422, error=translate("Give the token a name."))
    return _section("tokens", token=issue_token(g.user, name[:120]))
