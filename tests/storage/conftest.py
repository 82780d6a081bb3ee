"""What the storage tests share: a migrated database with two people, Carol and Dave."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from storage import people as people_store
from storage.db import Database
from storage.people import Seen

TZ = ZoneInfo("Asia/Shanghai")
NINE = dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
CAROL, DAVE = 1003, 1004


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated database where Carol and Dave have written to the bot."""
    database = Database(database_url)
    await database.migrate()

    def people(session: Session) -> None:
        for person_id, name in ((CAROL, "Carol"), (DAVE, "Dave")):
            user = Seen(person_id, name, None, name.lower(), None)
            people_store.record_seen(user=user, at=NINE, in_private=True, session=session)

    await database.run(people)
    yield database
    await database.close()
