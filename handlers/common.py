"""What every handler shares: the kit of services, roles, places, and the `command` wrapper.

`command(role, where)` records who wrote, refuses people without the right role
or in the wrong kind of chat, and turns a use-case's `Refusal` into its message.
So a handler body only parses arguments, calls one use-case and replies. The
command table (`handlers.commands`) applies it to every command at registration.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import io
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
    User,
)
from telegram.ext import ContextTypes

from bot.kit import Kit as Kit  # handlers take the kit from here
from bot.kit import kit_of as kit_of
from bot.send import send_html
from bot.services import Refusal
from bot.services.people import Target
from bot.texts import Texts
from rules import parse
from storage.models import Person
from storage.people import Seen

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


class Role(enum.IntEnum):
    """Who may use a command; each needs the one before or an explicit flag."""

    ANYONE = 0
    TEAM = 1
    AGENT = 2
    SUPERVISOR = 3
    ADMIN = 4


class Where(enum.Enum):
    """Where a command may be used."""

    DM = "dm"  # only in a DM with the bot
    TEAM = "team"  # in a DM or the team group
    ANY_GROUP = "any_group"  # in a DM or any group (/start, /help, /setgroup)


def seen(user: User) -> Seen:
    """The storage view of a Telegram user."""
    return Seen(user.id, user.first_name, user.last_name, user.username, user.language_code)


def keyboard(texts: Texts, *buttons: tuple[str, str], **context: Any) -> InlineKeyboardMarkup:
    """One row of buttons: (label template, callback data) each, labels in the team's language."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.plain(label, **context), callback_data=data)
                for label, data in buttons
            ]
        ]
    )


async def presser(update: Update, context: Context) -> Person:
    """Record the person who pressed an inline button, as `command` does for commands."""
    query = update.callback_query
    assert query is not None
    kit = kit_of(context)
    chat = update.effective_chat
    return await kit.people.seen(
        seen(query.from_user),
        at=kit.clock(),
        in_private=chat is not None and chat.type == Chat.PRIVATE,
    )


class Call:
    """One command being handled: who, where, when, and how to answer."""

    def __init__(self, update: Update, context: Context, actor: Person) -> None:
        self.update = update
        self.context = context
        self.kit = kit_of(context)
        self.actor = actor
        self.now = self.kit.clock()
        message = update.effective_message
        assert message is not None and update.effective_chat is not None
        self.message: Message = message
        self.chat: Chat = update.effective_chat

    @property
    def private(self) -> bool:
        """True in a DM with the bot."""
        return self.chat.type == Chat.PRIVATE

    @property
    def is_admin(self) -> bool:
        """True for the owner who claimed the bot and those in KEFU_ADMINS."""
        return self.kit.people.is_admin(self.actor)

    @property
    def is_supervisor(self) -> bool:
        """True for supervisors and admins."""
        return self.kit.people.is_supervisor(self.actor)

    @property
    def args(self) -> list[str]:
        """The words after the command."""
        return list(self.context.args or [])

    def render(self, template: str, /, **context: Any) -> str:
        """A template in the team's language."""
        return self.kit.texts.render(template, **context)

    async def reply(
        self,
        template: str,
        /,
        *,
        markup: InlineKeyboardMarkup | None = None,
        protect: bool = False,
        **context: Any,
    ) -> Message | None:
        """Answer in the chat the command came from (quoting it in a group); `protect`:
        as protected content (pay, scorecards)."""
        return await self.answer(self.render(template, **context), markup=markup, protect=protect)

    async def answer(
        self, html: str, *, markup: InlineKeyboardMarkup | None = None, protect: bool = False
    ) -> Message | None:
        """Answer with text already rendered (quoting the command in a group)."""
        return await send_html(
            self.context.bot,
            self.chat.id,
            html,
            markup=markup,
            reply_to=None if self.private else self.message.message_id,
            protect=protect,
        )

    async def photo(self, data: bytes, name: str) -> Message:
        """A picture in the chat the command came from (quoting the command in a group)."""
        return await self.context.bot.send_photo(
            self.chat.id,
            InputFile(io.BytesIO(data), filename=name),
            reply_parameters=(
                None
                if self.private
                else ReplyParameters(self.message.message_id, allow_sending_without_reply=True)
            ),
        )

    async def warn_unreachable(self, person: Person) -> None:
        """Say at once that `person` never opened a chat with the bot, so a DM to them
        cannot arrive (the outbox does not report such a DM again)."""
        if not person.dm_open:
            await self.reply("unreachable", person=person)

    async def tell_privately(
        self, template: str, /, *, protect: bool = False, **context: Any
    ) -> Message | None:
        """A direct reply in the DM of the person who typed (asked in a group); None if
        they never opened a chat with the bot."""
        text = self.render(template, **context)
        return await send_html(self.context.bot, self.actor.id, text, protect=protect)

    def target(self) -> tuple[Target, str]:
        """The @user right after the command, and the text after it.

        A @username or a text mention (for people without a username); a
        `no_target` refusal when the first argument is neither.
        """
        text = self.message.text or self.message.caption or ""
        command_end = len(text.split(maxsplit=1)[0]) if text.strip() else 0
        found = _first_mention(self.message, text, command_end)
        if found is not None:
            return found
        words = text[command_end:].split(maxsplit=1)
        if words and words[0].startswith("@") and len(words[0]) > 1:
            return Target(username=words[0][1:]), words[1] if len(words) > 1 else ""
        raise Refusal("no_target")


