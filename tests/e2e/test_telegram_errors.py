"""The Bot API answering with errors, as Telegram does: 429, 403, 5xx."""

from __future__ import annotations

import logging

from tests.support.harness import ALICE, BOB, CAROL, Harness
from tests.support.team import make_team


async def test_flood_control_is_waited_out(bot: Harness) -> None:
    await make_team(bot)
    bot.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    answer = await bot.reply(CAROL, "/clockin")
    assert "clocked in" in answer
    attempts = [c for c in bot.fake.sent(CAROL.id)]
    assert attempts[-1].at - attempts[-2].at >= 0.9  # waited retry_after before trying again


async def test_a_blocked_user_is_logged_not_crashed_on(bot: Harness, caplog) -> None:
    await make_team(bot)
    bot.fake.blocked.add(CAROL.id)
    caplog.set_level(logging.INFO)
    answer = await bot.reply(BOB, "/shift @carol_cs evening")
    assert "evening shift" in answer  # the change stands, the supervisor is answered
    assert ("sendMessage", 403, "Forbidden: bot was blocked by the user") in bot.fake.errors
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_reply_to_someone_who_blocked_the_bot_is_dropped(bot: Harness) -> None:
    await make_team(bot)
    bot.fake.blocked.add(CAROL.id)
    await bot.send(CAROL, "/clockin")  # the clock-in is recorded even if the reply bounces
    bot.fake.blocked.clear()
    assert "already clocked in" in await bot.reply(CAROL, "/clockin")


async def test_a_server_error_does_not_lose_the_record(bot: Harness, caplog) -> None:
    await make_team(bot)
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway")
    await bot.send(CAROL, "/clockin")
    assert "already clocked in" in await bot.reply(CAROL, "/clockin")
    assert await bot.reply(ALICE, "/help")
