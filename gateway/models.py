"""Database models. Invariants (one delivery mode, unique names, unique event keys) live in the schema."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime, timezone
from typing import Annotated, Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from . import lengths
from .extensions import db


# Every timestamp is timezone-aware UTC, on PostgreSQL as on SQLite.
Moment = Annotated[datetime, mapped_column(DateTime(timezone=True))]


# The largest id a request may name: ids are INTEGER columns, which PostgreSQL casts every parameter
# to (a larger one is an error, not a row that is not there); SQLite overflows past 2**63 as well.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_session_key() -> str:
    return secrets.token_hex(16)


def _in(column: str, values: type[enum.Enum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


def _at_most(column: str, limit: int) -> CheckConstraint:
    """The length limit held by the database itself (SQLite does not enforce VARCHAR lengths)."""
    return CheckConstraint(f"length({column}) <= {limit}", name=f"{column}_length")


class Role(str, enum.Enum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"


class ProviderKind(str, enum.Enum):
    EVOLUTION = "evolution"
    WAHA = "waha"


class DeliveryMode(str, enum.Enum):
    NONE = "none"
    WEBHOOK = "webhook"
    WEBSOCKET = "websocket"


class RetryShape(str, enum.Enum):
    """How the delays between a provider's webhook retries grow (d, d, d / d, 2d, 3d / 2d, 4d, 8d)."""

    CONSTANT = "constant"
    LINEAR = "linear"
    EXPONENTIAL = "exponential"


class ConnectionState(str, enum.Enum):
    OPEN = "open"
    CONNECTING = "connecting"
    CLOSE = "close"
    UNKNOWN = "unknown"


class EventSource(str, enum.Enum):
    WEBHOOK = "webhook"
    WEBSOCKET = "websocket"
    CATCHUP = "catchup"


class Tenant(db.Model):
    __table_args__ = (_at_most("name", lengths.TENANT_NAME),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(lengths.TENANT_NAME), unique=True)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="tenant")