def _first_mention(message: Message, text: str, command_end: int) -> tuple[Target, str] | None:
    """The mention entity that is the first argument, and the text after it; None if the
    first argument is not a mention entity."""
    for entity, value in sorted(
        message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items(),
        key=lambda pair: pair[0].offset,
    ):
        start = _offset(text, entity.offset)
        if text[command_end:start].strip():
            return None  # the mention is not the first argument
        rest = text[_offset(text, entity.offset + entity.length) :]
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            return Target(user=seen(entity.user)), rest.strip()
        return Target(username=value.lstrip("@")), rest.strip()
    return None


def _offset(text: str, utf16_offset: int) -> int:
    """A Python string index from Telegram's UTF-16 offset."""
    return len(text.encode("utf-16-le")[: utf16_offset * 2].decode("utf-16-le", errors="ignore"))


Body = Callable[[Call], Awaitable[None]]
# Refusals of a malformed value: answered together with the command's usage line.
_MALFORMED = {
    "bad_number",
    "bad_yuan",
    "bad_entry_id",
    "bad_month",
    "bad_date",
    "bad_time",
    "bad_weekday",
}
SHOWN_CHARS = 40  # of a value someone typed, quoted back in a refusal


@contextlib.contextmanager
def usage(key: str, **params: Any) -> Iterator[None]:
    """Within this block, a malformed value is refused with the usage line `refuse_<key>`."""
    try:
        yield
    except Refusal as refusal:
        if refusal.key in _MALFORMED:
            raise refusal.with_usage(key, **params) from None
        raise


def required(text: str, key: str, **params: Any) -> str:
    """`text` stripped, if it has something visible; else the usage refusal `key`."""
    if not parse.visible(text):
        raise Refusal(key, **params)
    return text.strip()


def optional(text: str) -> str:
    """An optional note: stripped, and empty if nothing in it is visible."""
    return text.strip() if parse.visible(text) else ""


def refusal_text(texts: Texts, refusal: Refusal, *, plain: bool = False) -> str:
    """A refusal's message (and the usage line it carries), values people typed shortened."""
    render = texts.plain if plain else texts.render
    params = {
        name: parse.cut(value, SHOWN_CHARS) if isinstance(value, str) else value
        for name, value in refusal.params.items()
    }
    text = render(f"refuse_{refusal.key}", **params)
    if refusal.usage is not None:
        key, usage_params = refusal.usage
        text += "\n" + render(f"refuse_{key}", **usage_params)
    return text


def addressed_elsewhere(message: Message, bot_username: str | None) -> bool:
    """True for `/command@otherbot` (text or caption): a command for another bot."""
    text = message.text or message.caption or ""
    if not text.startswith("/"):
        return False
    word = text.split(maxsplit=1)[0]
    _, at, name = word.partition("@")
    return bool(at) and name.lower() != (bot_username or "").lower()


Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def command(role: Role, where: Where = Where.TEAM) -> Callable[[Body], Handler]:
    """Wrap a handler body with recording, authorization and refusals.

    `role` is who may use it; `where` the chats it works in (a DM only, a DM or
    the team group, a DM or any group).
    """

    def wrap(body: Body) -> Handler:
        @functools.wraps(body)
        async def handler(update: Update, context: Context) -> None:
            call = await _call(update, context)
            if call is None:
                return
            try:
                await _authorize(call, role, where)
                await body(call)
            except Refusal as refusal:
                await call.answer(refusal_text(call.kit.texts, refusal))

        return handler

    return wrap


async def _call(update: Update, context: Context) -> Call | None:
    """The command being handled, its author recorded; None when it is not ours to answer."""
    user, chat = update.effective_user, update.effective_chat
    message = update.effective_message
    if user is None or chat is None or message is None:
        return None
    if addressed_elsewhere(message, context.bot.username):
        return None  # for another bot: not ours, and we stay silent
    kit = kit_of(context)
    actor = await kit.people.seen(seen(user), at=kit.clock(), in_private=chat.type == Chat.PRIVATE)
    return Call(update, context, actor)


async def _authorize(call: Call, role: Role, where: Where) -> None:
    if not call.private and where is not Where.ANY_GROUP:
        group = await call.kit.people.group_chat()
        if group != call.chat.id:
            raise Refusal("group_not_bound")
    on_team = call.actor.is_agent or call.is_supervisor
    # A former agent keeps the team's plain commands (their own payslips, the rules).
    former = role == Role.TEAM and call.actor.left_on is not None
    if role >= Role.TEAM and not (on_team or former):
        if not await call.kit.people.has_admin():
            raise Refusal("no_owner")
        raise Refusal("not_on_team", person=call.actor)
    if role == Role.AGENT and not call.actor.is_agent:
        raise Refusal("agents_only")
    if role == Role.SUPERVISOR and not call.is_supervisor:
        raise Refusal("supervisors_only")
    if role == Role.ADMIN and not call.is_admin:
        raise Refusal("admins_only")
    if where is Where.DM and not call.private:
        raise Refusal("dm_only")
