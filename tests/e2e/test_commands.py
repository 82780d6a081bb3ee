"""The command table is the one truth: what the Application registers, who may use each
command and where, Telegram's menus per scope and language, and /help.

Expectations come from the roles people hold (the spec's "People") and the table's
data, not from handlers.menu's own functions.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import time_machine
from telegram.ext import CommandHandler, MessageHandler

from handlers.commands import COMMANDS
from handlers.common import Role, Where
from handlers.menu import MENU_KEY, Command, Menu
from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import Call, FakeBotAPI, Person, parse_html
from tests.support.harness import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    MALLORY,
    OTHER_GROUP,
    TEAM_GROUP,
    Group,
    Harness,
    command,
)
from tests.support.team import make_team

# Who holds which role: an agent is on the team; a supervisor too; an admin does all a
# supervisor does, and more; anyone else holds none.
HOLDS = {
    "agent": {Role.ANYONE, Role.TEAM, Role.AGENT},
    "supervisor": {Role.ANYONE, Role.TEAM, Role.SUPERVISOR},
    "admin": {Role.ANYONE, Role.TEAM, Role.SUPERVISOR, Role.ADMIN},
    "stranger": {Role.ANYONE},
}
WHO = {"agent": CAROL, "supervisor": BOB, "admin": ALICE, "stranger": MALLORY}
HELP_LINE = re.compile(r"^/(\w+) — (.+)$")


def offered(entry: Command, menu: Menu) -> bool:
    """The table's menus for the command, or by default every menu of the chats it works in."""
    if entry.menus is not None:
        return menu in entry.menus
    return menu is Menu.DM or entry.where is not Where.DM


def expected(roles: set[Role], menu: Menu, language: str) -> list[tuple[str, str]]:
    """What someone holding `roles` is offered in `menu`, in the table's order."""
    return [(c.name, c.help(language)) for c in COMMANDS if c.role in roles and offered(c, menu)]


def shown(call: Call) -> list[tuple[str, str]]:
    """The (command, description) pairs of one setMyCommands call."""
    return [(c["command"], c["description"]) for c in call.params["commands"]]


def menus(
    fake: FakeBotAPI,
    scope: str,
    *,
    chat_id: int | None = None,
    user_id: int | None = None,
    lang: Any = None,
    method: str = "setMyCommands",
) -> list[Call]:
    """The setMyCommands (or `method`) calls for a scope (a chat, a member of one) and
    language, oldest first."""
    return [
        m
        for m in fake.sent(method=method)
        if (m.params.get("scope") or {}).get("type") == scope
        and m.params.get("language_code") == lang
        and (chat_id is None or int(m.params["scope"]["chat_id"]) == chat_id)
        and (user_id is None or int(m.params["scope"]["user_id"]) == user_id)
    ]


def menu(fake: FakeBotAPI, scope: str, **where: Any) -> Call:
    """The last setMyCommands call for a scope, as `menus` picks them."""
    found = menus(fake, scope, **where)
    assert found, (scope, where)
    return found[-1]


async def help_lines(
    bot: Harness, person: Person, *, in_group: bool = False
) -> list[tuple[str, str]]:
    """The commands /help lists for `person` (in the team group, or a DM)."""
    group = TEAM_GROUP if in_group else None
    answer = await bot.reply(person, command("help", in_group=in_group), group=group)
    return [m.groups() for line in answer.splitlines() if (m := HELP_LINE.match(line))]


def test_the_table_names_each_command_once_with_both_help_lines() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    for entry in COMMANDS:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", entry.name), entry.name
        for language in ("en", "zh"):
            assert 3 <= len(entry.help(language)) <= 256, (entry.name, language)
    # What people rely on: /payslip is anyone's on the team, in a DM; /start and /help
    # answer anywhere; /setgroup is an admin's, in any group.
    rows = {c.name: c for c in COMMANDS}
    assert (rows["payslip"].role, rows["payslip"].where) == (Role.TEAM, Where.DM)
    assert {rows[n].where for n in ("start", "help", "setgroup")} == {Where.ANY_GROUP}
    assert rows["setgroup"].role is Role.ADMIN and rows["import"].caption


async def test_every_registered_command_is_in_the_table_and_back(bot: Harness) -> None:
    registered: dict[str, Any] = {}
    captions: list[str] = []
    with_caption = {c.body: c.name for c in COMMANDS if c.caption}
    for handlers in bot.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                for name in handler.commands:
                    assert name not in registered, name
                    registered[name] = handler.callback
            elif isinstance(handler, MessageHandler):
                body = getattr(handler.callback, "__wrapped__", None)
                if body in with_caption:
                    captions.append(with_caption[body])
    assert set(registered) == {c.name for c in COMMANDS}
    for entry in COMMANDS:  # each runs the table's body, behind the wrapper
        assert registered[entry.name].__wrapped__ is entry.body, entry.name
    assert captions == ["import"]


