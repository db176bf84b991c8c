"""Configuration read from the environment, with safe defaults for a single-process install."""
import os
import secrets
from pathlib import Path


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'gateway.sqlite3'}"
    # Heroku-style platforms still hand out the scheme SQLAlchemy dropped.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _secret_key(instance_path: Path, production: bool) -> str:
    """Use SECRET_KEY; in development, generate one once and keep it so sessions survive restarts."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise RuntimeError("SECRET_KEY must be set when GATEWAY_ENV=production")
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _pool_options() -> dict:
    """Connections per worker process, sized for one gevent worker (README, "Database pool").

    A greenlet holds a connection only while it runs SQL, never while it waits for the event
    writer or a provider, so the pool bounds concurrent statements, not concurrent requests: the
    writer needs one, page and API requests one each while they query, the background jobs a few.
    Ten plus ten of overflow serves a worker's thousand connections; four such workers stay under
    PostgreSQL's default of 100. A request that finds the pool empty waits DB_POOL_TIMEOUT seconds.
    """
    return {"pool_size": int(os.environ.get("DB_POOL_SIZE", "10")),
            "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW", "10")),
            "pool_timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10"))}


class Config:
    """Every setting the app reads, from environment variables."""

    def __init__(self, instance_path: str | Path):
        instance_path = Path(instance_path)
        self.GATEWAY_ENV = os.environ.get("GATEWAY_ENV", "development")
        production = self.GATEWAY_ENV == "production"
        self.SECRET_KEY = _secret_key(instance_path, production)
        self.SQLALCHEMY_DATABASE_URI = _database_url(instance_path)
        # By default the address the app really serves on, so a provider on this machine reaches it.
        port = os.environ.get("PORT") or "5000"
        self.PUBLIC_URL = (os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{port}").rstrip("/")
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        # Every Redis key and channel starts with this, so several gateways can share one Redis.
        self.REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "gateway:")
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
        self.PROVIDER_TIMEOUT = float(os.environ.get("PROVIDER_TIMEOUT", "10"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_BODY_BYTES", str(32 * 1024 * 1024)))
        self.WEBSOCKET_ENABLED = _flag("WEBSOCKET_ENABLED", True)
        self.SOCKET_BACKOFF_BASE = float(os.environ.get("SOCKET_BACKOFF_BASE", "0.5"))
        self.SOCKET_BACKOFF_CAP = float(os.environ.get("SOCKET_BACKOFF_CAP", "30"))
        self.SOCKET_JOIN_TIMEOUT = float(os.environ.get("SOCKET_JOIN_TIMEOUT", "3"))
        # Fixed wait between joins while Evolution has no namespace for the instance yet.
        self.SOCKET_NAMESPACE_RETRY = float(os.environ.get("SOCKET_NAMESPACE_RETRY", "1.5"))
        # Resyncs (state and missed events over REST) run at once per provider server after its socket
        # rejoined; at least one.
        self.RESYNC_CONCURRENCY = max(1, int(os.environ.get("RESYNC_CONCURRENCY", "8")))
        # Catch-up reads the provider's messages from the last stored event minus this many seconds.
        self.CATCHUP_MARGIN = float(os.environ.get("CATCHUP_MARGIN", "300"))
        # Background jobs (socket clients at boot, periodic sync, watchdog, retention); off in tests.
        self.BACKGROUND_JOBS = _flag("BACKGROUND_JOBS", True)
        self.SYNC_INTERVAL = float(os.environ.get("SYNC_INTERVAL", "300"))
        # Seconds an open instance in webhook mode may stay silent before its webhook is checked.
        self.WATCHDOG_SILENCE = float(os.environ.get("WATCHDOG_SILENCE", "900"))
        self.WATCHDOG_INTERVAL = float(os.environ.get("WATCHDOG_INTERVAL", "60"))
        # Seconds a socket or job lease lasts without renewal (Redis, several processes only); a dead
        # holder's sockets are taken over within this plus one reconcile pass.
        self.CLUSTER_LEASE_TTL = float(os.environ.get("CLUSTER_LEASE_TTL", "6"))
        # Seconds between socket reconcile passes, the safety net behind the instance-change notices
        # (in a cluster) or the instance-change counts (one process without Redis).
        self.CLUSTER_RECONCILE_EVERY = float(os.environ.get("CLUSTER_RECONCILE_EVERY", "2"))
        # Seconds between two looks of the server (one process, no Redis) at the instance changes that
        # CLI commands committed: how soon such a change reaches it.
        self.INSTANCE_CHANGES_EVERY = float(os.environ.get("INSTANCE_CHANGES_EVERY", "1"))
        # Seconds an instance found open in webhook mode may go without any event before its row says
        # that its webhooks are not arriving (PUBLIC_URL unreachable from the provider?).
        self.UNHEARD_WEBHOOK_AFTER = float(os.environ.get("UNHEARD_WEBHOOK_AFTER", "120"))
        self.EVENT_RETENTION_DAYS = float(os.environ.get("EVENT_RETENTION_DAYS", "30"))
        # Rate limits ("N per second|minute|hour|day", several joined by ";"); failed logins only count.
        self.LOGIN_LIMIT_ACCOUNT = os.environ.get("LOGIN_LIMIT_ACCOUNT", "10 per 15 minutes")
        self.LOGIN_LIMIT_ADDRESS = os.environ.get("LOGIN_LIMIT_ADDRESS", "50 per 15 minutes")
        self.API_LIMIT_TOKEN = os.environ.get("API_LIMIT_TOKEN", "600 per minute")
        self.API_LIMIT_TENANT = os.environ.get("API_LIMIT_TENANT", "3000 per minute")
        # GET /metrics answers only with this bearer token; unset, it answers 404.
        self.METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
        # Proxies in front of the app whose X-Forwarded-For to trust (1 on Heroku); 0 trusts none.
        self.FORWARDED_HOPS = int(os.environ.get("FORWARDED_HOPS", "0"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        # Also Secure on any request that came over HTTPS (gateway/sessions.py), whatever the setting.
        self.SESSION_COOKIE_SECURE = production
        self.WTF_CSRF_TIME_LIMIT = None
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, **_pool_options()}

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}
