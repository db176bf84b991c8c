"""Fixtures for the provider clients: a client on each simulator."""
from __future__ import annotations

import pytest

from gateway.providers.evolution.client import EvolutionClient
from gateway.providers.waha.client import WahaClient


@pytest.fixture
def evolution(sim):
    """A client for the freshly reset simulator, with the global key."""
    client = EvolutionClient(sim.base_url, sim.api_key, timeout=10.0)
    yield client
    client.http.close()


@pytest.fixture
def waha(wsim):
    """A client for the freshly reset WAHA simulator."""
    client = WahaClient(wsim.base_url, wsim.api_key, timeout=10.0)
    yield client
    client.http.close()
