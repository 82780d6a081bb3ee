"""One month on the roster, end to end on a moved clock [issue 16]: October 2026 drafted
by the job on 25 September and published; a holiday worked by the one rostered; a swap
agreed and approved on the adjusted working day; a forgotten clock-in made up; the
month's card counts what the roster expected and what was worked.

October 2026 in China: 1-7 October are public holidays, 10 October (a Saturday) an
adjusted working day. Carol works days and Dave evenings by their weekly pattern; the
draft (hand-checked in test_roster.py) gives Carol

    DDDDDDDREEEEERDDDDDRDEEEEREEDDD   and Dave   EEEEEEEDRDDDDDREEEEERDDDDDRDEEE
"""

from __future__ import annotations

import datetime as dt

import time_machine

from tests.conftest import SHANGHAI
from tests.support.harness import BOB, CAROL, DAVE, Harness
from tests.support.jobs import run_job
from tests.support.team import make_team, shift_on

ABSENT = "has not clocked in"


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def absences(bot: Harness, since: int) -> list[str]:
    return [t for t in bot.fake.texts(BOB.id)[since:] if ABSENT in t]


async def test_a_month_drafted_published_swapped_made_up_and_counted(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(9, 24))
    await make_team(bot)
    clock.move_to(at(9, 25))
    await run_job(bot, "roster-draft")
    publish = [b for b in bot.buttons(BOB.id) if b.endswith(":publish")][-1]
    assert "Published" in await bot.press(BOB, publish)
    assert any("Your roster for 2026-10" in t for t in bot.fake.delivered(CAROL.id))

    # 1 October, a holiday: Carol is rostered for the day shift and comes; Dave's evening
    # shift is his too, and he does not come: the check names him, and nobody else.
    clock.move_to(at(10, 1, 8, 55))
    assert "clocked in" in (await bot.reply(CAROL, "/clockin")).lower()
    seen = len(bot.fake.texts(BOB.id))
    clock.move_to(at(10, 1, 11))
    await run_job(bot, "absence-check:day")
    assert absences(bot, seen) == []
    clock.move_to(at(10, 1, 16, 30))
    await run_job(bot, "absence-check:evening")
    (card,) = absences(bot, seen)
    assert "Dave" in card and "evening shift of 2026-10-01" in card
    clock.move_to(at(10, 1, 18, 1))
    await bot.send(CAROL, "/clockout")

    # 8 October: Carol (evening on the 10th, the adjusted working day) asks Dave (day)
    # to swap it; he accepts, Bob approves: the roster reads swapped.
    clock.move_to(at(10, 8, 12))
    assert (
        await shift_on(bot, CAROL.id, dt.date(2026, 10, 10)),
        await shift_on(bot, DAVE.id, dt.date(2026, 10, 10)),
    ) == (
        "evening",
        "day",
    )
    asked = await bot.reply(CAROL, f"/swap {DAVE.first_name} 2026-10-10", mentions=[DAVE])
    assert "Swap #1 asked" in asked
    accept = [b for b in bot.buttons(DAVE.id) if b.endswith(":accept")][-1]
    assert "Accepted" in await bot.press(DAVE, accept)
    approve = [b for b in bot.buttons(BOB.id) if b.startswith("swap") and "approve" in b][-1]
    await bot.press(BOB, approve)
    assert (
        await shift_on(bot, CAROL.id, dt.date(2026, 10, 10)),
        await shift_on(bot, DAVE.id, dt.date(2026, 10, 10)),
    ) == (
        "day",
        "evening",
    )

    # 10 October, a Saturday worked by the national calendar: the day shift expects
    # Carol now (the swap), and she does not come; Dave is not expected on it.
    seen = len(bot.fake.texts(BOB.id))
    clock.move_to(at(10, 10, 11))
    await run_job(bot, "absence-check:day")
    (card,) = absences(bot, seen)
    assert "Carol" in card and "day shift of 2026-10-10" in card

    # 11 October Carol works the evening and forgets to clock in; on the 12th she asks
    # for the make-up punch, Bob approves: the day is worked (closed at the shift's end).
    clock.move_to(at(10, 12, 9))
    asked = await bot.reply(CAROL, "/fixpunch 2026-10-11 in 14:25 forgot, phone flat")
    assert "make-up clock-in #1 for 2026-10-11 at 14:25 (evening shift)" in asked
    approve = [b for b in bot.buttons(BOB.id) if b.startswith("punchfix:")][-2]
    assert "approved" in await bot.press(BOB, approve)

    # The month's card: 27 days expected (31 less four rest days: the holidays she was
    # rostered on count), two worked (the 1st and the 11th), none late.
    kit = bot.app.bot_data["kit"]
    card = await kit.payroll.card(await kit.people.get(CAROL.id), "2026-10")
    assert (card.attendance.days, card.attendance.late) == (2, 0)
    assert card.attendance.expected_days == 27
