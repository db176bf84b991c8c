"""An instance's delivery channels on its provider, set up for its stored choices."""
from __future__ import annotations

from ..models import Instance
from ..providers.base import Channels
from ..servers import provider
from .settings import delivery_settings, provider_of


def channels_of(instance: Instance) -> Channels:
    """The provider package's channels for this instance, with the server's shared client."""
    return provider_of(instance).channels(provider(instance.server), delivery_settings(instance), instance.server)