async def test_each_command_answers_exactly_the_roles_the_table_names(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    kit = bot.app.bot_data["kit"]
    stranger = await kit.people.get(MALLORY.id)
    refusals = {
        parse_html(kit.texts.render("refuse_not_on_team", person=stranger)),
        *(
            parse_html(kit.texts.render(f"refuse_{key}"))
            for key in ("agents_only", "supervisors_only", "admins_only")
        ),
    }
    wrong = []
    for entry in COMMANDS:
        for who, person in WHO.items():
            if who == "stranger" and entry.role is Role.ANYONE:
                continue  # /start and /help answer a stranger with "not on the team" too
            answer = await bot.reply(person, f"/{entry.name}")
            if (answer in refusals) == (entry.role in HOLDS[who]):
                wrong.append((entry.name, who, answer[:60]))
    assert wrong == []
    # The caption runs /import with the table's role too.
    refused = await bot.send_file(CAROL, "figures.csv", b"a,b\n")
    assert refused == [parse_html(kit.texts.render("refuse_supervisors_only"))]


async def test_each_command_works_in_exactly_the_chats_the_table_names(bot: Harness) -> None:
    await make_team(bot)
    kit = bot.app.bot_data["kit"]
    not_bound = parse_html(kit.texts.render("refuse_group_not_bound"))
    dm_only = parse_html(kit.texts.render("refuse_dm_only"))
    wrong = []
    team = TEAM_GROUP
    for index, entry in enumerate(COMMANDS):
        if index and index % 15 == 0:  # a bot may send 20 messages a minute to one group
            team = Group(TEAM_GROUP.id - index, f"team group {index}")
            await bot.send(ALICE, command("setgroup", in_group=True), group=team)
        # In a group that is not the team group, only commands for any group are looked at.
        elsewhere = Group(OTHER_GROUP.id - index, "elsewhere")
        answer = await bot.reply(MALLORY, command(entry.name, in_group=True), group=elsewhere)
        if (answer == not_bound) != (entry.where is not Where.ANY_GROUP):
            wrong.append((entry.name, "other group", answer[:60]))
        # In the team group, someone allowed is sent to a DM for DM-only commands.
        person = CAROL if entry.role in HOLDS["agent"] else ALICE
        answer = await bot.reply(person, command(entry.name, in_group=True), group=team)
        if (answer == dm_only) != (entry.where is Where.DM):
            wrong.append((entry.name, "team group", answer[:60]))
    assert wrong == []


@pytest.fixture(params=["en", "zh"])
async def team_bot(
    request: pytest.FixtureRequest,
    fake: FakeBotAPI,
    database_url: str,
    clock: time_machine.Coordinates,
) -> AsyncIterator[Harness]:
    """The real bot in the team language `request.param`, with a team; the admin also
    promoted herself, so that she has a menu of her own."""
    app = await started(make_settings(fake, database_url, kefu_language=request.param))
    bot = Harness(fake, app)
    await make_team(bot)
    await bot.send(ALICE, "/promote @alice")
    yield bot
    await stopped(app)


async def test_menus_and_help_list_each_command_for_exactly_its_roles(team_bot: Harness) -> None:
    bot, fake = team_bot, team_bot.fake
    team_language = bot.app.bot_data["kit"].texts.language
    for lang in (None, "zh", "en"):
        language = lang or team_language
        everyone = shown(menu(fake, "default", lang=lang))
        assert everyone == expected(HOLDS["stranger"], Menu.DM, language)
        assert [name for name, _ in everyone] == ["start", "help"]
        # A group's menu is an agent's: no supervisor's command there.
        groups = shown(menu(fake, "all_group_chats", lang=lang))
        assert groups == expected(HOLDS["agent"], Menu.GROUP, language)
        assert not {"start", "payslip", "payroll", "setgroup", "fine"} & {n for n, _ in groups}
    seen: set[str] = set()
    for who in ("agent", "supervisor", "admin"):
        person = WHO[who]
        own = expected(HOLDS[who], Menu.DM, team_language)
        assert shown(menu(fake, "chat", chat_id=person.id)) == own, who
        assert await help_lines(bot, person) == own, who
        in_group = expected(HOLDS[who], Menu.GROUP, team_language)
        assert await help_lines(bot, person, in_group=True) == in_group, who
        # In the team group, supervisors and admins have their own menu; agents the group's.
        member = menus(fake, "chat_member", chat_id=TEAM_GROUP.id, user_id=person.id)
        if who == "agent":
            assert member == [], who
        else:
            assert shown(member[-1]) == in_group, who
            assert "fine" in {name for name, _ in in_group}, who
        seen |= {name for name, _ in own}
    # Every command is someone's, but /claim: it is in no menu, only in the line the bot
    # prints at start for whoever started it (tests/e2e/test_first_hour.py).
    assert seen == {c.name for c in COMMANDS} - {"claim"}
    assert await help_lines(bot, MALLORY) == []  # a stranger is told who to ask instead
    names = {who: {n for n, _ in expected(HOLDS[who], Menu.DM, "en")} for who in WHO}
    assert "payslip" in names["agent"] & names["supervisor"] & names["admin"]
    assert "clockin" in names["agent"] and "clockin" not in names["admin"]
    assert "setgroup" in names["admin"] - names["supervisor"]


async def test_a_changed_table_resets_the_team_menus_at_the_next_start(
    fake: FakeBotAPI, database_url: str, clock: time_machine.Coordinates
) -> None:
    settings = make_settings(fake, database_url)
    app = await started(settings)
    try:
        await make_team(Harness(fake, app))
        kit = app.bot_data["kit"]
        await kit.people.put_setting(MENU_KEY, "an older table", at=kit.clock())
    finally:
        await stopped(app)
    before = len(fake.calls)
    app = await started(settings)
    try:
        members = {"agent": CAROL, "also an agent": DAVE, "supervisor": BOB}
        own: dict[int, list[tuple[str, str]]] = {}
        in_group: dict[int, list[tuple[str, str]]] = {}
        for _ in range(200):  # the refresh runs in the background
            calls = [c for c in fake.calls[before:] if c.method == "setMyCommands"]
            own = {
                int(c.params["scope"]["chat_id"]): shown(c)
                for c in calls
                if c.params["scope"]["type"] == "chat"
            }
            in_group = {
                int(c.params["scope"]["user_id"]): shown(c)
                for c in calls
                if c.params["scope"]["type"] == "chat_member"
            }
            if len(own) == len(members) and len(in_group) == 2:
                break
            await asyncio.sleep(0.05)
        assert set(own) == {person.id for person in members.values()}
        for who, person in members.items():
            roles = HOLDS["supervisor" if person is BOB else "agent"]
            assert own[person.id] == expected(roles, Menu.DM, "en"), who
        # In the team group: the supervisor's and the admin's own menus.
        assert in_group == {
            BOB.id: expected(HOLDS["supervisor"], Menu.GROUP, "en"),
            ALICE.id: expected(HOLDS["admin"], Menu.GROUP, "en"),
        }
        # The new fingerprint is stored once every menu is set (still in the background).
        people = app.bot_data["kit"].people
        for _ in range(200):
            if await people.setting(MENU_KEY) != "an older table":
                break
            await asyncio.sleep(0.05)
        assert await people.setting(MENU_KEY) != "an older table"
    finally:
        await stopped(app)


async def test_team_group_menus_follow_the_group_and_the_roles(bot: Harness) -> None:
    fake = bot.fake
    for person in (ALICE, BOB, CAROL):
        await bot.send(person, "/start")
    await bot.send(ALICE, "/promote @BobSup")  # no team group yet: no member menu anywhere
    assert menus(fake, "chat_member") == []
    await bot.send(ALICE, command("setgroup", in_group=True), group=TEAM_GROUP)
    admin_menu = expected(HOLDS["admin"], Menu.GROUP, "en")
    supervisor_menu = expected(HOLDS["supervisor"], Menu.GROUP, "en")
    scope = {"chat_id": TEAM_GROUP.id}
    assert shown(menu(fake, "chat_member", user_id=ALICE.id, **scope)) == admin_menu
    assert shown(menu(fake, "chat_member", user_id=BOB.id, **scope)) == supervisor_menu
    await bot.send(BOB, "/enroll @carol_cs junior presale")  # an agent: the group's menu
    assert menus(fake, "chat_member", user_id=CAROL.id, **scope) == []
    await bot.send(ALICE, "/promote @carol_cs")  # an agent and a supervisor: both menus
    both = expected(HOLDS["agent"] | HOLDS["supervisor"], Menu.GROUP, "en")
    assert shown(menu(fake, "chat_member", user_id=CAROL.id, **scope)) == both
    await bot.send(ALICE, "/demote @BobSup")  # back to the group's menu
    removed = menus(fake, "chat_member", user_id=BOB.id, method="deleteMyCommands", **scope)
    assert len(removed) == 1
