"""What is left: unknown commands and plain text in a DM, and unexpected errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.send import send_html
from handlers.common import Call, Context, Role, Where, command, kit_of

log = logging.getLogger(__name__)


def _stranger(call: Call) -> bool:
    return not (call.actor.is_agent or call.is_supervisor)


@command(Role.ANYONE, Where.ANY_GROUP)
async def unknown_command(call: Call) -> None:
    """An unknown command in a DM gets a pointer to /help (strangers: who to ask)."""
    if _stranger(call):
        await call.reply("not_on_team", person=call.actor)
        return
    word = (call.message.text or "").split(maxsplit=1)[0]
    await call.reply("unknown_command", command=word[:64])


@command(Role.ANYONE, Where.ANY_GROUP)
async def plain_text(call: Call) -> None:
    """Text that is not a command, in a DM: say how to talk to the bot."""
    if _stranger(call):
        await call.reply("not_on_team", person=call.actor)
        return
    await call.reply("plain_text", person=call.actor)


async def on_error(update: object, context: Context) -> None:
    """Log an unexpected error once, and tell the person their command did not go through."""
    error = context.error
    if isinstance(error, (RetryAfter, TimedOut, NetworkError)):
        log.warning("Telegram API trouble: %s", error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send_html(
                context.bot, update.effective_chat.id, kit_of(context).texts.render("failed")
            )
        except Exception:  # the apology is a courtesy; the error is already logged
            log.warning("could not tell chat %s about the error", update.effective_chat.id)
