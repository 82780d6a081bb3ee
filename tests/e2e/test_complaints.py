"""Complaints on the clock end to end [000: answered within 24 h, solved within 48 h]:
opened, answered, solved, the platform's arbitration; the agent's reminders before each
deadline and the supervisors' alert after it, once each whatever runs the job; every bad
input refused with nothing changed; the month's cases in the aftersales KPIs [001]."""

from __future__ import annotations

import asyncio
import datetime as dt
import io

from openpyxl import load_workbook

from storage.models import AuditLog, ComplaintCase
from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.team import make_team, rows

SH = dt.timezone(dt.timedelta(hours=8))
CLOCK_JOB = "complaint-clock"


def nov(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SH)


async def cases(bot: Harness) -> list[ComplaintCase]:
    return sorted(await rows(bot, ComplaintCase), key=lambda c: c.id or 0)


async def test_a_case_opened_answered_solved_and_arbitrated(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    opened = await bot.reply(DAVE, "/complaint TB-2026_1123 parcel <arrived> broken & late")
    assert "Complaint case #1 opened for Dave <b>&amp; Wu & Sons on order TB-2026_1123" in opened
    assert "answer by 2026-11-24 10:00, solve by 2026-11-25 10:00 (team time)" in opened
    clock.move_to(nov(23, 11, 30))
    assert "Case #1 answered at 2026-11-23 11:30. Solve it by 2026-11-25 10:00" in (
        await bot.reply(DAVE, "/replied #1")
    )
    clock.move_to(nov(24, 9, 0))
    assert "Case #1 was answered already, at 2026-11-23 11:30." in await bot.reply(
        DAVE, "/replied 1"
    )
    assert "the platform stepped in (2026-11-24 09:00)" in await bot.reply(DAVE, "/arbitration 1")
    assert "arbitration of case #1 was recorded already, at 2026-11-24 09:00" in (
        await bot.reply(DAVE, "/arbitration 1")
    )
    clock.move_to(nov(24, 16, 0))
    solved = await bot.reply(DAVE, "/solved 1 refund <sent>")
    assert "Case #1 solved at 2026-11-24 16:00, within its deadline. How: refund <sent>" in solved
    clock.move_to(nov(24, 17, 0))
    assert "Case #1 was solved already, at 2026-11-24 16:00." in await bot.reply(BOB, "/solved 1")
    (case,) = await cases(bot)
    assert (case.person_id, case.opened_by, case.month, case.order_no) == (
        DAVE.id,
        DAVE.id,
        "2026-11",
        "TB-2026_1123",
    )
    assert case.text == "parcel <arrived> broken & late"
    assert (case.replied_at, case.arbitration_at, case.solved_at) == (
        nov(23, 11, 30),
        nov(24, 9, 0),
        nov(24, 16, 0),
    )
    assert case.solved_how == "refund <sent>"
    actions = [a.action for a in await rows(bot, AuditLog) if a.action.startswith("complaint")]
    assert actions == [
        "complaint",
        "complaint_replied",
        "complaint_arbitration",
        "complaint_solved",
    ]
    # Solved: no open case left, and the clock owes nothing more.
    assert "No open complaint cases." in await bot.reply(DAVE, "/complaint")
    clock.move_to(nov(26, 12, 0))
    before = len(bot.fake.texts(DAVE.id)), len(bot.fake.texts(BOB.id))
    await run_job(bot, CLOCK_JOB)
    assert (len(bot.fake.texts(DAVE.id)), len(bot.fake.texts(BOB.id))) == before


async def test_a_supervisor_assigns_a_case_in_the_group_and_solves_it(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 14, 0))
    text = command("complaint", in_group=True) + f" {DAVE.first_name} 884422 wrong colour sent"
    await bot.send(BOB, text, group=TEAM_GROUP, mentions=[DAVE])
    assert "Complaint case #1 opened for Dave" in bot.fake.texts(TEAM_GROUP.id)[-1]
    told = bot.fake.delivered(DAVE.id)[-1]
    assert "Bob gave you complaint case #1 on order 884422:\nwrong colour sent" in told
    assert "Answer by 2026-11-24 14:00, solve by 2026-11-25 14:00" in told
    (case,) = await cases(bot)
    assert (case.person_id, case.opened_by) == (DAVE.id, BOB.id)
    # Carol may not see or touch Dave's case; Bob lists every open one, Carol hers (none).
    for typed in ("/replied 1", "/solved 1 done", "/arbitration 1"):
        assert "There is no complaint case #1 of yours." in await bot.reply(CAROL, typed)
    listed = await bot.reply(BOB, "/complaint")
    assert "#1 Dave" in listed and "Open one: /complaint @agent order-no text." in listed
    assert "No open complaint cases." in await bot.reply(CAROL, "/complaint")
    # Solving without an answer recorded counts the solve as the answer.
    clock.move_to(nov(25, 16, 0))
    assert "solved at 2026-11-25 16:00, after its deadline 2026-11-25 14:00" in await bot.reply(
        ALICE, "/solved 1"
    )
    (case,) = await cases(bot)
    assert case.replied_at == case.solved_at == nov(25, 16, 0) and case.solved_how is None
    assert "was answered already, at 2026-11-25 16:00" in await bot.reply(DAVE, "/replied 1")


