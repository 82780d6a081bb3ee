"""Three months on a moved clock, end to end: an agent hired mid-month, a streak of
firsts, a resignation — each payslip checked line by line against figures computed by
hand (in the comments)."""

from __future__ import annotations

import datetime as dt

import time_machine

from tests.conftest import SHANGHAI
from tests.support.harness import BOB, CAROL, DAVE, EVE, Harness
from tests.support.jobs import run_job
from tests.support.months import carol_sells, payslips
from tests.support.team import make_team


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def lines(payslip: str) -> list[str]:
    return [line.strip() for line in payslip.split("\n") if ":" in line]


async def work_day(bot: Harness, clock: time_machine.Coordinates, month: int) -> None:
    """The 20th: Carol and Eve work the day shift on time; Carol sells 12 000 yuan."""
    clock.move_to(at(month, 20, 8, 55))
    for agent in (CAROL, EVE):
        await bot.send(agent, "/clockin")
    await carol_sells(bot, month)
    clock.move_to(at(month, 20, 18, 0))
    for agent in (CAROL, EVE):
        await bot.send(agent, "/clockout")


async def close_and_pay(bot: Harness, clock: time_machine.Coordinates, month: int) -> None:
    clock.move_to(at(month + 1, 10))
    await run_job(bot, "month-lock")
    clock.move_to(at(month + 1, 15))
    await run_job(bot, "month-pay")


async def test_three_months_a_mid_month_hire_a_streak_and_a_resignation(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(9, 1, 9))
    await make_team(bot)
    await bot.send(BOB, "/hire @carol_cs 2025-06-01")
    await bot.send(BOB, f"/hire {DAVE.first_name} 2025-06-01", mentions=[DAVE])
    clock.move_to(at(9, 12, 9))
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")
    await bot.send(BOB, "/hire @eve 2026-09-12")

    for month in (9, 10, 11):
        if month == 11:
            clock.move_to(at(11, 2, 9))
            await bot.send(
                BOB, f"/resign {DAVE.first_name} 2026-11-18 moving away", mentions=[DAVE]
            )
        await work_day(bot, clock, month)
        await close_and_pay(bot, clock, month)

    carol, dave, eve = (payslips(bot, who) for who in (CAROL, DAVE, EVE))
    assert [len(carol), len(dave), len(eve)] == [3, 3, 3]

    # Carol (presale junior since 2025, every month first on the team at 92.31):
    # base 2500; full attendance 100; allowances 100 + 100 + 200; performance
    # 300 × 92.31% = 276.93; commission 2% of 12 000 = 240 → 3516.93 yuan.
    whole = [
        "Base pay (junior): 2500.00",
        "Full attendance: 100.00",
        "Phone allowance: 100.00",
        "Transport allowance: 100.00",
        "Meals allowance: 200.00",
        "Performance bonus (300 × 92.31%): 276.93",
        "Commission (2% of 12000.00 sales): 240.00",
        "Daily assessment (80 = 0 points × 10): 0.00",
    ]
    for slip in carol[:2]:
        assert lines(slip)[:-2] == [*whole, "Total: 3516.93 yuan"]
    # November: the third month ranked first running → a one-off of 200 [000].
    streak = "One-off (ranked first 3 months running (2026-09, 2026-10, 2026-11)): 200.00"
    assert lines(carol[2])[:-2] == [*whole, streak, "Total: 3716.93 yuan"]

    # Eve, hired on 12 September: 19 of 30 days. Base 2500 × 19/30 = 1583.33; phone and
    # transport 100 × 19/30 = 63.33 each, meals 200 × 19/30 = 126.67; no full attendance
    # (not the whole month), no performance bonus in a first month [004]; the minimum
    # 2130 × 19/30 = 1349.00 is below the 1836.66 of the lines: no top-up.
    assert lines(eve[0])[:-2] == [
        "Employed 19 of 30 days (joined on 2026-09-12): base pay, allowances and the "
        "minimum are pro-rated.",
        "Base pay (junior, 19 of 30 days): 1583.33",
        "Full attendance (not earned: joined on 2026-09-12): 0.00",
        "Phone allowance (19 of 30 days): 63.33",
        "Transport allowance (19 of 30 days): 63.33",
        "Meals allowance (19 of 30 days): 126.67",
        "Performance bonus (none in the first month): 0.00",
        "Commission (no personal sales this month): 0.00",
        "Daily assessment (80 = 0 points × 10): 0.00",
        "Total: 1836.66 yuan",
    ]
    # October, a whole month: 2500 + 100 + 400 + 300 × 80% = 3240.00.
    assert "Base pay (junior): 2500.00" in lines(eve[1])
    assert "Performance bonus (300 × 80.00%): 240.00" in lines(eve[1])
    assert "Total: 3240.00 yuan" in eve[1]

    # Dave (aftersales mid), last working day 18 November: 18 of 30 days. Base
    # 2700 × 18/30 = 1620.00; allowances 60 + 60 + 120; no performance bonus in the month
    # of leaving [004]; the year-2 minimum 2330 × 18/30 = 1398.00 is below 1860.00.
    assert "Total: 3364.00 yuan" in dave[1]
    assert lines(dave[2])[:-2] == [
        "Employed 18 of 30 days (last working day 2026-11-18): base pay, allowances and "
        "the minimum are pro-rated.",
        "Base pay (mid, 18 of 30 days): 1620.00",
        "Full attendance (not earned: left on 2026-11-18, no day worked): 0.00",
        "Phone allowance (18 of 30 days): 60.00",
        "Transport allowance (18 of 30 days): 60.00",
        "Meals allowance (18 of 30 days): 120.00",
        "Performance bonus (none in the month of leaving: last day 2026-11-18): 0.00",
        "Daily assessment (80 = 0 points × 10): 0.00",
        "Total: 1860.00 yuan",
    ]
    # After the last day Dave is no agent: no clock-in; his payslip still came on the 15th.
    clock.move_to(at(12, 16, 14, 30))
    refused = await bot.reply(DAVE, "/clockin")
    assert refused == (
        "Your last working day was 2026-11-18: you are no longer on the team, so you "
        "cannot clock in."
    )
