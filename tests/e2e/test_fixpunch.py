"""Make-up punches (补卡) end to end: asked, approved or denied by button, withdrawn;
the approved time goes into the shift, and the month's facts follow."""

from __future__ import annotations

import datetime as dt

from storage.models import AuditLog, PunchFix, WorkSession
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.team import make_team, rows

SH = dt.timezone(dt.timedelta(hours=8))


def nov(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SH)


async def facts(bot: Harness) -> tuple[int, int, int]:
    """Carol's November as her scorecard counts it: days worked, late, early leave."""
    kit = bot.app.bot_data["kit"]
    card = await kit.payroll.card(await kit.people.get(CAROL.id), "2026-11")
    return card.attendance.days, card.attendance.late, card.attendance.early


def decisions(bot: Harness, person_id: int) -> tuple[str, str]:
    approve, deny = [b for b in bot.buttons(person_id) if b.startswith("punchfix:")][-2:]
    assert approve.endswith(":approved") and deny.endswith(":denied")
    return approve, deny


async def sessions(bot: Harness) -> list[WorkSession]:
    return sorted(await rows(bot, WorkSession), key=lambda w: w.started_at)


async def test_a_forgotten_clock_in_approved_counts_late(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 11, 0))  # Carol works the day shift and forgot to clock in
    asked = await bot.reply(CAROL, "/fixpunch 2026-11-23 in 09:20 phone <died>")
    assert "make-up clock-in #1 for 2026-11-23 at 09:20 (day shift) went to the supervisors" in (
        asked
    )
    assert "2 more requests left for 2026-11" in asked
    card = bot.fake.texts(BOB.id)[-1]
    assert "Make-up punch #1 from Carol: clock-in on 2026-11-23 at 09:20" in card
    assert "(day shift 09:00–18:00)" in card and "phone <died>" in card
    assert "The record shows: no clock-in that day." in card
    approve, deny = decisions(bot, BOB.id)
    assert "Only supervisors" in await bot.press(CAROL, approve)
    assert "Done: make-up punch #1 approved." in await bot.press(BOB, approve)
    assert "already approved by Bob" in await bot.press(ALICE, deny)
    told = bot.fake.texts(CAROL.id)[-1]
    assert "approved by Bob: late by 20 minutes" in told and "You are clocked in" in told
    edits = [c for c in bot.fake.calls if c.method == "editMessageReplyMarkup"]
    (button,) = edits[-1].params["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "Approved by Bob"
    (work,) = await sessions(bot)
    assert (work.started_at, work.ended_at, work.late_minutes) == (nov(23, 9, 20), None, 20)
    (fix,) = await rows(bot, PunchFix)
    assert (fix.status, fix.decided_by, fix.session_id) == ("approved", BOB.id, work.id)
    audit = [a for a in await rows(bot, AuditLog) if a.action == "fixpunch"]
    assert len(audit) == 1 and "in none -> 2026-11-23T09:20:00+08:00" in audit[0].detail

    # The opened shift has its forgotten clock-out timers, as a clock-in's has.
    assert bot.app.job_queue is not None
    for name in (f"clockout-ask:{work.id}", f"clockout-close:{work.id}"):
        assert len(bot.app.job_queue.get_jobs_by_name(name)) == 1

    # She is clocked in: she clocks out as usual; the month counts the day, late.
    clock.move_to(nov(23, 18, 5))
    assert "clocked out at 18:05" in await bot.reply(CAROL, "/clockout")
    assert await facts(bot) == (1, 1, 0)
    # Nothing more to make up for that day.
    assert "you clocked in at 09:20 that day" in await bot.reply(
        CAROL, "/fixpunch 2026-11-23 in 09:30 again"
    )
    assert "you clocked out at 18:05 that day" in await bot.reply(
        CAROL, "/fixpunch 2026-11-23 out 18:01 later"
    )


async def test_an_earlier_clock_in_on_time_and_a_past_day_opened(bot: Harness, clock) -> None:
    await make_team(bot)
    # Monday: Carol clocked in late at 09:40, though she came at 08:58.
    clock.move_to(nov(23, 9, 40))
    await bot.send(CAROL, "/clockin")
    clock.move_to(nov(23, 18, 0))
    await bot.send(CAROL, "/clockout")
    assert await facts(bot) == (1, 1, 0)
    # Tuesday she forgot the clock-in altogether (and the clock-out: no session at all).
    clock.move_to(nov(25, 10, 0))
    await bot.send(CAROL, "/fixpunch 2026-11-23 in 08:58 badge reader down")
    await bot.press(BOB, decisions(bot, BOB.id)[0])
    assert "approved by Bob: on time." in bot.fake.texts(CAROL.id)[-1]
    await bot.send(CAROL, "/fixpunch 2026-11-24 上班 09:00 forgot")
    await bot.press(ALICE, decisions(bot, ALICE.id)[0])
    told = bot.fake.texts(CAROL.id)[-1]
    assert "The shift is recorded to its end, 18:00" in told and "/fixpunch 2026-11-24 out" in told
    monday, tuesday = await sessions(bot)
    assert (monday.started_at, monday.late_minutes) == (nov(23, 8, 58), 0)
    assert (tuesday.started_at, tuesday.ended_at, tuesday.auto_closed) == (
        nov(24, 9, 0),
        nov(24, 18, 0),
        True,
    )
    assert await facts(bot) == (2, 0, 0)
    # A third (pending) is the last of the month; a fourth is refused.
    third = await bot.reply(CAROL, "/fixpunch 2026-11-24 out 17:00 left early")
    assert "That was the last one for 2026-11." in third
    assert "used all 3 make-up punches of 2026-11" in await bot.reply(
        CAROL, "/fixpunch 2026-11-25 in 09:00 forgot"
    )


async def test_a_bot_closed_shift_gets_its_clock_out(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")  # 08:55
    (work,) = await sessions(bot)
    clock.move_to(nov(23, 22, 0))
    await run_job(bot, f"clockout-close:{work.id}")  # closed by the bot at 18:00
    assert await facts(bot) == (1, 0, 0)
    clock.move_to(nov(24, 10, 0))
    await bot.send(CAROL, "/fixpunch 2026-11-23 out 17:00 left for the doctor")
    assert "closed by the bot at 18:00" in bot.fake.texts(BOB.id)[-1]
    await bot.press(BOB, decisions(bot, BOB.id)[0])
    assert "left 60 minutes before the shift's end" in bot.fake.texts(CAROL.id)[-1]
    (work,) = await sessions(bot)
    assert (work.ended_at, work.auto_closed) == (nov(23, 17, 0), False)
    assert await facts(bot) == (1, 0, 1)
    audit = [a for a in await rows(bot, AuditLog) if a.action == "fixpunch"]
    assert "out 2026-11-23T10:00:00+00:00 -> 2026-11-23T17:00:00+08:00" in audit[0].detail


async def test_an_evening_clock_out_after_midnight(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 14, 25))
    await bot.send(DAVE, "/clockin")  # evening shift 14:30-23:30, still open
    clock.move_to(nov(24, 1, 0))
    await bot.send(DAVE, "/fixpunch 2026-11-23 out 00:15 a shopper kept chatting")
    await bot.press(BOB, decisions(bot, BOB.id)[0])
    (work,) = await sessions(bot)
    assert (work.ended_at, work.auto_closed) == (nov(24, 0, 15), False)
    assert "not clocked in" in await bot.reply(DAVE, "/clockout")


async def test_deny_and_withdraw(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 12, 0))
    await bot.send(CAROL, "/fixpunch 2026-11-23 in 09:00 forgot")
    assert "Done: make-up punch #1 denied." in await bot.press(BOB, decisions(bot, BOB.id)[1])
    assert "was denied by Bob" in bot.fake.texts(CAROL.id)[-1]
    assert not await sessions(bot)
    # A denied one does not count; a new one may be asked, and withdrawn by button.
    asked = await bot.reply(CAROL, "/fixpunch 2026-11-23 in 09:01 really forgot")
    assert "#2" in asked and "2 more requests" in asked
    (withdraw,) = [b for b in bot.buttons(CAROL.id) if b.startswith("punchback:")][-1:]
    assert "no make-up punch #2 of yours" in await bot.press(DAVE, withdraw)
    assert "Done: make-up punch #2 withdrawn." in await bot.press(CAROL, withdraw)
    assert "already withdrawn by Carol" in await bot.press(CAROL, withdraw)
    assert "already withdrawn by Carol" in await bot.press(BOB, decisions(bot, BOB.id)[0])
    # ... or by command.
    await bot.send(CAROL, "/fixpunch 2026-11-23 in 09:02 third")
    assert "Make-up punch #3 for 2026-11-23 withdrawn." in await bot.reply(
        CAROL, "/fixpunch cancel 3"
    )
    assert "already withdrawn" in await bot.reply(CAROL, "/fixpunch cancel #3")
    assert "no make-up punch #9 of yours" in await bot.reply(CAROL, "/fixpunch cancel 9")
    statuses = [f.status for f in sorted(await rows(bot, PunchFix), key=lambda f: f.id)]
    assert statuses == ["denied", "withdrawn", "withdrawn"]
    assert not await sessions(bot)


