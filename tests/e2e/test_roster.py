"""The roster end to end: October 2026 drafted by the job on 25 September, adjusted with
`/roster @agent`, published by button, each agent's DM, `/roster` as picture and text;
every bad input refused with nothing changed [000: 白晚班轮换; issue 16].

October 2026 in China: 1-7 October are public holidays, 10 October (a Saturday) an
adjusted working day. Carol (day shift) and Dave (evening) are the team: one agent per
shift, so every rest day leaves a shift empty (warned, not refused).
"""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from openpyxl import load_workbook

from storage.models import AuditLog, RosterDay, RosterPlan
from tests.conftest import SHANGHAI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, MALLORY, Harness
from tests.support.jobs import run_job
from tests.support.team import make_team, rows, shift_on


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def photos(bot: Harness, chat_id: int) -> int:
    return len(bot.fake.sent(chat_id, method="sendPhoto"))


async def test_a_month_drafted_adjusted_published_and_shown(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(9, 24))
    await make_team(bot)
    clock.move_to(at(9, 25))
    await run_job(bot, "roster-draft")

    # Every supervisor gets the card: the month, its agents, the warnings, the picture.
    card = next(t for t in bot.fake.texts(BOB.id) if "Roster draft: 2026-10" in t)
    assert "2 agents, 8 rest days in all" in card
    assert "1H 2H 3H 4H 5H 6H 7H 10W" in card
    assert "Under the minimum:" in card
    assert photos(bot, BOB.id) == 1 and photos(bot, ALICE.id) == 1
    assert not any("Roster" in t for t in bot.fake.texts(CAROL.id))
    publish, adjust = bot.buttons(BOB.id)[-2:]
    assert publish.endswith(":publish") and adjust.endswith(":adjust")

    # The job again (a restart, a replica): nothing new.
    await run_job(bot, "roster-draft")
    assert sum("Roster draft" in t for t in bot.fake.texts(BOB.id)) == 1

    # /roster 2026-10 shows the draft, marked so: a picture and a line per agent.
    before = photos(bot, BOB.id)
    shown = await bot.reply(BOB, "/roster 2026-10")
    assert photos(bot, BOB.id) == before + 1
    assert "Roster 2026-10 — draft, not published yet" in shown
    assert "1234567890123456789012345678901" in shown
    assert "HHHHHHH··W" in shown
    # One agent per shift: each works every holiday (the minimum is one); weeks from the
    # 1st alternate; rest days one in each stretch of the 24 other days (8-13, 14-19,
    # 20-25, 26-31), Carol first in each (position 0), Dave second.
    assert "DDDDDDDREEEEERDDDDDRDEEEEREEDDD Carol" in shown
    assert "EEEEEEEDRDDDDDREEEEERDDDDDRDEEE Dave" in shown

    # Adjust says how; a change goes to the draft and Carol hears nothing yet.
    assert "/roster @agent YYYY-MM-DD" in await bot.press(BOB, adjust)
    answer = await bot.reply(BOB, "/roster @carol_cs 2026-10-12 evening")
    assert "Carol, 2026-10-12: evening shift" in answer and "in the draft" in answer
    assert not any("roster" in t.lower() for t in bot.fake.texts(CAROL.id))

    # Publish: first press wins; the agents get their month, Alice is told.
    assert await bot.press(BOB, publish) == (
        "Published: the roster of 2026-10; 2 agents are told their month."
    )
    (carol_dm,) = [t for t in bot.fake.delivered(CAROL.id) if "Your roster for 2026-10" in t]
    assert "10-12 Mon: evening shift 14:30–23:30" in carol_dm
    assert "(adjusted working day)" in carol_dm
    assert any("Your roster for 2026-10" in t for t in bot.fake.delivered(DAVE.id))
    assert "Bob published the roster of 2026-10: 2 agents told" in bot.fake.texts(ALICE.id)[-1]
    assert "published already by Bob" in await bot.press(ALICE, publish)
    (plan,) = await rows(bot, RosterPlan)
    assert plan.status == "published" and plan.published_by == BOB.id
    assert not [r for r in await rows(bot, RosterDay) if r.draft]
    assert await shift_on(bot, CAROL.id, dt.date(2026, 10, 12)) == "evening"

    # A published month changes day by day, the agent told; /roster draft is refused.
    clock.move_to(at(10, 2))
    answer = await bot.reply(BOB, f"/roster {DAVE.first_name} 2026-10-20 rest", mentions=[DAVE])
    assert "they are told" in answer
    assert "The evening shift on 2026-10-20 is left with 0 agents, under the minimum" in answer
    assert "2026-10-20 is now a rest day" in bot.fake.delivered(DAVE.id)[-1]
    assert await shift_on(bot, DAVE.id, dt.date(2026, 10, 20)) is None
    assert "published already" in await bot.reply(BOB, "/roster draft 2026-10")
    shown = await bot.reply(BOB, "/roster")
    assert "Roster 2026-10" in shown and "draft" not in shown
    actions = [a.action for a in await rows(bot, AuditLog) if a.action.startswith("roster")]
    assert actions == ["roster-draft", "roster-day", "roster-publish", "roster-day"]

    # The month's export has the roster: a row per agent and day.
    await bot.send(BOB, "/export 2026-10")
    document = bot.fake.sent(BOB.id, method="sendDocument")[-1].params["document"][1]
    header, *sheet = list(load_workbook(io.BytesIO(document))["roster"].values)
    assert header[:4] == ("agent_id", "name", "day", "shift") and len(sheet) == 62
    found = {(row[0], str(row[2])[:10]): row[3:7] for row in sheet}
    assert found[(DAVE.id, "2026-10-20")] == ("rest", None, None, "roster")
    assert found[(CAROL.id, "2026-10-01")] == ("day", None, "holiday", "roster")


