"""The command list: who may use what, /help's text and Telegram's command menus.

Menus are set per scope (the default for everyone, groups, and each team
member's DM, so agents and supervisors see their own commands) and per
language. Person menus are refreshed at start only when the list changed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from handlers.common import Kit, Role
from rules.policy import LANGUAGES
from storage.models import Person

log = logging.getLogger(__name__)
MENU_KEY = "command_menu_version"


@dataclass(frozen=True)
class Entry:
    """A command, who may use it and whether it works in a group."""

    name: str
    role: Role
    in_groups: bool = True


COMMANDS: tuple[Entry, ...] = (
    Entry("start", Role.ANYONE, in_groups=False),
    Entry("help", Role.ANYONE),
    Entry("clockin", Role.AGENT),
    Entry("clockout", Role.AGENT),
    Entry("break", Role.AGENT),
    Entry("back", Role.AGENT),
    Entry("handover", Role.AGENT),
    Entry("myscore", Role.AGENT),
    Entry("appeal", Role.AGENT, in_groups=False),
    Entry("report", Role.AGENT),
    Entry("leave", Role.AGENT, in_groups=False),
    Entry("payslip", Role.AGENT, in_groups=False),
    Entry("rules", Role.TEAM),
    Entry("team", Role.SUPERVISOR),
    Entry("fixshift", Role.SUPERVISOR),
    Entry("fine", Role.SUPERVISOR),
    Entry("bonus", Role.SUPERVISOR),
    Entry("adjust", Role.SUPERVISOR),
    Entry("void", Role.SUPERVISOR),
    Entry("score", Role.SUPERVISOR),
    Entry("import", Role.SUPERVISOR),
    Entry("restday", Role.SUPERVISOR),
    Entry("schedule", Role.SUPERVISOR),
    Entry("qa", Role.SUPERVISOR),
    Entry("oneoff", Role.SUPERVISOR),
    Entry("deduct", Role.SUPERVISOR),
    Entry("hire", Role.SUPERVISOR),
    Entry("payroll", Role.SUPERVISOR, in_groups=False),
    Entry("export", Role.SUPERVISOR, in_groups=False),
    Entry("enroll", Role.SUPERVISOR),
    Entry("shift", Role.SUPERVISOR),
    Entry("promote", Role.ADMIN),
    Entry("demote", Role.ADMIN),
    Entry("setgroup", Role.ADMIN),
)


def roles_of(person: Person, *, admin: bool) -> set[Role]:
    """The roles a person holds."""
    roles = {Role.ANYONE}
    if person.is_agent:
        roles |= {Role.TEAM, Role.AGENT}
    if person.is_supervisor or admin:
        roles |= {Role.TEAM, Role.SUPERVISOR}
    if admin:
        roles.add(Role.ADMIN)
    return roles


def allowed(roles: set[Role], *, in_group: bool = False) -> list[Entry]:
    """The commands open to someone with `roles`."""
    return [e for e in COMMANDS if e.role in roles and (e.in_groups or not in_group)]


def _menu(kit: Kit, entries: list[Entry], language: str) -> list[BotCommand]:
    names = kit.texts.catalog("commands", language).descriptions
    return [BotCommand(e.name, names[e.name]) for e in entries]


async def _set(
    bot: Bot, commands: list[BotCommand], scope: BotCommandScope, lang: str | None
) -> None:
    try:
        await bot.set_my_commands(commands, scope=scope, language_code=lang)
    except TelegramError as exc:
        log.info("menu for %s not set: %s", scope.type, exc)


async def set_person_menu(bot: Bot, kit: Kit, person: Person) -> None:
    """Set the DM menu of one team member (in the team's language)."""
    entries = allowed(roles_of(person, admin=kit.people.is_admin(person.id)))
    await _set(bot, _menu(kit, entries, kit.texts.language), BotCommandScopeChat(person.id), None)


async def set_menus(bot: Bot, kit: Kit) -> None:
    """Set everyone's and groups' menus, per language (at start)."""
    team_roles = {Role.ANYONE, Role.TEAM, Role.AGENT, Role.SUPERVISOR}
    for language in (None, *LANGUAGES):
        text_language = language or kit.texts.language
        await _set(
            bot,
            _menu(kit, allowed({Role.ANYONE}), text_language),
            BotCommandScopeDefault(),
            language,
        )
        await _set(
            bot,
            _menu(kit, allowed(team_roles, in_group=True), text_language),
            BotCommandScopeAllGroupChats(),
            language,
        )


async def refresh_person_menus(bot: Bot, kit: Kit) -> None:
    """Reset every team member's DM menu, when the command list changed since last time.

    Hundreds of calls for a large team: run in the background after start.
    """
    version = hashlib.sha256(
        repr([(e, kit.texts.catalog("commands").descriptions) for e in COMMANDS]).encode()
        + repr(sorted(kit.people.admins)).encode()
    ).hexdigest()[:16]
    if await kit.people.setting(MENU_KEY) == version:
        return
    for person in await kit.people.team():
        await set_person_menu(bot, kit, person)
    await kit.people.put_setting(MENU_KEY, version, at=kit.clock())
