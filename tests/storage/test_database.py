"""The database: URLs, migrations from empty and again, aware times, one open shift."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage import people as people_store
from storage.db import MIGRATIONS, Database, DatabaseError, engine_url
from storage.models import Person, WorkSession
from storage.people import Seen

TZ = ZoneInfo("Asia/Shanghai")
WHEN = dt.datetime(2026, 11, 23, 9, 7, tzinfo=TZ)


@pytest.mark.parametrize(
    ("raw", "driver"),
    [
        ("sqlite:///data/kefu.db", "sqlite+pysqlite"),
        ("sqlite:////abs/kefu.db", "sqlite+pysqlite"),
        ("postgresql://u:p@localhost/kefu", "postgresql+psycopg"),
        ("postgres://u:p@localhost/kefu", "postgresql+psycopg"),
        ("postgresql+psycopg://u:p@localhost/kefu", "postgresql+psycopg"),
    ],
)
def test_the_bot_picks_the_async_driver(raw: str, driver: str) -> None:
    assert engine_url(raw).drivername == driver


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
        engine_url(raw)


async def test_migrations_create_then_are_a_no_op(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    await db.migrate()  # an up-to-date database is left as it is
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        version = connection.execute(text("select version_num from alembic_version")).scalar()
    await db.close()
    assert {"person", "work_session", "break_period", "handover", "handover_ack"} <= tables
    assert {"ledger_entry", "ledger_void", "appeal", "daily_metric", "job_run"} <= tables
    assert {"qa_check", "month_lock", "payslip", "broadcast", "outbox", "notice"} <= tables
    assert version == "0016"


async def test_an_old_database_is_migrated_forward_without_loss(database_url: str) -> None:
    """A database at the first release's schema, with a clock-in, upgraded at start."""
    db = Database(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "insert into person (id, first_name, dm_open, is_supervisor, is_agent, first_seen,"
                " last_seen) values (7, 'Old', true, false, true, :at, :at)"
            ),
            {"at": WHEN.astimezone(dt.UTC).replace(tzinfo=None)},
        )
        connection.execute(
            text(
                "insert into work_session (person_id, started_at, late_minutes, outside_shift,"
                " chat_id) values (7, :at, 3, false, 7)"
            ),
            {"at": WHEN.astimezone(dt.UTC).replace(tzinfo=None)},
        )
    await db.migrate()
    person = await db.run(lambda session: session.get(Person, 7))
    work = await db.run(lambda session: session.exec(select(WorkSession)).one())
    await db.close()
    assert person is not None and person.first_name == "Old" and person.is_agent
    assert work.late_minutes == 3 and work.started_at == WHEN


async def test_times_come_back_aware_and_equal(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    await db.run(
        lambda session: people_store.record_seen(
            user=Seen(1, "A", None, "a", None), at=WHEN, in_private=True, session=session
        )
    )
    person = await db.run(lambda session: session.get(Person, 1))
    await db.close()
    assert person is not None
    assert person.first_seen == WHEN
    assert person.first_seen.tzinfo is not None


async def test_naive_times_are_refused(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()
    with pytest.raises(Exception, match="naive datetime"):
        await db.run(
            lambda session: people_store.record_seen(
                user=Seen(1, "A", None, None, None),
                at=WHEN.replace(tzinfo=None),
                in_private=True,
                session=session,
            )
        )
    await db.close()


async def test_one_open_work_session_per_person(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()

    def first(session: Session) -> None:
        people_store.record_seen(
            user=Seen(1, "A", None, None, None), at=WHEN, in_private=True, session=session
        )
        session.add(WorkSession(person_id=1, started_at=WHEN, chat_id=1))

    def second(session: Session) -> None:
        session.add(WorkSession(person_id=1, started_at=WHEN, chat_id=1))
        session.flush()

    def close_then_open(session: Session) -> None:
        (work,) = session.exec(select(WorkSession)).all()
        work.ended_at = WHEN  # a closed one does not count
        session.add(work)
        session.flush()
        second(session)

    await db.run(first)
    with pytest.raises(IntegrityError):
        await db.run(second)
    await db.run(close_then_open)
    assert len(await db.run(lambda session: session.exec(select(WorkSession)).all())) == 2
    await db.close()


async def test_usernames_are_case_insensitive_and_move(database_url: str) -> None:
    db = Database(database_url)
    await db.migrate()

    def work(session: Session) -> None:
        people_store.record_seen(
            user=Seen(1, "A", None, "Carol_CS", None), at=WHEN, in_private=False, session=session
        )
        found = people_store.by_username("@carol_cs", session=session)
        assert found is not None and found.id == 1
        # Someone else now has that username: it moves to them.
        people_store.record_seen(
            user=Seen(2, "B", None, "carol_cs", None), at=WHEN, in_private=False, session=session
        )
        found = people_store.by_username("CAROL_CS", session=session)
        assert found is not None and found.id == 2

    await db.run(work)
    await db.close()
