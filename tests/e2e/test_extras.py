"""Public sales and the shared commission, exams, the annual review — end to end
[issue 15, parts 5–7; 000 第10条, 第十一条; 004]."""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from openpyxl import load_workbook

from storage.models import AuditLog, Exam, Payslip
from tests.conftest import SHANGHAI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness
from tests.support.jobs import run_job
from tests.support.team import make_team, rows


def when(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def line_of(text: str, start: str) -> str:
    (found,) = [line for line in text.split("\n") if line.startswith(start)]
    return found


def csv(lines: list[str]) -> bytes:
    return "\n".join(["日期,客服,销售额", *lines]).encode()


async def test_public_sales_set_replaced_and_refused(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    first = await bot.reply(BOB, "/publicsales 2026-11 120000")
    assert "Public sales for 2026-11: 120 000.00 yuan." in first
    assert "replacing" not in first
    again = await bot.reply(BOB, "/publicsales 2026-11 90000.50")
    assert "Public sales for 2026-11: 90 000.50 yuan (replacing 120 000.00 yuan)." in again
    (audit,) = [row for row in await rows(bot, AuditLog) if row.action == "publicsales"][1:]
    assert audit.detail == "2026-11 120000.00 -> 90000.50"

    # Carol's draft: 90 000.50 × 0.5% ÷ 2 agents = 225.00125 → 225.00.
    payslip = await bot.reply(CAROL, "/payslip 2026-11")
    assert "Shared commission (public sales 90 000.50 × 0.5% ÷ 2 agents): 225.00" in payslip
    assert "Shared commission" in await bot.reply(DAVE, "/payslip 2026-11")

    for typed, why in (
        ("/publicsales 2026-12 100", "2026-12 has not begun yet"),
        ("/publicsales 2026-11 -5", "<code>-5</code> is not an amount"),
        ("/publicsales 2026-11 lots", "<code>lots</code> is not an amount"),
        ("/publicsales 2026-11", "Usage: /publicsales <YYYY-MM> <yuan>"),
    ):
        assert why.replace("<code>", "").replace("</code>", "") in await bot.reply(BOB, typed)
    in_group = await bot.reply(BOB, "/publicsales 2026-11 1", group=TEAM_GROUP)
    assert "Please send that to me in a private chat." in in_group
    assert "Only supervisors can do that." in await bot.reply(CAROL, "/publicsales 2026-11 1")
    assert "90 000.50" in await bot.reply(BOB, "/publicsales 2026-11 90000.50")

    # A locked month keeps its figure.
    clock.move_to(when(2026, 12, 10))
    await run_job(bot, "month-lock")
    assert "2026-11 is locked" in await bot.reply(BOB, "/publicsales 2026-11 1")
    locked = await bot.reply(CAROL, "/payslip 2026-11")
    assert "Shared commission (public sales 90 000.50 × 0.5% ÷ 2 agents): 225.00" in locked


async def test_shop_rows_of_an_import_are_the_months_public_sales(bot: Harness) -> None:
    await make_team(bot)
    (answer,) = await bot.send_file(
        BOB, "shop.csv", csv(["2026-11-20,shop,1000", "2026-11-21,全店,2000.50"])
    )
    assert "The shop's public sales: 2026-11-20 1000.00 yuan, 2026-11-21 2000.50 yuan." in answer
    # Days summed: 3 000.50 × 0.5% ÷ 2 = 7.50125 → 7.50.
    payslip = await bot.reply(CAROL, "/payslip 2026-11")
    assert "Shared commission (public sales 3 000.50 × 0.5% ÷ 2 agents): 7.50" in payslip

    # A row for the whole month is the month's figure (its days no longer add up).
    (answer,) = await bot.send_file(BOB, "month.csv", csv(["2026-11,店铺,10000"]))
    assert "The shop's public sales: 2026-11 10000.00 yuan." in answer
    payslip = await bot.reply(CAROL, "/payslip 2026-11")
    assert "Shared commission (public sales 10 000.00 × 0.5% ÷ 2 agents): 25.00" in payslip
    typed = await bot.reply(BOB, "/publicsales 2026-11 20000")
    assert "(replacing 10 000.00 yuan)" in typed
    await bot.send(BOB, "/export 2026-11")
    (sent,) = bot.fake.sent(BOB.id, method="sendDocument")
    book = load_workbook(io.BytesIO(sent.params["document"][1]))
    assert [row[:3] for row in list(book["public_sales"].values)[1:]] == [
        ("2026-11", 20000, None),  # typed with /publicsales
        ("2026-11-20", 1000.0, "shop.csv"),
        ("2026-11-21", 2000.5, "shop.csv"),
    ]

    # A shop row must carry sales; a month not begun is in the future.
    (refused,) = await bot.send_file(BOB, "bad.csv", csv(["2026-11-22,shop,", "2026-12,shop,5"]))
    assert "Row 2, 销售额: a shop row without sales" in refused
    assert "Row 3, 日期: 2026-12 is in the future" in refused


async def test_no_figure_for_the_month_no_line(bot: Harness) -> None:
    await make_team(bot)
    assert "Shared commission" not in await bot.reply(CAROL, "/payslip 2026-11")


async def test_exam_results_reach_the_ledger_the_agent_and_myscore(bot: Harness) -> None:
    await make_team(bot)
    failed = await bot.reply(BOB, "/exam @carol_cs product 55")
    assert "Exam #1 for Carol: product knowledge, 55 of 100. Logged #1: -5 points." in failed
    carol = bot.fake.texts(CAROL.id)
    assert any("#1 Exam score under 60: -5 points, from Bob" in text for text in carol)
    assert any("Your product knowledge exam this month: 55 of 100." in t for t in carol)
    assert any("Exam score under 60" in text for text in bot.fake.texts(TEAM_GROUP.id))

    full = await bot.reply(BOB, "/exam @carol_cs 平台规则 １００")  # full-width digits
    assert "platform rules, 100 of 100. Logged #2: +5 points." in full
    assert any("#2 Full marks in the exam: +5 points" in t for t in bot.fake.texts(CAROL.id))

    passed = await bot.reply(BOB, f"/exam {DAVE.first_name} rules 75", mentions=[DAVE])
    assert "platform rules, 75 of 100." in passed and "Logged" not in passed
    assert "Your platform rules exam this month: 75 of 100." in bot.fake.texts(DAVE.id)[-1]

    score = await bot.reply(CAROL, "/myscore")
    assert "Exams this month" in score
    assert "product knowledge: 55 of 100 (#1)" in score
    assert "platform rules: 100 of 100 (#2)" in score
    assert "Exam score under 60 -5" in score and "Full marks in the exam +5" in score

    before = len(await rows(bot, Exam))
    for typed, why in (
        ("/exam @carol_cs product 101", "101"),
        ("/exam @carol_cs product abc", "abc"),
        ("/exam @carol_cs maths 50", "maths is not an exam kind. The kinds: product"),
        ("/exam @carol_cs product 70", "already has a product knowledge exam this month: #1"),
        ("/exam @BobSup product 70", "not an agent"),
        ("/exam @carol_cs product", "Usage: /exam @agent <kind> <score>"),
    ):
        answer = await bot.reply(BOB, typed)
        assert why in answer, (typed, answer)
    assert "with 55" in await bot.reply(BOB, "/exam @carol_cs product 70")
    assert "rules (platform rules)" in await bot.reply(BOB, "/exam @carol_cs maths 50")
    assert len(await rows(bot, Exam)) == before

    # The export's exams sheet: every result of the month, with the entry it logged.
    await bot.send(BOB, "/export 2026-11")
    (sent,) = bot.fake.sent(BOB.id, method="sendDocument")
    book = load_workbook(io.BytesIO(sent.params["document"][1]))
    header, *exams = list(book["exams"].values)
    assert header[:6] == ("id", "agent_id", "name", "kind", "score", "entry")
    assert [row[3:6] for row in exams] == [
        ("product", 55, "#1"),
        ("rules", 100, "#2"),
        ("rules", 75, None),
    ]

    # In the group, the score stays private.
    shown = await bot.reply(
        BOB, f"/exam {DAVE.first_name} product 90", group=TEAM_GROUP, mentions=[DAVE]
    )
    assert "the score stays private" in shown and "90" not in shown


async def test_the_annual_review_on_10_january(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    kit = bot.app.bot_data["kit"]

    # January to November 2026 as locked months: Carol at 92 every month, Dave in
    # eight of them only (at 85). December is locked by the review's own run.
    def history(session: object) -> None:
        for month in range(1, 12):
            for person, score in ((CAROL.id, 9200), (DAVE.id, 8500)):
                if person == DAVE.id and month > 8:
                    continue
                session.add(  # type: ignore[attr-defined]
                    Payslip(
                        month=f"2026-{month:02d}",
                        person_id=person,
                        card="{}",
                        total_fen=0,
                        policy_version="test",
                        created_at=when(2026, month, 10),
                        rank=1,
                        score_cents=score,
                        points_lost=0,
                    )
                )

    await kit.db.run(history)
    clock.move_to(when(2027, 1, 10))
    await run_job(bot, "annual-review")
    preview = bot.fake.texts(BOB.id)[-1]
    assert "Annual review 2026 — draft" in preview
    # Carol: 11 × 92 + December's 80 (the daily assessment, no figures) = 1092 / 12 = 91.
    assert "Carol: excellent (mean 91 over 12 months) → +10% performance pay" in preview
    assert "not assessed: 9 months scored, fewer than 10" in preview
    assert not any("Annual review" in t for t in bot.fake.texts(CAROL.id))
    (data,) = [d for d in bot.buttons(BOB.id) if d.startswith("review:")]
    assert data == "review:2026"
    sent = [c for c in bot.fake.sent(BOB.id) if "Annual review" in c.params["text"]]
    assert sent[-1].params.get("protect_content") in (True, "true")

    # Running again (a restart, a replica) posts nothing twice.
    await run_job(bot, "annual-review")
    assert len([t for t in bot.fake.texts(BOB.id) if "Annual review 2026" in t]) == 1

    clock.move_to(when(2027, 1, 10, 11))
    assert "Only supervisors decide annual reviews" in await bot.press(CAROL, data)
    answer = await bot.press(BOB, data)
    assert "Annual review 2026 confirmed: 2 agents told by DM." in answer
    carol = bot.fake.texts(CAROL.id)[-1]
    assert "Your annual review 2026" in carol and "Grade: excellent" in carol
    assert "Your performance pay in 2027: +10%." in carol
    assert "Not assessed: 9 months of 2026 had a scorecard" in bot.fake.texts(DAVE.id)[-1]
    again = await bot.press(ALICE, data)
    assert "already confirmed by Bob" in again and "2027-01-10 11:00" in again
    assert len([t for t in bot.fake.texts(CAROL.id) if "Your annual review" in t]) == 1
    assert any(row.action == "review-confirm" for row in await rows(bot, AuditLog))
    shown = await bot.reply(BOB, "/review")
    assert "Confirmed by Bob" in shown and "draft" not in shown

    # January's payslip: 300 × 80% = 240.00, and the review's +10% = 24.00.
    clock.move_to(when(2027, 1, 20))
    january = await bot.reply(CAROL, "/payslip 2027-01")
    assert "Performance bonus (300 × 80.00%): 240.00" in january
    assert "Annual review 2026: excellent, +10% of performance pay 240.00: 24.00" in january
    assert "Annual review" not in await bot.reply(DAVE, "/payslip 2027-01")
    assert "Annual review" not in await bot.reply(CAROL, "/payslip 2026-12")

    for typed, why in (("/review 2027", "2027 is not over yet"), ("/review 20x", "Usage")):
        assert why in await bot.reply(BOB, typed)
