"""Creating tenants and users, checking and changing passwords; shared by the pages and the CLI."""
from __future__ import annotations

import functools
import re
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from . import audit, lengths
from .extensions import db
from .i18n import Message, Refusal
from .models import Role, Tenant, User
from .passwords import WeakPassword, check_password_policy

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(Refusal):
    """Input that cannot make an account; the message is safe to show."""


def validate_account(tenant: str, email: str, password: str) -> None:
    # The password's length is part of the password policy.
    for broken in (lengths.too_long(Message("The tenant name"), tenant, lengths.TENANT_NAME),
                   lengths.too_long(Message("The e-mail address"), email, lengths.EMAIL)):
        if broken:
            raise AccountError(broken)
    if not tenant.strip():
        raise AccountError("A tenant name is required.")
    if not EMAIL.match(email):
        raise AccountError("A valid e-mail address is required.")
    try:
        check_password_policy(password, email, tenant)
    except WeakPassword as error:
        raise AccountError.of(error) from error
    if db.session.execute(db.select(User.id).where(User.email == email.lower())).first():
        raise AccountError("A user with e-mail {email} already exists.", email=email)


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
    db.session.flush()
    audit.record("user.create", user.email, None, {"role": user.role}, tenant_id=tenant.id)
    db.session.commit()
    return user


def has_users() -> bool:
    return db.session.execute(db.select(User.id).limit(1)).first() is not None


@functools.cache
def _dummy_hash() -> str:
    """A hash made like every stored one, checked for unknown e-mails so they cost the same time."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password these are, else None.

    One password hash is checked whether or not the e-mail exists, so the answer's timing does
    not tell which e-mails have accounts.
    """
    dummy = _dummy_hash()  # made on the first attempt, whichever kind it is
    user = db.session.execute(db.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    matches = check_password_hash(user.password_hash if user else dummy, password)
    return user if user is not None and matches else None


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after proving the current one; every other session of the user ends."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("The current password is wrong.")
    try:
        check_password_policy(new, user.email, user.tenant.name)
    except WeakPassword as error:
        raise AccountError.of(error) from error
    user.set_password(new)
    user.end_sessions()
    audit.record("user.password", user.email, None, None, tenant_id=user.tenant_id)
    db.session.commit()