async def test_a_supervisor_redrafts_and_the_old_card_is_stale(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(9, 24))
    await make_team(bot)
    answer = await bot.reply(BOB, "/roster draft")
    assert "The roster of 2026-10 is drafted: 2 agents" in answer
    old_publish = bot.buttons(BOB.id)[-2]
    clock.shift(60)
    await bot.reply(BOB, "/roster draft 2026-10")
    new_publish = bot.buttons(BOB.id)[-2]
    assert old_publish != new_publish
    assert "no longer valid" in (await bot.press(BOB, old_publish)).lower()
    assert "Published" in await bot.press(BOB, new_publish)
    # The job on the 25th finds the month drafted and published: no second card.
    clock.move_to(at(9, 25))
    cards = sum("Roster draft" in t for t in bot.fake.texts(BOB.id))
    await run_job(bot, "roster-draft")
    assert sum("Roster draft" in t for t in bot.fake.texts(BOB.id)) == cards
    assert "published already" in await bot.reply(BOB, "/roster draft 2026-10")


async def test_bad_input_is_refused_and_changes_nothing(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(11, 3))
    await make_team(bot)
    cases = {
        "/roster @carol_cs 2026-11-20 night": "There is no shift night. Shifts: day (day shift)",
        "/roster @carol_cs 2026-11-31 day": "2026-11-31 is not a date",
        "/roster @carol_cs 2026-11-02 day": "2026-11-02 has passed",
        "/roster @BobSup 2026-11-20 day": "is not an agent",
        "/roster @mallory 2026-11-20 day": "",
        "/roster 2026-13": "is not a month",
        "/roster @carol_cs 2026-11-20": "Usage: /roster",
        "/roster draft 2026-11 extra": "Usage: /roster",
        "/roster draft 2026-11": "2026-11 has begun",
    }
    await bot.send(MALLORY, "/start")
    for text, said in cases.items():
        answer = await bot.reply(BOB, text)
        assert said in answer, (text, answer)
    assert "supervisors" in await bot.reply(CAROL, "/roster")
    assert not await rows(bot, RosterDay) and not await rows(bot, RosterPlan)

    # After the last working day; a locked month.
    await bot.send(BOB, "/resign @carol_cs 2026-11-20")
    answer = await bot.reply(BOB, "/roster @carol_cs 2026-11-25 day")
    assert "last working day is 2026-11-20" in answer
    clock.move_to(at(12, 10))
    await run_job(bot, "month-lock")
    assert "2026-11 is locked" in await bot.reply(BOB, "/roster @carol_cs 2026-11-05 rest")
    assert "There is no shift 夜班" in await bot.reply(BOB, "/roster @carol_cs 2026-12-20 夜班")
    assert not await rows(bot, RosterDay)
    # Rest in Chinese works.
    assert "rest" in await bot.reply(
        BOB, f"/roster {DAVE.first_name} 2026-12-20 休", mentions=[DAVE]
    )
