"""Typed provider errors, so callers react to what went wrong and not to HTTP details."""
from __future__ import annotations


class ProviderError(Exception):
    """A provider call failed; `message` is the provider's own words, safe to show (never the key)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class ProviderUnavailable(ProviderError):
    """Unreachable, timed out or failing on its side (5xx): worth trying again later."""


class ProviderTimeout(ProviderUnavailable):
    """No answer in time: the provider may or may not have done what was asked."""


class ProviderRejected(ProviderError):
    """The provider refused the request (4xx); its message says why."""


class ProviderNotFound(ProviderError):
    """The instance (or route) does not exist on the provider."""


class ProviderUnauthorized(ProviderError):
    """The key is wrong or lacks the right for this call."""


class ProviderMismatch(ProviderError):
    """The provider accepted a setting but reading it back shows it kept something else."""


def error_for_status(status: int, message: str) -> ProviderError:
    """The typed error for an HTTP error status."""
    if status == 401:
        return ProviderUnauthorized(message, status)
    if status == 404:
        return ProviderNotFound(message, status)
    if 400 <= status < 500:
        return ProviderRejected(message, status)
    return ProviderUnavailable(message, status)
