"""Per-person timers: a break over its limit, and the restart that rebuilds them."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlmodel import select

from bot.app import stop_delivery
from storage.models import LedgerEntry, WorkSession
from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, EVE, MALLORY, Harness
from tests.support.jobs import run_job
from tests.support.team import make_team

MIN = dt.timedelta(minutes=1)
SH = dt.timezone(dt.timedelta(hours=8))


async def test_a_long_break_tells_the_agent_then_the_supervisors(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    await bot.send(CAROL, "/break")
    kit = bot.app.bot_data["kit"]
    (rest,) = await kit.attendance.open_breaks()
    clock.shift(10 * MIN)
    await run_job(bot, f"break-over:{rest.id}")
    assert "passed the 10 min limit" in bot.fake.texts(CAROL.id)[-1]
    await run_job(bot, f"break-over:{rest.id}")  # run twice: told once
    assert len([t for t in bot.fake.texts(CAROL.id) if "passed the" in t]) == 1
    entries_before = await kit.db.run(lambda s: list(s.exec(select(LedgerEntry))))
    assert entries_before == []  # nothing is logged without a supervisor's press
    clock.shift(5 * MIN)
    await run_job(bot, f"break-report:{rest.id}")
    report = bot.fake.texts(BOB.id)[-1]
    assert "Carol has been on a break for 15 min (since 08:55; limit 10 min)" in report
    (button,) = [b for b in bot.buttons(ALICE.id) if b.startswith("away:")]
    assert "Only supervisors" in await bot.press(CAROL, button)
    assert "Logged as away from post" in await bot.press(ALICE, button)
    assert "Already handled" in await bot.press(BOB, button)
    (entry,) = await kit.db.run(lambda s: list(s.exec(select(LedgerEntry))))
    assert (entry.person_id, entry.code, entry.points, entry.logged_by) == (
        CAROL.id,
        "away-from-post",
        -5,
        ALICE.id,
    )


async def test_a_break_that_ended_in_time_sends_nothing(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    await bot.send(CAROL, "/break")
    kit = bot.app.bot_data["kit"]
    (rest,) = await kit.attendance.open_breaks()
    clock.shift(8 * MIN)
    await bot.send(CAROL, "/back")
    before = (len(bot.fake.texts(CAROL.id)), len(bot.fake.texts(BOB.id)))
    clock.shift(2 * MIN)
    await run_job(bot, f"break-over:{rest.id}")
    clock.shift(5 * MIN)
    await run_job(bot, f"break-report:{rest.id}")
    assert (len(bot.fake.texts(CAROL.id)), len(bot.fake.texts(BOB.id))) == before


async def _carol_clocked_in(fake: FakeBotAPI, database_url: str) -> Harness:
    """A bot started on `database_url` with the usual team, Carol clocked in (08:55)."""
    bot = await _restarted(fake, database_url)
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    return bot


async def _restarted(fake: FakeBotAPI, database_url: str) -> Harness:
    """A bot (re)started on `database_url`."""
    return Harness(fake, await started(make_settings(fake, database_url)))


async def test_timers_are_rebuilt_after_a_restart(
    fake: FakeBotAPI, database_url: str, clock
) -> None:
    bot = await _carol_clocked_in(fake, database_url)
    await bot.send(CAROL, "/break")
    await stopped(bot.app)
    clock.shift(12 * MIN)
    bot = await _restarted(fake, database_url)
    app = bot.app
    try:
        kit = app.bot_data["kit"]
        (rest,) = await kit.attendance.open_breaks()
        await run_job(bot, f"break-over:{rest.id}")
        assert "passed the 10 min limit" in fake.texts(CAROL.id)[-1]
    finally:
        await stopped(app)


async def test_a_forgotten_clock_out_is_asked_then_closed(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")  # 08:55, day shift ends 18:00
    kit = bot.app.bot_data["kit"]
    (work,) = await kit.attendance.open_sessions()
    clock.move_to(dt.datetime(2026, 11, 23, 18, 30, tzinfo=SH))
    await run_job(bot, f"clockout-ask:{work.id}")
    assert "still clocked in" in bot.fake.texts(CAROL.id)[-1]
    stay = next(b for b in bot.buttons(CAROL.id) if b.startswith("stay:"))
    assert "Send /clockout" in await bot.press(CAROL, stay)
    clock.move_to(dt.datetime(2026, 11, 23, 22, 0, tzinfo=SH))
    await run_job(bot, f"clockout-close:{work.id}")
    closed = bot.fake.texts(BOB.id)[-1]
    assert (
        "Carol forgot to clock out" in closed and "closed automatically at its end, 18:00" in closed
    )
    (row,) = await kit.db.run(lambda s: list(s.exec(select(WorkSession))))
    assert row.auto_closed and row.ended_at == dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    assert "not clocked in" in await bot.reply(CAROL, "/clockout")
    await run_job(bot, f"clockout-close:{work.id}")  # again: nothing more
    assert len([t for t in bot.fake.texts(BOB.id) if "forgot to clock out" in t]) == 1


async def test_no_still_working_question_after_a_restart_past_the_close(
    fake: FakeBotAPI, database_url: str, clock
) -> None:
    bot = await _carol_clocked_in(fake, database_url)  # the day shift ends at 18:00
    await stopped(bot.app)
    # Down from the evening until 03:30: the question (18:30) and the close (22:00) are
    # both overdue, so both timers run at the start, the question's first.
    clock.move_to(dt.datetime(2026, 11, 24, 3, 30, tzinfo=SH))
    bot = await _restarted(fake, database_url)
    app = bot.app
    try:
        (work,) = await app.bot_data["kit"].attendance.open_sessions()
        await run_job(bot, f"clockout-ask:{work.id}")
        await run_job(bot, f"clockout-close:{work.id}")
    finally:
        await stopped(app)
    assert not [t for t in fake.texts(CAROL.id) if "still clocked in" in t]
    assert "closed automatically at its end, 18:00" in fake.texts(CAROL.id)[-1]
    assert "Carol forgot to clock out" in fake.texts(BOB.id)[-1]


async def test_a_question_left_unsent_at_a_stop_is_not_sent_once_moot(
    fake: FakeBotAPI, database_url: str, clock
) -> None:
    bot = await _carol_clocked_in(fake, database_url)
    app = bot.app
    kit = app.bot_data["kit"]
    (work,) = await kit.attendance.open_sessions()
    clock.move_to(dt.datetime(2026, 11, 23, 18, 30, tzinfo=SH))
    await stop_delivery(kit)  # the process is killed right after the question is recorded
    assert app.job_queue is not None
    (ask,) = app.job_queue.get_jobs_by_name(f"clockout-ask:{work.id}")
    await ask.run(app)
    await stopped(app)
    # Back at 03:30: the engine starts before any timer runs, the question still in it.
    clock.move_to(dt.datetime(2026, 11, 24, 3, 30, tzinfo=SH))
    bot = await _restarted(fake, database_url)
    app = bot.app
    try:
        await bot.settle()
        assert not [t for t in fake.texts(CAROL.id) if "still clocked in" in t]
        await run_job(bot, f"clockout-close:{work.id}")
    finally:
        await stopped(app)
    assert not [t for t in fake.texts(CAROL.id) if "still clocked in" in t]
    assert "Carol forgot to clock out" in fake.texts(BOB.id)[-1]


async def test_clock_me_out_at_shift_end(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    kit = bot.app.bot_data["kit"]
    (work,) = await kit.attendance.open_sessions()
    clock.move_to(dt.datetime(2026, 11, 23, 18, 30, tzinfo=SH))
    await run_job(bot, f"clockout-ask:{work.id}")
    end = next(b for b in bot.buttons(CAROL.id) if b.startswith("endshift:"))
    assert "not your shift" in await bot.press(BOB, end)
    assert "Clocked out at 18:00" in await bot.press(CAROL, end)
    assert "already closed" in await bot.press(CAROL, end)
    (row,) = await kit.db.run(lambda s: list(s.exec(select(WorkSession))))
    assert not row.auto_closed and row.ended_at == dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


async def test_an_absent_agent_is_reported_two_hours_after_the_start(bot: Harness, clock) -> None:
    await make_team(bot)  # Carol: day shift; Dave: evening shift
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")
    await bot.send(EVE, "/clockin")
    clock.move_to(dt.datetime(2026, 11, 23, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    reports = [t for t in bot.fake.texts(BOB.id) if "has not clocked in" in t]
    assert len(reports) == 1 and "Carol" in reports[0] and "day shift of 2026-11-23" in reports[0]
    await run_job(bot, "absence-check:day")  # once per slot
    assert len([t for t in bot.fake.texts(BOB.id) if "has not clocked in" in t]) == 1
    absent = next(b for b in bot.buttons(ALICE.id) if b.startswith("absent:"))
    leave = next(b for b in bot.buttons(BOB.id) if b.startswith("asleave:"))
    assert "Logged absent for 2026-11-23" in await bot.press(ALICE, absent)
    assert "Already handled" in await bot.press(BOB, leave)
    kit = bot.app.bot_data["kit"]
    (entry,) = await kit.db.run(lambda s: list(s.exec(select(LedgerEntry))))
    assert (entry.person_id, entry.code, entry.points) == (CAROL.id, "absent", -10)


async def test_late_agents_are_told_to_the_supervisors_in_one_message(bot: Harness, clock) -> None:
    await make_team(bot)  # Carol: day shift; Dave: evening shift
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")
    clock.move_to(dt.datetime(2026, 11, 23, 9, 15, tzinfo=SH))  # 15 minutes after 09:00
    await asyncio.gather(*(run_job(bot, "late-check:day") for _ in range(3)))  # replicas
    for boss in (ALICE.id, BOB.id):
        (told,) = [t for t in bot.fake.texts(boss) if "Late" in t]
        assert "Late for the day shift of 2026-11-23 (started 09:00), more than 15 min" in told
        assert "Carol: not clocked in yet" in told and "Eve 😀: not clocked in yet" in told
        assert "Dave" not in told  # the evening shift
    for agent in (CAROL, EVE):
        clock.move_to(dt.datetime(2026, 11, 23, 9, 20, tzinfo=SH))
        assert "late" in (await bot.reply(agent, "/clockin")).lower()
    await run_job(bot, "late-check:day")  # the day's check ran: never twice
    assert len([t for t in bot.fake.texts(BOB.id) if "Late" in t]) == 1
    assert not [t for t in bot.fake.texts(CAROL.id) + bot.fake.texts(EVE.id) if "Late for" in t]


async def test_a_late_check_run_late_lists_who_clocked_in_late_too(bot: Harness, clock) -> None:
    await make_team(bot)
    for who in (EVE, MALLORY):
        await bot.send(who, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")
    await bot.send(BOB, "/enroll @mallory junior presale")
    await bot.send(BOB, "/shift @mallory day")
    clock.move_to(dt.datetime(2026, 11, 24, 9, 10, tzinfo=SH))
    await bot.send(MALLORY, "/clockin")  # late, but within the 15 minutes
    clock.move_to(dt.datetime(2026, 11, 24, 9, 20, tzinfo=SH))
    await bot.send(CAROL, "/clockin")
    # The bot was down at 09:15: the check runs when it is back, at 09:40.
    clock.move_to(dt.datetime(2026, 11, 24, 9, 40, tzinfo=SH))
    await run_job(bot, "late-check:day")
    (told,) = [t for t in bot.fake.texts(BOB.id) if "Late" in t]
    assert "Carol: clocked in at 09:20" in told and "Eve 😀: not clocked in yet" in told
    assert "Mallory" not in told


async def test_approved_leave_and_rest_days_are_not_absence(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/leave 2026-11-24 family")
    approve = next(b for b in bot.buttons(BOB.id) if b.endswith(":approved"))
    await bot.press(BOB, approve)
    clock.move_to(dt.datetime(2026, 11, 24, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    assert not [t for t in bot.fake.texts(BOB.id) if "has not clocked in" in t]
    await bot.send(BOB, "/restday @carol_cs wed")
    clock.move_to(dt.datetime(2026, 11, 25, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    assert not [t for t in bot.fake.texts(BOB.id) if "has not clocked in" in t]
    clock.move_to(dt.datetime(2026, 11, 26, 11, 0, tzinfo=SH))
    await run_job(bot, "absence-check:day")
    as_leave = [b for b in bot.buttons(BOB.id) if b.startswith("asleave:")]
    assert len(as_leave) == 1
    assert "Recorded 2026-11-26 as leave" in await bot.press(BOB, as_leave[0])


async def test_a_supervisor_corrects_an_auto_closed_shift(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    kit = bot.app.bot_data["kit"]
    (work,) = await kit.attendance.open_sessions()
    assert "no shift that was closed automatically" in await bot.reply(
        BOB, "/fixshift @carol_cs 19:30"
    )
    clock.move_to(dt.datetime(2026, 11, 23, 22, 0, tzinfo=SH))
    await run_job(bot, f"clockout-close:{work.id}")
    assert "/fixshift" in bot.fake.texts(BOB.id)[-1]
    assert "not a time" in await bot.reply(BOB, "/fixshift @carol_cs late")
    assert "has not happened yet" in await bot.reply(BOB, "/fixshift @carol_cs 23:00")
    assert "Only supervisors" in await bot.reply(CAROL, "/fixshift @carol_cs 19:30")
    assert "now ends at 2026-11-23 19:30" in await bot.reply(BOB, "/fixshift @carol_cs 19:30")
    (row,) = await kit.db.run(lambda s: list(s.exec(select(WorkSession))))
    assert row.ended_at == dt.datetime(2026, 11, 23, 11, 30, tzinfo=dt.UTC)
