"""The Mini App's sign-in [issue 18]: Telegram's initData on every request, nothing else.

Through the bot's own web server (polling mode with KEFU_PUBLIC_URL) over real HTTP,
with initData signed as Telegram signs it (tests/support/webapp.py)."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import parse_qsl, urlencode

import pytest

from tests.conftest import PUBLIC_URL
from tests.support.harness import ALICE, BOB, CAROL, MALLORY, Harness
from tests.support.team import make_team
from tests.support.webapp import Web, init_data

Dash = tuple[Harness, Web]


def _altered(data: str, **fields: str) -> str:
    values = dict(parse_qsl(data))
    values.update(fields)
    return urlencode(values)


async def test_no_init_data_is_401_and_nothing_is_read(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    for headers in ({}, {"Authorization": "Bearer x"}, {"Authorization": "tma x"}):
        response = await web.client.get(f"{web.base}/app/api/me", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": "unauthorized", "message": ""}


@pytest.mark.parametrize(
    "forge",
    [
        lambda d: _altered(d, user='{"id":1002,"first_name":"Bob"}'),  # another user, same hash
        lambda d: _altered(d, hash="0" * 64),  # a made-up signature
        lambda d: _altered(d, auth_date=str(int(dt.datetime.now(dt.UTC).timestamp()) + 1)),
        lambda d: d.replace("hash=", "hash=a"),
        lambda d: "&".join(p for p in d.split("&") if not p.startswith("hash=")),  # unsigned
        lambda d: d + "&user=%7B%22id%22%3A1002%7D",  # a second user field
    ],
    ids=["other-user", "made-up-hash", "altered-date", "broken-hash", "no-hash", "two-users"],
)
async def test_a_forged_or_altered_signature_is_401(dash: Dash, forge: object) -> None:
    bot, web = dash
    await make_team(bot)
    forged = forge(init_data(CAROL))  # type: ignore[operator]
    response = await web.get("me", data=forged)
    assert response.status_code == 401


async def test_initdata_signed_with_another_bots_token_is_401(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    response = await web.get("me", data=init_data(CAROL, token="999:another-bot"))
    assert response.status_code == 401


async def test_initdata_older_than_the_maximum_age_is_401(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    now = dt.datetime.now(dt.UTC)
    fresh = init_data(CAROL, at=now - dt.timedelta(hours=23, minutes=59))
    assert (await web.get("me", data=fresh)).status_code == 200
    old = init_data(CAROL, at=now - dt.timedelta(hours=24, minutes=1))
    assert (await web.get("me", data=old)).status_code == 401
    ahead = init_data(CAROL, at=now + dt.timedelta(hours=1))
    assert (await web.get("me", data=ahead)).status_code == 401


async def test_someone_not_on_the_team_is_403(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    response = await web.get("me", MALLORY)
    assert response.status_code == 403
    assert response.json()["error"] == "not_on_team"


async def test_who_is_looking(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    carol = await web.json("me", CAROL)
    assert (carol["name"], carol["role"], carol["language"]) == ("Carol", "agent", "en")
    assert carol["month"] == "2026-11" and carol["today"] == "2026-11-23"
    assert (await web.json("me", BOB))["role"] == "supervisor"
    assert (await web.json("me", ALICE))["role"] == "admin"


async def test_the_log_names_paths_never_initdata(
    dash: Dash, caplog: pytest.LogCaptureFixture
) -> None:
    bot, web = dash
    await make_team(bot)
    caplog.set_level(logging.DEBUG)
    signed = init_data(CAROL)
    await web.get("me", data=signed, month="2026-11")
    await web.get("me", data=_altered(signed, hash="0" * 64))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "event=web GET /app/api/me status=200" in logged
    assert "event=web GET /app/api/me status=401" in logged
    assert dict(parse_qsl(signed))["hash"] not in logged and "2026-11" not in logged


async def test_the_page_is_served_with_telegrams_script_and_no_other_cdn(dash: Dash) -> None:
    _, web = dash
    page = await web.client.get(f"{web.base}/app/")
    assert page.status_code == 200
    assert '<script src="https://telegram.org/js/telegram-web-app.js"></script>' in page.text
    sources = [line for line in page.text.splitlines() if "src=" in line or "href=" in line]
    outside = [line for line in sources if "https://" in line and "telegram.org" not in line]
    assert outside == []
    assert "script-src 'self' https://telegram.org" in page.headers["Content-Security-Policy"]
    script = await web.client.get(f"{web.base}/app/static/app.js")
    assert script.status_code == 200 and "Kefu" in script.text
    moved = await web.client.get(f"{web.base}/app", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["Location"] == "/app/"


async def test_dashboard_gives_the_mini_app_button_in_a_dm(dash: Dash) -> None:
    bot, _ = dash
    await make_team(bot)
    reply = await bot.reply(CAROL, "/dashboard")
    assert "Open the dashboard" in reply and "Your month, your KPIs" in reply
    markup = bot.fake.sent(CAROL.id)[-1].params["reply_markup"]
    button = markup["inline_keyboard"][0][0]
    assert button["web_app"] == {"url": f"{PUBLIC_URL}/app/"}
    assert "team at a glance" in await bot.reply(BOB, "/dashboard")


async def test_the_menu_button_opens_the_mini_app_for_the_team_only(dash: Dash) -> None:
    bot, _ = dash
    await make_team(bot)
    await bot.settle()
    buttons = bot.fake.menu_buttons
    assert buttons[CAROL.id] == {
        "type": "web_app",
        "text": "Open the dashboard",
        "web_app": {"url": f"{PUBLIC_URL}/app/"},
    }
    assert buttons[BOB.id]["type"] == "web_app"
    await bot.send(ALICE, "/demote @BobSup")
    await bot.settle()
    assert bot.fake.menu_buttons[BOB.id] == {"type": "default"}


async def test_a_demoted_supervisor_loses_access_at_once(dash: Dash) -> None:
    bot, web = dash
    await make_team(bot)
    signed = init_data(BOB)
    assert (await web.get("me", data=signed)).json()["role"] == "supervisor"
    await bot.send(ALICE, "/demote @BobSup")
    response = await web.get("me", data=signed)  # the same initData, still fresh
    assert response.status_code == 403 and response.json()["error"] == "not_on_team"


async def test_without_a_public_url_dashboard_says_how_to_set_it_up(bot: Harness) -> None:
    await make_team(bot)
    reply = await bot.reply(CAROL, "/dashboard")
    assert "The dashboard is not set up yet" in reply and "KEFU_PUBLIC_URL" in reply
    assert bot.fake.menu_buttons.get(CAROL.id, {"type": "default"}) == {"type": "default"}


def test_the_mini_app_url_follows_the_mode() -> None:
    from bot.settings import Settings
    from bot.webapp import webapp_url

    hook = "https://hooks.example.com/telegram/hook"
    polling = Settings(_env_file=None, kefu_webhook_url=hook)  # type: ignore[call-arg]
    assert webapp_url(polling, webhook=False) is None
    assert webapp_url(polling, webhook=True) == "https://hooks.example.com/app/"
    public = Settings(  # type: ignore[call-arg]
        _env_file=None, kefu_webhook_url=hook, kefu_public_url="https://kefu.example.com/"
    )
    assert webapp_url(public, webhook=True) == "https://kefu.example.com/app/"
    with pytest.raises(ValueError, match="not an https:// URL"):
        Settings(_env_file=None, kefu_public_url="http://kefu.example.com")  # type: ignore[call-arg]
