"""The errors a page action shows inline (never a 500), with the HTTP status each one deserves.

A provider's failure is introduced in the page's language by what kind of failure it is; the
provider's own words follow as they came.
"""
from __future__ import annotations

from ..connections.settings import SettingError
from ..connections.steps import SwitchError
from ..errors import provider_status
from ..i18n import translate
from ..instances import InstanceConflict, InstanceError
from ..providers.errors import (
    ProviderError, ProviderMismatch, ProviderNotFound, ProviderRejected, ProviderTimeout, ProviderUnauthorized,
    ProviderUnavailable,
)
from ..servers import ServerError

UI_ERRORS = (InstanceError, SettingError, ServerError, ProviderError, SwitchError)
# Most specific first: a timeout is also "unavailable".
PROVIDER_FAILURES = (
    (ProviderTimeout, "The provider did not answer in time: {message}"),
    (ProviderUnavailable, "The provider is unavailable: {message}"),
    (ProviderUnauthorized, "The provider refused the API key: {message}"),
    (ProviderNotFound, "The provider does not know it: {message}"),
    (ProviderMismatch, "The provider did not keep the setting: {message}"),
    (ProviderRejected, "The provider refused the request: {message}"),
)


def provider_message(error: ProviderError) -> str:
    """What went wrong at the provider, in the page's language, with the provider's own message."""
    text = next((text for kind, text in PROVIDER_FAILURES if isinstance(error, kind)), "Provider error: {message}")
    return translate(text, message=error.message)


def switch_message(error: SwitchError) -> str:
    """Which step of a switch failed and why, and what could not be undone, in the page's language."""
    message = translate("{step} failed: {message}", step=translate(error.step), message=provider_message(error.error))
    if error.rollback_failed:
        undone = ", ".join(translate(step) for step in error.rollback_failed)
        message += " " + translate("(could not undo: {steps})", steps=undone)
    return translate("The provider refused the change: {message}", message=message)


def failure(error: Exception) -> tuple[str, int]:
    """The message to show and the status to answer with."""
    if isinstance(error, SwitchError):
        return switch_message(error), provider_status(error.error)
    if isinstance(error, ProviderError):
        return provider_message(error), provider_status(error)
    return error.translated(), 409 if isinstance(error, InstanceConflict) else 422
