"""A tour of the Mini App [issue 18]: every page a supervisor and an agent open, in a
real browser, in English and in Chinese, each checked for what a person would look at
first. With KEFU_SCREENSHOTS=docs/webapp the tour also refreshes the README's pictures.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import time_machine

from tests.conftest import PUBLIC_URL, make_settings, started, stopped
from tests.support.browser import Browser, browsing
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import BOB, CAROL, Harness
from tests.support.jobs import run_job
from tests.support.months import at, november
from tests.support.morning import a_morning
from tests.support.webapp import Web, serving

Dash = tuple[Harness, Web]


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    """Where the tour's screenshots go: KEFU_SCREENSHOTS (the docs), else a temporary folder."""
    return Path(os.environ.get("KEFU_SCREENSHOTS") or tmp_path)


@pytest.fixture
async def dash_zh(
    fake: FakeBotAPI, database_url: str, clock: time_machine.Coordinates
) -> AsyncIterator[Dash]:
    """The bot with its Mini App for a Chinese-speaking team."""
    settings = make_settings(
        fake,
        database_url,
        kefu_language="zh",
        kefu_public_url=PUBLIC_URL,
        kefu_webhook_listen="127.0.0.1:0",
    )
    app = await started(settings)
    async with serving(app) as server:
        yield Harness(fake, app), server
    await stopped(app)


async def visit(browser: Browser, folder: Path, name: str, needle: str) -> str:
    """Wait for `needle` on the page, keep a picture of it as `name`.png; the page's text."""
    text = await browser.wait_text(needle)
    await browser.screenshot(folder / f"{name}.png")
    return text


async def test_a_supervisors_morning_and_an_agents_month(
    dash: Dash, clock: time_machine.Coordinates, pictures: Path
) -> None:
    bot, web = dash
    await a_morning(bot, clock)
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing tabs open")
    await bot.send(BOB, "/bonus @carol_cs customer-praise")
    async with browsing(web) as browser:
        await browser.open(BOB, "#board")
        tabs = await browser.text("#tabs")
        assert tabs.split() == ["Today", "Ledger", "KPIs", "Payroll", "Calendar"]
        board = await visit(browser, pictures, "board", "Expected, not yet in (1)")
        assert "Late today (1)" in board and "On break (1)" in board
        ledger = await browser_page(browser, BOB, "#ledger", pictures, "ledger", "2 entries")
        assert "Unrelated web browsing at work" in ledger and "¥10.00" in ledger
        await browser.open(BOB, f"#calendar?agent={CAROL.id}&month=2026-11")
        calendar = await visit(browser, pictures, "calendar", "Carol · 2026-11")
        assert "on time 1" in calendar
        await browser.open(CAROL, "#month", dark=True)
        assert (await browser.text("#tabs")).split() == [
            "My",
            "month",
            "KPIs",
            "Payslips",
            "Calendar",
            "My",
            "roster",
        ]
        month = await visit(browser, pictures, "month", "Appeal")
        assert "Unrelated web browsing at work" in month
        await browser.open(CAROL, "#roster", dark=True)
        roster = await visit(browser, pictures, "roster", "23 Mon")
        assert "23 Mon\nday shift 09:00–18:00\ntoday" in roster


async def browser_page(
    browser: Browser, person: object, path: str, folder: Path, name: str, needle: str
) -> str:
    await browser.open(person, path)  # type: ignore[arg-type]
    return await visit(browser, folder, name, needle)


async def test_a_locked_month_in_chinese(
    dash_zh: Dash, clock: time_machine.Coordinates, pictures: Path
) -> None:
    bot, web = dash_zh
    await november(bot, clock)
    clock.move_to(at(10))
    await run_job(bot, "month-lock")
    async with browsing(web) as browser:
        await browser.open(BOB, "#payroll?month=2026-11")
        assert (await browser.text("#tabs")).split() == ["今日", "台账", "KPI", "工资", "考勤日历"]
        payroll = await visit(browser, pictures, "payroll-zh", "¥6,562.31")
        assert "Carol" in payroll
        await browser.open(BOB, "#kpis")
        await browser.fill("#kpi-agent", str(CAROL.id))
        await browser.wait_text("咨询转化率", "#kpi-charts")
        await browser.screenshot(pictures / "kpis-zh.png")
        await browser.open(CAROL, "#payslips?month=2026-11")
        slip = await visit(browser, pictures, "payslip-zh", "¥3,462.31")
        assert "2026-11" in slip and "工资条" in slip
