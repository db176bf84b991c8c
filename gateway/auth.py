"""Who is calling: session login for people, hashed bearer tokens for programs, and role checks."""
from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable

from flask import abort, g, redirect, request, session, url_for

from . import audit
from .extensions import db
from .models import ApiToken, Role, User, utcnow

TOKEN_PREFIX = "gw_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> str:
    """Create a token and return it; only its digest is stored, so this is the one time it is seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name, token_hash=_digest(token), prefix=token[:8]))
    audit.record("token.create", name, None, {"name": name, "prefix": token[:8], "user": user.email},
                 tenant_id=user.tenant_id)
    db.session.commit()
    return token


def _user_from_bearer(header: str) -> User | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    api_token = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == _digest(token.strip()))
    ).scalar_one_or_none()
    if api_token is None:
        return None
    api_token.last_used_at = utcnow()
    db.session.commit()
    return api_token.user


def load_current_user() -> None:
    """Resolve the caller once per request into g.user and g.auth ('token', 'session' or None)."""
    g.user, g.auth = None, None
    header = request.headers.get("Authorization")
    if header:
        g.user = _user_from_bearer(header)
        g.auth = "token" if g.user else "invalid-token"
        return
    user_id = session.get("user_id")
    if user_id is not None:
        user = db.session.get(User, user_id)
        # A session issued before the user's last logout or password change, or for a removed
        # user, is over even though its cookie is still validly signed.
        if user is None or not secrets.compare_digest(user.session_key, str(session.get("session_key", ""))):
            session.clear()
            return
        g.user, g.auth = user, "session"


def login_user(user: User) -> None:
    session.clear()
    session["user_id"] = user.id
    session["session_key"] = user.session_key
    session.permanent = True


def logout_user() -> None:
    """End the session here and server-side: a copy of the cookie stops working too.

    The user's other sessions end with it (one key per user, not per session).
    """
    if g.get("auth") == "session":
        g.user.end_sessions()
        db.session.commit()
    session.clear()


def _role_allows(user: User, role: Role | None) -> bool:
    if role is Role.ADMIN:
        return user.is_admin
    if role is Role.OPERATOR:
        return user.can_operate
    return True


def _guarded(role: Role | None, anonymous: Callable) -> Callable:
    """A view decorator: `anonymous()` answers callers who are not logged in; a role too low is 403."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user is None:
                return anonymous()
            if not _role_allows(g.user, role):
                abort(403, f"This needs the {role.value} role.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def login_required(role: Role | None = None) -> Callable:
    """Pages: send anonymous people to the login form."""
    return _guarded(role, lambda: redirect(url_for("accounts.login", next=request.full_path)))


def api_auth_required(role: Role | None = None) -> Callable:
    """JSON API: a bearer token or a session; 401 without either."""
    return _guarded(role, lambda: abort(401, "A valid bearer token or a logged-in session is required."))
