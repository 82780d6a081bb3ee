"""The team an end-to-end test starts from, and what the bot stored, read back.

Alice (admin) binds the team group and promotes Bob; Bob enrols Carol (day shift)
and Dave (evening shift, no username). The named people are in `harness`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import select

from bot.kit import Kit
from storage.models import Person
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness, command


async def make_team(bot: Harness) -> None:
    """Alice (admin) binds the group, promotes Bob; Bob enrols Carol (day) and Dave."""
    for person in (ALICE, BOB, CAROL, DAVE):
        await bot.send(person, "/start")
    await bot.send(ALICE, command("setgroup", in_group=True), group=TEAM_GROUP)
    await bot.send(ALICE, "/promote @BobSup")
    await bot.send(BOB, "/enroll @carol_cs junior presale carol旺旺")
    await bot.send(BOB, "/shift @carol_cs day")
    await bot.send(BOB, f"/enroll {DAVE.first_name} mid aftersales", mentions=[DAVE])
    await bot.send(BOB, f"/shift {DAVE.first_name} evening", mentions=[DAVE])


async def person_row(bot: Harness, person_id: int) -> Person | None:
    """A person as the bot stored them."""
    kit: Kit = bot.app.bot_data["kit"]
    return await kit.db.run(lambda session: session.get(Person, person_id))


async def rows(bot: Harness, model: type) -> list[Any]:
    """Every row of one table."""
    kit: Kit = bot.app.bot_data["kit"]
    return await kit.db.run(lambda session: list(session.exec(select(model))))


async def shift_on(bot: Harness, person_id: int, day: dt.date) -> str | None:
    """A person's shift on a day as every check reads the roster (None: not expected)."""
    kit: Kit = bot.app.bot_data["kit"]
    person = await kit.people.get(person_id)
    assert person is not None
    return (await kit.roster.shift_of(person, day)).shift
