"""Discounts and the problem log end to end [000: over 30 yuan a supervisor approves a
discount; each agent's problem notebook is handed to the lead weekly]: recorded at once
or approved by button, the group told without yuan, the week's problems reviewed with an
Answer per problem, the month's discounts on the scorecard and in the export."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from storage.models import AuditLog, Discount, Problem
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.team import make_team, rows

SH = dt.timezone(dt.timedelta(hours=8))


def nov(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SH)


def decisions(bot: Harness, person_id: int) -> tuple[str, str]:
    approve, deny = [b for b in bot.buttons(person_id) if b.startswith("discount:")][-2:]
    assert approve.endswith(":approved") and deny.endswith(":denied")
    return approve, deny


async def test_within_the_limit_a_discount_is_recorded_at_once(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    cards = len(bot.fake.texts(BOB.id))
    told = await bot.reply(CAROL, "/discount TB2026-0001 29.99 box <crushed> in transit")
    assert "Discount #1 on order TB2026-0001: 29.99 yuan, recorded." in told
    assert "box <crushed> in transit" in told
    assert "30.00 yuan, recorded" in await bot.reply(CAROL, "/discount TB2026-0002 30.00 late")
    assert len(bot.fake.texts(BOB.id)) == cards  # nothing for the supervisors to approve
    found = sorted(await rows(bot, Discount), key=lambda d: d.id)
    assert [(d.order_no, d.amount_fen, d.status, d.month) for d in found] == [
        ("TB2026-0001", 2999, "recorded", "2026-11"),
        ("TB2026-0002", 3000, "recorded", "2026-11"),
    ]
    audit = [a for a in await rows(bot, AuditLog) if a.action == "discount"]
    assert len(audit) == 2 and "recorded: order TB2026-0001 29.99 yuan" in audit[0].detail


async def test_over_the_limit_a_supervisor_approves(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    asked = await bot.reply(CAROL, "/discount TB9 30.01 regular buyer, price matched")
    assert "30.01 yuan, over the 30 yuan limit: it went to the supervisors" in asked
    card = bot.fake.texts(BOB.id)[-1]
    assert "Discount to approve #1 from Carol: order TB9, 30.01 yuan" in card
    assert "regular buyer, price matched" in card
    approve, deny = decisions(bot, BOB.id)
    assert "Only supervisors decide discounts" in await bot.press(CAROL, approve)
    assert "Done: discount #1 approved." in await bot.press(BOB, approve)
    assert "already approved by Bob" in await bot.press(ALICE, deny)
    assert "already approved by Bob" in await bot.press(BOB, deny)
    assert "was approved by Bob" in bot.fake.texts(CAROL.id)[-1]
    edits = [c for c in bot.fake.calls if c.method == "editMessageReplyMarkup"]
    (button,) = edits[-1].params["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "Approved by Bob"
    (row,) = await rows(bot, Discount)
    assert (row.status, row.decided_by) == ("approved", BOB.id)
    audit = [a.detail for a in await rows(bot, AuditLog) if a.action == "discount"]
    assert audit[-1] == "#1 approved"


async def test_denied_discounts_do_not_count(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    await bot.send(CAROL, "/discount TB1 25 scratched")
    await bot.send(CAROL, "/discount TB2 80 wanted more")
    assert "Done: discount #2 denied." in await bot.press(ALICE, decisions(bot, ALICE.id)[1])
    assert "was denied by Alice" in bot.fake.texts(CAROL.id)[-1]
    await bot.send(CAROL, "/discount TB3 45.50 loyal buyer")  # still pending
    card = await bot.reply(CAROL, "/myscore")
    assert "Discounts this month" in card
    assert "Given: 1 discount, 25.00 yuan" in card
    assert "Waiting for approval: 1 discount, 45.50 yuan" in card
    await bot.press(BOB, decisions(bot, BOB.id)[0])  # TB3 approved
    assert "Given: 2 discounts, 70.50 yuan" in await bot.reply(CAROL, "/myscore")
    scored = await bot.reply(BOB, "/score @carol_cs")
    assert "Given: 2 discounts, 70.50 yuan" in scored
    assert "Discounts this month" not in await bot.reply(
        BOB, f"/score {DAVE.first_name}", mentions=[DAVE]
    )


async def test_in_the_group_no_yuan_is_shown(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    typed = command("discount", in_group=True) + " TB77 45 damaged"
    said = await bot.reply(CAROL, typed, group=TEAM_GROUP)
    assert "discount #1 is recorded; the details are in your private chat" in said
    assert "45" not in said and "TB77" not in said
    assert "45.00 yuan, over the 30 yuan limit" in bot.fake.texts(CAROL.id)[-1]
    assert all("45" not in text for text in bot.fake.texts(TEAM_GROUP.id))
    assert "Discount to approve #1" in bot.fake.texts(BOB.id)[-1]


async def test_bad_discounts_are_answered_and_change_nothing(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    for typed, why in (
        ("/discount TB1 -5 x", "is not an amount"),
        ("/discount TB1 0 x", "is not an amount"),
        ("/discount TB1 abc x", "is not an amount"),
        ("/discount TB1 1.005 x", "is not an amount"),
        ("/discount TB1 5", "Usage: /discount"),
        ("/discount TB1 5 \u200b", "Usage: /discount"),
        ("/discount", "Usage: /discount"),
        ("/discount TB#1 5 x", "is not an order number"),
        ("/discount " + "9" * 41 + " 5 x", "is not an order number"),
        ("/discount 13812345678 5 x", "looks like a phone number"),
        ("/discount TB1 5 buyer 13812345678 asked", "looks like a phone number"),
    ):
        assert why in await bot.reply(CAROL, typed), typed
    assert "Usage: /discount" in await bot.reply(CAROL, "/discount TB1 -5 x")
    assert "Only enrolled agents" in await bot.reply(BOB, "/discount TB1 5 x")
    assert not await rows(bot, Discount)
    assert "There is no discount #99" in await bot.press(BOB, "discount:99:approved")
    assert "no longer valid" in await bot.press(BOB, "discount:1:maybe")


async def test_the_export_has_the_discounts_and_problems(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    await bot.send(CAROL, "/discount TB1 12.50 scratched")
    await bot.send(CAROL, "/problem the return address in the template is old")
    await bot.send(BOB, "/answer 1 fixed, thanks")
    await bot.send(BOB, "/export 2026-11")
    (document,) = bot.fake.sent(BOB.id, method="sendDocument")
    book = load_workbook(io.BytesIO(document.params["document"][1]))
    header, *found = list(book["discounts"].values)
    assert header[:7] == ("id", "agent_id", "name", "order_no", "yuan", "reason", "status")
    assert found == [
        (
            1,
            CAROL.id,
            "Carol",
            "TB1",
            12.5,
            "scratched",
            "recorded",
            dt.datetime(2026, 11, 23, 10),
            None,
            None,
        )
    ]
    header, *found = list(book["problems"].values)
    assert header[:5] == ("id", "agent_id", "name", "week", "text")
    (problem,) = found
    assert problem[:5] == (
        1,
        CAROL.id,
        "Carol",
        "2026-11-23",
        "the return address in the template is old",
    )
    assert problem[6:8] == ("fixed, thanks", BOB.id)


async def test_the_weekly_problem_review_and_its_answers(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(20, 16, 0))  # the Friday before, in time for that week's review
    await bot.send(CAROL, "/problem an old one, reviewed last week")
    clock.move_to(nov(23, 10, 0))
    assert "Problem #2 noted for the week of 2026-11-23" in await bot.reply(
        CAROL, "/problem buyers ask about <b>invoices</b> a lot"
    )
    await bot.send(DAVE, "/problem idea: a canned reply for late parcels")
    await bot.send(CAROL, "/problem refunds take too long to approve")
    clock.move_to(nov(27, 17, 0))
    await run_job(bot, "problem-review")
    cards = [t for t in bot.fake.texts(BOB.id) if "Problems of the week" in t]
    carol, dave = cards  # a card per agent, in the order they first noted one
    assert "from Carol" in carol and "#2 buyers ask about <b>invoices</b> a lot" in carol
    assert "#4 refunds take too long" in carol and "an old one" not in carol
    assert "from Dave" in dave and "#3 idea: a canned reply" in dave
    answers = [b for b in bot.buttons(BOB.id) if b.startswith("problem:")]
    assert answers[-3:] == ["problem:2", "problem:4", "problem:3"]
    labels = [
        button["text"]
        for call in bot.fake.sent(BOB.id)
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
    ]
    assert labels[-3:] == ["✍ Answer #2", "✍ Answer #4", "✍ Answer #3"]
    # Once per week: a second run sends nothing.
    before = len(bot.fake.texts(BOB.id))
    await run_job(bot, "problem-review")
    assert len(bot.fake.texts(BOB.id)) == before

    assert "Only supervisors decide the problem log" in await bot.press(CAROL, "problem:2")
    assert "how to answer it is in your private chat" in await bot.press(BOB, "problem:2")
    assert "To answer, send /answer 2 your answer" in bot.fake.texts(BOB.id)[-1]
    sent = await bot.reply(BOB, "/answer 2 we will add an invoice FAQ")
    assert "Your answer to problem #2 goes to Carol" in sent
    told = bot.fake.texts(CAROL.id)[-1]
    assert "Bob answered your problem #2" in told and "we will add an invoice FAQ" in told
    assert "already answered by Bob" in await bot.reply(ALICE, "/answer 2 another answer")
    assert "already answered by Bob" in await bot.press(ALICE, "problem:2")
    (row,) = [p for p in await rows(bot, Problem) if p.id == 2]
    assert (row.answer, row.answered_by) == ("we will add an invoice FAQ", BOB.id)
    audit = [a for a in await rows(bot, AuditLog) if a.action == "problem-answer"]
    assert [(a.actor_id, a.subject_id) for a in audit] == [(BOB.id, CAROL.id)]

    # /problems: the open ones, oldest first, by agent.
    listing = await bot.reply(BOB, "/problems")
    assert "Open problems (3)" in listing
    assert listing.index("#1 ") < listing.index("#4 ") < listing.index("Dave")
    assert "#2 " not in listing
    assert "Only supervisors" in await bot.reply(CAROL, "/problems")


async def test_bad_problems_and_answers_change_nothing(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    for person, typed, why in (
        (CAROL, "/problem", "Usage: /problem"),
        (CAROL, "/problem \u200b\u2060", "Usage: /problem"),
        (CAROL, "/problem buyer 13912345678 keeps calling", "looks like a phone number"),
        (BOB, "/problem x", "Only enrolled agents"),
        (BOB, "/answer 9 hello", "There is no problem #9"),
        (BOB, "/answer x hello", "Usage: /answer"),
        (BOB, "/answer 9", "Usage: /answer"),
        (BOB, "/problems now", "Usage: /problems"),
        (CAROL, "/answer 1 hello", "Only supervisors"),
    ):
        assert why in await bot.reply(person, typed), typed
    assert not await rows(bot, Problem)
    await bot.send(CAROL, "/problem slow refunds")
    assert "looks like a phone number" in await bot.reply(BOB, "/answer 1 call 13912345678")
    assert "Usage: /answer" in await bot.reply(BOB, "/answer 1 \u200b")
    (row,) = await rows(bot, Problem)
    assert row.answer is None
    assert "No open problems" not in await bot.reply(BOB, "/problems")
    assert "no longer valid" in await bot.press(BOB, "problem:x")
    assert "There is no problem #7" in await bot.press(BOB, "problem:7")
