"""The database: URLs, migrations from empty and again, aware times, one open shift."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from storage import people
from storage.db import Database, DatabaseError, async_url
from storage.models import Person, WorkSession
from storage.people import Seen

TZ = ZoneInfo("Asia/Shanghai")
WHEN = dt.datetime(2026, 11, 23, 9, 7, tzinfo=TZ)


@pytest.mark.parametrize(
    ("raw", "driver"),
    [
        ("sqlite:///data/kefu.db", "sqlite+aiosqlite"),
        ("sqlite:////abs/kefu.db", "sqlite+aiosqlite"),
        ("postgresql://u:p@localhost/kefu", "postgresql+asyncpg"),
        ("postgres://u:p@localhost/kefu", "postgresql+asyncpg"),
        ("postgresql+psycopg://u:p@localhost/kefu", "postgresql+asyncpg"),
    ],
)
def test_the_bot_picks_the_async_driver(raw: str, driver: str) -> None:
    assert async_url(raw).drivername == driver


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://u@h/db", "not supported"),
        ("sqlite://", "must name a SQLite file"),
    ],
)
def test_bad_urls_are_explained(raw: str, says: str) -> None:
    with pytest.raises(DatabaseError, match=says):
        async_url(raw)


async def test_migrations_create_then_are_a_no_op(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    await db.migrate()  # an up-to-date database is left as it is
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        version = (await connection.execute(text("select version_num from alembic_version"))).scalar()
    await db.close()
    assert {"person", "work_session", "break_period", "handover", "handover_ack"} <= tables
    assert version == "0001"


async def test_times_come_back_aware_and_equal(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    async with db.session() as session, session.begin():
        await people.record_seen(
            session, user=Seen(1, "A", None, "a", None), at=WHEN, in_private=True
        )
    async with db.session() as session:
        person = await session.get(Person, 1)
    await db.close()
    assert person is not None
    assert person.first_seen == WHEN
    assert person.first_seen.tzinfo is not None


async def test_naive_times_are_refused(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    with pytest.raises(Exception, match="naive datetime"):
        async with db.session() as session, session.begin():
            await people.record_seen(
                session, user=Seen(1, "A", None, None, None), at=WHEN.replace(tzinfo=None),
                in_private=True,
            )
    await db.close()


async def test_one_open_work_session_per_person(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    async with db.session() as session, session.begin():
        await people.record_seen(session, user=Seen(1, "A", None, None, None), at=WHEN, in_private=True)
        session.add(WorkSession(person_id=1, started_at=WHEN, chat_id=1))
    with pytest.raises(IntegrityError):
        async with db.session() as session, session.begin():
            session.add(WorkSession(person_id=1, started_at=WHEN, chat_id=1))
    async with db.session() as session, session.begin():  # a closed one does not count
        row = (await session.exec(text("select id from work_session"))).scalar()  # type: ignore[call-overload]
        work = await session.get(WorkSession, row)
        assert work is not None
        work.ended_at = WHEN
        session.add(WorkSession(person_id=1, started_at=WHEN, chat_id=1))
    await db.close()


async def test_usernames_are_case_insensitive_and_move(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    async with db.session() as session, session.begin():
        await people.record_seen(session, user=Seen(1, "A", None, "Carol_CS", None), at=WHEN, in_private=False)
        found = await people.by_username(session, "@carol_cs")
        assert found is not None and found.id == 1
        # Someone else now has that username: it moves to them.
        await people.record_seen(session, user=Seen(2, "B", None, "carol_cs", None), at=WHEN, in_private=False)
        found = await people.by_username(session, "CAROL_CS")
        assert found is not None and found.id == 2
    await db.close()