async def test_bad_input_is_answered_and_changes_nothing(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(26, 12, 0))  # Thursday noon; Carol on the day shift
    for typed, why in (
        ("/fixpunch 2026-11-22 in 09:00 x", "2026-11-22 is too long ago"),
        ("/fixpunch 2026-11-27 in 09:00 x", "2026-11-27 has not come yet"),
        ("/fixpunch 2026-11-26 out 17:00 x", "2026-11-26 17:00 has not happened yet"),
        ("/fixpunch 2026-11-26 in 03:00 x", "outside any shift you could clock in"),
        ("/fixpunch 2026-11-25 out 08:00 x", "outside any shift you could clock out"),
        ("/fixpunch 2026-11-26 sideways 09:00 x", "“sideways” is neither in nor out"),
        ("/fixpunch 2026-11-26 in 9h x", "not a time"),
        ("/fixpunch 26/11 in 09:00 x", "not a date"),
        ("/fixpunch 2026-11-26 in 09:00", "Usage: /fixpunch"),
        ("/fixpunch 2026-11-26 in 09:00  \u200b", "Usage: /fixpunch"),
        ("/fixpunch", "Usage: /fixpunch"),
        ("/fixpunch cancel x", "Usage: /fixpunch"),
        ("/fixpunch 2026-11-25 out 18:00 x", "No clock-in on 2026-11-25 to end"),
    ):
        assert why in await bot.reply(CAROL, typed), typed
    assert "private chat" in await bot.reply(
        CAROL, command("fixpunch", in_group=True) + " 2026-11-26 in 09:00 x", group=TEAM_GROUP
    )
    assert "Only enrolled agents" in await bot.reply(BOB, "/fixpunch 2026-11-26 in 09:00 x")
    # A pending request for the same day and kind.
    await bot.send(CAROL, "/fixpunch 2026-11-26 in 09:00 forgot")
    assert "already asked for that one: make-up punch #1" in await bot.reply(
        CAROL, "/fixpunch 2026-11-26 in 09:05 forgot again"
    )
    assert len(await rows(bot, PunchFix)) == 1 and not await sessions(bot)


