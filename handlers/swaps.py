"""/swap (ask a colleague to swap a roster day) and its cards' buttons: the colleague's
Accept / Decline, the supervisors' Approve / Refuse, either agent's Withdraw [002]."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot import buttons as b
from bot.delivery import relabel
from bot.services import Refusal
from bot.services.swaps import SwapView
from handlers.common import Call, Context, Kit, keyboard, usage
from handlers.decisions import drop_buttons, press, refuse, settled, supervisor_press

ACCEPTED = "accepted"


async def swap(call: Call) -> None:
    """`/swap @colleague <YYYY-MM-DD> [<YYYY-MM-DD>]`, or `/swap cancel <id>`."""
    if call.args[:1] == ["cancel"]:
        await _cancel(call)
        return
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("swap_usage") from None
    days = rest.split()
    if not 1 <= len(days) <= 2:
        raise Refusal("swap_usage")
    with usage("swap_usage"):
        view = await call.kit.swaps.ask(call.actor, target, days, at=call.now)
    await call.reply("swap_asked", v=view, markup=_withdraw(call.kit, view))
    await call.warn_unreachable(view.colleague)


async def _cancel(call: Call) -> None:
    """`/swap cancel <id>`: withdraw a swap not approved yet."""
    if len(call.args) != 2:
        raise Refusal("swap_usage")
    with usage("swap_usage"):
        view = await call.kit.swaps.cancel(call.actor, call.args[1], at=call.now)
    await call.reply("swap_withdrawn", v=view)
    await _settle_others(call.kit, call.context, view, None)


def _withdraw(kit: Kit, view: SwapView) -> InlineKeyboardMarkup:
    return keyboard(kit.texts, ("swap_withdraw_button", b.SwapWithdraw(view.swap.id or 0).encode()))


def _label(kit: Kit, view: SwapView, data: str) -> InlineKeyboardMarkup:
    return keyboard(kit.texts, ("swap_label", data), v=view)


async def _settle_others(
    kit: Kit, context: Context, view: SwapView, query: CallbackQuery | None
) -> None:
    """The swap's other cards (the colleague's, each supervisor's) show how it ended in
    place of their buttons — a courtesy: a press on one is answered anyway."""
    here = query.message.chat.id if query is not None and query.message is not None else None
    label = _label(kit, view, b.SwapWithdraw(view.swap.id or 0).encode())
    cards = await kit.swaps.cards(view.swap.id or 0)
    await relabel(context.bot, [card for card in cards if card[0] != here], label)


async def answer_swap(update: Update, context: Context) -> None:
    """The colleague's Accept / Decline; an accepted card keeps a Withdraw button."""
    pressed = await press(update, context, b.SwapAnswer)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        view = await kit.swaps.answer(actor, button.swap_id, button.action, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    if not view.new:
        await query.answer(kit.texts.plain("swap_already", v=view), show_alert=True)
        return
    await query.answer(kit.texts.plain("swap_answered", v=view))
    accepted = view.swap.status == ACCEPTED
    await drop_buttons(
        query, _withdraw(kit, view) if accepted else _label(kit, view, query.data or "")
    )


async def decide_swap(update: Update, context: Context) -> None:
    """A supervisor's Approve / Refuse: the first press wins, the other cards settle."""
    pressed = await supervisor_press(update, context, b.SwapDecision, "swap")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        view = await kit.swaps.decide(actor, button.swap_id, button.action, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await settled(kit, query, view.new, ("swap_already", "swap_decided", "swap_label"), v=view)
    if view.new:
        await _settle_others(kit, context, view, query)


async def withdraw_swap(update: Update, context: Context) -> None:
    """Either agent's Withdraw, before the approval; refused after it."""
    pressed = await press(update, context, b.SwapWithdraw)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        view = await kit.swaps.withdraw(actor, button.swap_id, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await query.answer(kit.texts.plain("swap_withdrawn", v=view))
    await drop_buttons(query, _label(kit, view, query.data or ""))
    await _settle_others(kit, context, view, query)
