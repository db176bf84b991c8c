"""Settings: provider servers, the tenant's users and API tokens; everyone reads, administrators change."""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from .. import audit
from ..admin_input import InputError, role, token_fields
from ..auth import login_required
from ..cluster.view import ClusterUnavailable, cluster_view
from ..extensions import db
from ..i18n import translate
from ..models import MAX_ID, ProviderServer, Role, User
from ..server_health import check_health
from ..servers import ServerError, ServerInUse, check_credentials, delete_server, register_server, update_server
from ..services import services
from ..tokens import create_token, is_expired, revoke, tenant_token, tenant_tokens
from ..users import LastAdmin, add_user, change_role, remove_user, tenant_user, tenant_users
from .fragments import render_block

bp = Blueprint("settings", __name__, url_prefix="/settings")

TEMPLATE = "settings/index.html"
# Lifetimes offered in the token form, in days (None: never expires).
TOKEN_LIFETIMES = (None, 7, 30, 90, 365)
AUDIT_SHOWN = 50  # the rest is in the JSON export


def _context() -> dict:
    users = tenant_users(g.user.tenant_id)
    return {
        "servers": db.session.execute(db.select(ProviderServer).order_by(ProviderServer.id)).scalars().all(),
        "users": users,
        "admins": [user.email for user in users if user.is_admin],
        "tokens": tenant_tokens(g.user.tenant_id),
        "roles": [role.value for role in Role],
        "lifetimes": TOKEN_LIFETIMES,
        "is_expired": is_expired,
        # Below the admin role every control is shown disabled, with this reason beside it.
        "locked": not g.user.is_admin,
        "why": translate("Only an administrator can change this."),
        # The audit log is for administrators only (as its JSON export is).
        "audit_entries": audit.entries(g.user.tenant_id, AUDIT_SHOWN) if g.user.is_admin else [],
        "cluster": _cluster(),
    }


def _cluster() -> dict | None:
    """The processes and their sockets; None when Redis cannot say (the page still renders)."""
    try:
        return cluster_view(services(), g.user.tenant_id)
    except ClusterUnavailable:
        return None


def _section(block: str, status: int = 200, **outcome):
    return render_block(TEMPLATE, block, form=request.form, **outcome, **_context()), status


def _server(server_id: int) -> ProviderServer:
    return db.get_or_404(ProviderServer, server_id)


def _form_server(form) -> dict:
    """The server form as the API's JSON shape; empty fields are left as they are."""
    fields = {key: form[key].strip() for key in ("kind", "name", "base_url", "api_key") if form.get(key, "").strip()}
    return {**fields, "global_events": "global_events" in form}


@bp.get("")
@login_required()
def index():
    """Servers, users and tokens (read-only below the admin role, saying why)."""
    return render_template(TEMPLATE, form={}, **_context())


@bp.post("/servers")
@login_required(Role.ADMIN)
def add_server():
    """Register a server once its key is proven to work."""
    try:
        server = register_server(_form_server(request.form))
    except InputError as error:
        return _section("servers", 422, error=error.translated())
    return _section("servers", notice=translate("Server {name} added.", name=server.name))


@bp.post(f"/servers/<int(max={MAX_ID}):server_id>/test")
@login_required(Role.ADMIN)
def test_server(server_id: int):
    """Call the server with its key and say whether it answered; the version it reports is kept."""
    server = _server(server_id)
    try:
        server.version = check_credentials(server) or server.version
    except ServerError as error:
        return _section("servers", error=error.translated())
    db.session.commit()
    return _section("servers", notice=translate("Server {name} answered.", name=server.name))


@bp.get(f"/servers/<int(max={MAX_ID}):server_id>/health")
@login_required()
def server_health(server_id: int):
    """The health badge of one server, loaded after the page so a server that is down never holds it."""
    return render_block(TEMPLATE, "health", health=check_health(_server(server_id)))


@bp.post(f"/servers/<int(max={MAX_ID}):server_id>")
@login_required(Role.ADMIN)
def edit_server(server_id: int):
    """Save a server's name, URL, key (proven first) and global-events flag."""
    server = _server(server_id)
    try:
        update_server(services().manager, server, _form_server(request.form))
    except InputError as error:
        db.session.rollback()
        return _section("servers", 422, error=error.translated(), editing=server_id)
    return _section("servers", notice=translate("Server {name} saved.", name=server.name))


@bp.post(f"/servers/<int(max={MAX_ID}):server_id>/delete")
@login_required(Role.ADMIN)
def remove_server(server_id: int):
    """Delete a server; with `forget`, its instances are forgotten here (never on the provider)."""
    server = _server(server_id)
    name = server.name
    try:
        delete_server(services().manager, server, g.user.tenant_id, request.form.get("forget") == "1")
    except ServerInUse as error:
        return _section("servers", 409, error=error.translated(), in_use=server_id)
    return _section("servers", notice=translate("Server {name} deleted.", name=name))


@bp.post("/users")
@login_required(Role.ADMIN)
def add_tenant_user():
    """Add a user to the administrator's tenant."""
    try:
        user = add_user(g.user.tenant, request.form.to_dict())
    except InputError as error:
        return _section("users", 422, error=error.translated())
    return _section("users", notice=translate("User {email} added.", email=user.email))


def _user(user_id: int) -> User:
    return tenant_user(g.user.tenant_id, user_id) or abort(404)


@bp.post(f"/users/<int(max={MAX_ID}):user_id>/role")
@login_required(Role.ADMIN)
def change_user_role(user_id: int):
    """Give a user of the tenant another role."""
    user = _user(user_id)
    try:
        change_role(user, role(request.form.get("role")))
    except InputError as error:
        db.session.rollback()
        return _section("users", 409 if isinstance(error, LastAdmin) else 422, error=error.translated())
    return _section("users", notice=translate("{email} is now {role}.", email=user.email, role=translate(user.role)))


@bp.post(f"/users/<int(max={MAX_ID}):user_id>/delete")
@login_required(Role.ADMIN)
def remove_tenant_user(user_id: int):
    """Remove a user of the tenant and their tokens."""
    user = _user(user_id)
    email = user.email
    try:
        remove_user(user, g.user)
    except InputError as error:
        return _section("users", 409 if isinstance(error, LastAdmin) else 422, error=error.translated())
    return _section("users", notice=translate("User {email} removed.", email=email))


@bp.post("/tokens")
@login_required(Role.ADMIN)
def add_token():
    """Create an API token; this answer is the only time it is shown."""
    form = request.form
    try:
        name, days = token_fields({"name": form.get("name", ""),
                                   "expires_in_days": form.get("expires_in_days", type=int)})
    except InputError as error:
        return _section("tokens", 422, error=error.translated())
    return _section("tokens", token=create_token(g.user, name, days)[1])


@bp.post(f"/tokens/<int(max={MAX_ID}):token_id>/revoke")
@login_required(Role.ADMIN)
def revoke_token(token_id: int):
    """Revoke a token of the tenant; programs using it get 401 from now on."""
    token = tenant_token(g.user.tenant_id, token_id) or abort(404)
    name = token.name
    revoke(token)
    return _section("tokens", notice=translate("Token {name} revoked.", name=name))
