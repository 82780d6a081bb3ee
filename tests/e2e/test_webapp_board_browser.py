"""The board, the ledger and "my month" in a real browser [issue 18]: headless Chromium
on the bot's own server, signed initData through the stand-in for Telegram's script."""

from __future__ import annotations

from typing import Any

from tests.support.browser import Browser, browsing
from tests.support.harness import ALICE, BOB, CAROL, DAVE, Harness
from tests.support.morning import a_morning
from tests.support.team import make_team
from tests.support.webapp import Web

Dash = tuple[Harness, Web]
REQUESTS = "return performance.getEntriesByType('resource').map(e => e.name)"


async def no_amount_in_any_address(browser: Browser, *amounts: str) -> None:
    """Every address the page asked for carries ids, months and pages: no yuan."""
    addresses = [*await browser.run(REQUESTS), await browser.run("return location.href")]
    assert any("/app/api/" in address for address in addresses)
    for address in addresses:
        assert not any(amount in address for amount in amounts), address


async def test_a_supervisor_sees_the_boards_parts_with_names(dash: Dash, clock: Any) -> None:
    bot, web = dash
    await a_morning(bot, clock)
    async with browsing(web) as browser:
        await browser.open(BOB, "#board", dark=True)
        text = await browser.wait_text("Absent (1)")
        assert "On shift (1)" in text and "Carol" in text and "since 08:55" in text
        assert "On break (1)" in text and "Gina <i>" in text and "10 min" in text
        assert "Late today (1)" in text and "20 min late, in at 09:20" in text
        assert "Dave <b>&amp; Wu & Sons" in text and "day shift from 09:00 · 150 min late" in text
        assert "On leave (1)" in text and "Frank" in text
        assert "Expected, not yet in (1)" in text and "evening shift from 14:30" in text
        assert "updated 11:30:00" in await browser.text(".board-updated")
        assert await browser.run("return document.querySelectorAll('#view i, #view b').length") == 0


async def test_the_ledger_filters_by_the_agent_clicked(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing tabs open")
    await bot.send(BOB, f"/fine {DAVE.first_name} late", mentions=[DAVE])
    await bot.send(BOB, "/void #2 wrong day")
    async with browsing(web) as browser:
        await browser.open(ALICE, "#ledger")
        text = await browser.wait_text("2 entries")
        assert "#1" in text and "Carol" in text and "¥10.00" in text and "tabs open" in text
        assert "void: wrong day (Bob)" in text and "Dave <b>&amp; Wu & Sons" in text
        await browser.click("button.ledger-agent", text="Carol")
        text = await browser.wait_text("1 entries")
        assert "Carol" in text and "Dave" not in text.split("1 entries")[1]
        await browser.fill("select[name=agent]", "")
        await browser.wait_text("2 entries")
        await browser.fill("select[name=code]", "late")
        text = await browser.wait_text("1 entries")
        assert "wrong day" in text and "tabs open" not in text
        await no_amount_in_any_address(browser, "10.00", "10.0", "1000")


async def test_an_agent_appeals_an_entry_from_my_month(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing")
    await bot.send(BOB, "/fine @carol_cs late")
    async with browsing(web) as browser:
        await browser.open(CAROL, "#month")
        text = await browser.wait_text("Entries (2)")
        assert "Score so far" in text and "¥10.00" in text and "Unrelated web browsing" in text
        await browser.click("button[data-entry='1']")
        await browser.fill("textarea[name=reason]", "I was <b>answering</b> a shopper")
        await browser.click("button.action", text="Send appeal")
        text = await browser.wait_text("Appeal #1 sent to the supervisors.")
        assert "Open appeals (1)" in text and "under appeal" in text
        assert (
            await browser.run("return document.querySelectorAll('button[data-entry]').length") == 1
        )
        await no_amount_in_any_address(browser, "10.00", "1000")
    await bot.settle()
    card = bot.fake.texts(ALICE.id)[-1]
    assert "Appeal" in card and "I was <b>answering</b> a shopper" in card
