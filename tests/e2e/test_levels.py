"""Levels end to end: a promotion proposed at the lock, decided by a supervisor's button,
in force from the 1st of the next month (a month is paid at the level it began with)."""

from __future__ import annotations

import io

import time_machine
from openpyxl import load_workbook

from storage.models import LevelChange, Promotion
from tests.support.harness import ALICE, BOB, CAROL, DAVE, Harness
from tests.support.jobs import run_job
from tests.support.months import at
from tests.support.team import make_team, person_row, rows


async def three_good_months(bot: Harness, clock: time_machine.Coordinates) -> None:
    """Carol (presale junior, hired 2025-06-01) is scored 80 in August, September and
    October 2026 (the daily assessment alone: no figures, no entries), each month locked
    on the 10th of the next; Dave (aftersales mid) was enrolled on 3 August."""
    clock.move_to(at(3, month=8))
    await make_team(bot)
    await bot.send(BOB, "/hire @carol_cs 2025-06-01")
    for month in (9, 10, 11):
        clock.move_to(at(10, month=month))
        await run_job(bot, "month-lock")


def cards(bot: Harness, chat_id: int) -> list[str]:
    return [text for text in bot.fake.texts(chat_id) if "Promotion due" in text]


def base_pay(text: str) -> str:
    return next(line for line in text.split("\n") if line.startswith("Base pay"))


async def exported(bot: Harness, month: str) -> list[object]:
    """Carol's level, level_since and promotion in the month's export (scorecards)."""
    await bot.send(BOB, f"/export {month}")
    document = bot.fake.sent(BOB.id, method="sendDocument")[-1].params["document"][1]
    header, *agents = list(load_workbook(io.BytesIO(document))["scorecards"].values)
    carol = next(row for row in agents if row[1] == "Carol")
    level, since, status = (carol[header.index(k)] for k in ("level", "level_since", "promotion"))
    return [level, str(since)[:10], status]


async def test_a_junior_due_mid_is_promoted_from_next_month_and_paid_so(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await three_good_months(bot, clock)

    # Only the lock of October (the third month at 80 or more) proposes her, to every
    # supervisor; Dave (2 months as mid, 12 needed) is not proposed.
    (card,) = cards(bot, BOB.id)
    assert "Carol, junior → mid" in card
    assert "17 months as junior (since 2025-06-01), 3 needed" in card
    assert "KPI score 2026-08 80.00, 2026-09 80.00, 2026-10 80.00: each at least 80" in card
    assert len(cards(bot, ALICE.id)) == 1 and not cards(bot, CAROL.id)
    assert "Dave" not in card
    promote, passed = bot.buttons(BOB.id)[-2:]
    assert promote.endswith(":promote") and passed.endswith(":pass")
    labels = [
        b["text"]
        for c in bot.fake.sent(BOB.id)
        for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]
    assert "Promote from 2026-12-01" in labels and "Pass" in labels

    # Promote: the agent is told, the other supervisors too; the level is mid from December.
    clock.move_to(at(11, month=11))
    answer = await bot.press(BOB, promote)
    assert answer == "Promoted: Carol is mid from 2026-12-01; they are told."
    assert "You are promoted to mid from 2026-12-01 (by Bob)" in bot.fake.texts(CAROL.id)[-1]
    assert "Bob promoted Carol to mid from 2026-12-01" in bot.fake.texts(ALICE.id)[-1]
    (change,) = await rows(bot, LevelChange)
    assert (change.from_level, change.to_level, str(change.effective)) == (
        "junior",
        "mid",
        "2026-12-01",
    )

    # Pressed twice (by anyone): already decided, nothing more recorded.
    again = await bot.press(ALICE, promote)
    assert again == "Already promoted by Bob on 2026-11-11 10:00."
    assert await bot.press(BOB, passed) == again
    assert len(await rows(bot, LevelChange)) == 1

    # October (locked) and November (begun as junior) are paid at junior; December at mid.
    assert base_pay(await bot.reply(CAROL, "/payslip 2026-10")) == "Base pay (junior): 2500.00"
    assert base_pay(await bot.reply(CAROL, "/payslip 2026-11")) == "Base pay (junior): 2500.00"
    clock.move_to(at(10))
    await run_job(bot, "month-lock")  # November
    assert base_pay(await bot.reply(CAROL, "/payslip 2026-11")) == "Base pay (junior): 2500.00"
    assert base_pay(await bot.reply(CAROL, "/payslip 2026-12")) == "Base pay (mid): 2700.00"
    # Mid since 1 December: no second proposal at November's lock.
    assert len(cards(bot, BOB.id)) == 1 and len(await rows(bot, Promotion)) == 1

    # The export's scorecards: the level each month was paid at, since when, the proposal.
    assert await exported(bot, "2026-10") == ["junior", "2025-06-01", "promoted"]
    assert await exported(bot, "2026-12") == ["mid", "2026-12-01", None]


async def test_a_card_pressed_after_the_month_changed_is_refused(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await three_good_months(bot, clock)
    promote, passed = bot.buttons(BOB.id)[-2:]

    clock.move_to(at(1, 9, 0))
    answer = await bot.press(BOB, promote)
    assert "Too late for this card" in answer and "/enroll" in answer
    assert "Too late" in await bot.press(BOB, passed)
    assert not await rows(bot, LevelChange)
    carol = await person_row(bot, CAROL.id)
    assert carol is not None and carol.level == "junior"

    # /enroll sets the level instead, from the 1st of the month after: December stays junior.
    await bot.send(BOB, "/enroll @carol_cs mid presale")
    assert base_pay(await bot.reply(CAROL, "/payslip 2026-12")) == "Base pay (junior): 2500.00"
    clock.move_to(at(2, month=1).replace(year=2027))
    assert base_pay(await bot.reply(CAROL, "/payslip 2027-01")) == "Base pay (mid): 2700.00"


async def test_pass_is_recorded_and_an_agent_not_a_supervisor_cannot_press(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await three_good_months(bot, clock)
    promote, passed = bot.buttons(BOB.id)[-2:]
    assert "Only supervisors decide promotions" in await bot.press(CAROL, promote)
    assert await bot.press(ALICE, passed) == "Passed: Carol stays junior."
    assert "Alice passed Carol's promotion to mid: they stay junior" in bot.fake.texts(BOB.id)[-1]
    assert await bot.press(BOB, promote) == "Already passed by Alice on 2026-11-10 10:00."
    (proposal,) = await rows(bot, Promotion)
    assert (proposal.status, proposal.decided_by) == ("passed", ALICE.id)
    carol = await person_row(bot, CAROL.id)
    assert carol is not None and carol.level == "junior"
    assert DAVE.id != proposal.person_id
    assert await exported(bot, "2026-10") == ["junior", "2025-06-01", "passed"]
