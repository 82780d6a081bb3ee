"""Everything reads the roster [issue 16]: clock-in, the late and absence checks, meeting
duty, forgotten clock-outs, /team, leave, /shift and /restday from a day on, holidays
and adjusted working days, the start's warning about a year the calendar does not know."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from bot import cli
from storage import payroll as payroll_store
from storage import roster as roster_store
from storage.models import LeaveRequest, RosterDay, WorkSession
from storage.payroll import Locked
from tests.conftest import SHANGHAI as SH
from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import BOB, CAROL, DAVE, EVE, TEAM_GROUP, Harness
from tests.support.jobs import run_job
from tests.support.team import make_team, rows

ABSENT = "has not clocked in"


async def roster(bot: Harness, who_id: int, day: dt.date, shift: str | None) -> None:
    """A live roster row, as a published draft, `/roster` or a swap would write it."""
    kit = bot.app.bot_data["kit"]
    now = dt.datetime.now(dt.UTC)
    await kit.db.run(
        lambda session: roster_store.set_day(
            who_id, day, shift, source="edit", at=now, by=BOB.id, session=session
        )
    )


def absences(bot: Harness) -> list[str]:
    return [t for t in bot.fake.texts(BOB.id) if ABSENT in t]


async def eve_on_days(bot: Harness) -> None:
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")


async def test_a_day_rostered_evening_is_checked_against_the_evening(bot: Harness, clock) -> None:
    await make_team(bot)  # Monday 2026-11-23 08:55; Carol works days
    await roster(bot, CAROL.id, dt.date(2026, 11, 23), "evening")
    clock.move_to(dt.datetime(2026, 11, 23, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    assert absences(bot) == []
    clock.move_to(dt.datetime(2026, 11, 23, 16, 30, tzinfo=SH))
    await run_job(bot, "absence-check:evening")
    (card,) = [t for t in absences(bot) if "Carol" in t]
    assert "evening shift of 2026-11-23" in card


async def test_a_clock_in_is_late_against_the_rostered_shift_and_asked_after_its_end(
    bot: Harness, clock
) -> None:
    await make_team(bot)
    await roster(bot, CAROL.id, dt.date(2026, 11, 23), "evening")
    clock.move_to(dt.datetime(2026, 11, 23, 14, 42, tzinfo=SH))
    assert "Late by 12 min: the shift started at 14:30" in await bot.reply(CAROL, "/clockin")
    (work,) = await rows(bot, WorkSession)
    assert (work.shift, work.late_minutes) == ("evening", 12)
    assert work.shift_end == dt.datetime(2026, 11, 23, 23, 30, tzinfo=SH)
    assert bot.app.job_queue is not None
    (ask,) = bot.app.job_queue.get_jobs_by_name(f"clockout-ask:{work.id}")
    assert ask.job.trigger.run_date > dt.datetime(2026, 11, 23, 23, 30, tzinfo=SH)
    clock.move_to(dt.datetime(2026, 11, 23, 23, 45, tzinfo=SH))
    await run_job(bot, f"clockout-ask:{work.id}")
    assert "Your shift ended at 23:30" in bot.fake.texts(CAROL.id)[-1]


async def test_a_clock_in_on_a_rostered_rest_day_is_not_late(bot: Harness, clock) -> None:
    await make_team(bot)
    await roster(bot, CAROL.id, dt.date(2026, 11, 23), None)
    clock.move_to(dt.datetime(2026, 11, 23, 10, 30, tzinfo=SH))
    assert "not rostered today" in await bot.reply(CAROL, "/clockin")
    (work,) = await rows(bot, WorkSession)
    assert (work.shift, work.late_minutes, work.shift_end) == (None, 0, None)


async def test_a_rostered_rest_day_is_no_absence(bot: Harness, clock) -> None:
    await make_team(bot)
    await roster(bot, CAROL.id, dt.date(2026, 11, 24), None)
    clock.move_to(dt.datetime(2026, 11, 24, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    assert absences(bot) == []


async def test_team_lists_who_is_expected_and_not_in_and_who_is_off_and_why(
    bot: Harness, clock
) -> None:
    await make_team(bot)  # 08:55: Carol works days, Dave evenings
    await eve_on_days(bot)
    await roster(bot, CAROL.id, dt.date(2026, 11, 23), None)
    await bot.send(EVE, "/leave 2026-11-23 sick")
    approve = next(b for b in bot.buttons(BOB.id) if b.endswith(":approved"))
    await bot.press(BOB, approve)
    team = await bot.reply(BOB, "/team")
    waiting, off = team.split("\n\n")[3:5]
    assert "Expected today, not yet in (1)" in waiting and "evening shift from 14:30" in waiting
    assert "Dave" in waiting and "Carol" not in waiting
    assert "Off (2)" in off and "Rest day: Carol" in off and "On leave: Eve" in off
    await bot.send(DAVE, "/clockin")
    team = await bot.reply(BOB, "/team")
    assert "On shift (1)" in team and "Expected today, not yet in (0)" in team


async def test_leave_is_refused_on_a_day_off_and_timed_by_the_rostered_shift(
    bot: Harness, clock
) -> None:
    await make_team(bot)
    await bot.send(BOB, "/restday @carol_cs sun")
    await roster(bot, CAROL.id, dt.date(2026, 11, 26), None)
    await roster(bot, CAROL.id, dt.date(2026, 11, 24), "evening")
    sunday = await bot.reply(CAROL, "/leave 2026-11-29 wedding")
    assert "2026-11-29 is your weekly rest day: no leave is needed" in sunday
    rest = await bot.reply(CAROL, "/leave 2026-11-26 wedding")
    assert "2026-11-26 is a rest day on the roster" in rest
    assert await rows(bot, LeaveRequest) == []
    clock.move_to(dt.datetime(2026, 11, 24, 8, 0, tzinfo=SH))  # the evening starts at 14:30
    await bot.send(CAROL, "/leave 2026-11-24 dentist")
    (leave,) = await rows(bot, LeaveRequest)
    assert leave.timing == "urgent"


async def test_shift_and_restday_fill_the_roster_from_a_day_on(bot: Harness, clock) -> None:
    await make_team(bot)
    for day, shift in ((25, "evening"), (26, None), (30, "evening")):
        await roster(bot, CAROL.id, dt.date(2026, 11, day), shift)
    reply = await bot.reply(BOB, "/shift @carol_cs evening 2026-11-26")
    assert "now works the evening shift (14:30–23:30) from 2026-11-26" in reply
    assert "it replaces 2 days on the roster" in reply
    told = bot.fake.texts(CAROL.id)[-1]
    assert "set your shift: evening shift" in told and "from 2026-11-26" in told
    assert [r.day for r in await rows(bot, RosterDay)] == [dt.date(2026, 11, 25)]
    reply = await bot.reply(BOB, "/restday @carol_cs wed")
    assert "now rests every Wednesday from 2026-11-23; it replaces 1 day" in reply
    assert "weekly rest day: Wednesday from 2026-11-23" in bot.fake.texts(CAROL.id)[-1]
    assert await rows(bot, RosterDay) == []
    again = await bot.reply(BOB, "/shift @carol_cs day")
    assert "from 2026-11-23" in again and "replaces" not in again


async def test_shift_and_restday_refuse_a_past_day_or_a_locked_month(bot: Harness) -> None:
    await make_team(bot)
    await roster(bot, CAROL.id, dt.date(2026, 12, 2), None)
    past = await bot.reply(BOB, "/shift @carol_cs evening 2026-11-20")
    assert "2026-11-20 has passed" in past
    assert "has passed" in await bot.reply(BOB, "/restday @carol_cs sun 2026-11-22")
    assert "Usage" in await bot.reply(BOB, "/restday @carol_cs sun 2026-12-01 extra")
    assert "is not a date" in await bot.reply(BOB, "/shift @carol_cs day 2026-13-01")
    kit = bot.app.bot_data["kit"]
    now = dt.datetime.now(dt.UTC)
    await kit.db.run(
        lambda s: payroll_store.try_lock(Locked("2026-12", now, BOB.id, "test"), session=s)
    )
    locked = await bot.reply(BOB, "/shift @carol_cs evening 2026-12-01")
    assert "2026-12 is locked" in locked
    carol = next(p for p in await kit.rhythm.roster(dt.date(2026, 11, 24)) if p.id == CAROL.id)
    assert carol.shift == "day" and carol.rest_day is None
    assert len(await rows(bot, RosterDay)) == 1


async def test_a_holiday_expects_nobody_unless_rostered(bot: Harness, clock) -> None:
    clock.move_to(dt.datetime(2026, 9, 28, 8, 55, tzinfo=SH))
    await make_team(bot)
    await eve_on_days(bot)
    on_leave = await bot.reply(CAROL, "/leave 2026-10-01 trip")
    assert "2026-10-01 is a public holiday: no leave is needed" in on_leave
    await roster(bot, EVE.id, dt.date(2026, 10, 1), "day")  # Eve covers the holiday
    clock.move_to(dt.datetime(2026, 10, 1, 9, 30, tzinfo=SH))
    await run_job(bot, "meeting-reminder")
    reminder = bot.fake.texts(TEAM_GROUP.id)[-1]
    assert "duty during the meeting: Eve" in reminder
    clock.move_to(dt.datetime(2026, 10, 1, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    assert [("Carol" in t, "Eve" in t) for t in absences(bot)] == [(False, True)]
    team = await bot.reply(BOB, "/team")
    assert "Holiday: Carol, Dave" in team


async def test_an_adjusted_working_day_is_worked(bot: Harness, clock) -> None:
    clock.move_to(dt.datetime(2026, 9, 18, 8, 55, tzinfo=SH))
    await make_team(bot)
    await eve_on_days(bot)
    await roster(bot, EVE.id, dt.date(2026, 9, 20), None)  # Sunday, an adjusted working day
    clock.move_to(dt.datetime(2026, 9, 20, 9, 30, tzinfo=SH))
    await run_job(bot, "meeting-reminder")
    assert "duty during the meeting: Carol" in bot.fake.texts(TEAM_GROUP.id)[-1]
    clock.move_to(dt.datetime(2026, 9, 20, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    (card,) = absences(bot)
    assert "Carol" in card and "day shift of 2026-09-20" in card


SHOP_HOLIDAYS = """
[holidays.days]
"2027-01-04" = "holiday"
"""


async def test_the_policy_names_holidays_the_library_does_not_know(
    fake: FakeBotAPI, database_url: str, clock, tmp_path: Path
) -> None:
    clock.move_to(dt.datetime(2027, 1, 3, 8, 55, tzinfo=SH))
    policy = tmp_path / "shop.toml"
    policy.write_text(SHOP_HOLIDAYS)
    bot = Harness(fake, await started(make_settings(fake, database_url, kefu_policy=str(policy))))
    try:
        await make_team(bot)
        clock.move_to(dt.datetime(2027, 1, 4, 11, 0, tzinfo=SH))
        await run_job(bot, "absence-check:day")
        assert absences(bot) == []
        clock.move_to(dt.datetime(2027, 1, 5, 11, 0, tzinfo=SH))
        await run_job(bot, "absence-check:day")
        assert len(absences(bot)) == 1
    finally:
        await stopped(bot.app)


async def test_the_start_warns_of_a_coming_month_the_calendar_does_not_know(
    fake: FakeBotAPI, database_url: str, clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.move_to(dt.datetime(2026, 12, 10, 9, 0, tzinfo=SH))
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        await stopped(await started(make_settings(fake, database_url)))
    warned = [r.getMessage() for r in caplog.records if "holidays for" in r.getMessage()]
    assert warned == ["holidays for 2027-01 are unknown: add them to the policy's [holidays.days]"]
    caplog.clear()
    clock.move_to(dt.datetime(2026, 11, 10, 9, 0, tzinfo=SH))
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        await stopped(await started(make_settings(fake, database_url)))
    assert not [r for r in caplog.records if "holidays for" in r.getMessage()]


def test_policy_check_prints_the_same_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clock
) -> None:
    clock.move_to(dt.datetime(2026, 12, 10, 9, 0, tzinfo=SH))
    policy = tmp_path / "shop.toml"
    policy.write_text('language = "en"\n')
    assert cli.main(["policy", "check", str(policy)]) == 0
    out = capsys.readouterr().out
    assert f"{policy}: holidays for 2027-01 are unknown" in out
    policy.write_text(SHOP_HOLIDAYS)
    assert cli.main(["policy", "check", str(policy)]) == 0
    assert "unknown" not in capsys.readouterr().out


async def expected_days(bot: Harness, month: str) -> int:
    kit = bot.app.bot_data["kit"]
    window = payroll_store.Window.of(month, kit.policy)
    (facts,) = await kit.db.read(
        lambda session: payroll_store.month_facts(window, session=session, only=CAROL.id)
    )
    return int(facts.expected_days)


async def test_a_months_expected_days_follow_the_roster_and_the_holidays(
    bot: Harness, clock
) -> None:
    clock.move_to(dt.datetime(2026, 9, 28, 8, 55, tzinfo=SH))  # a Monday; Carol works days
    await make_team(bot)
    assert await expected_days(bot, "2026-09") == 3  # from her enrolment on the 28th
    # October: 31 days, seven of them the National Day holiday; the 10th (a Saturday)
    # an adjusted working day, worked as any other.
    assert await expected_days(bot, "2026-10") == 24
    await roster(bot, CAROL.id, dt.date(2026, 10, 12), None)
    await roster(bot, CAROL.id, dt.date(2026, 10, 2), "day")  # covers a holiday
    await bot.send(CAROL, "/leave 2026-10-13 wedding")
    approve = next(b for b in bot.buttons(BOB.id) if b.endswith(":approved"))
    await bot.press(BOB, approve)
    assert await expected_days(bot, "2026-10") == 24  # leave still counts as expected
    await bot.send(BOB, "/restday @carol_cs sun 2026-10-01")
    assert await expected_days(bot, "2026-10") == 21  # the 11th, 18th and 25th
