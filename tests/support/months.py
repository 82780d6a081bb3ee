"""A month of work to close: the November (or October) every payroll test starts from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from storage.models import DailyMetric
from tests.conftest import SHANGHAI
from tests.support.harness import BOB, CAROL, DAVE, Harness
from tests.support.team import make_team


def at(day: int, hour: int = 10, minute: int = 0, month: int = 12) -> dt.datetime:
    """A moment of 2026 in team time (December unless told)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


async def november(bot: Harness, clock: time_machine.Coordinates, month: int = 11) -> None:
    """Carol (presale junior, hired 2025-06-01) works, sells 12 000 yuan and is fined
    twice; Dave (aftersales mid, hired this month) gets a QA check of 85. With
    `month=10`, the same in October (for tests whose processes run on the real clock,
    where November is not over)."""
    if month != 11:
        clock.move_to(at(23, 8, 55, month=month))
    await make_team(bot)
    await bot.send(BOB, "/hire @carol_cs 2025-06-01")
    await bot.send(CAROL, "/clockin")  # 08:55, on time for 09:00
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing")  # #1: -2 and 10 yuan
    await bot.send(BOB, "/fine @carol_cs no-handover")  # #2: -2
    await bot.send(BOB, f"/qa {DAVE.first_name} 85", mentions=[DAVE])
    await carol_sells(bot, month)
    clock.move_to(at(23, 18, 0, month=month))
    await bot.send(CAROL, "/clockout")


async def carol_sells(bot: Harness, month: int) -> None:
    """Carol's imported figures for the 20th of `month` (2026): 12 000 yuan of sales."""
    kit = bot.app.bot_data["kit"]
    await kit.db.run(
        lambda session: session.add(
            DailyMetric(
                person_id=CAROL.id,
                day=dt.date(2026, month, 20),
                consults=100,
                orders=50,
                payers=48,
                sales_fen=1_200_000,
                reply_rate_bp=9900,
                avg_response_ms=20000,
                imported_at=at(20, month=month),
            )
        )
    )


def payslips(bot: Harness, person: Any) -> list[str]:
    """The final (not draft) payslips a person received."""
    return [
        t
        for t in bot.fake.delivered(person.id)
        if t.startswith("💰 Payslip") and "(draft)" not in t.split("\n")[0]
    ]