async def test_a_day_off_takes_any_shift(bot: Harness, clock) -> None:
    await make_team(bot)
    assert "Carol now rests every Tuesday" in await bot.reply(BOB, "/restday @carol_cs tue")
    clock.move_to(nov(24, 23, 0))
    # Off that day, she came in for the evening shift anyway.
    asked = await bot.reply(CAROL, "/fixpunch 2026-11-24 in 14:30 covered for Dave")
    assert "(evening shift)" in asked


async def test_a_locked_month_takes_no_requests_and_no_approvals(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(1, 10, 0, month=12))
    await bot.send(CAROL, "/fixpunch 2026-11-30 in 09:00 forgot")
    approve, _ = decisions(bot, BOB.id)
    await bot.send(BOB, "/payroll 2026-11 send")
    assert "2026-11 is locked" in await bot.press(BOB, approve)
    assert "2026-11 is locked" in await bot.reply(CAROL, "/fixpunch 2026-11-30 out 18:00 x")
    (fix,) = await rows(bot, PunchFix)
    assert fix.status == "pending" and not await sessions(bot)


async def test_the_export_has_the_requests(bot: Harness, clock) -> None:
    import io

    from openpyxl import load_workbook

    await make_team(bot)
    clock.move_to(nov(23, 12, 0))
    await bot.send(CAROL, "/fixpunch 2026-11-23 in 09:20 forgot")
    await bot.press(BOB, decisions(bot, BOB.id)[0])
    await bot.send(BOB, "/export 2026-11")
    (document,) = bot.fake.sent(BOB.id, method="sendDocument")
    header, *found = list(
        load_workbook(io.BytesIO(document.params["document"][1]))["punch_fixes"].values
    )
    assert header[:6] == ("id", "agent_id", "name", "day", "kind", "time")
    assert found[0][:6] == (1, CAROL.id, "Carol", dt.datetime(2026, 11, 23), "in", "09:20")
    assert "approved" in found[0]
