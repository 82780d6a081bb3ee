"""Leaving mid-month, end to end: /resign and its refusals, off the team after the last
working day, and the last payslip on the 15th, pro-rated line by line.

November 2026 (30 days), computed by hand under the default policy: Carol (presale
junior, hired 2025-06-01: year 2, minimum 2330) works her last day, the 18th, on
time. Employed 1–18 November: 18 of 30 days. No imported figures: her KPI score is
the daily assessment alone (execution 80 × 30% ÷ 30% = 80.00). Base 2500 × 18/30 =
1500.00; full attendance not earned (left on the 18th); allowances 100, 100 and 200
× 18/30 = 60.00, 60.00, 120.00; no performance bonus in the month she leaves [004];
commission band 1% at 80, but no sales: 0.00; points 80 = 0 × 10: 0.00. Total
1740.00, over the year-2 minimum 2330 × 18/30 = 1398.00.
"""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from openpyxl import load_workbook

from tests.conftest import SHANGHAI
from tests.support.harness import BOB, CAROL, DAVE, EVE, Harness
from tests.support.jobs import run_job
from tests.support.months import payslips
from tests.support.team import make_team, person_row


def lines_of(slip: str) -> list[str]:
    """The payslip's lines, base pay to the last before the total."""
    text = slip[slip.index("Base pay") : slip.index("Total")]
    return [line for line in text.split("\n") if line]


