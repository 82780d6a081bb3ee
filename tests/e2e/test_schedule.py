"""Scheduled posts at their moments with a fixed, moved clock: weekly reports, /schedule,
catching up after a restart, and two bot processes on one database posting once."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlmodel import select

from storage.models import LedgerEntry
from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, EVE, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.team import make_team

SH = dt.timezone(dt.timedelta(hours=8))


async def test_schedule_lists_the_coming_posts(bot: Harness) -> None:
    await make_team(bot)
    text = await bot.reply(BOB, "/schedule")
    lines = text.split("\n")[1:]
    assert lines == [
        "2026-11-23 09:15 — late check, day shift",
        "2026-11-23 09:30 — due and overdue follow-ups to each agent (DM)",
        "2026-11-23 10:00 — response-time alert for the day before",
        "2026-11-23 11:00 — absence check, day shift",
        "2026-11-23 14:45 — late check, evening shift",
        "2026-11-23 16:30 — absence check, evening shift",
        "2026-11-24 09:30 — team meeting reminder (team group)",
        "2026-11-24 10:15 — unconfirmed meeting list to the supervisors",
        "2026-11-25 10:00 — next month's roster draft to the supervisors, to publish",
        "2026-11-27 17:00 — the week's problems to the supervisors, to answer",
        "2026-11-27 17:00 — weekly report reminder (team group)",
        "2026-11-28 17:00 — nudge to agents still missing their report (DM)",
        "2026-11-29 00:05 — missing reports to the supervisors",
        "2026-12-05 10:00 — draft scorecards to every agent (DM), preview to the supervisors",
        "2026-12-10 10:00 — last month locked",
        "2026-12-15 10:00 — payslips to every agent (DM)",
        "2027-01-10 10:00 — last year's annual review to the supervisors, to confirm",
    ]
    assert "Only supervisors" in await bot.reply(CAROL, "/schedule")


async def test_the_weekly_report_week(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/report all good")
    clock.move_to(dt.datetime(2026, 11, 27, 17, 0, tzinfo=SH))
    await run_job(bot, "report-reminder")
    assert "due before Sunday" in bot.fake.texts(TEAM_GROUP.id)[-1]
    clock.move_to(dt.datetime(2026, 11, 28, 17, 0, tzinfo=SH))
    carol_before = len(bot.fake.texts(CAROL.id))
    await run_job(bot, "report-nudge")
    assert "still missing" in bot.fake.texts(DAVE.id)[-1]
    assert len(bot.fake.texts(CAROL.id)) == carol_before
    clock.move_to(dt.datetime(2026, 11, 29, 0, 5, tzinfo=SH))
    await run_job(bot, "report-deadline")
    listing = bot.fake.texts(BOB.id)[-1]
    assert "Missing weekly reports, week of 2026-11-23 (1)" in listing and "Dave" in listing
    assert "Carol" not in listing
    (log_button,) = [b for b in bot.buttons(BOB.id) if b.endswith(":log")]
    assert "Only supervisors" in await bot.press(CAROL, log_button)
    assert "Logged “report late” for 1 agent" in await bot.press(BOB, log_button)
    assert "Already handled" in await bot.press(ALICE, log_button)
    kit = bot.app.bot_data["kit"]
    entries = await kit.db.run(lambda session: list(session.exec(select(LedgerEntry))))
    assert [(e.person_id, e.code, e.points) for e in entries] == [(DAVE.id, "late-report", -2)]
    assert "Weekly report late" in bot.fake.texts(DAVE.id)[-1]


async def test_each_post_goes_out_once_whatever_runs_it(
    fake: FakeBotAPI, database_url: str, clock
) -> None:
    first = Harness(fake, await started(make_settings(fake, database_url)))
    await make_team(first)
    second = Harness(fake, await started(make_settings(fake, database_url)))
    try:
        clock.move_to(dt.datetime(2026, 11, 27, 17, 0, tzinfo=SH))
        await asyncio.gather(
            run_job(first, "report-reminder"),
            run_job(second, "report-reminder"),
            run_job(first, "report-reminder"),
        )
        reminders = [t for t in fake.texts(TEAM_GROUP.id) if "due before Sunday" in t]
        assert len(reminders) == 1
    finally:
        await stopped(second.app)
        await stopped(first.app)


async def test_a_restart_within_the_grace_sends_late_and_after_it_skips(
    fake: FakeBotAPI, database_url: str, clock
) -> None:
    app = await started(make_settings(fake, database_url))
    bot = Harness(fake, app)
    await make_team(bot)
    await stopped(app)
    # Down at 17:00 on Friday, back at 17:20: the reminder goes out late, once.
    clock.move_to(dt.datetime(2026, 11, 27, 17, 20, tzinfo=SH))
    app = await started(make_settings(fake, database_url))
    await app.start()
    try:
        for _ in range(100):
            if any("due before Sunday" in t for t in fake.texts(TEAM_GROUP.id)):
                break
            await asyncio.sleep(0.05)
    finally:
        await app.stop()
        await stopped(app)
    assert len([t for t in fake.texts(TEAM_GROUP.id) if "due before Sunday" in t]) == 1
    # Down at 17:00 on Saturday, back at 17:45: past the 30-minute grace, no nudge.
    clock.move_to(dt.datetime(2026, 11, 28, 17, 45, tzinfo=SH))
    app = await started(make_settings(fake, database_url))
    await app.start()
    try:
        await asyncio.sleep(0.5)
    finally:
        await app.stop()
        await stopped(app)
    assert not any("still missing" in t for t in fake.texts(DAVE.id))


def _boss_texts(bot: Harness) -> list[str]:
    """Everything the supervisor and the admin were sent."""
    return bot.fake.texts(BOB.id) + bot.fake.texts(ALICE.id)


async def _day_shift_eve(bot: Harness) -> None:
    """Eve joins Carol on the day shift (Dave works evenings)."""
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")


async def test_meetings_rotate_duty_and_list_who_did_not_confirm(bot: Harness, clock) -> None:
    await make_team(bot)
    await _day_shift_eve(bot)  # Carol and Eve work days, Dave evenings: all rostered
    clock.move_to(dt.datetime(2026, 11, 24, 9, 30, tzinfo=SH))  # Tuesday
    await run_job(bot, "meeting-reminder")
    reminder = bot.fake.texts(TEAM_GROUP.id)[-1]
    assert "Team meeting today at 10:00" in reminder
    first_duty = "Carol" if "duty during the meeting: Carol" in reminder else "Eve"
    assert f"duty during the meeting: {first_duty}" in reminder
    await run_job(bot, "meeting-reminder")  # once per day
    assert len([t for t in bot.fake.texts(TEAM_GROUP.id) if "Team meeting" in t]) == 1
    attend = next(b for b in bot.buttons(TEAM_GROUP.id) if b.endswith(":attend"))
    assert "See you at the meeting" in await bot.press(DAVE, attend, chat_id=TEAM_GROUP.id)
    assert "Only enrolled agents" in await bot.press(BOB, attend, chat_id=TEAM_GROUP.id)
    clock.move_to(dt.datetime(2026, 11, 24, 10, 15, tzinfo=SH))
    await run_job(bot, "meeting-check")
    listing = bot.fake.texts(BOB.id)[-1]
    other = "Eve" if first_duty == "Carol" else "Carol"
    # Neither the agent on duty nor one who answered is missing from it.
    assert "Not confirmed for today's meeting (2026-11-24, 1)" in listing and other in listing
    (log_button,) = [
        b for b in bot.buttons(BOB.id) if b.startswith("missed:") and b.endswith(":log")
    ]
    assert "Logged “missed meeting” for 1 agent" in await bot.press(BOB, log_button)
    assert "Already handled" in await bot.press(ALICE, log_button)
    kit = bot.app.bot_data["kit"]
    entries = await kit.db.run(lambda session: list(session.exec(select(LedgerEntry))))
    other_id = EVE.id if other == "Eve" else CAROL.id
    assert [(e.person_id, e.code) for e in entries] == [(other_id, "missed-meeting")]
    # Thursday: the other agent stands duty (a fair rotation).
    clock.move_to(dt.datetime(2026, 11, 26, 9, 30, tzinfo=SH))
    await run_job(bot, "meeting-reminder")
    second = bot.fake.texts(TEAM_GROUP.id)[-1]
    assert f"duty during the meeting: {other}" in second


async def test_an_evening_agent_is_never_on_duty_nor_missing_from_a_morning_meeting(
    bot: Harness, clock
) -> None:
    await make_team(bot)  # Carol works days (09:00-18:00), Dave evenings (14:30-23:30)
    kit = bot.app.bot_data["kit"]
    for day in (24, 26, 1):  # three meetings: the rotation would have reached Dave
        month = 12 if day == 1 else 11
        clock.move_to(dt.datetime(2026, month, day, 9, 30, tzinfo=SH))
        await run_job(bot, "meeting-reminder")
        reminder = bot.fake.texts(TEAM_GROUP.id)[-1]
        assert "Team meeting today at 10:00" in reminder
        assert "duty during the meeting: Carol" in reminder and "Dave" not in reminder
        clock.move_to(dt.datetime(2026, month, day, 10, 15, tzinfo=SH))
        await run_job(bot, "meeting-check")
        # Carol is on duty, Dave is not at work yet: nobody is missing from the meeting.
        assert not [t for t in _boss_texts(bot) if "Not confirmed" in t]
    assert not [b for b in bot.buttons(BOB.id) if b.startswith("missed:")]
    entries = await kit.db.run(lambda session: list(session.exec(select(LedgerEntry))))
    assert entries == []


async def test_no_meeting_reminder_before_any_agent_is_enrolled(bot: Harness, clock) -> None:
    for person in (ALICE, BOB):
        await bot.send(person, "/start")
    await bot.send(ALICE, "/promote @BobSup")
    calls = len(bot.fake.calls)
    clock.move_to(dt.datetime(2026, 11, 24, 9, 30, tzinfo=SH))
    await run_job(bot, "meeting-reminder")
    clock.move_to(dt.datetime(2026, 11, 24, 10, 15, tzinfo=SH))
    await run_job(bot, "meeting-check")
    assert [c.method for c in bot.fake.calls[calls:] if c.method.startswith("send")] == []
    # With the group bound and agents only on the evening shift: still nobody to remind.
    await bot.send(ALICE, command("setgroup", in_group=True), group=TEAM_GROUP)
    await bot.send(DAVE, "/start")
    await bot.send(BOB, f"/enroll {DAVE.first_name} mid aftersales", mentions=[DAVE])
    await bot.send(BOB, f"/shift {DAVE.first_name} evening", mentions=[DAVE])
    calls = len(bot.fake.calls)
    clock.move_to(dt.datetime(2026, 11, 26, 9, 30, tzinfo=SH))
    await run_job(bot, "meeting-reminder")
    assert [c.method for c in bot.fake.calls[calls:] if c.method.startswith("send")] == []
