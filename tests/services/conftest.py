"""Fixtures: the use-cases on a new database, with and without the usual team."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import START
from tests.support.services import Services


@pytest.fixture
async def office(database_url: str) -> AsyncIterator[Services]:
    """The use-cases on a new, empty database."""
    services = await Services.open(database_url)
    yield services
    await services.close()


@pytest.fixture
async def team(office: Services) -> Services:
    """The use-cases with the usual team, staffed at START (Monday 08:55)."""
    await office.staff(at=START)
    return office
