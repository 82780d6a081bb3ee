"""The payroll and payslips pages in a real browser [issue 18]: what a supervisor and an
agent see (headless Chromium on the bot's own server, tests/support/browser.py).

November 2026 of tests/support/months.py, locked on 10 December: Carol 3462.31,
Dave 3100.00, the team 6562.31."""

from __future__ import annotations

import pytest
import time_machine

from tests.support.browser import browsing
from tests.support.harness import BOB, CAROL, Harness
from tests.support.jobs import run_job
from tests.support.months import at, november
from tests.support.webapp import Web

Dash = tuple[Harness, Web]


def flat(text: str) -> str:
    """A page's text on one line (the browser puts its boxes on lines of their own)."""
    return " ".join(text.split())


@pytest.fixture
async def locked(dash: Dash, clock: time_machine.Coordinates) -> Web:
    """November worked and locked on 10 December: the Mini App's server."""
    await november(dash[0], clock)
    clock.move_to(at(10))
    await run_job(dash[0], "month-lock")
    return dash[1]


async def test_a_supervisor_sees_the_payroll_and_opens_an_agents_lines(locked: Web) -> None:
    async with browsing(locked) as browser:
        await browser.open(BOB, "#payroll?month=2026-11", dark=True)
        shown = flat(await browser.wait_text("¥6,562.31"))
        assert "2 agents · total ¥6,562.31 Locked 2026-12-10 10:00" in shown
        assert "Dave <b>&amp; Wu & Sons" in shown and "¥3,100.00" in shown  # text, not HTML
        assert "Cash fines" not in shown  # the lines open on a tap
        await browser.click("details.payagent summary", text="Carol")
        opened = flat(await browser.wait_text("Cash fines (1 entry)"))
        assert "Cash fines (1 entry) −¥10.00 2026-11-23 Unrelated web browsing at work: -10.00" in (
            opened
        )
        assert "Daily assessment (76 = -4 points × 10) −¥40.00 Entries: #1, #2" in opened
        assert "Total ¥3,462.31" in opened


async def test_an_agent_opens_a_payslip_from_their_list(locked: Web) -> None:
    async with browsing(locked) as browser:
        await browser.open(CAROL, "#payslips")
        shown = flat(await browser.wait_text("2026-11"))
        assert "2026-11 ¥3,462.31 not confirmed yet" in shown
        await browser.click("button.payslip-month", text="2026-11")
        slip = flat(await browser.wait_text("Payslip 2026-11"))
        assert "Performance bonus (300 × 90.77%) ¥272.31" in slip
        assert "Total ¥3,462.31" in slip
        assert "press “Received” under the payslip" in slip
        assert await browser.run("return location.hash") == "#payslips?month=2026-11"
        await browser.open(CAROL, "#payroll?month=2026-11")  # not an agent's page
        assert "Payroll" not in await browser.wait_text("Payslips", "#tabs")
