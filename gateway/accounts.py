"""Creating tenants, users and the first administrator; shared by the setup page and the CLI."""
from __future__ import annotations

import re

from . import limits
from .extensions import db
from .models import Role, Tenant, User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


class AccountError(ValueError):
    """Input that cannot make an account; the message is safe to show."""


def validate_account(tenant: str, email: str, password: str) -> None:
    for broken in (limits.too_long("The tenant name", tenant, limits.TENANT_NAME),
                   limits.too_long("The e-mail address", email, limits.EMAIL),
                   limits.too_long("The password", password, limits.PASSWORD)):
        if broken:
            raise AccountError(broken)
    if not tenant.strip():
        raise AccountError("A tenant name is required.")
    if not EMAIL.match(email):
        raise AccountError("A valid e-mail address is required.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password needs at least {MIN_PASSWORD} characters.")
    if db.session.execute(db.select(User.id).where(User.email == email.lower())).first():
        raise AccountError(f"A user with e-mail {email} already exists.")


def create_user(tenant_name: str, email: str, password: str, role: Role) -> User:
    """Create a user in the named tenant, creating the tenant when it does not exist yet."""
    tenant_name, email = tenant_name.strip(), email.strip().lower()
    validate_account(tenant_name, email, password)
    tenant = db.session.execute(db.select(Tenant).where(Tenant.name == tenant_name)).scalar_one_or_none()
    if tenant is None:
        tenant = Tenant(name=tenant_name)
        db.session.add(tenant)
    user = User(tenant=tenant, email=email, role=role.value)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def has_users() -> bool:
    return db.session.execute(db.select(User.id).limit(1)).first() is not None
