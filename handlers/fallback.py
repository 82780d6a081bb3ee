"""What is left: unknown commands and plain text in a DM, and errors."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut

from handlers.common import Call, Context, Role, command

log = logging.getLogger(__name__)


@command(Role.ANYONE, any_group=True)
async def unknown_command(call: Call) -> None:
    """An unknown command in a DM gets a pointer to /help."""
    word = (call.message.text or "").split(maxsplit=1)[0]
    await call.reply("unknown_command", command=word[:64])


@command(Role.ANYONE, any_group=True)
async def plain_text(call: Call) -> None:
    """Text that is not a command, in a DM: say how to talk to the bot."""
    await call.reply("plain_text", person=call.actor)


async def on_error(update: object, context: Context) -> None:
    """Log every unexpected error once, without the update's private text."""
    error = context.error
    if isinstance(error, (RetryAfter, TimedOut, NetworkError)):
        log.warning("Telegram API trouble: %s", error)
        return
    kind = type(update).__name__
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "error while handling %s %s: %s",
        kind,
        update_id,
        html.escape(repr(error)),
        exc_info=error,
    )
