"""Fixtures shared by the source tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.x_api import FakeXApi


@pytest.fixture
async def fake() -> AsyncIterator[FakeXApi]:
    """A running fake X API server; stopped after the test."""
    server = FakeXApi()
    await server.start()
    yield server
    await server.stop()