async def test_reminders_before_each_deadline_and_alerts_after(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    await bot.send(DAVE, "/complaint 77001 buyer unhappy")
    dave, bob, alice = (len(bot.fake.texts(p.id)) for p in (DAVE, BOB, ALICE))

    async def at(moment: dt.datetime) -> tuple[list[str], list[str], list[str]]:
        nonlocal dave, bob, alice
        clock.move_to(moment)
        await run_job(bot, CLOCK_JOB)
        new = (
            bot.fake.texts(DAVE.id)[dave:],
            bot.fake.texts(BOB.id)[bob:],
            bot.fake.texts(ALICE.id)[alice:],
        )
        dave, bob, alice = (len(bot.fake.texts(p.id)) for p in (DAVE, BOB, ALICE))
        return new

    assert await at(nov(24, 7, 59)) == ([], [], [])
    (remind,), [], [] = await at(nov(24, 8, 0))
    assert "Complaint case #1 (order 77001): answer the shopper by 2026-11-24 10:00" in remind
    assert await at(nov(24, 8, 5)) == ([], [], [])  # once
    [], (late,), (same,) = await at(nov(24, 10, 0))
    assert late == same
    assert "Complaint case #1 of Dave <b>&amp; Wu & Sons (order 77001) is past its answer" in late
    assert "deadline, 2026-11-24 10:00: no answer recorded.\nbuyer unhappy" in late
    assert await at(nov(24, 10, 5)) == ([], [], [])  # once per case and deadline
    clock.move_to(nov(24, 10, 30))
    await bot.send(DAVE, "/replied 1")
    dave = len(bot.fake.texts(DAVE.id))
    (remind,), [], [] = await at(nov(25, 8, 0))
    assert "solve it by 2026-11-25 10:00, then /solved 1" in remind
    [], (late,), [_] = await at(nov(25, 10, 0))
    assert "is past its solve deadline, 2026-11-25 10:00: not solved" in late
    assert await at(nov(26, 10, 0)) == ([], [], [])
    assert "Dave" not in " ".join(bot.fake.texts(TEAM_GROUP.id)[-3:])  # alerts go by DM


async def test_a_reply_in_time_spares_the_alert_and_a_late_bot_catches_up(
    bot: Harness, clock
) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    await bot.send(CAROL, "/complaint 5501 missing gift")
    clock.move_to(nov(23, 12, 0))
    await bot.send(CAROL, "/replied 1")
    carol, bob = len(bot.fake.texts(CAROL.id)), len(bot.fake.texts(BOB.id))
    # The bot was down from before the solve reminder until after the deadline: the job
    # finds the alert due (no reminder past its deadline), and no answer alert.
    clock.move_to(nov(25, 11, 0))
    await run_job(bot, CLOCK_JOB)
    assert bot.fake.texts(CAROL.id)[carol:] == []
    (late,) = bot.fake.texts(BOB.id)[bob:]
    assert "past its solve deadline" in late


async def test_each_reminder_once_whatever_runs_the_clock(
    fake: FakeBotAPI, database_url: str, clock
) -> None:
    first = Harness(fake, await started(make_settings(fake, database_url)))
    await make_team(first)
    clock.move_to(nov(23, 10, 0))
    await first.send(DAVE, "/complaint 9001 no reply from seller")
    second = Harness(fake, await started(make_settings(fake, database_url)))
    try:
        clock.move_to(nov(25, 8, 30))
        await asyncio.gather(
            run_job(first, CLOCK_JOB), run_job(second, CLOCK_JOB), run_job(first, CLOCK_JOB)
        )
        assert len([t for t in fake.texts(DAVE.id) if "solve it by" in t]) == 1
        assert len([t for t in fake.texts(BOB.id) if "past its answer deadline" in t]) == 1
    finally:
        await stopped(second.app)
        await stopped(first.app)


async def test_bad_input_is_refused_and_changes_nothing(bot: Harness, clock) -> None:
    await make_team(bot)
    refused = {
        "/complaint 2026 1123 0001 parcel broken": "2026 1123 0001 is not an order number",
        "/complaint " + "A" * 41 + " broken": "at most 40 characters",
        "/complaint TB#12 broken": "TB#12 is not an order number",
        "/complaint 13812345678 broken": "That looks like a phone number",
        "/complaint TB12 call her on 138-1234-5678": "That looks like a phone number",
        "/complaint TB12": "Usage: /complaint order-no text",
        "/complaint TB12 \u200b": "Usage: /complaint order-no text",
        "/replied": "Usage: /replied N",
        "/replied x": "Usage: /replied N",
        "/replied 99": "There is no complaint case #99 of yours.",
        "/solved": "Usage: /solved N [how]",
        "/solved 99": "There is no complaint case #99 of yours.",
        "/arbitration 1 2": "Usage: /arbitration N",
        "/arbitration 99": "There is no complaint case #99 of yours.",
    }
    for typed, answer in refused.items():
        assert answer in await bot.reply(DAVE, typed), typed
    await bot.send(DAVE, "/complaint TB12 broken")
    assert "That looks like a phone number" in await bot.reply(DAVE, "/solved 1 rang 13812345678")
    # Roles: an agent cannot assign; a supervisor who is no agent names one; not to a
    # supervisor; not in another group.
    assert "Only supervisors" in await bot.reply(
        CAROL, f"/complaint {DAVE.first_name} TB13 broken", mentions=[DAVE]
    )
    assert "Usage: /complaint order-no text" in await bot.reply(BOB, "/complaint TB13 broken")
    assert "not an agent" in await bot.reply(BOB, "/complaint @alice TB13 broken")
    other = TEAM_GROUP.__class__(-1009999, "other")
    await bot.send(DAVE, command("complaint", in_group=True) + " TB14 x", group=other)
    (case,) = await cases(bot)
    assert (case.order_no, case.replied_at, case.solved_at) == ("TB12", None, None)
    audit = [a for a in await rows(bot, AuditLog) if a.action.startswith("complaint")]
    assert len(audit) == 1


async def test_the_month_s_cases_are_the_aftersales_kpis(bot: Harness, clock) -> None:
    await make_team(bot)
    card = await bot.reply(DAVE, "/myscore")
    assert "Complaint handling (hours): no data yet × 10%" in card
    assert "Platform arbitrations: no data yet × 10%" in card
    # Case 1: opened Mon 10:00, solved Tue 22:00 — 36 h; case 2: Wed 10:00 to Thu 14:00 —
    # 28 h. Mean 32 h: within 48 h, 80 points [001]. Both arbitrated: 2, 80 points.
    for opened, solved, number in ((nov(23, 10), nov(24, 22), 1), (nov(25, 10), nov(26, 14), 2)):
        clock.move_to(opened)
        await bot.send(DAVE, f"/complaint TB{number} late parcel")
        await bot.send(DAVE, f"/arbitration {number}")
        clock.move_to(solved)
        await bot.send(DAVE, f"/solved {number}")
    card = await bot.reply(DAVE, "/myscore")
    assert "Complaint handling (hours): 32.0 h → 80 points × 10%" in card
    assert "Platform arbitrations: 2 → 80 points × 10%" in card
    assert "Complaint handling" in await bot.reply(
        BOB, f"/score {DAVE.first_name}", mentions=[DAVE]
    )


async def test_the_export_has_the_month_s_cases(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    await bot.send(DAVE, "/complaint TB7 =HYPERLINK(1) broken")
    clock.move_to(nov(24, 19, 30))
    await bot.send(DAVE, "/solved 1 refund")
    await bot.send(BOB, "/export 2026-11")
    (sent,) = bot.fake.sent(BOB.id, method="sendDocument")
    book = load_workbook(io.BytesIO(sent.params["document"][1]))
    header, *found = list(book["complaints"].values)
    assert header[:5] == ("id", "agent_id", "agent", "order_no", "text")
    (row,) = found
    got = dict(zip(header, row, strict=True))
    assert (got["id"], got["agent_id"], got["order_no"], got["text"]) == (
        1,
        DAVE.id,
        "TB7",
        "=HYPERLINK(1) broken",
    )
    assert got["opened_at"] == dt.datetime(2026, 11, 23, 10, 0)
    assert got["solve_by"] == dt.datetime(2026, 11, 25, 10, 0)
    assert got["replied_at"] == got["solved_at"] == dt.datetime(2026, 11, 24, 19, 30)
    assert (got["solved_how"], got["arbitration_at"], got["hours"]) == ("refund", None, 33.5)
