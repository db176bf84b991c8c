"""Times on the pages: relative ("2 minutes ago") with the exact UTC time on hover, and QR expiry.

The words match what `Intl.RelativeTimeFormat` (numeric: "always") says in each language, so
static/instances.js can refresh them in place without a reload changing the wording.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from markupsafe import Markup, escape

from ..i18n import translate
from ..models import Instance, utcnow
from ..servers import provider

JUST_NOW = 10  # seconds
# Seconds per unit, and the words for one and for several (never one second: below JUST_NOW it is "just now").
UNITS = ((86400, "{count} day ago", "{count} days ago"), (3600, "{count} hour ago", "{count} hours ago"),
         (60, "{count} minute ago", "{count} minutes ago"), (1, "{count} seconds ago", "{count} seconds ago"))


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes that were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def ago(moment: datetime, now: datetime) -> str:
    """`moment` relative to `now` in the page's language."""
    seconds = max(0, int((_utc(now) - _utc(moment)).total_seconds()))
    if seconds < JUST_NOW:
        return translate("just now")
    size, one, several = next(unit for unit in UNITS if seconds >= unit[0])
    count = seconds // size
    return translate(one if count == 1 else several, count=count)


def moment_element(moment: datetime) -> Markup:
    """A <time> that says how long ago, with the exact time in its title and datetime."""
    moment = _utc(moment)
    exact = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return Markup('<time datetime="{}" title="{}" data-relative="{}">{}</time>').format(
        moment.isoformat(), exact, translate("just now"), escape(ago(moment, utcnow())))


def qr_lifetime(instance: Instance) -> int | None:
    """Seconds a QR of this instance's provider lives; None when the provider does not say."""
    return getattr(type(provider(instance.server)), "QR_LIFETIME", None)


def qr_expires(instance: Instance) -> str:
    """When the instance's current QR is replaced (ISO 8601), or "" when unknown."""
    lifetime = qr_lifetime(instance)
    if not lifetime or instance.qr_updated_at is None:
        return ""
    return (_utc(instance.qr_updated_at) + timedelta(seconds=lifetime)).isoformat()
