"""A payslip an agent can rebuild [issue 14.5], end to end: what each line says and why,
protected content, the "Received" button, and who has not confirmed.

November 2026, every figure computed by hand under the default policy:

Carol (presale junior, hired 2025-06-01: year 2, minimum 2330) comes in 12 minutes
late once, is fined unrelated-browsing (−2, 10 yuan), customer-complaint (−10, 30
yuan) and sleeping-on-duty (−10): 80 − 22 = 58, counted as −20 points. One day of
figures: 12 000 yuan of sales (target 120% → 100 × 4%), conversion 50% (100 × 5%),
order success 96% (100 × 5%), order value 250 yuan (100 × 4%), reply 99% (100 × 8%),
response 20 s (100 × 22%), follow-up no data (its 22% shared out), execution 58 ×
30%: 65.40 ÷ 78% = 83.846… → 83.85. Pay: 2500 + full attendance 0 (late once) + 400 +
performance 300 × 83.85% = 251.55 + commission 1% of 12 000 = 120 − 200 (points) −
40 (fines) = 3031.55, then the one-off +200: 3231.55.

Dave (aftersales mid, enrolled this month: his first month) has one QA check of 85:
(80 × 20% + 100 × 20% + 80 × 30%) ÷ 70% = 85.71; no day worked, no full attendance;
aftersales has no commission line: 2700 + 400 = 3100.00.

Eve (presale junior, hired 2026-11-01 on 3 months' probation) works one day on time
and sells 8 000 yuan: (70 × 4% + 60 × 5% + 100 × 5% + 100 × 4% + 100 × 8% + 100 × 22%
+ 80 × 30%) ÷ 78% = 68.80 ÷ 0.78 = 88.21. Pay: 2500 − 500 (probation) + 100 + 400;
no performance bonus in the first month, no commission on probation: 2500.00.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import time_machine
from openpyxl import load_workbook

from bot.texts import Texts
from storage.models import DailyMetric, Payslip
from tests.conftest import SHANGHAI
from tests.support.fakebot import Call, parse_html
from tests.support.harness import BOB, CAROL, DAVE, EVE, Harness
from tests.support.jobs import run_job
from tests.support.months import at, payslips
from tests.support.team import make_team, rows


def metrics(person: Any, day: int, sales_fen: int, orders: int, payers: int) -> DailyMetric:
    return DailyMetric(
        person_id=person.id,
        day=dt.date(2026, 11, day),
        consults=100,
        orders=orders,
        payers=payers,
        sales_fen=sales_fen,
        reply_rate_bp=9900,
        avg_response_ms=20000,
        imported_at=at(day, month=11),
    )


async def a_month(bot: Harness, clock: time_machine.Coordinates) -> None:
    """November as the module's docstring tells it."""
    await make_team(bot)
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior presale")
    await bot.send(BOB, "/shift @eve day")
    await bot.send(BOB, "/hire @carol_cs 2025-06-01")
    await bot.send(BOB, "/hire @eve 2026-11-01 3")
    clock.move_to(at(23, 9, 12, month=11))
    await bot.send(CAROL, "/clockin")  # 12 minutes late
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing")  # #1
    await bot.send(BOB, "/fine @carol_cs customer-complaint")  # #2
    await bot.send(BOB, "/fine @carol_cs sleeping-on-duty")  # #3
    await bot.send(BOB, "/oneoff @carol_cs 200 top seller")
    await bot.send(BOB, f"/qa {DAVE.first_name} 85", mentions=[DAVE])
    kit = bot.app.bot_data["kit"]
    await kit.db.run(
        lambda session: session.add_all(
            [metrics(CAROL, 20, 1_200_000, 50, 48), metrics(EVE, 21, 800_000, 40, 40)]
        )
    )
    clock.move_to(at(23, 18, 0, month=11))
    await bot.send(CAROL, "/clockout")
    clock.move_to(at(24, 8, 55, month=11))
    await bot.send(EVE, "/clockin")
    clock.move_to(at(24, 18, 0, month=11))
    await bot.send(EVE, "/clockout")


