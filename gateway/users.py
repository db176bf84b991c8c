"""A tenant's users as its administrators manage them: add, change role, remove; never the last admin."""
from __future__ import annotations

from . import audit
from .accounts import AccountError, create_user
from .admin_input import InputError, user_fields
from .extensions import db
from .models import Role, Tenant, User
from .presenters import iso


class LastAdmin(InputError):
    """The change would leave the tenant without an administrator (409)."""


def tenant_users(tenant_id: int) -> list[User]:
    return list(db.session.execute(db.select(User).where(User.tenant_id == tenant_id)
                                   .order_by(User.email)).scalars())


def tenant_user(tenant_id: int, user_id: int) -> User | None:
    """One of the tenant's users; another tenant's is as absent as a missing one."""
    return db.session.execute(db.select(User).where(
        User.tenant_id == tenant_id, User.id == user_id)).scalar_one_or_none()


def add_user(tenant: Tenant, data: dict) -> User:
    email, password, role = user_fields(data)
    try:
        return create_user(tenant.name, email, password, role)
    except AccountError as error:
        raise InputError.of(error) from error


def _refuse_last_admin(user: User, refusal: str) -> None:
    """Refuse when `user` is the tenant's last administrator.

    The tenant's row is locked until the change commits: two administrators demoting each other
    at once would otherwise each count two administrators and leave none (PostgreSQL; SQLite has
    one writer at a time anyway).
    """
    if not user.is_admin:
        return
    db.session.execute(db.select(Tenant.id).where(Tenant.id == user.tenant_id).with_for_update())
    admins = db.session.execute(db.select(db.func.count(User.id)).where(
        User.tenant_id == user.tenant_id, User.role == Role.ADMIN.value)).scalar_one()
    if admins <= 1:
        raise LastAdmin(refusal, email=user.email)


def change_role(user: User, role: Role) -> User:
    if role is not Role.ADMIN:
        _refuse_last_admin(user, "{email} is the tenant's last administrator and cannot be demoted; "
                                 "make another user an administrator first.")
    audit.record("user.role", user.email, {"role": user.role}, {"role": role.value}, tenant_id=user.tenant_id)
    user.role = role.value
    db.session.commit()
    return user


def remove_user(user: User, actor: User | None = None) -> None:
    """Delete the user and their tokens; their sessions no longer find a user and end.

    `actor` (None from the command line) cannot remove themselves: the request would go on
    without a user, and another administrator is the one to decide that.
    """
    if actor is not None and actor.id == user.id:
        raise InputError("You cannot remove yourself; another administrator can.")
    _refuse_last_admin(user, "{email} is the tenant's last administrator and cannot be removed; "
                             "make another user an administrator first.")
    audit.record("user.remove", user.email, {"role": user.role}, None, tenant_id=user.tenant_id)
    db.session.delete(user)
    db.session.commit()


def user_json(user: User) -> dict:
    return {"id": user.id, "email": user.email, "role": user.role, "created_at": iso(user.created_at)}
