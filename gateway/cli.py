"""Operator commands: `flask --app app admin|token|simulator ...`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .accounts import AccountError, create_user
from .auth import issue_token
from .extensions import db
from .models import Role, User


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


@click.command("simulator")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8081, show_default=True, type=int)
@click.option("--api-key", default="simulator-global-key", show_default=True)
@click.option("--global-events", is_flag=True, help="Emit every event on the root namespace too.")
def simulator_command(host: str, port: int, api_key: str, global_events: bool):
    """Run the Evolution API simulator (for trying the gateway without a WhatsApp number)."""
    from .simulator import serve

    serve(host, port, api_key=api_key, global_events=global_events)


def init_app(app: Flask) -> None:
    for command in (admin_group, token_group, simulator_command):
        app.cli.add_command(command)
