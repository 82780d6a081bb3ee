"""Shift swaps end to end [002]: asked, accepted by the colleague, approved by a
supervisor; the roster reads swapped; withdrawals, refusals, stale presses.

The team: Carol on the day shift, Dave on the evening shift (no username: named by a
mention); the clock starts on Monday 2026-11-23 at 08:55.
"""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from openpyxl import load_workbook

from bot.kit import Kit
from storage.models import AuditLog, ShiftSwap
from tests.conftest import SHANGHAI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, MALLORY, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.team import make_team, rows, shift_on

WED, FRI = dt.date(2026, 11, 25), dt.date(2026, 11, 27)
DAVE_NAME = "Dave <b>&amp; Wu & Sons"  # as his name shows


def kit_of(bot: Harness) -> Kit:
    kit: Kit = bot.app.bot_data["kit"]
    return kit


async def ask_dave(bot: Harness, days: str) -> str:
    """Carol asks Dave (named by a mention) to swap `days`; her reply."""
    return await bot.reply(CAROL, f"/swap {DAVE.first_name} {days}", mentions=[DAVE])


def button(bot: Harness, chat_id: int, ending: str) -> str:
    """The newest button sent to `chat_id` whose data ends with `ending`."""
    return [data for data in bot.buttons(chat_id) if data.endswith(ending)][-1]


def edited(bot: Harness, chat_id: int) -> list[str]:
    """The labels a card in `chat_id` got in place of its buttons."""
    return [
        b["text"]
        for call in bot.fake.sent(chat_id, method="editMessageReplyMarkup")
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]


