"""Faults the outbox survives, through the real Application and the fake Bot API.

A 500 or a timeout when a scheduled post goes out: it arrives later, once. A
blocked agent: recorded, the supervisor who logged the entry is told, the rest go
on. The Bot API unreachable for a while: everything due goes out when it returns,
in order. (A group's budget and its digests: tests/bot/test_delivery.py, and
bench.fines against a fake that answers 429 as Telegram does.)
"""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlmodel import select

from storage.models import Notice
from tests.conftest import SHANGHAI
from tests.support.harness import BOB, CAROL, DAVE, TEAM_GROUP, Harness
from tests.support.jobs import run_job
from tests.support.sheets import csv_bytes
from tests.support.team import make_team


async def notices(bot: Harness) -> list[Notice]:
    kit = bot.app.bot_data["kit"]
    return await kit.db.read(lambda session: list(session.exec(select(Notice))))


async def test_a_5xx_on_the_ten_oclock_alert_then_it_arrives_once(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    await bot.send_file(BOB, "ok.csv", csv_bytes(["2026-11-22,carol旺旺,1,1,99%,12,1,1,1,1"]))
    clock.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))
    bot.fake.fail_next("sendMessage", 500, "Internal Server Error", chat_id=TEAM_GROUP.id)
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway", chat_id=TEAM_GROUP.id)
    await run_job(bot, "daily-alert")
    await run_job(bot, "daily-alert")  # a restart or a replica runs the job again: nothing more
    posts = [t for t in bot.fake.delivered(TEAM_GROUP.id) if "response-time standard" in t]
    assert len(posts) == 1
    (row,) = [n for n in await notices(bot) if n.kind == "daily_ok"]
    assert row.status == "sent" and row.attempts == 3


async def test_a_blocked_agent_is_reported_and_the_others_are_told(bot: Harness) -> None:
    await make_team(bot)
    bot.fake.blocked.add(CAROL.id)
    answer = await bot.reply(BOB, "/fine @carol_cs late")
    assert "could not send Carol a private message" in answer
    await bot.send(BOB, f"/fine {DAVE.first_name} late", mentions=[DAVE])
    assert any("#2 Late" in t for t in bot.fake.delivered(DAVE.id))
    statuses = {(n.chat_id, n.kind): n.status for n in await notices(bot)}
    assert statuses[(CAROL.id, "entry_dm")] == "failed"
    assert statuses[(DAVE.id, "entry_dm")] == "sent"
    assert statuses[(TEAM_GROUP.id, "entry_announce")] == "sent"


async def test_telegram_down_for_a_while_then_everything_goes_out_in_order(
    bot: Harness,
) -> None:
    await make_team(bot)
    for _ in range(4):  # the next four calls to Carol fail: Telegram is down for her
        bot.fake.fail_next("sendMessage", 502, "Bad Gateway", chat_id=CAROL.id)
    for code in ("late", "no-handover", "snacks"):
        await bot.send(BOB, f"/fine @carol_cs {code}")
    received = [t for t in bot.fake.delivered(CAROL.id) if t.startswith("⚠️ #")]
    assert [t.split(" ")[1] for t in received] == ["#1", "#2", "#3"]
    assert {n.status for n in await notices(bot)} == {"sent"}


async def test_a_post_that_can_never_arrive_is_reported_by_what_it_said(bot: Harness) -> None:
    await make_team(bot)
    bot.fake.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=TEAM_GROUP.id)
    await bot.send(CAROL, "/handover the printer is out of paper")
    (report,) = [t for t in bot.fake.delivered(BOB.id) if "could not be delivered" in t]
    assert "could not be delivered to the team group: “📋 Handover #1 from Carol" in report
    assert "(Chat not found)" in report
    assert "handover_post" not in report  # what it said, not the template's name
