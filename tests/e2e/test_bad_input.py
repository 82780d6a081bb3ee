"""Bad input: a clear, short answer; nothing changes; no Bot API error, no traceback."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import Session, select

from storage.models import Handover, Person, WorkSession
from tests.support.harness import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    MALLORY,
    OTHER_GROUP,
    TEAM_GROUP,
    Harness,
    command,
)
from tests.support.team import make_team


@pytest.fixture
def no_errors_logged(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO)
    yield
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert problems == [], [r.getMessage() for r in problems]


@pytest.mark.usefixtures("no_errors_logged")
@pytest.mark.parametrize(
    ("who", "text", "says"),
    [
        (MALLORY, "/clockin", "not on this team"),
        (MALLORY, "/handover hello", "not on this team"),
        (MALLORY, "/enroll @mallory junior presale", "not on this team"),
        (CAROL, "/enroll @mallory junior presale", "Only supervisors"),
        (CAROL, "/shift @carol_cs evening", "Only supervisors"),
        (CAROL, "/promote @carol_cs", "Only the shop's admins"),
        (BOB, "/clockin", "Only enrolled agents"),
        (CAROL, "/clockout", "not clocked in"),
        (CAROL, "/break", "not clocked in"),
        (CAROL, "/back", "not on a break"),
        (BOB, "/enroll", "Usage"),
        (BOB, "/enroll mallory junior presale", "Usage"),  # no @
        (BOB, "/enroll @mallory", "Usage"),
        (BOB, "/enroll @mallory junior", "Usage"),
        (BOB, "/enroll @mallory <b>boss</b> presale", "no level <b>boss</b>"),
        (BOB, "/enroll @never_seen junior presale", "/start"),
        (BOB, "/promote @mallory", "Only the shop's admins"),
        (ALICE, "/promote", "@username"),
        (ALICE, "/promote @nobody_here", "have not met @nobody_here"),
        (CAROL, "/frobnicate", "I don't know /frobnicate"),
        (MALLORY, "/frobnicate <x>", "not on this team"),
        (MALLORY, "hi <b>there</b> & 😀", "not on this team"),
        (CAROL, "hello there", "only understand commands"),
    ],
)
async def test_refusals_in_a_dm(bot: Harness, who, text: str, says: str) -> None:
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    before = await snapshot(bot)
    answer = await bot.reply(who, text)
    assert says in answer
    assert len(answer) < 400, "a refusal is one short message"
    assert await snapshot(bot) == before
    assert bot.fake.bad_requests() == []


async def snapshot(bot: Harness) -> tuple:
    def work(session: Session) -> tuple:
        people = [
            (p.id, p.is_agent, p.is_supervisor, p.level, p.track, p.shift)
            for p in session.exec(select(Person).order_by(Person.id))
        ]
        shifts = len(session.exec(select(WorkSession)).all())
        notes = len(session.exec(select(Handover)).all())
        return people, shifts, notes

    return await bot.app.bot_data["kit"].db.run(work)


@pytest.mark.usefixtures("no_errors_logged")
async def test_a_group_that_was_never_bound(bot: Harness) -> None:
    await make_team(bot)
    answer = await bot.reply(CAROL, command("clockin", in_group=True), group=OTHER_GROUP)
    assert "not the team group" in answer and "/setgroup" in answer
    assert await bot.reply(BOB, command("team", in_group=True), group=OTHER_GROUP)
    kit = bot.app.bot_data["kit"]
    assert await kit.db.run(lambda session: session.exec(select(WorkSession)).all()) == []


@pytest.mark.usefixtures("no_errors_logged")
async def test_nothing_works_in_a_group_before_setgroup(bot: Harness) -> None:
    for person in (ALICE, CAROL):
        await bot.send(person, "/start")
    answer = await bot.reply(ALICE, command("team", in_group=True), group=TEAM_GROUP)
    assert "not the team group" in answer


@pytest.mark.usefixtures("no_errors_logged")
async def test_unknown_commands_and_chat_in_groups_are_left_alone(bot: Harness) -> None:
    await make_team(bot)
    before = len(bot.fake.calls)
    await bot.send(CAROL, "/otherbot_command", group=TEAM_GROUP)
    await bot.send(CAROL, "just chatting <3 & stuff", group=TEAM_GROUP)
    assert bot.fake.calls[before:] == []


@pytest.mark.usefixtures("no_errors_logged")
async def test_hostile_names_and_long_texts(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(DAVE, "/clockin")
    await bot.send(DAVE, "/handover " + "<script>&amp;😀" * 400)
    team = await bot.reply(BOB, "/team")
    assert "Dave <b>&amp; Wu & Sons" in team
    await bot.send(DAVE, "/clockout")
    await bot.send(BOB, "/enroll @carol_cs junior presale " + "<i>" * 50)
    assert bot.fake.bad_requests() == []


@pytest.mark.usefixtures("no_errors_logged")
async def test_a_command_for_another_bot_in_the_group_is_ignored(bot: Harness) -> None:
    await make_team(bot)
    before = len(bot.fake.calls)
    await bot.send(CAROL, "/clockin@some_other_bot", group=TEAM_GROUP)
    assert [c for c in bot.fake.calls[before:] if c.method == "sendMessage"] == []
