"""The Mini App's payroll and payslips [issue 18], over real HTTP: the figures `/payroll`
and the payslip DM show, each line in the payslip's own words, and pay for its own
people only (never in a URL or the log).

The month is November 2026 of tests/support/months.py: Carol works, sells and is fined
twice; Dave has a QA check. It is previewed on 3 December, locked on the 10th
(`month-lock`), and its payslips go out on the 15th (`month-pay`)."""

from __future__ import annotations

import logging
import re

import pytest
import time_machine

from bot.services.paysheets import Paysheets
from bot.texts import Texts
from tests.support.harness import ALICE, BOB, CAROL, DAVE, Harness
from tests.support.jobs import run_job
from tests.support.months import at, november, payslips
from tests.support.webapp import Web

Dash = tuple[Harness, Web]


def said(reply: str) -> dict[str, tuple[str, str, str]]:
    """`/payroll`'s reply: each agent's (score, grade, total) by first name, and the
    team's count and total under ""."""
    agents = re.findall(r"^(\w+)[^:\n]*: KPI ([\d.]+) \((\w)\) · ([\d.-]+) yuan", reply, re.M)
    (team,) = re.findall(r"^(\d+) agents · total ([\d.-]+) yuan", reply, re.M)
    return {name: (score, grade, total) for name, score, grade, total in agents} | {
        "": ("", team[0], team[1])
    }


@pytest.fixture
async def december(dash: Dash, clock: time_machine.Coordinates) -> Dash:
    """November worked; 3 December: the month not locked yet."""
    await november(dash[0], clock)
    clock.move_to(at(3))
    return dash


