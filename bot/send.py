"""Sending messages safely: split to Telegram's limit, and a closed DM is not an error."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden

from bot.texts import split_html

log = logging.getLogger(__name__)


def unreachable(reason: str) -> bool:
    """True for the Bot API's answers that mean the chat cannot be written to: blocked,
    never opened (403), or not found (400)."""
    said = reason.lower()
    return "forbidden" in said or "chat not found" in said


async def send_html(
    bot: Bot,
    chat_id: int,
    html: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
    protect: bool = False,
) -> Message | None:
    """Send `html` in as many parts as it needs; None if the chat cannot be reached.

    The buttons go with the last part; `protect` sends every part as protected content
    (no forwarding or saving: pay and scorecards). A user who never opened a chat with
    the bot, or blocked it, answers 403: that is logged and returned as None.
    """
    parts = split_html(html)
    last: Message | None = None
    for index, part in enumerate(parts):
        final = index == len(parts) - 1
        try:
            last = await bot.send_message(
                chat_id,
                part,
                reply_markup=markup if final else None,
                protect_content=protect or None,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to is not None and index == 0
                    else None
                ),
            )
        except Forbidden as exc:
            log.info("chat %s cannot be reached: %s", chat_id, exc.message)
            return None
        except BadRequest as exc:
            if unreachable(exc.message):
                log.info("chat %s not found", chat_id)
                return None
            raise
    return last
