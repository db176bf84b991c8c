"""The errors a page action shows inline (never a 500), with the HTTP status each one deserves."""
from __future__ import annotations

from ..connections.settings import SettingError
from ..connections.steps import SwitchError
from ..errors import provider_status
from ..i18n import translate
from ..instances import InstanceConflict, InstanceError
from ..providers.errors import ProviderError
from ..servers import ServerError

UI_ERRORS = (InstanceError, SettingError, ServerError, ProviderError, SwitchError)


def failure(error: Exception) -> tuple[str, int]:
    """The message to show and the status to answer with."""
    if isinstance(error, SwitchError):
        return translate("The provider refused the change: {message}", message=error.message), \
            provider_status(error.error)
    if isinstance(error, ProviderError):
        return translate("Provider error: {message}", message=error.message), provider_status(error)
    return str(error), 409 if isinstance(error, InstanceConflict) else 422
