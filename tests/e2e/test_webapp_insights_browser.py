"""The insights pages in a real browser [issue 18]: a supervisor picks Carol and sees her
KPI charts and the team's distribution; an agent sees their attendance month."""

from __future__ import annotations

import time_machine

from tests.support.browser import browsing
from tests.support.harness import BOB, CAROL, Harness
from tests.support.months import november
from tests.support.webapp import Web

Dash = tuple[Harness, Web]


async def test_a_supervisor_picks_carol_and_sees_her_charts_and_the_distribution(
    dash: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = dash
    await november(bot, clock)
    async with browsing(web) as browser:
        await browser.open(BOB, "#kpis")
        await browser.wait_text("The team's distribution")
        await browser.fill("#kpi-agent", str(CAROL.id))
        await browser.wait_text("IM reply rate", "#kpi-charts")
        names = await browser.run(
            "return [...document.querySelectorAll('#kpi-charts .kpi svg title')]"
            ".map((t) => t.textContent)"
        )
        assert "IM reply rate" in names and "Consult conversion" in names
        assert await browser.run("return document.querySelectorAll('#kpi-charts svg').length") >= 6
        text = await browser.wait_text("2 agents", "#distribution")
        assert "A ≥90" in text or "D <60" in text
        bars = await browser.run(
            "return document.querySelectorAll('#distribution rect.bar').length"
        )
        assert bars == 4


async def test_an_agent_sees_their_attendance_month(
    dash: Dash, clock: time_machine.Coordinates
) -> None:
    bot, web = dash
    await november(bot, clock)  # Carol clocked in on time on the 23rd
    async with browsing(web) as browser:
        await browser.open(CAROL, "#calendar", dark=True)
        text = await browser.wait_text("Carol · 2026-11")
        assert "on time 1" in text
        cells = await browser.run("return document.querySelectorAll('#view svg g.cell').length")
        assert cells == 30
        monday = await browser.run(
            "return document.querySelector('#view g.cell[data-day=\"2026-11-23\"]')"
            ".className.baseVal"
        )
        assert monday == "cell on_time"
        assert await browser.run("return document.querySelector('#cal-agent')") is None
