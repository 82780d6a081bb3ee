"""What every supervisor's button shares: who may press, once only, and logging through
the ledger with the usual notices."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Update

from bot.services import Refusal
from handlers.common import Context, Kit, kit_of, presser
from storage.models import Person

log = logging.getLogger(__name__)


async def supervisor_press(
    update: Update, context: Context
) -> tuple[Kit, Person, CallbackQuery] | None:
    """The kit, the supervisor who pressed, and the press; None (answered) for anyone else."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    kit = kit_of(context)
    actor = await presser(update, context)
    if not kit.people.is_supervisor(actor):
        await query.answer(kit.texts.plain("refuse_decide_not_allowed"), show_alert=True)
        return None
    return kit, actor, query


async def refuse(kit: Kit, query: CallbackQuery, refusal: Refusal) -> None:
    """A refused press: the refusal's text in a pop-up (buttons have no chat to reply in)."""
    await query.answer(kit.texts.plain(f"refuse_{refusal.key}", **refusal.params), show_alert=True)


async def first_press(kit: Kit, query: CallbackQuery, decision: str, key: str) -> bool:
    """Claim a decision; a later press is told it was already handled."""
    if await kit.metrics.claim(decision, key, kit.clock()):
        return True
    await query.answer(kit.texts.plain("late_report_already"), show_alert=True)
    return False


async def log_for(
    context: Context, kit: Kit, actor: Person, people: list[Person], code: str, note: str
) -> int:
    """Log `code` for each person through the ledger, with the usual notices; how many."""
    from handlers.ledger import notify_entry

    for person in people:
        logged = await kit.ledger.log_for(
            actor, person, code=code, note=note, at=kit.clock(), chat_id=actor.id
        )
        await notify_entry(context.bot, kit, actor, logged)
    return len(people)


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off a card once decided (a courtesy: the decision is stored)."""
    try:
        await query.edit_message_reply_markup(None)
    except Exception as exc:
        log.info("card not updated: %s", exc)


async def log_all_or_dismiss(
    update: Update,
    context: Context,
    *,
    prefix: str,
    decision: str,
    code: str,
    missing: Callable[[Kit, str], Awaitable[list[Person]]],
    done: str,
) -> None:
    """A "log `code` for them all" / "dismiss" card, keyed by a day or week: first press wins."""
    pressed = await supervisor_press(update, context)
    if pressed is None:
        return
    kit, actor, query = pressed
    assert query.data is not None
    key, _, action = query.data.removeprefix(prefix).partition(":")
    if not await first_press(kit, query, decision, key):
        return
    logged = 0
    if action == "log":
        logged = await log_for(context, kit, actor, await missing(kit, key), code, key)
    await query.answer(kit.texts.plain(done, logged=logged))
    await drop_buttons(query)
