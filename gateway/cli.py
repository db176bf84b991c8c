"""Operator commands: `flask --app app admin|token|simulator ...`."""
from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import AppGroup

from .accounts import AccountError, create_user
from .auth import issue_token
from .connections.steps import SwitchError
from .extensions import db
from .models import DeliveryMode, Instance, Role, Tenant, User
from .providers.errors import ProviderError
from .services import services


@click.group("admin", cls=AppGroup)
def admin_group():
    """Manage users."""


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


@click.group("token", cls=AppGroup)
def token_group():
    """Manage API tokens."""


@token_group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for.")
def token_create(email: str, name: str):
    """Create an API token and print it; it cannot be shown again."""
    user = db.session.execute(db.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    click.echo(issue_token(user, name))


@click.command("simulator", context_settings={"ignore_unknown_options": True})
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8081, show_default=True, type=int)
@click.option("--api-key", default="simulator-global-key", show_default=True)
@click.option("--provider", type=click.Choice(["evolution", "waha"]), default="evolution", show_default=True)
@click.option("--global-events", is_flag=True, help="Evolution: emit every event on the root namespace too.")
@click.option("--waha-version", type=click.Choice(["2026.2.1", "2024.10.8"]), default="2026.2.1", show_default=True)
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
def simulator_command(host: str, port: int, api_key: str, provider: str, global_events: bool, waha_version: str,
                      extra: tuple[str, ...]):
    """Run the Evolution API or WAHA simulator (a stand-in for trying the gateway without a WhatsApp number).

    It runs as its own process so that gevent patches the standard library before anything else
    is imported; further options (--retry-base-delay, --qr-limit, --time-scale, ...) are passed through.
    """
    if provider == "waha":
        command = [sys.executable, "-m", "gateway.simulator.waha", "--host", host, "--port", str(port),
                   "--api-key", api_key, "--waha-version", waha_version, *extra]
    else:
        command = [sys.executable, "-m", "gateway.simulator", "--host", host, "--port", str(port),
                   "--api-key", api_key, *(["--global-events"] if global_events else []), *extra]
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
def instances_mode(name: str, mode: str, tenant: str | None):
    """Switch NAME to webhook, websocket or none (its stored settings are kept)."""
    try:
        state = services().manager.apply(_instance(name, tenant), DeliveryMode(mode))
    except (SwitchError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{name}\t{state['mode']}")


def init_app(app: Flask) -> None:
    for command in (admin_group, token_group, instances_group, simulator_command):
        app.cli.add_command(command)
