"""Leave, rest days and weekly reports end to end."""

from __future__ import annotations

import datetime as dt

from storage.models import LeaveRequest, WeeklyReport
from tests.support.harness import ALICE, BOB, CAROL, MALLORY, TEAM_GROUP, Harness, command
from tests.support.team import make_team, person_row, rows


async def test_leave_is_asked_and_the_first_decision_wins(bot: Harness) -> None:
    await make_team(bot)
    asked = await bot.reply(CAROL, "/leave 2026-11-25 dentist <appointment>")
    assert "leave request for 2026-11-25 went to the supervisors" in asked and "late" not in asked
    card = bot.fake.texts(BOB.id)[-1]
    assert "Leave request from Carol for 2026-11-25" in card and "dentist <appointment>" in card
    approve = next(b for b in bot.buttons(ALICE.id) if b.endswith(":approved"))
    deny = next(b for b in bot.buttons(BOB.id) if b.endswith(":denied"))
    assert "Only supervisors" in await bot.press(CAROL, approve)
    assert "Done: leave on 2026-11-25 approved" in await bot.press(ALICE, approve)
    assert "Already approved by Alice" in await bot.press(BOB, deny)
    assert "approved by Alice" in bot.fake.texts(CAROL.id)[-1]
    (leave,) = await rows(bot, LeaveRequest)
    assert (leave.status, leave.decided_by, leave.timing) == ("approved", ALICE.id, "ordinary")
    kit = bot.app.bot_data["kit"]
    assert CAROL.id not in {p.id for p in await kit.rhythm.roster(dt.date(2026, 11, 25))}
    assert CAROL.id in {p.id for p in await kit.rhythm.roster(dt.date(2026, 11, 26))}


async def test_a_late_request_is_still_passed_on_marked_late(bot: Harness) -> None:
    await make_team(bot)  # 08:55, Carol's day shift starts at 09:00
    asked = await bot.reply(CAROL, "/leave 2026-11-23 sick")
    assert "marked late" in asked
    assert "asked late" in bot.fake.texts(BOB.id)[-1]


async def test_leave_refusals(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/leave 2026-11-30 wedding")
    assert "already asked for leave on 2026-11-30" in await bot.reply(
        CAROL, "/leave 2026-11-30 again"
    )
    assert "has passed" in await bot.reply(CAROL, "/leave 2026-11-01 late")
    assert "not a date" in await bot.reply(CAROL, "/leave 30/11 x")
    assert "more than 90 days ahead" in await bot.reply(CAROL, "/leave 2027-06-01 trip")
    assert "Usage" in await bot.reply(CAROL, "/leave 2026-12-01")
    assert "private chat" in await bot.reply(
        CAROL, command("leave", in_group=True) + " 2026-12-01 x", group=TEAM_GROUP
    )
    assert "Only enrolled agents" in await bot.reply(BOB, "/leave 2026-12-01 x")
    assert len(await rows(bot, LeaveRequest)) == 1


async def test_rest_days_shape_the_roster(bot: Harness) -> None:
    await make_team(bot)
    assert "Carol now rests every Wednesday" in await bot.reply(BOB, "/restday @carol_cs 周三")
    assert "not a weekday" in await bot.reply(BOB, "/restday @carol_cs someday")
    assert "Usage" in await bot.reply(BOB, "/restday @carol_cs")
    assert "Only supervisors" in await bot.reply(CAROL, "/restday @carol_cs mon")
    row = await person_row(bot, CAROL.id)
    assert row is not None and row.rest_day == 2
    kit = bot.app.bot_data["kit"]
    assert CAROL.id not in {p.id for p in await kit.rhythm.roster(dt.date(2026, 11, 25))}
    assert CAROL.id in {p.id for p in await kit.rhythm.roster(dt.date(2026, 11, 24))}


async def test_weekly_report_one_per_week(bot: Harness, clock) -> None:
    await make_team(bot)
    assert "report for the week of 2026-11-23 is in" in await bot.reply(
        CAROL, "/report sold <lots>"
    )
    assert "was replaced" in await bot.reply(CAROL, "/report sold even more")
    assert "Write the report" in await bot.reply(CAROL, "/report   ")
    assert "Only enrolled agents" in await bot.reply(BOB, "/report hi")
    assert "not on this team" in await bot.reply(MALLORY, "/report hi")
    (report,) = await rows(bot, WeeklyReport)
    assert (report.text, report.replaced, report.week) == ("sold even more", 1, "2026-11-23")
    clock.shift(dt.timedelta(days=7))
    await bot.send(CAROL, "/report next week")
    assert len(await rows(bot, WeeklyReport)) == 2