async def test_a_day_swap_accepted_and_approved_changes_the_roster(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    asked = await ask_dave(bot, "2026-11-25")
    assert f"Swap #1 asked: {DAVE_NAME} decides first, then a supervisor approves." in asked
    assert "Carol, 2026-11-25: day shift (09:00–18:00) → evening shift (14:30–23:30)" in asked
    assert (
        f"{DAVE_NAME}, 2026-11-25: evening shift (14:30–23:30) → day shift (09:00–18:00)" in asked
    )
    assert bot.buttons(CAROL.id)[-1] == "swapoff:1"
    card = bot.fake.texts(DAVE.id)[-1]
    assert "Swap request #1 from Carol for 2026-11-25" in card
    assert bot.buttons(DAVE.id)[-2:] == ["swapans:1:accept", "swapans:1:decline"]
    assert not [t for t in bot.fake.texts(BOB.id) if "Swap" in t]  # the colleague first

    # Only Dave answers; he accepts: the supervisors get the card, Carol is told.
    assert "not yours" in await bot.press(CAROL, "swapans:1:accept")
    assert "Accepted: the supervisors decide now" in await bot.press(DAVE, "swapans:1:accept")
    assert f"{DAVE_NAME} accepted swap #1 (2026-11-25)" in bot.fake.texts(CAROL.id)[-1]
    assert edited(bot, DAVE.id)[-1] == "Withdraw"  # his card keeps a Withdraw button
    for boss in (ALICE, BOB):
        approval = bot.fake.texts(boss.id)[-1]
        assert f"Swap to approve #1: Carol and {DAVE_NAME} agreed to swap 2026-11-25." in approval
        assert "Carol, 2026-11-25: day shift (09:00–18:00) → evening shift" in approval
    assert bot.buttons(BOB.id)[-2:] == ["swapdec:1:approve", "swapdec:1:refuse"]
    assert "already accepted" in await bot.press(DAVE, "swapans:1:decline")

    # An agent cannot approve; Bob approves: the roster changes, both told, audited.
    assert "Only supervisors decide shift swaps" in await bot.press(CAROL, "swapdec:1:approve")
    assert await shift_on(bot, CAROL.id, WED) == "day"
    done = await bot.press(BOB, "swapdec:1:approve")
    assert done == "Done: swap #1 approved, the roster changed; both agents are told."
    assert await shift_on(bot, CAROL.id, WED) == "evening"
    assert await shift_on(bot, DAVE.id, WED) == "day"
    assert await shift_on(bot, CAROL.id, FRI) == "day"  # only that day
    told = bot.fake.texts(CAROL.id)[-1]
    assert f"Swap #1 with {DAVE_NAME} was approved by Bob. Your roster now reads:" in told
    assert "2026-11-25: day shift (09:00–18:00) → evening shift (14:30–23:30)" in told
    assert "2026-11-25: evening shift (14:30–23:30) → day shift" in bot.fake.texts(DAVE.id)[-1]
    audits = [a for a in await rows(bot, AuditLog) if a.action == "swap"]
    assert {(a.actor_id, a.subject_id) for a in audits} == {(BOB.id, CAROL.id), (BOB.id, DAVE.id)}
    # Alice's copy of the card is settled; a press on it is told who decided.
    assert "Approved by Bob" in edited(bot, ALICE.id)
    assert await bot.press(ALICE, "swapdec:1:refuse") == "Swap #1 is already approved (by Bob)."
    (row,) = await rows(bot, ShiftSwap)
    assert (row.status, row.decided_by) == ("approved", BOB.id)

    # Withdrawing is over once approved: by button or command.
    refused = await bot.press(CAROL, "swapoff:1")
    assert "already approved; to undo it, ask a supervisor to change the roster" in refused
    assert "ask a supervisor" in await bot.reply(DAVE, "/swap cancel 1")
    assert "already have a swap for that day" in await ask_dave(bot, "2026-11-25")

    # On the day, the day shift's absence check expects Dave, not Carol.
    clock.move_to(dt.datetime(2026, 11, 25, 11, 0, tzinfo=SHANGHAI))
    await run_job(bot, "absence-check:day")
    absent = [t for t in bot.fake.texts(BOB.id) if "has not clocked in" in t]
    assert absent and all(DAVE_NAME in t and "Carol" not in t for t in absent)

    # The month's export lists the swap.
    await bot.send(BOB, "/export 2026-11")
    document = bot.fake.sent(BOB.id, method="sendDocument")[-1].params["document"][1]
    header, *swaps = list(load_workbook(io.BytesIO(document))["swaps"].values)
    assert [dict(zip(header, r, strict=True)) for r in swaps] == [
        {
            "id": 1,
            "asker_id": CAROL.id,
            "asker": "Carol",
            "colleague_id": DAVE.id,
            "colleague": DAVE_NAME,
            "day": dt.datetime(2026, 11, 25),
            "other_day": None,
            "status": "approved",
            "asked_at": dt.datetime(2026, 11, 23, 8, 55),
            "decided_by": BOB.id,
            "decided_at": dt.datetime(2026, 11, 23, 8, 55),
        }
    ]


async def test_a_two_day_swap_exchanges_both_days(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(BOB, "/restday @carol_cs fri")
    await bot.send(BOB, f"/restday {DAVE.first_name} wed", mentions=[DAVE])
    # Dave takes Carol's Wednesday (he rests), Carol takes Dave's Friday (she rests).
    asked = await ask_dave(bot, "2026-11-25 2026-11-27")
    assert "Carol, 2026-11-25: day shift (09:00–18:00) → rest" in asked
    assert f"{DAVE_NAME}, 2026-11-25: rest → day shift (09:00–18:00)" in asked
    assert "Carol, 2026-11-27: rest → evening shift (14:30–23:30)" in asked
    assert f"{DAVE_NAME}, 2026-11-27: evening shift (14:30–23:30) → rest" in asked
    await bot.press(DAVE, "swapans:1:accept")
    await bot.press(ALICE, "swapdec:1:approve")
    assert [await shift_on(bot, CAROL.id, d) for d in (WED, FRI)] == [None, "evening"]
    assert [await shift_on(bot, DAVE.id, d) for d in (WED, FRI)] == ["day", None]
    assert "2026-11-27: rest → evening shift" in bot.fake.texts(CAROL.id)[-1]


async def test_either_agent_withdraws_before_the_approval(bot: Harness) -> None:
    await make_team(bot)
    # The asker, by the button on her confirmation, before Dave answered.
    await ask_dave(bot, "2026-11-25")
    assert "Swap #1 (2026-11-25) withdrawn" in await bot.press(CAROL, "swapoff:1")
    assert f"Carol withdrew swap #1 between Carol and {DAVE_NAME}" in bot.fake.texts(DAVE.id)[-1]
    assert "Withdrawn by Carol" in edited(bot, DAVE.id)  # his card's buttons are gone
    assert await bot.press(DAVE, "swapans:1:accept") == "Swap #1 is already withdrawn (by Carol)."
    assert "already withdrawn" in await bot.press(CAROL, "swapoff:1")

    # The colleague, by the Withdraw his card keeps once he accepted: the bosses are told.
    await ask_dave(bot, "2026-11-25")
    await bot.press(DAVE, "swapans:2:accept")
    assert "withdrawn" in await bot.press(DAVE, "swapoff:2")
    assert f"{DAVE_NAME} withdrew swap #2" in bot.fake.texts(CAROL.id)[-1]
    assert f"{DAVE_NAME} withdrew swap #2" in bot.fake.texts(BOB.id)[-1]
    assert (
        await bot.press(BOB, "swapdec:2:approve")
        == f"Swap #2 is already withdrawn (by {DAVE_NAME})."
    )

    # By command, with the swap's number; someone else's swap is not theirs to withdraw.
    await ask_dave(bot, "2026-11-25")
    assert "Swap #3 (2026-11-25) withdrawn" in await bot.reply(CAROL, "/swap cancel #3")
    assert "already withdrawn" in await bot.reply(CAROL, "/swap cancel 3")
    assert "There is no swap #9" in await bot.reply(CAROL, "/swap cancel 9")
    assert "not an entry number" in await bot.reply(CAROL, "/swap cancel x")
    assert [r.status for r in await rows(bot, ShiftSwap)] == ["withdrawn"] * 3
    assert await shift_on(bot, CAROL.id, WED) == "day"


async def test_declined_and_refused_swaps_change_nothing(bot: Harness) -> None:
    await make_team(bot)
    await ask_dave(bot, "2026-11-25")
    assert "Declined; Carol is told." in await bot.press(DAVE, "swapans:1:decline")
    assert f"{DAVE_NAME} declined swap #1 (2026-11-25)" in bot.fake.texts(CAROL.id)[-1]
    assert not [t for t in bot.fake.texts(BOB.id) if "Swap to approve" in t]
    assert "already declined" in await bot.press(DAVE, "swapans:1:accept")

    await ask_dave(bot, "2026-11-25")  # a declined swap no longer holds the day
    await bot.press(DAVE, "swapans:2:accept")
    refused = await bot.press(BOB, "swapdec:2:refuse")
    assert refused == "Done: swap #2 refused; both agents are told."
    for agent in (CAROL, DAVE):
        assert "was refused by Bob" in bot.fake.texts(agent.id)[-1]
    assert "already refused (by Bob)" in await bot.press(ALICE, "swapdec:2:approve")
    assert await shift_on(bot, CAROL.id, WED) == "day"
    assert not [a for a in await rows(bot, AuditLog) if a.action == "swap"]


async def test_bad_swaps_are_refused_and_nothing_is_stored(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    usage = "Usage: /swap @colleague YYYY-MM-DD [YYYY-MM-DD]"
    assert usage in await bot.reply(CAROL, "/swap")
    assert usage in await bot.reply(CAROL, "/swap 2026-11-25")
    assert usage in await bot.reply(CAROL, f"/swap {DAVE.first_name}", mentions=[DAVE])
    assert usage in await ask_dave(bot, "2026-11-25 2026-11-26 2026-11-27")
    assert "not a date" in await ask_dave(bot, "25/11")
    assert "not a date" in await ask_dave(bot, "2026-11-25 2026-02-30")
    assert "name a colleague, not yourself" in await bot.reply(CAROL, "/swap @carol_cs 2026-11-25")
    assert "Mallory is not an agent" in await bot.reply(CAROL, "/swap @mallory 2026-11-25")
    assert "I have not met @nobody" in await bot.reply(CAROL, "/swap @nobody 2026-11-25")
    assert "2026-11-20 has passed" in await ask_dave(bot, "2026-11-20")
    assert "2026-11-22 has passed" in await ask_dave(bot, "2026-11-25 2026-11-22")
    assert "two different days" in await ask_dave(bot, "2026-11-25 2026-11-25")
    await bot.send(BOB, "/restday @carol_cs wed")
    await bot.send(BOB, f"/restday {DAVE.first_name} fri", mentions=[DAVE])
    assert "You are not rostered on 2026-11-25" in await ask_dave(bot, "2026-11-25")
    assert f"{DAVE_NAME} is not rostered on 2026-11-27" in await ask_dave(
        bot, "2026-11-26 2026-11-27"
    )
    await bot.send(BOB, f"/shift {DAVE.first_name} day", mentions=[DAVE])
    assert "the swap would change nothing" in await ask_dave(bot, "2026-11-24")
    await bot.send(BOB, "/resign @carol_cs 2026-11-26")
    assert "Carol leaves the team after 2026-11-26" in await bot.reply(
        DAVE, "/swap @carol_cs 2026-11-30"
    )
    assert "Only enrolled agents" in await bot.reply(BOB, f"/swap {DAVE.first_name} 2026-11-24")
    assert "private chat" in await bot.reply(
        CAROL, command("swap", in_group=True) + " @carol_cs 2026-11-24", group=TEAM_GROUP
    )
    assert not await rows(bot, ShiftSwap)
    assert not [t for t in bot.fake.texts(DAVE.id) if "Swap request" in t]


async def test_a_second_swap_for_the_same_day_and_a_locked_month_are_refused(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    await ask_dave(bot, "2026-11-25")
    assert "already have a swap for that day" in await ask_dave(bot, "2026-11-25")
    assert "already have a swap" in await bot.reply(DAVE, "/swap @carol_cs 2026-11-26 2026-11-25")
    assert len(await rows(bot, ShiftSwap)) == 1

    clock.move_to(dt.datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI))
    await run_job(bot, "month-lock")  # November
    assert "2026-11 is locked" in await ask_dave(bot, "2026-11-30")
    assert "2026-11 is locked" in await ask_dave(bot, "2026-12-14 2026-11-30")
    assert len(await rows(bot, ShiftSwap)) == 1


async def test_a_swap_whose_day_passed_while_pending_cannot_be_approved(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    await ask_dave(bot, "2026-11-25")
    await ask_dave(bot, "2026-11-26")
    await bot.press(DAVE, "swapans:1:accept")
    clock.move_to(dt.datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI))
    assert "2026-11-25 has passed" in await bot.press(BOB, "swapdec:1:approve")
    assert "Accepted" in await bot.press(DAVE, "swapans:2:accept")  # its day is today
    clock.move_to(dt.datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI))
    assert "2026-11-26 has passed" in await bot.press(ALICE, "swapdec:2:approve")
    assert [r.status for r in await rows(bot, ShiftSwap)] == ["accepted", "accepted"]
    assert await shift_on(bot, CAROL.id, WED) == "day"
    # Forged and stale data: answered, nothing changes.
    assert "no longer valid" in await bot.press(BOB, "swapdec:1:maybe")
    assert "There is no swap #99" in await bot.press(BOB, "swapdec:99:approve")
    assert "There is no swap #99" in await bot.press(DAVE, "swapans:99:accept")
    assert "not yours" in await bot.press(MALLORY, "swapoff:1")
