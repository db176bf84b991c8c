"""Operator commands: `flask --app app admin|token|servers|instances|simulator ...`."""
from __future__ import annotations

import functools
import os
import sys

import click
from flask import Flask
from flask.cli import AppGroup

from .accounts import AccountError, create_user
from .admin_input import InputError, token_fields
from .catchup import catch_up
from .connections.steps import SwitchError
from .extensions import db
from .ingest.resync import Resync
from .instances import InstanceError
from .models import ApiToken, DeliveryMode, Instance, ProviderServer, Role, Tenant, User
from .providers.errors import ProviderError
from .server_health import check_health
from .servers import delete_server, server_json, update_server
from .services import services
from .tokens import issue_token, revoke, token_json
from .users import change_role, remove_user


def announced(command):
    """A command that changes instances: the catch-ups it asks for run before it returns, and its
    announcements reach the other processes' pages before it exits (their caches and sockets hear the
    committed change itself at once, as from a web process)."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        gateway = services()
        try:
            return _catching_up(gateway.resync, command, *args, **kwargs)
        finally:
            gateway.bus.flush()  # with the events the catch-ups recovered

    return run


def _catching_up(resync: Resync, command, *args, **kwargs):
    """Run `command`, then here, to completion, the catch-ups it asked for (a switch between webhook
    and websocket, a channel that sync put back), printing what each stored.

    A catch-up left to a background greenlet would end with this process, halfway or before it began.
    Handing it to a server process instead would need one running and listening (none is beside the
    CLI on a single process's SQLite, or while a cluster restarts), and the operator would see
    neither the result nor an error. They run even when the command failed: what it committed stands.
    """
    asked: dict[int, str] = {}
    try:
        with resync.held() as asked:
            return command(*args, **kwargs)
    finally:
        for instance_id, reason in asked.items():
            _catch_up(resync, instance_id, reason)


def _catch_up(resync: Resync, instance_id: int, reason: str) -> None:
    instance = db.session.get(Instance, instance_id)
    if instance is None:
        return
    name = instance.name
    try:
        result = catch_up(resync, instance)
    except (InstanceError, ProviderError) as error:
        click.echo(f"{name}\tcatch-up ({reason}) failed: {error}; the change stands, ask again with the "
                   f"Catch up button or POST /api/instances/{name}/catch-up", err=True)
        return
    click.echo(f"{name}\tcaught up ({reason}): {result['recovered']} missed event(s) recovered "
               f"of {result['read']} read")


@click.group("admin", cls=AppGroup)
def admin_group():
    """Manage users: create, list, change roles, remove."""


@admin_group.command("create")
@click.option("--tenant", required=True, help="Tenant name (created when missing).")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ADMIN.value, show_default=True)
def admin_create(tenant: str, email: str, password: str, role: str):
    """Create a user (an administrator unless --role says otherwise)."""
    try:
        user = create_user(tenant, email, password, Role(role))
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email} in tenant {user.tenant.name}.")


@admin_group.command("list")
def admin_list():
    """Every user with their tenant and role."""
    for user in db.session.execute(db.select(User).join(Tenant).order_by(Tenant.name, User.email)).scalars():
        click.echo(f"{user.tenant.name}\t{user.email}\t{user.role}")


@admin_group.command("role")
@click.option("--email", required=True)
@click.argument("role", type=click.Choice([r.value for r in Role]))
def admin_role(email: str, role: str):
    """Give a user another role (the tenant's last administrator keeps theirs)."""
    try:
        user = change_role(_user(email), Role(role))
    except InputError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{user.email} is now {user.role}.")


@admin_group.command("remove")
@click.option("--email", required=True)
def admin_remove(email: str):
    """Remove a user and their tokens (never the tenant's last administrator)."""
    try:
        remove_user(_user(email))
    except InputError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Removed {email.strip().lower()}.")


def _user(email: str) -> User:
    user = db.session.execute(db.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    return user


@click.group("token", cls=AppGroup)
def token_group():
    """Manage API tokens."""


@token_group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for.")
@click.option("--expires-in-days", type=int, help="Days until the token stops working (default: never).")
def token_create(email: str, name: str, expires_in_days: int | None):
    """Create an API token and print it; it cannot be shown again."""
    user = _user(email)
    try:
        name, days = token_fields({"name": name, "expires_in_days": expires_in_days})
    except InputError as error:
        raise click.ClickException(str(error)) from error
    click.echo(issue_token(user, name, days))


@token_group.command("list")
@click.option("--email", help="Only this user's tokens (default: every tenant's).")
def token_list(email: str | None):
    """Tokens with their id, name, owner, creation, last use and expiry; never the token itself."""
    query = db.select(ApiToken).join(User).order_by(ApiToken.id)
    if email:
        query = query.where(User.id == _user(email).id)
    for token in db.session.execute(query).scalars():
        row = token_json(token)
        click.echo("\t".join(str(row[key] or "-") for key in
                              ("id", "name", "prefix", "user", "created_at", "last_used_at", "expires_at")))


@token_group.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int):
    """Revoke token TOKEN_ID (see `token list`): requests made with it answer 401."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"No token with id {token_id}.")
    name = token.name
    revoke(token)
    click.echo(f"Revoked token {token_id} ({name}).")


@click.group("servers", cls=AppGroup)
def servers_group():
    """Provider servers: list, check, edit and delete."""


def _server(server_id: int) -> ProviderServer:
    server = db.session.get(ProviderServer, server_id)
    if server is None:
        raise click.ClickException(f"No server with id {server_id}.")
    return server


@servers_group.command("list")
def servers_list():
    """Every server with its id, kind, URL, masked key and global-events flag."""
    for server in db.session.execute(db.select(ProviderServer).order_by(ProviderServer.id)).scalars():
        row = server_json(server)
        click.echo("\t".join(str(row[key]) for key in ("id", "name", "kind", "base_url", "api_key_hint",
                                                        "global_events")))


@servers_group.command("health")
@click.argument("server_id", type=int)
def servers_health(server_id: int):
    """Whether SERVER_ID answers and takes its key, its version and the latency."""
    health = check_health(_server(server_id))
    state = "ok" if health.ok else "refused" if health.reachable else "unreachable"
    click.echo(f"{state}\tversion={health.version or '-'}\tlatency_ms={health.latency_ms or '-'}"
               + (f"\t{health.error}" if health.error else ""))


@servers_group.command("edit")
@click.argument("server_id", type=int)
@click.option("--name")
@click.option("--url", "base_url", help="New base URL (checked with the key before it is saved).")
@click.option("--api-key", help="New key (checked against the server before it is saved).")
@click.option("--global-events/--no-global-events", default=None)
@announced
def servers_edit(server_id: int, **changes):
    """Change a server; websocket-mode instances of it reconnect when URL, key or global flag change."""
    server = _server(server_id)
    try:
        update_server(services().manager, server, {k: v for k, v in changes.items() if v is not None})
    except InputError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Saved server {server.id} ({server.name}).")


@servers_group.command("delete")
@click.argument("server_id", type=int)
@click.option("--forget-instances", is_flag=True,
              help="Also forget its instances here, in every tenant (nothing is deleted on the provider).")
@announced
def servers_delete(server_id: int, forget_instances: bool):
    """Delete a server that no instance uses (or forget its instances with --forget-instances)."""
    try:
        forgotten = delete_server(services().manager, _server(server_id), None, forget_instances)
    except InputError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Deleted server {server_id}" + (f"; forgot {', '.join(forgotten)}." if forgotten else "."))


@click.command("simulator", context_settings={"ignore_unknown_options": True})
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8081, show_default=True, type=int)
@click.option("--api-key", default="simulator-global-key", show_default=True)
@click.option("--provider", type=click.Choice(["evolution", "waha"]), default="evolution", show_default=True)
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
def simulator_command(host: str, port: int, api_key: str, provider: str, extra: tuple[str, ...]):
    """Run the Evolution API or WAHA simulator (a stand-in for trying the gateway without a WhatsApp number).

    It runs as its own process so that gevent patches the standard library before anything else
    is imported. Further options are the provider simulator's own and passed through: Evolution's
    --global-events, --retry-base-delay, --qr-limit, ...; WAHA's --waha-version 2024.10.8, --time-scale, ...
    """
    command = [sys.executable, "-m", "gateway.simulator", "--provider", provider, "--host", host,
               "--port", str(port), "--api-key", api_key, *extra]
    os.execv(sys.executable, command)


@click.group("instances", cls=AppGroup)
def instances_group():
    """Inspect instances and set how their events reach the gateway."""


@instances_group.command("list")
def instances_list():
    """Every instance of every tenant with its mode, state and drift."""
    rows = db.session.execute(db.select(Instance).join(Tenant).order_by(Tenant.name, Instance.name)).scalars()
    for instance in rows:
        drift = f"  DRIFT: {instance.drift_reason}" if instance.drift else ""
        click.echo(f"{instance.tenant.name}\t{instance.name}\t{instance.delivery_mode}\t"
                   f"{instance.connection_state}{drift}")


def _instance(name: str, tenant: str | None) -> Instance:
    query = db.select(Instance).where(Instance.name == name)
    if tenant:
        query = query.join(Tenant).where(Tenant.name == tenant)
    found = db.session.execute(query).scalars().all()
    if not found:
        raise click.ClickException(f'No instance "{name}".')
    if len(found) > 1:
        raise click.ClickException(f'"{name}" exists in several tenants; name one with --tenant.')
    return found[0]


@instances_group.command("sync")
@click.argument("name", required=False)
@click.option("--tenant", help="Tenant of NAME when several have one by that name.")
@announced
def instances_sync(name: str | None, tenant: str | None):
    """Read the provider's truth for NAME (or every instance) and repair drift by policy."""
    manager = services().manager
    if name is None:
        for instance_name, result in manager.sync_all().items():
            click.echo(f"{instance_name}\t{result}")
        return
    try:
        state = manager.sync(_instance(name, tenant))
    except ProviderError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"{name}\t{state['mode']}\t{'drift: ' + state['driftReason'] if state['drift'] else 'ok'}")


@instances_group.command("mode")
@click.argument("name")
@click.argument("mode", type=click.Choice([m.value for m in DeliveryMode]))
@click.option("--tenant", help="Tenant of NAME when several have one by that name.")
@announced
def instances_mode(name: str, mode: str, tenant: str | None):
    """Switch NAME to webhook, websocket or none (its stored settings are kept)."""
    try:
        state = services().manager.apply(_instance(name, tenant), DeliveryMode(mode))
    except (SwitchError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{name}\t{state['mode']}")


def init_app(app: Flask) -> None:
    for command in (admin_group, token_group, servers_group, instances_group, simulator_command):
        app.cli.add_command(command)
