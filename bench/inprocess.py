"""The real Application in the benchmark's own process, against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from tests.support.fakebot import TOKEN, FakeBotAPI
from tests.support.harness import BOB, Harness


@asynccontextmanager
async def running_bot(
    fake: FakeBotAPI, database_url: str, *, rate_limit: float = 30
) -> AsyncIterator[Harness]:
    """Build, migrate and start the bot (Bob is the admin); shut it down after."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=fake.url,
        telegram_file_base_url=fake.url.replace("/bot", "/file/bot"),
        database_url=database_url,
        kefu_admins=str(BOB.id),
        kefu_language="en",
        kefu_rate_limit=rate_limit,
    )
    app: Application = build_application(settings)  # type: ignore[type-arg]
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    try:
        yield Harness(fake, app)
    finally:
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