def nov(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


async def test_resign_refuses_what_it_cannot_record_and_changes_nothing(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)  # Monday 2026-11-23
    await bot.send(BOB, "/hire @carol_cs 2026-11-12")
    assert "Usage: /resign @agent" in await bot.reply(BOB, "/resign @carol_cs")
    assert "Usage: /resign @agent" in await bot.reply(BOB, "/resign @carol_cs 18-11-2026")
    assert "is before their service start (2026-11-12)" in await bot.reply(
        BOB, "/resign @carol_cs 2026-11-11"
    )
    too_far = await bot.reply(BOB, "/resign @carol_cs 2027-02-24")
    assert "more than 92 days ahead (the latest is 2027-02-23)" in too_far
    assert "Bob is not an agent" in await bot.reply(BOB, "/resign @BobSup 2026-12-01")
    assert "nothing to cancel" in await bot.reply(BOB, "/resign @carol_cs cancel")
    assert "Only supervisors" in await bot.reply(CAROL, "/resign @carol_cs 2026-12-01")
    carol = await person_row(bot, CAROL.id)
    assert carol is not None and (carol.left_on, carol.is_agent) == (None, True)

    # Recorded; a second one is refused with the day; cancelled before it, she stays.
    done = await bot.reply(BOB, "/resign @carol_cs 2027-02-23 moving <away>")
    assert "Carol's last working day: 2027-02-23 (moving <away>). From 2027-02-24" in done
    told = bot.fake.texts(CAROL.id)[-1]
    assert "Bob recorded your last working day: 2027-02-23 (moving <away>)" in told
    again = await bot.reply(BOB, "/resign @carol_cs 2026-12-31")
    assert "already leaving: last working day 2027-02-23" in again and "cancel" in again
    assert "no longer leaving" in await bot.reply(BOB, "/resign @carol_cs cancel")
    assert "cancelled your last working day (2027-02-23)" in bot.fake.texts(CAROL.id)[-1]
    carol = await person_row(bot, CAROL.id)
    assert carol is not None and (carol.left_on, carol.left_reason) == (None, None)


async def test_after_the_last_day_she_is_off_the_team_and_paid_for_her_days(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    clock.move_to(nov(10, 8, 55))
    await make_team(bot)
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")
    await bot.send(BOB, "/hire @carol_cs 2025-06-01")
    done = await bot.reply(BOB, "/resign @carol_cs 2026-11-18")
    assert "Carol's last working day: 2026-11-18. From 2026-11-19 they are off the team" in done

    clock.move_to(nov(18, 8, 55))  # her last day: she works it
    assert "clocked in at 08:55" in await bot.reply(CAROL, "/clockin")
    clock.move_to(nov(18, 18, 0))
    await bot.send(CAROL, "/clockout")

    # The 19th, before the leavers' job ran: no clock-in, in no check, not in /team.
    clock.move_to(nov(19, 8, 58))
    assert "Your last working day was 2026-11-18" in await bot.reply(CAROL, "/clockin")
    clock.move_to(nov(19, 9, 15))
    await run_job(bot, "late-check:day")
    (late,) = [t for t in bot.fake.texts(BOB.id) if "Late for the day shift of 2026-11-19" in t]
    assert "Eve 😀: not clocked in yet" in late and "Carol" not in late
    clock.move_to(nov(19, 11, 0))
    await run_job(bot, "absence-check:day")
    absent = [t for t in bot.fake.texts(BOB.id) if "has not clocked in" in t]
    assert absent and all("Eve" in t and "Carol" not in t for t in absent)
    assert "Carol" not in await bot.reply(BOB, "/team")
    gone = await bot.reply(BOB, "/resign @carol_cs cancel")
    assert "left the team after 2026-11-18" in gone and "/enroll" in gone

    # The leavers' job: no longer an agent (twice: nothing more to do); records kept.
    await run_job(bot, "leavers")
    await run_job(bot, "leavers")
    carol = await person_row(bot, CAROL.id)
    assert carol is not None and (carol.is_agent, carol.left_on) == (False, dt.date(2026, 11, 18))
    assert "you are not on this team" in await bot.reply(CAROL, "/clockin")

    # Locked, then paid on the 15th: her payslip comes like everyone's, pro-rated.
    clock.move_to(nov(10, month=12))
    await run_job(bot, "month-lock")
    clock.move_to(nov(15, month=12))
    await run_job(bot, "month-pay")
    (slip,) = payslips(bot, CAROL)
    assert "Employed 18 of 30 days (last working day 2026-11-18)" in slip
    assert lines_of(slip) == [
        "Base pay (junior, 18 of 30 days): 1500.00",
        "Full attendance (not earned: left on 2026-11-18): 0.00",
        "Phone allowance (18 of 30 days): 60.00",
        "Transport allowance (18 of 30 days): 60.00",
        "Meals allowance (18 of 30 days): 120.00",
        "Performance bonus (none in the month of leaving: last day 2026-11-18): 0.00",
        "Commission (no personal sales this month): 0.00",
        "Daily assessment (80 = 0 points × 10): 0.00",
    ]
    assert "Total: 1740.00 yuan" in slip
    # Off the team, she still reads her own payslips (and nobody else's month).
    again = await bot.reply(CAROL, "/payslip 2026-11")
    assert "Total: 1740.00 yuan" in again and "Employed 18 of 30 days" in again
    assert "you are not on this team" in await bot.reply(CAROL, "/myscore")

    # The export says her days and last day; a locked month takes no last day.
    await bot.send(BOB, "/export 2026-11")
    (document,) = bot.fake.sent(BOB.id, method="sendDocument")
    header, *agents = list(
        load_workbook(io.BytesIO(document.params["document"][1]))["payroll"].values
    )
    row = next(r for r in agents if r[0] == CAROL.id)
    assert (row[header.index("days_employed")], row[header.index("last_day")]) == (
        18,
        dt.datetime(2026, 11, 18),
    )
    locked = await bot.reply(BOB, f"/resign {DAVE.first_name} 2026-11-30", mentions=[DAVE])
    assert "2026-11 is locked" in locked

    # Enrolled again, she rejoins: no last day, an agent who can clock in.
    await bot.send(BOB, "/enroll @carol_cs junior presale")
    carol = await person_row(bot, CAROL.id)
    assert carol is not None and (carol.is_agent, carol.left_on) == (True, None)
