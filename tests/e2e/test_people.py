"""People: greeting, the team group, promotions, enrolment, shifts, command menus."""

from __future__ import annotations

from sqlmodel import select

from storage.models import AuditLog
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
from tests.support.team import make_team, person_row


async def test_a_stranger_is_told_politely_and_only_their_name_is_kept(bot: Harness) -> None:
    answer = await bot.reply(MALLORY, "/start")
    assert "not on this team" in answer
    assert str(MALLORY.id) in answer
    row = await person_row(bot, MALLORY.id)
    assert row is not None
    assert (row.first_name, row.username, row.is_agent, row.is_supervisor) == (
        "Mallory",
        "mallory",
        False,
        False,
    )
    assert "not on this team" in await bot.reply(MALLORY, "/clockin")
    assert "not on this team" in await bot.reply(MALLORY, "/team")


async def test_help_lists_only_the_persons_own_commands(bot: Harness) -> None:
    await make_team(bot)
    admin = await bot.reply(ALICE, "/help")
    assert "/promote" in admin and "/enroll" in admin and "/clockin" not in admin
    supervisor = await bot.reply(BOB, "/help")
    assert "/enroll" in supervisor and "/team" in supervisor and "/promote" not in supervisor
    agent = await bot.reply(CAROL, "/help")
    assert "/clockin" in agent and "/handover" in agent
    assert "/enroll" not in agent and "/team" not in agent


async def test_setgroup_needs_an_admin_in_a_group(bot: Harness) -> None:
    await make_team(bot)
    assert "Only the shop's admins" in await bot.reply(
        BOB, command("setgroup", in_group=True), group=OTHER_GROUP
    )
    assert "in the team's group" in await bot.reply(ALICE, "/setgroup")
    # The team group stays the one Alice bound.
    assert "not the team group" in await bot.reply(
        CAROL, command("clockin", in_group=True), group=OTHER_GROUP
    )


async def test_promote_and_demote(bot: Harness) -> None:
    await make_team(bot)
    row = await person_row(bot, BOB.id)
    assert row is not None and row.is_supervisor
    assert "already a supervisor" in await bot.reply(ALICE, "/promote @bobsup")
    assert "Only the shop's admins" in await bot.reply(BOB, "/promote @carol_cs")
    assert "no longer a supervisor" in await bot.reply(ALICE, "/demote @BOBSUP")
    assert "not on this team" in await bot.reply(BOB, "/enroll @carol_cs junior presale")
    assert "is an admin" in await bot.reply(ALICE, "/demote @alice")
    kit = bot.app.bot_data["kit"]
    actions = await kit.db.run(
        lambda session: [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
    )
    assert actions.count("promote") == 1 and actions.count("demote") == 1


async def test_enroll_by_username_and_by_text_mention(bot: Harness) -> None:
    await make_team(bot)
    carol = await person_row(bot, CAROL.id)
    dave = await person_row(bot, DAVE.id)
    assert carol is not None and dave is not None
    assert (carol.is_agent, carol.level, carol.track, carol.im_name, carol.shift) == (
        True,
        "junior",
        "presale",
        "carol旺旺",
        "day",
    )
    assert (dave.is_agent, dave.level, dave.track, dave.shift) == (
        True,
        "mid",
        "aftersales",
        "evening",
    )
    # The agent was told, in a DM, by name.
    assert any("enrolled you as an agent" in t for t in bot.fake.texts(CAROL.id))
    assert any("Dave <b>&amp;" in t for t in bot.fake.texts(BOB.id))
    assert bot.fake.bad_requests() == []


async def test_enroll_refusals_change_nothing(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    usage = await bot.reply(BOB, "/enroll")
    assert "Usage" in usage and "junior" in usage and "presale" in usage
    assert "Usage" in await bot.reply(BOB, "/enroll @mallory junior")
    assert "no level" in await bot.reply(BOB, "/enroll @mallory wizard presale")
    assert "no track" in await bot.reply(BOB, "/enroll @mallory junior sorcery")
    never_seen = await bot.reply(BOB, "/enroll @ghost_user junior presale")
    assert "have not met @ghost_user" in never_seen and "/start" in never_seen
    assert "Only supervisors" in await bot.reply(CAROL, "/enroll @mallory junior presale")
    row = await person_row(bot, MALLORY.id)
    assert row is not None and not row.is_agent


async def test_shift_refusals(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    assert "no shift" in await bot.reply(BOB, "/shift @carol_cs night")
    assert "Usage" in await bot.reply(BOB, "/shift @carol_cs")
    assert "is not an agent" in await bot.reply(BOB, "/shift @mallory day")
    row = await person_row(bot, CAROL.id)
    assert row is not None and row.shift == "day"


async def test_command_menus_per_scope_and_language(bot: Harness) -> None:
    await make_team(bot)
    menus = bot.fake.sent(method="setMyCommands")
    default = [m for m in menus if m.params.get("scope", {}).get("type") == "default"]
    assert {m.params.get("language_code") for m in default} == {None, "zh", "en"}
    zh = next(m for m in default if m.params.get("language_code") == "zh")
    assert zh.params["commands"][0]["description"] == "问候并列出你可用的命令"

    def person_menu(person_id: int) -> list[str]:
        chat = [
            m
            for m in menus
            if m.params.get("scope", {}).get("type") == "chat"
            and int(m.params["scope"]["chat_id"]) == person_id
        ]
        return [c["command"] for c in chat[-1].params["commands"]]

    assert "clockin" in person_menu(CAROL.id) and "enroll" not in person_menu(CAROL.id)
    assert "enroll" in person_menu(BOB.id) and "clockin" not in person_menu(BOB.id)


async def test_an_agent_who_never_opened_a_dm_is_reported(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    bot.fake.unreachable.add(MALLORY.id)
    answer = await bot.reply(BOB, "/enroll @mallory junior presale")
    assert "could not send" in answer and "Mallory" in answer
    row = await person_row(bot, MALLORY.id)
    assert row is not None and row.is_agent  # enrolment stands; only the DM failed


async def test_the_bot_added_to_a_group_says_how_to_bind_it(bot: Harness) -> None:
    member = {"user": {"id": 123456, "is_bot": True, "first_name": "Kefu"}}
    await bot.process(
        {
            "update_id": bot.fake.next_update_id(),
            "my_chat_member": {
                "chat": TEAM_GROUP.as_chat(),
                "from": ALICE.as_user(),
                "date": 0,
                "old_chat_member": {**member, "status": "left"},
                "new_chat_member": {**member, "status": "member"},
            },
        }
    )
    assert "/setgroup" in bot.fake.texts(TEAM_GROUP.id)[-1]


async def test_the_team_group_follows_a_supergroup_upgrade(bot: Harness) -> None:
    await make_team(bot)
    new_id = -1005555555555
    await bot.process(
        {
            "update_id": bot.fake.next_update_id(),
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": TEAM_GROUP.as_chat(),
                "from": ALICE.as_user(),
                "migrate_to_chat_id": new_id,
            },
        }
    )
    await bot.send(CAROL, "/handover after the upgrade")
    assert "after the upgrade" in bot.fake.texts(new_id)[-1]
