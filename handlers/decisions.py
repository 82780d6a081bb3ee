"""What every button shares: decoding its data, who may press, once only, and logging
through the ledger with the usual notices."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot import cards
from bot.buttons import LOG, Button, DayCard, decode
from bot.services import Refusal
from handlers.common import Context, Kit, keyboard, kit_of, presser, refusal_text
from storage.models import Person

log = logging.getLogger(__name__)
B = TypeVar("B", bound=Button)


async def invalid(kit: Kit, query: CallbackQuery) -> None:
    """A press on forged, garbled or stale data: answered (the spinner stops), nothing kept."""
    await query.answer(kit.texts.plain("refuse_button_invalid"), show_alert=True)


async def press(
    update: Update, context: Context, kind: type[B]
) -> tuple[Kit, Person, CallbackQuery, B] | None:
    """The kit, who pressed, the press and what the button means; None (answered) when the
    data is not a well-formed `kind`."""
    query = update.callback_query
    if query is None:
        return None
    kit = kit_of(context)
    button = decode(query.data, kind)
    if button is None:
        await invalid(kit, query)
        return None
    return kit, await presser(update, context), query, button


async def supervisor_press(
    update: Update, context: Context, kind: type[B], what: str
) -> tuple[Kit, Person, CallbackQuery, B] | None:
    """As `press`, for a supervisor's card about `what`; anyone else is told who decides."""
    pressed = await press(update, context, kind)
    if pressed is None:
        return None
    kit, actor, query, _ = pressed
    if not kit.people.is_supervisor(actor):
        await refuse(kit, query, Refusal("decide_not_allowed", what=what))
        return None
    return pressed


async def answered_stray(update: Update, context: Context) -> None:
    """A press no handler knows (an old bot's button, forged data): said to be invalid."""
    if update.callback_query is not None:
        await invalid(kit_of(context), update.callback_query)


async def refuse(kit: Kit, query: CallbackQuery, refusal: Refusal) -> None:
    """A refused press: the refusal's text in a pop-up (buttons have no chat to reply in)."""
    await query.answer(refusal_text(kit.texts, refusal, plain=True), show_alert=True)


async def first_press(kit: Kit, query: CallbackQuery, decision: str, key: str) -> bool:
    """Claim a decision; a later press is told it was already handled."""
    if await kit.slots.claim(decision, key, at=kit.clock()):
        return True
    await query.answer(kit.texts.plain("late_report_already"), show_alert=True)
    return False


async def drop_buttons(query: CallbackQuery, markup: InlineKeyboardMarkup | None = None) -> None:
    """Take the buttons off a card once decided, or put `markup` (the decision's label) in
    their place — a courtesy: the decision is stored."""
    try:
        await query.edit_message_reply_markup(markup)
    except Exception as exc:
        log.info("card not updated: %s", exc)


async def settled(
    kit: Kit, query: CallbackQuery, new: bool, templates: tuple[str, str, str], **data: object
) -> None:
    """Answer a decision card's press: (already, done, label) templates over `data`; the
    press that decided it gets `done` and the card its label in place of the buttons, a
    later press `already` in a pop-up."""
    already, done, label = templates
    if not new:
        await query.answer(kit.texts.plain(already, **data), show_alert=True)
        return
    await query.answer(kit.texts.plain(done, **data))
    await drop_buttons(query, keyboard(kit.texts, (label, query.data or ""), **data))


async def _card_claimed(
    kit: Kit, query: CallbackQuery, card_job: str, decision: str, key: str
) -> bool:
    """True if this press decides the card for `key`: the bot sent it (its job ran for
    that key) and nobody decided it before; otherwise the press is answered."""
    if not await kit.slots.was_run(card_job, key):
        await invalid(kit, query)
        return False
    return await first_press(kit, query, decision, key)


async def log_all_or_dismiss(
    update: Update,
    context: Context,
    *,
    kind: type[DayCard],
    what: str,
    card_job: str,
    decision: str,
    code: str,
    missing: Callable[[Kit, str], Awaitable[list[Person]]],
    done: str,
) -> None:
    """A "log `code` for them all" / "dismiss" card, keyed by a day or week: first press wins.

    Only a card the bot sent (its job `card_job` ran for that day) can be decided: a
    made-up day would otherwise take the decision away from the real card.
    """
    pressed = await supervisor_press(update, context, kind, what)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    key = button.day.isoformat()
    if not await _card_claimed(kit, query, card_job, decision, key):
        return
    logged = 0
    if button.action == LOG:
        logged = await cards.log_each(kit, actor, await missing(kit, key), code=code, note=key)
    await query.answer(kit.texts.plain(done, logged=logged))
    await drop_buttons(query)
