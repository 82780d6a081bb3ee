"""The Mini App in a real browser [issue 18]: headless Chromium on the bot's own server,
signed initData through a stand-in for Telegram's script (tests/support/browser.py)."""

from __future__ import annotations

from tests.support.browser import browsing
from tests.support.harness import BOB, CAROL, Harness
from tests.support.team import make_team
from tests.support.webapp import Web

Dash = tuple[Harness, Web]


async def test_the_app_says_who_is_looking_in_either_theme(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    async with browsing(web) as browser:
        await browser.open(CAROL)
        assert await browser.wait_text("Carol · agent", "#who")
        await browser.open(BOB, dark=True)
        assert await browser.wait_text("Bob · supervisor", "#who")
        background = await browser.run("return getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(23, 33, 43)"  # Telegram's dark theme, as it passed it


async def test_outside_telegram_the_page_says_where_to_open_it(dash: Dash) -> None:
    _, web = dash
    async with browsing(web) as browser:
        await browser.open_outside()
        assert await browser.wait_text("send /dashboard in a private chat")
