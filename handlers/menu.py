"""What a command is (`Command`), who may use it, /help's list and Telegram's command menus.

The commands themselves are one table, `handlers.commands.COMMANDS`; everything
here takes that table as an argument (handlers get it from the Application, where
`bot.app.register` puts it), so that no handler module imports the table.

Menus are set per scope and language: the default for everyone; every group
(an agent's commands there); each team member's DM (their own commands); and,
in the team group, each supervisor's and admin's own menu (Telegram's
`chat_member` scope comes before the groups' one), so that agents there are not
offered commands that would refuse them. Person menus are refreshed at start
only when the list changed.
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
    BotCommandScopeChatMember,
    BotCommandScopeDefault,
    MenuButton,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import TelegramError

from handlers.common import Body, Context, Handler, Kit, Role, Where, command
from rules.policy import LANGUAGES
from storage.models import Person

log = logging.getLogger(__name__)
MENU_KEY = "command_menu_version"
AGENT_ROLES = frozenset({Role.ANYONE, Role.TEAM, Role.AGENT})
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


async def _delete(bot: Bot, scope: BotCommandScope) -> None:
    try:
        await bot.delete_my_commands(scope=scope)
    except TelegramError as exc:
        log.info("menu for %s not deleted: %s", scope.type, exc)


async def set_person_menu(bot: Bot, kit: Kit, table: Table, person: Person) -> None:
    """Set the DM menu of one team member (in the team's language), and the menu button
    beside their text box: the Mini App for the team, when it is set up."""
    roles = roles_of(person, admin=kit.people.is_admin(person))
    commands = allowed(table, roles)
    await _set(bot, _menu(commands, kit.texts.language), BotCommandScopeChat(person.id), None)
    button: MenuButton = MenuButtonDefault()
    if kit.webapp.url is not None and Role.TEAM in roles:
        label = kit.texts.plain("dashboard_button")
        button = MenuButtonWebApp(label, WebAppInfo(kit.webapp.url))
    try:
        await bot.set_chat_menu_button(chat_id=person.id, menu_button=button)
    except TelegramError as exc:
        log.info("menu button for %s not set: %s", person.id, exc)


async def set_member_menu(bot: Bot, kit: Kit, table: Table, person: Person, group: int) -> None:
    """A supervisor's or admin's own menu in the team group (all their commands there);
    anyone else's is removed, so they see the groups' menu, an agent's."""
    admin = kit.people.is_admin(person)
    scope = BotCommandScopeChatMember(group, person.id)
    if not (person.is_supervisor or admin):
        await _delete(bot, scope)
        return
    commands = allowed(table, roles_of(person, admin=admin), Menu.GROUP)
    await _set(bot, _menu(commands, kit.texts.language), scope, None)


async def set_roles_menus(
    bot: Bot, kit: Kit, table: Table, person: Person, *, was_boss: bool = False
) -> None:
    """After a person's roles changed: their DM menu, and their menu in the team group
    when they are, or were until now (`was_boss`), a supervisor or admin."""
    await set_person_menu(bot, kit, table, person)
    if was_boss or kit.people.is_supervisor(person):
        group = await kit.people.group_chat()
        if group is not None:
            await set_member_menu(bot, kit, table, person, group)


async def set_group_menus(bot: Bot, kit: Kit, table: Table) -> None:
    """Every supervisor's and admin's own menu in the team group (a newly bound group,
    a start with a changed table). Admins the bot has never seen are left out."""
    group = await kit.people.group_chat()
    if group is None:
        return
    for person in await kit.people.boss_rows():
        await set_member_menu(bot, kit, table, person, group)


async def set_menus(bot: Bot, kit: Kit, table: Table) -> None:
    """Set everyone's and groups' menus, per language (at start). A group's is an
    agent's: supervisors and admins have their own in the team group."""
    everyone = allowed(table, {Role.ANYONE})
    groups = allowed(table, set(AGENT_ROLES), Menu.GROUP)
    for language in (None, *LANGUAGES):
        text_language = language or kit.texts.language
        await _set(bot, _menu(everyone, text_language), BotCommandScopeDefault(), language)
        await _set(bot, _menu(groups, text_language), BotCommandScopeAllGroupChats(), language)


def _version(kit: Kit, table: Table, group: int | None) -> str:
    """A fingerprint of the person menus: the table as they show it, the admins and the
    team group."""
    shown = [
        (c.name, c.role.name, c.listed(Menu.DM), c.listed(Menu.GROUP), c.help(kit.texts.language))
        for c in table
    ]
    return hashlib.sha256(
        repr(shown).encode() + repr((sorted(kit.people.admins), group, kit.webapp.url)).encode()
    ).hexdigest()[:16]


async def refresh_person_menus(bot: Bot, kit: Kit, table: Table) -> None:
    """Reset every team member's DM menu, and the supervisors' and admins' menus in the
    team group, when the command list changed since last time.

    Hundreds of calls for a large team: run in the background after start.
    """
    version = _version(kit, table, await kit.people.group_chat())
    if await kit.people.setting(MENU_KEY) == version:
        return
    for person in await kit.people.team():
        await set_person_menu(bot, kit, table, person)
    await set_group_menus(bot, kit, table)
    await kit.people.put_setting(MENU_KEY, version, at=kit.clock())
