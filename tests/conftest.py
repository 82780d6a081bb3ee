"""Fixtures: a fixed clock, the fake Bot API, and the real bot against them."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from tests.support.fakebot import TOKEN, FakeBotAPI
from tests.support.harness import ALICE, Harness
from tests.support.webapp import Web, serving

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2026-11-23, 08:55 team time: five minutes before the day shift.
START = dt.datetime(2026, 11, 23, 8, 55, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """The one fixed clock: frozen at START; tests move it with `.shift()` / `.move_to()`."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database for one test.

    SQLite by default; with KEFU_TEST_POSTGRES_URL (a server's maintenance
    database, e.g. postgresql://kefu:kefu@127.0.0.1/postgres) a fresh PostgreSQL
    database is created for the test and dropped after it.
    """
    server = os.environ.get("KEFU_TEST_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'kefu.db'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"kefu_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(server).set(drivername="postgresql")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API, listening on loopback."""
    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()


def make_settings(fake: FakeBotAPI, database_url: str, **extra: object) -> Settings:
    """Settings as the environment would give them, pointing at the fake server."""
    values: dict[str, object] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": fake.url,
        "telegram_file_base_url": fake.url.replace("/bot", "/file/bot"),
        "database_url": database_url,
        "kefu_admins": str(ALICE.id),
        "kefu_language": "en",
        "kefu_rate_limit": 0,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def started(settings: Settings) -> Application:  # type: ignore[type-arg]
    """Build, initialize and migrate the real Application, as `run_polling` would."""
    app = build_application(settings)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return app


async def stopped(app: Application) -> None:  # type: ignore[type-arg]
    """Shut it down as `run_polling` would."""
    await app.shutdown()
    assert app.post_shutdown is not None
    await app.post_shutdown(app)


@pytest.fixture
async def bot(
    fake: FakeBotAPI, database_url: str, clock: time_machine.Coordinates
) -> AsyncIterator[Harness]:
    """The real bot (English texts) against the fake server, at the fixed clock."""
    app = await started(make_settings(fake, database_url))
    yield Harness(fake, app)
    await stopped(app)


PUBLIC_URL = "https://kefu.example.test"  # the Mini App's address as Telegram would open it


@pytest.fixture
async def dash(
    fake: FakeBotAPI, database_url: str, clock: time_machine.Coordinates
) -> AsyncIterator[tuple[Harness, Web]]:
    """The real bot with its Mini App (polling mode, KEFU_PUBLIC_URL set): the bot serves
    the app on a loopback port of its own; the client talks to it over HTTP."""
    settings = make_settings(
        fake, database_url, kefu_public_url=PUBLIC_URL, kefu_webhook_listen="127.0.0.1:0"
    )
    app = await started(settings)
    async with serving(app) as server:
        yield Harness(fake, app), server
    await stopped(app)
