"""The owner's first hour: from an empty database with nobody in KEFU_ADMINS to a fine
that reaches an agent, typing only what the bot's own messages say to type."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, TEAM_GROUP, Harness

pytestmark = pytest.mark.usefixtures("clock")


def told(text: str, pattern: str) -> str:
    """The command the bot told us to type (the first match of `pattern` in its text)."""
    found = re.search(pattern, text)
    assert found, f"the bot did not say {pattern!r} in:\n{text}"
    return found.group(0)


def first(text: str, label: str) -> str:
    """The first key the bot listed right after `label` (a level, a track, a shift)."""
    found = re.search(re.escape(label) + r"\s*([a-z][a-z0-9-]*)", text)
    assert found, f"the bot listed no {label!r} in:\n{text}"
    return found.group(1)


def added_to(group_id: int, by: int) -> dict[str, object]:
    """The update Telegram sends when someone adds the bot to a group."""
    member = {"user": {"id": 123456, "is_bot": True, "first_name": "Kefu"}}
    return {
        "my_chat_member": {
            "chat": {"id": group_id, "type": "supergroup", "title": TEAM_GROUP.title},
            "from": {"id": by, "is_bot": False, "first_name": "Alice"},
            "date": 0,
            "old_chat_member": {**member, "status": "left"},
            "new_chat_member": {**member, "status": "member"},
        }
    }


WORDS = {
    "en": {"levels": "Levels:", "tracks": "Tracks:", "shifts": "Shifts:", "done": "set up"},
    "zh": {"levels": "级别:", "tracks": "岗位:", "shifts": "班次:", "done": "设置完成"},
}


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_an_owner_sets_up_a_team_from_the_bots_messages(
    fake: FakeBotAPI, database_url: str, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    words = WORDS[language]
    settings = make_settings(fake, database_url, kefu_admins="", kefu_language=language)
    app = await started(settings)
    bot = Harness(fake, app)
    try:
        # At start, one line on the console says how to become the owner.
        printed = capsys.readouterr().err
        line = told(printed, r".*/claim [2-9A-Z]{4}-[2-9A-Z]{2}.*")
        claim = told(line, r"/claim \S+")
        # Before the claim, /start says how to claim (not "ask a supervisor").
        assert "/claim" in await bot.reply(ALICE, "/start")
        assert "/claim" in await bot.reply(ALICE, "/setgroup", group=TEAM_GROUP)

        # The owner sends the line; the answer is the checklist.
        checklist = await bot.reply(ALICE, claim)
        assert "⬜" in checklist and "✅" not in checklist
        assert "startgroup=" in str(fake.sent(ALICE.id)[-1].params["text"])  # the add link

        # 1. Add the bot to the group; it says what to send there.
        await bot.process({"update_id": fake.next_update_id(), **added_to(TEAM_GROUP.id, ALICE.id)})
        setgroup = told(fake.texts(TEAM_GROUP.id)[-1], r"/setgroup")
        await bot.reply(ALICE, setgroup, group=TEAM_GROUP)
        checklist = await bot.reply(ALICE, "/start")
        assert "✅ 1." in checklist

        # 2. A supervisor writes to the bot; the checklist names the command.
        await bot.reply(BOB, "/start")
        checklist = await bot.reply(ALICE, "/start")
        await bot.reply(ALICE, told(checklist, r"/promote @BobSup"))
        assert "✅ 2." in await bot.reply(ALICE, "/start")

        # 3. An agent writes to the bot; enrolled with a level and track the bot listed.
        await bot.reply(CAROL, "/start")
        checklist = await bot.reply(ALICE, "/start")
        enroll = told(checklist, r"/enroll @carol_cs")
        level, track = first(checklist, words["levels"]), first(checklist, words["tracks"])
        await bot.reply(ALICE, f"{enroll} {level} {track}")
        checklist = await bot.reply(ALICE, "/start")
        assert "✅ 3." in checklist

        # 4. Her shift, as the checklist shows it.
        shift = told(checklist, r"/shift @carol_cs")
        await bot.reply(ALICE, f"{shift} {first(checklist, words['shifts'])}")
        assert words["done"] in await bot.reply(ALICE, "/start")

        # The supervisor reads the codes and fines the agent; the fine reaches her.
        rules = await bot.reply(BOB, "/rules")
        code = told(rules, r"(?m)^[a-z][a-z0-9-]+(?= )")
        before = len(fake.texts(CAROL.id))
        await bot.reply(BOB, f"/fine @carol_cs {code}")
        assert len(fake.texts(CAROL.id)) == before + 1
    finally:
        await stopped(app)


async def test_the_claim_code_works_once_and_wrong_guesses_are_limited(
    fake: FakeBotAPI, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = await started(make_settings(fake, database_url, kefu_admins=""))
    bot = Harness(fake, app)
    try:
        claim = told(capsys.readouterr().err, r"/claim \S+")
        assert "4 tries left" in await bot.reply(BOB, "/claim AAAA-AA")
        assert "private chat" in await bot.reply(BOB, claim, group=TEAM_GROUP)  # DMs only
        assert "owner" in await bot.reply(ALICE, claim.lower().replace("-", " "))
        assert "already has an owner" in await bot.reply(BOB, claim)  # used once
        assert "admin" in await bot.reply(ALICE, "/start")
        assert "/promote" in str(fake.sent(ALICE.id)[-1].params["text"])
    finally:
        await stopped(app)
    assert claim.split()[1] not in capsys.readouterr().err  # never printed (or logged) again