def body(text: str) -> list[str]:
    """A payslip's lines from the headline to the total."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Base pay"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Total"))
    return [line for line in lines[start:end] if line]


def protected(calls: list[Call]) -> list[bool]:
    """Whether each call asked for protected content (no forwarding or saving)."""
    return [call.params.get("protect_content") in (True, "true") for call in calls]


async def test_a_payslip_says_why_each_amount_and_its_agent_confirms_it(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await a_month(bot, clock)
    kit = bot.app.bot_data["kit"]

    # The 5th: the drafts (text and chart) go as protected content, the KPI sum shown.
    clock.move_to(at(5))
    await run_job(bot, "month-draft")
    draft = bot.fake.texts(CAROL.id)[-1]
    assert "Score: 65.40 ÷ 78% (the weight of the KPIs with data) = 83.85" in draft
    assert protected(bot.fake.sent(CAROL.id)[-1:]) == [True]
    assert protected(bot.fake.sent(CAROL.id, method="sendPhoto")) == [True]
    assert protected(bot.fake.sent(BOB.id)[-1:]) == [True]  # the team's preview, too

    # The 10th: locked. The 15th: every payslip by DM, protected, with "Received".
    clock.move_to(at(10))
    await run_job(bot, "month-lock")
    clock.move_to(at(15))
    await run_job(bot, "month-pay")
    (carol,) = payslips(bot, CAROL)
    assert body(carol) == [
        "Base pay (junior): 2500.00",
        "Full attendance (not earned: late once): 0.00",
        "Phone allowance: 100.00",
        "Transport allowance: 100.00",
        "Meals allowance: 200.00",
        "Performance bonus (300 × 83.85%): 251.55",
        "Commission (1% of 12000.00 sales): 120.00",
        "Daily assessment (-22 points, counted as -20 × 10): -200.00",
        "Cash fines (2 entries): -40.00",
        "   · 2026-11-23 Unrelated web browsing at work: -10.00",
        "   · 2026-11-23 Quarrel with a shopper (valid complaint): -30.00",
        "One-off (top seller): 200.00",
    ]
    assert "Total: 3231.55 yuan" in carol
    assert "Rounding: the KPI score is rounded to two decimals and the bonus" in carol
    (dave,) = payslips(bot, DAVE)
    assert "Total: 3100.00 yuan" in dave and "Commission" not in dave  # aftersales: no sales
    assert "Full attendance (not earned: no day worked): 0.00" in dave
    (eve,) = payslips(bot, EVE)
    assert "Commission (none on probation): 0.00" in eve
    assert "Performance bonus (none in the first month): 0.00" in eve
    assert "Full attendance: 100.00" in eve and "Total: 2500.00 yuan" in eve
    sent = [c for c in bot.fake.calls if c.method == "sendMessage" and "💰" in c.params["text"]]
    assert len(sent) == 3 and protected(sent) == [True, True, True]
    received = {}
    for person in (CAROL, DAVE, EVE):
        (data,) = [d for d in bot.buttons(person.id) if d.startswith("received:")]
        received[person.id] = data
    report = bot.fake.texts(BOB.id)[-1]  # the 15th's report to every supervisor
    assert "Payslips 2026-11: sent 3 · failed 0 · left 0" in report
    assert 'Not confirmed yet ("Received" not pressed): Carol @carol_cs, Dave' in report
    assert report.endswith("Eve 😀 @eve.")

    # Only Carol confirms Carol's payslip; the button then says when, and does nothing.
    refused = await bot.press(BOB, received[CAROL.id])
    assert refused == "Only the agent this payslip belongs to can confirm it."
    assert await bot.press(CAROL, "received:999999") == "This button is no longer valid."
    assert [row.received_at for row in await rows(bot, Payslip)] == [None, None, None]
    clock.move_to(at(15, 10, 5))
    assert await bot.press(CAROL, received[CAROL.id]) == (
        "Thank you: your payslip for 2026-11 is marked as received."
    )
    (edit,) = [c for c in bot.fake.calls if c.method == "editMessageReplyMarkup"]
    (button,) = edit.params["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "✓ Received 2026-12-15 10:05"
    clock.move_to(at(16))
    again = await bot.press(CAROL, button["callback_data"])
    assert again == "You confirmed your payslip for 2026-11 on 2026-12-15 10:05."
    assert len([c for c in bot.fake.calls if c.method == "editMessageReplyMarkup"]) == 1
    stored = {row.person_id: row.received_at for row in await rows(bot, Payslip)}
    assert stored == {CAROL.id: at(15, 10, 5), DAVE.id: None, EVE.id: None}

    # The month's report and the preview name who has not confirmed, and only them.
    unconfirmed = (
        'Not confirmed yet ("Received" not pressed): Dave <b>&amp; Wu & Sons, Eve 😀 @eve.'
    )
    preview = await bot.reply(BOB, "/payroll 2026-11")
    assert "Carol @carol_cs: KPI 83.85 (B) · 3231.55 yuan · received ✓" in preview
    assert unconfirmed in preview and protected(bot.fake.sent(BOB.id)[-1:]) == [True]
    report = await bot.reply(BOB, "/payroll 2026-11 send")
    assert "already sent" in report and "✅ Done.\n" + unconfirmed in report

    # Asked again, the payslip is protected too; it carries "Received" until pressed.
    detail = await bot.reply(CAROL, "/payslip 2026-11 detail")
    assert protected(bot.fake.sent(CAROL.id)[-1:]) == [True]
    assert "reply_markup" not in bot.fake.sent(CAROL.id)[-1].params  # confirmed already
    await bot.send(EVE, "/payslip 2026-11")
    assert bot.buttons(EVE.id).count(received[EVE.id]) == 2 and protected(
        bot.fake.sent(EVE.id)[-1:]
    ) == [True]

    # The detail: the records behind each line (a one-off in yuan, not its record
    # number), each KPI in its unit with its band points and weight, the shared-out weight.
    behind = detail.split("Behind each line\n")[1].split("\n\nPolicy version")[0].split("\n")
    assert behind == [
        "Daily assessment (-22 points, counted as -20 × 10): pay moves 10 a point away from"
        " 80, within ±20 points; entries #1, #2, #3",
        "Cash fines (2 entries): #1, #2",
        "One-off (top seller): 200.00 yuan",
        "",
        "KPIs",
        "Target completion: 120.0% → 100 points × 4% = 4.00",
        "Consult conversion: 50.0% → 100 points × 5% = 5.00",
        "Order success: 96.0% → 100 points × 5% = 5.00",
        "Average order value (yuan): 250.00 yuan → 100 points × 4% = 4.00",
        "IM reply rate: 99.0% → 100 points × 8% = 8.00",
        "IM response time (s): 20.0 s → 100 points × 22% = 22.00",
        "Follow-up service (yuan): no data, its 22% weight shared out among the others",
        "Execution (daily assessment): 58 → 58 points × 30% = 17.40",
        "Score: 65.40 ÷ 78% (the weight of the KPIs with data) = 83.85",
    ]
    assert "+1" not in detail

    # Scorecards asked for are protected as well.
    await bot.send(CAROL, "/myscore 2026-11")
    await bot.send(BOB, "/score @carol_cs 2026-11")
    assert protected([bot.fake.sent(CAROL.id)[-1], bot.fake.sent(BOB.id)[-1]]) == [True, True]

    # The export: when each agent pressed "Received" (team time), empty for the others.
    await bot.send(BOB, "/export 2026-11")
    (document,) = bot.fake.sent(BOB.id, method="sendDocument")
    book = load_workbook(io.BytesIO(document.params["document"][1]))
    header, *agents = list(book["payroll"].values)
    column = header.index("received_at")
    assert [row[column] for row in agents] == [dt.datetime(2026, 12, 15, 10, 5), None, None]
    assert [row[1] for row in agents] == ["Carol", f"{DAVE.first_name} {DAVE.last_name}", "Eve 😀"]

    # The same payslip in Chinese.
    who = await kit.people.get(CAROL.id)
    card = await kit.payroll.card(who, "2026-11")
    chinese = parse_html(Texts("zh", SHANGHAI).render("payslip_dm", c=card, detail=True))
    for line in (
        "基本工资(初级):2500.00",
        "全勤奖(未获得:迟到 1 次):0.00",
        "提成(销售额 12000.00 的 1%):120.00",
        "日常考核(较基准 80 分 -22 分,按 -20 分计,每分 10 元):-200.00",
        "罚款(2 条):-40.00",
        "   · 2026-11-23 工作时间浏览无关网页:-10.00",
        "   · 2026-11-23 与客户争执、态度恶劣(有效投诉):-30.00",
        "一次性奖励(top seller):200.00 元",
        "协助跟进服务(元):无数据,其 22% 权重分摊给其他指标",
        "得分:65.40 ÷ 78%(有数据指标的权重)= 83.85",
        "合计:3231.55 元",
    ):
        assert line in chinese.split("\n"), line
    assert "取整:KPI 得分保留两位小数" in chinese