class User(db.Model):
    __table_args__ = (CheckConstraint(_in("role", Role), name="role"), _at_most("email", lengths.EMAIL))

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(lengths.EMAIL), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.OPERATOR.value)
    # Copied into each login's session and compared on every request: a new value (logout,
    # password change) ends every session issued before; random, so a reused id never matches.
    session_key: Mapped[str] = mapped_column(String(32), default=new_session_key)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    tenant: Mapped[Tenant] = relationship(back_populates="users")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Every session cookie issued for this user stops working (saved with the next commit)."""
        self.session_key = new_session_key()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def can_operate(self) -> bool:
        return self.role in (Role.ADMIN.value, Role.OPERATOR.value)


class ApiToken(db.Model):
    """A bearer token for programs; only its SHA-256 is kept, the token itself is shown once."""

    __table_args__ = (_at_most("name", lengths.TOKEN_NAME),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(lengths.TOKEN_NAME))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    # Written at most once a minute per token (see tokens.py), not on every request.
    last_used_at: Mapped[Moment | None]
    # None: the token never expires; past it, the token answers 401 like an unknown one.
    expires_at: Mapped[Moment | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class ProviderServer(db.Model):
    """An Evolution API or WAHA server; admin-managed and shared by every tenant."""

    __table_args__ = (
        CheckConstraint(_in("kind", ProviderKind), name="kind"),
        UniqueConstraint("base_url"),
        _at_most("name", lengths.SERVER_NAME),
        _at_most("base_url", lengths.SERVER_URL),
        _at_most("api_key", lengths.API_KEY),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(lengths.SERVER_NAME))
    kind: Mapped[str] = mapped_column(String(16))
    base_url: Mapped[str] = mapped_column(String(lengths.SERVER_URL))
    api_key: Mapped[str] = mapped_column(String(lengths.API_KEY))
    global_events: Mapped[bool] = mapped_column(default=False)
    # As the server reported it at registration or the last sync; WAHA's features depend on it.
    version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    instances: Mapped[list[Instance]] = relationship(back_populates="server")


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Instance(db.Model):
    """One WhatsApp number on a provider server, and how its events reach us."""

    __table_args__ = (
        UniqueConstraint("server_id", "name"),
        # API paths name an instance; within a tenant that name must be unambiguous.
        UniqueConstraint("tenant_id", "name"),
        _at_most("name", lengths.INSTANCE_NAME),
        CheckConstraint(_in("delivery_mode", DeliveryMode), name="delivery_mode"),
        CheckConstraint(_in("connection_state", ConnectionState), name="connection_state"),
        # A retry policy is whole or absent (absent: the provider's default), never negative.
        CheckConstraint("(webhook_retry_policy IS NULL) = (webhook_retry_delay IS NULL) "
                        "AND (webhook_retry_policy IS NULL) = (webhook_retry_attempts IS NULL)", name="webhook_retries"),
        CheckConstraint(_in("webhook_retry_policy", RetryShape), name="webhook_retry_policy"),
        CheckConstraint("webhook_retry_delay >= 0 AND webhook_retry_attempts >= 0", name="webhook_retry_bounds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("provider_server.id"), index=True)
    name: Mapped[str] = mapped_column(String(lengths.INSTANCE_NAME))

    delivery_mode: Mapped[str] = mapped_column(String(16), default=DeliveryMode.NONE.value)
    webhook_base64: Mapped[bool] = mapped_column(default=True)
    webhook_by_events: Mapped[bool] = mapped_column(default=False)
    webhook_events: Mapped[list[str] | None] = mapped_column(JSON)
    webhook_secret: Mapped[str] = mapped_column(String(64), unique=True, default=new_webhook_secret)
    websocket_events: Mapped[list[str] | None] = mapped_column(JSON)
    # The operator's retry policy for the gateway's webhook, where the provider has one to set.
    webhook_retry_policy: Mapped[str | None] = mapped_column(String(16))
    webhook_retry_delay: Mapped[float | None] = mapped_column(Float)
    webhook_retry_attempts: Mapped[int | None]

    connection_state: Mapped[str] = mapped_column(String(16), default=ConnectionState.UNKNOWN.value)
    # The provider's own word for the state (WAHA's SCAN_QR_CODE), shown beside the gateway's.
    provider_status: Mapped[str | None] = mapped_column(String(32))
    phone_number: Mapped[str | None] = mapped_column(String(32))
    profile_name: Mapped[str | None] = mapped_column(String(255))
    qr_code: Mapped[str | None] = mapped_column(Text)
    qr_pairing_code: Mapped[str | None] = mapped_column(String(32))
    qr_updated_at: Mapped[Moment | None]

    last_event_at: Mapped[Moment | None]
    last_sync_at: Mapped[Moment | None]
    # When a sync found the instance newly open in webhook mode: the provider's connection.update
    # should have come by webhook by then; nothing since is the sign of an unreachable PUBLIC_URL.
    open_seen_at: Mapped[Moment | None]
    drift: Mapped[bool] = mapped_column(default=False)
    drift_reason: Mapped[str | None] = mapped_column(Text)
    # Policy when the provider drifts from the chosen mode: put it back (True) or only report it.
    reapply_on_drift: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    tenant: Mapped[Tenant] = relationship()
    server: Mapped[ProviderServer] = relationship(back_populates="instances")

    @property
    def mode(self) -> DeliveryMode:
        return DeliveryMode(self.delivery_mode)


# "Sales" and "sales" on one server would be two instances to Evolution but one to a person.
Index("uq_instance_server_id_lower_name", Instance.server_id, func.lower(Instance.name), unique=True)


class InstanceChanges(db.Model):
    """How many instance changes the processes that hold no sockets (CLI commands) committed, per tenant.

    Without Redis it is how the running server hears of them (gateway/changes.py): each such change
    counts in its own transaction, so the count moves exactly when the change is visible, whichever
    process's clock or commit order. A cluster tells its processes over Redis instead.
    """

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    changes: Mapped[int] = mapped_column(default=0)


class Event(db.Model):
    """One provider event, stored once per instance whatever way it arrived."""

    __table_args__ = (
        UniqueConstraint("instance_id", "dedupe_key"),
        CheckConstraint(_in("source", EventSource), name="source"),
        Index("ix_event_instance_latest", "instance_id", "id"),
        Index("ix_event_tenant_name", "tenant_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    instance_id: Mapped[int] = mapped_column(ForeignKey("instance.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(128))
    provider_time: Mapped[Moment | None]
    received_at: Mapped[Moment] = mapped_column(default=utcnow, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEntry(db.Model):
    """Who changed what and when, with the state before and after; written with the change itself."""

    __table_args__ = (Index("ix_audit_entry_tenant_latest", "tenant_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for changes that belong to no tenant (a server, shared by all, changed from the CLI).
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    # The actor as text, so the entry outlives a removed user: an e-mail, "cli" or "system".
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(255))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[Moment] = mapped_column(default=utcnow)