async def test_the_payroll_shows_the_bots_figures_and_explains_each_line(
    december: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = december
    # The draft, computed live, with the figures /payroll shows.
    bot_says = said(await bot.reply(BOB, "/payroll 2026-11"))
    draft = await web.json("payroll", BOB, month="2026-11")
    assert (draft["locked"], draft["locked_at"], draft["sent"]) == (False, None, False)
    assert (
        draft["team"]
        == {"count": 2, "total": bot_says[""][2]}
        == {
            "count": 2,
            "total": "6562.31",
        }
    )
    carol, dave = draft["items"]  # by name
    assert (carol["name"], dave["name"]) == ("Carol", "Dave <b>&amp; Wu & Sons")
    assert (carol["score"], carol["grade"], carol["total"]) == bot_says["Carol"]
    assert (dave["score"], dave["grade"], dave["total"]) == bot_says["Dave"]
    assert carol["headline"] == "KPI score 90.77 · grade A · points to senior · daily assessment 76"

    # Each line in the payslip's words, the fines with their entries.
    lines = {line["code"]: line for line in carol["lines"]}
    assert [(line["label"], line["amount"]) for line in carol["lines"][:2]] == [
        ("Base pay (junior)", "2500.00"),
        ("Full attendance", "100.00"),
    ]
    assert lines["performance"]["label"] == "Performance bonus (300 × 90.77%)"
    assert lines["points"]["label"] == "Daily assessment (76 = -4 points × 10)"
    assert lines["points"]["sources"] == ["#1", "#2"]
    assert (lines["fines"]["label"], lines["fines"]["amount"]) == ("Cash fines (1 entry)", "-10.00")
    assert lines["fines"]["items"] == ["2026-11-23 Unrelated web browsing at work: -10.00"]
    dave_lines = {line["code"]: line["label"] for line in dave["lines"]}
    assert dave_lines["full_attendance"] == "Full attendance (not earned: no day worked)"
    assert dave_lines["performance"] == "Performance bonus (none in the first month)"

    # The 10th: locked; the same figures, from the stored snapshots, and it says so.
    clock.move_to(at(10))
    await run_job(bot, "month-lock")
    locked = await web.json("payroll", ALICE, month="2026-11")
    assert locked["locked"] is True and locked["locked_at"].startswith("2026-12-10T10:00")
    assert locked["policy_version"] and locked["team"] == draft["team"]
    assert [c["total"] for c in locked["items"]] == ["3462.31", "3100.00"]
    assert all(c["locked"] for c in locked["items"])
    assert "locked 2026-12-10 10:00" in await bot.reply(BOB, "/payroll 2026-11")


async def test_the_payroll_pages_its_agents_and_totals_the_whole_team(december: Dash) -> None:
    _, web = december
    first = await web.json("payroll", BOB, month="2026-11", size=1)
    second = await web.json("payroll", BOB, month="2026-11", size=1, page=2)
    assert [c["name"] for c in first["items"]] == ["Carol"]
    assert [c["name"] for c in second["items"]] == ["Dave <b>&amp; Wu & Sons"]
    assert (second["page"], second["pages"], second["total"]) == (2, 2, 2)
    assert first["team"] == second["team"] == {"count": 2, "total": "6562.31"}
    # Without a month: the current one, its draft so far.
    current = await web.json("payroll", BOB)
    assert (current["month"], current["locked"], current["team"]["count"]) == ("2026-12", False, 2)
    assert (await web.get("payroll", BOB, month="2027-01")).status_code == 400


async def test_an_agent_reads_their_payslips_once_locked_and_nobody_elses(
    december: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = december
    assert (await web.get("payroll", CAROL, month="2026-11")).json()["error"] == (
        "supervisors_only"
    )
    # Before the lock, no payslip: the draft is not one.
    assert (await web.json("payslips", CAROL))["items"] == []
    assert (await web.get("payslip", CAROL, month="2026-11")).status_code == 404

    clock.move_to(at(10))
    await run_job(bot, "month-lock")
    clock.move_to(at(15))
    await run_job(bot, "month-pay")
    (dm,) = payslips(bot, CAROL)
    mine = await web.json("payslips", CAROL)
    assert mine["items"] == [{"month": "2026-11", "total": "3462.31", "received_at": None}]
    slip = await web.json("payslip", CAROL, month="2026-11")
    assert f"Total: {slip['total']} yuan" in dm
    for line in slip["lines"]:
        assert f"{line['label']}: {line['amount']}" in dm  # the DM's very words
    assert slip["kpis"][0] == "Target completion: 120.0% → 100 points × 4% = 4.00"
    assert slip["kpi_sum"].startswith("Score: ")
    assert (slip["score"], slip["grade"], slip["received_at"]) == ("90.77", "A", None)

    # Received in the chat: the app says when (team time).
    (button,) = [d for d in bot.buttons(CAROL.id) if d.startswith("received:")]
    clock.move_to(at(15, 10, 5))
    await bot.press(CAROL, button)
    received = (await web.json("payslips", CAROL))["items"][0]["received_at"]
    assert received.startswith("2026-12-15T10:05:00+08:00")

    # Another agent's: 403, whatever is asked; the current month and others: 404.
    for path, query in (("payslips", {}), ("payslip", {"month": "2026-11"})):
        refused = await web.get(path, CAROL, agent=DAVE.id, **query)
        assert (refused.status_code, refused.json()["error"]) == (403, "not_yours")
    for asked in ("2026-12", "2026-10"):
        assert (await web.get("payslip", CAROL, month=asked)).status_code == 404
    assert (await web.get("payslip", CAROL, month="2027-01")).status_code == 400
    assert (await web.get("payslip", CAROL)).status_code == 404  # this month: not yet

    # A supervisor reads any agent's; an unknown agent is 404.
    daves = await web.json("payslips", BOB, agent=DAVE.id)
    assert daves["name"] == "Dave <b>&amp; Wu & Sons" and daves["items"][0]["total"] == "3100.00"
    assert (await web.json("payslip", BOB, agent=DAVE.id, month="2026-11"))["total"] == "3100.00"
    assert (await web.get("payslips", BOB, agent=999)).status_code == 404


async def test_a_demoted_supervisor_loses_the_payroll_at_once(december: Dash) -> None:
    bot, web = december
    assert (await web.get("payroll", BOB, month="2026-11")).status_code == 200
    await bot.send(ALICE, "/demote @BobSup")
    assert (await web.get("payroll", BOB, month="2026-11")).status_code == 403


async def test_no_pay_figure_reaches_the_log(
    december: Dash, clock: time_machine.Coordinates, caplog: pytest.LogCaptureFixture
) -> None:
    bot, web = december
    clock.move_to(at(10))
    await run_job(bot, "month-lock")
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    team = await web.json("payroll", BOB, month="2026-11")
    mine = await web.json("payslips", CAROL)
    slip = await web.json("payslip", CAROL, month="2026-11")
    amounts = {team["team"]["total"], mine["items"][0]["total"], slip["total"]}
    amounts |= {line["amount"] for c in team["items"] for line in c["lines"]}
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "event=web GET /app/api/payslip status=200" in logged
    assert [amount for amount in amounts if amount in logged] == []


async def test_a_chinese_team_reads_the_lines_in_the_chinese_payslips_words(
    december: Dash,
) -> None:
    bot, _ = december
    kit = bot.app.bot_data["kit"]
    sheets = Paysheets(kit.payroll, Texts("zh", kit.policy.tz))
    carol, _ = (await sheets.team("2026-11")).cards
    lines = {line["code"]: line for line in sheets.explained(carol, detail=True)["lines"]}
    assert lines["base"]["label"] == "基本工资(初级)"
    assert lines["fines"]["label"] == "罚款(1 条)"
    assert lines["fines"]["items"] == ["2026-11-23 工作时间浏览无关网页:-10.00"]
