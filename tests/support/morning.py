"""A morning of the team for the Mini App's board [issue 18], made through the bot's
commands: who is in, late, on a break, on leave, absent and expected at 11:30."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support.harness import BOB, CAROL, DAVE, EVE, Harness, Person
from tests.support.team import make_team

SH = dt.timezone(dt.timedelta(hours=8))
FRANK = Person(1010, "Frank", "frank_cs")
GINA = Person(1011, "Gina <i>", "gina_cs")


def at(hour: int, minute: int, day: int = 23) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SH)


async def enrol(bot: Harness, person: Person, shift: str) -> None:
    await bot.send(person, "/start")
    await bot.send(BOB, f"/enroll @{person.username} junior presale")
    await bot.send(BOB, f"/shift @{person.username} {shift}")


async def a_morning(bot: Harness, clock: Any) -> None:
    """Monday 11:30: Carol in on time, Gina in 20 minutes late and on a break since
    11:20, Frank on leave, Dave (moved to days) never came, Eve due at 14:30."""
    await make_team(bot)
    await bot.send(BOB, f"/shift {DAVE.first_name} day", mentions=[DAVE])
    for person, shift in ((EVE, "evening"), (FRANK, "day"), (GINA, "day")):
        await enrol(bot, person, shift)
    await bot.send(FRANK, "/leave 2026-11-23 sick")
    approve = next(b for b in bot.buttons(BOB.id) if b.endswith(":approved"))
    await bot.press(BOB, approve)
    await bot.send(CAROL, "/clockin")
    clock.move_to(at(9, 20))
    await bot.send(GINA, "/clockin")
    clock.move_to(at(11, 20))
    await bot.send(GINA, "/break")
    clock.move_to(at(11, 30))
