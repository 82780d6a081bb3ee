"""What a command is (`Command`), who may use it, /help's list and Telegram's command menus.

The commands themselves are one table, `handlers.commands.COMMANDS`; everything
here takes that table as an argument (handlers get it from the Application, where
`bot.app.register` puts it), so that no handler module imports the table.

Menus are set per scope (the default for everyone, groups, and each team
member's DM, so agents and supervisors see their own commands) and per
language. Person menus are refreshed at start only when the list changed.
"""

from __future__ import annotations

import enum
import hashlib
import logging
from collections.abc import Iterable
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

from handlers.common import Body, Context, Handler, Kit, Role, Where, command
from rules.policy import LANGUAGES
from storage.models import Person

log = logging.getLogger(__name__)
MENU_KEY = "command_menu_version"
TABLE_KEY = "commands"  # where `register` keeps the table in the Application's bot_data


class Menu(enum.Enum):
    """The command menus a command is listed in (and the /help it appears in)."""

    DM = "dm"  # the default menu, a team member's own menu, /help in a DM
    GROUP = "group"  # the menu of every group, /help in a group


@dataclass(frozen=True)
class Command:
    """One command: its name, who may use it and where, what it does, and its help line.

    `menus` defaults to every menu of the chats it works in; `caption` also runs it
    for a file sent with `/name` as its caption.
    """

    name: str
    role: Role
    body: Body
    en: str
    zh: str
    where: Where = Where.TEAM
    menus: frozenset[Menu] | None = None
    caption: bool = False

    def listed(self, menu: Menu) -> bool:
        """True if the command is shown in `menu`."""
        if self.menus is not None:
            return menu in self.menus
        return menu is Menu.DM or self.where is not Where.DM

    def help(self, language: str) -> str:
        """Its help line (and menu description) in `language`."""
        return {"en": self.en, "zh": self.zh}[language]

    def handler(self) -> Handler:
        """The body wrapped with recording, authorization (role, where) and refusals."""
        return command(self.role, self.where)(self.body)


Table = tuple[Command, ...]


def table_of(context: Context) -> Table:
    """The command table, as `register` stored it on the Application."""
    table: Table = context.application.bot_data[TABLE_KEY]
    return table


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


def allowed(table: Iterable[Command], roles: set[Role], menu: Menu = Menu.DM) -> list[Command]:
    """The commands of `menu` open to someone with `roles`, in the table's order."""
    return [c for c in table if c.role in roles and c.listed(menu)]


def _menu(commands: list[Command], language: str) -> list[BotCommand]:
    return [BotCommand(c.name, c.help(language)) for c in commands]


async def _set(
    bot: Bot, commands: list[BotCommand], scope: BotCommandScope, lang: str | None
) -> None:
    try:
        await bot.set_my_commands(commands, scope=scope, language_code=lang)
    except TelegramError as exc:
        log.info("menu for %s not set: %s", scope.type, exc)


async def set_person_menu(bot: Bot, kit: Kit, table: Table, person: Person) -> None:
    """Set the DM menu of one team member (in the team's language)."""
    commands = allowed(table, roles_of(person, admin=kit.people.is_admin(person)))
    await _set(bot, _menu(commands, kit.texts.language), BotCommandScopeChat(person.id), None)


async def set_menus(bot: Bot, kit: Kit, table: Table) -> None:
    """Set everyone's and groups' menus, per language (at start)."""
    team_roles = {Role.ANYONE, Role.TEAM, Role.AGENT, Role.SUPERVISOR}
    everyone = allowed(table, {Role.ANYONE})
    groups = allowed(table, team_roles, Menu.GROUP)
    for language in (None, *LANGUAGES):
        text_language = language or kit.texts.language
        await _set(bot, _menu(everyone, text_language), BotCommandScopeDefault(), language)
        await _set(bot, _menu(groups, text_language), BotCommandScopeAllGroupChats(), language)


def _version(kit: Kit, table: Table) -> str:
    """A fingerprint of the person menus: the table as they show it, and the admins."""
    shown = [(c.name, c.role.name, c.listed(Menu.DM), c.help(kit.texts.language)) for c in table]
    return hashlib.sha256(
        repr(shown).encode() + repr(sorted(kit.people.admins)).encode()
    ).hexdigest()[:16]


async def refresh_person_menus(bot: Bot, kit: Kit, table: Table) -> None:
    """Reset every team member's DM menu, when the command list changed since last time.

    Hundreds of calls for a large team: run in the background after start.
    """
    version = _version(kit, table)
    if await kit.people.setting(MENU_KEY) == version:
        return
    for person in await kit.people.team():
        await set_person_menu(bot, kit, table, person)
    await kit.people.put_setting(MENU_KEY, version, at=kit.clock())
