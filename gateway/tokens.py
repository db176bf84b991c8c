"""API tokens: issued once (only a SHA-256 digest is kept), optionally expiring, listed and revoked."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from . import audit
from .extensions import db
from .models import ApiToken, User, utcnow
from .presenters import iso

TOKEN_PREFIX = "gw_"
# Last use is for people ("is this token still in use?"): a write per request would cost more than it tells.
LAST_USED_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Store a new token's digest; the token itself is returned this one time and never seen again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    api_token = ApiToken(user=user, name=name, token_hash=_digest(token), prefix=token[:8], expires_at=expires_at)
    db.session.add(api_token)
    audit.record("token.create", name, None, {"name": name, "prefix": token[:8], "user": user.email,
                                               "expires_at": iso(expires_at)}, tenant_id=user.tenant_id)
    db.session.commit()
    return api_token, token


def issue_token(user: User, name: str, expires_in_days: int | None = None) -> str:
    return create_token(user, name, expires_in_days)[1]


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    return moment.replace(tzinfo=utcnow().tzinfo) if moment and moment.tzinfo is None else moment


def authenticate(token: str) -> User | None:
    """The user of a live token; unknown, revoked (deleted) and expired tokens are all None."""
    api_token = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == _digest(token))).scalar_one_or_none()
    if api_token is None or is_expired(api_token):
        return None
    now = utcnow()
    last_used = _aware(api_token.last_used_at)
    if last_used is None or now - last_used >= LAST_USED_EVERY:
        api_token.last_used_at = now
        db.session.commit()
    return api_token.user


def tenant_tokens(tenant_id: int) -> list[ApiToken]:
    """Every token of the tenant's users, oldest first."""
    return list(db.session.execute(db.select(ApiToken).join(User).where(User.tenant_id == tenant_id)
                                   .order_by(ApiToken.id)).scalars())


def tenant_token(tenant_id: int, token_id: int) -> ApiToken | None:
    """One of the tenant's tokens; another tenant's is as absent as a missing one."""
    return db.session.execute(db.select(ApiToken).join(User).where(
        User.tenant_id == tenant_id, ApiToken.id == token_id)).scalar_one_or_none()


def revoke(api_token: ApiToken) -> None:
    """Deleting the digest is revocation: the next request with the token is unknown, so 401."""
    audit.record("token.revoke", api_token.name, {"name": api_token.name, "prefix": api_token.prefix,
                                                  "user": api_token.user.email}, None,
                 tenant_id=api_token.user.tenant_id)
    db.session.delete(api_token)
    db.session.commit()


def is_expired(api_token: ApiToken) -> bool:
    return bool(api_token.expires_at) and _aware(api_token.expires_at) <= utcnow()


def token_json(api_token: ApiToken) -> dict:
    """What a token looks like listed: never the token, only its first characters."""
    return {
        "id": api_token.id,
        "name": api_token.name,
        "prefix": api_token.prefix,
        "user": api_token.user.email,
        "created_at": iso(api_token.created_at),
        "last_used_at": iso(api_token.last_used_at),
        "expires_at": iso(api_token.expires_at),
        "expired": is_expired(api_token),
    }
