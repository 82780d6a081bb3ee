"""The promotion card's buttons: promote from next month, or pass (first press wins)."""

from __future__ import annotations

from telegram import Update

from bot import buttons as b
from bot.services import Refusal
from handlers.common import Context, keyboard
from handlers.decisions import drop_buttons, refuse, supervisor_press


async def decide_promotion(update: Update, context: Context) -> None:
    """A supervisor decides a promotion proposed at the lock; a later press is told who
    decided it and when, a press once the change's day has come is refused."""
    pressed = await supervisor_press(update, context, b.PromotionDecision, "promotion")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        decided = await kit.levels.decide(actor, button.proposal_id, button.action, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    if not decided.new:
        await query.answer(kit.texts.plain("promotion_already", d=decided), show_alert=True)
        return
    await query.answer(kit.texts.plain("promotion_done", d=decided))
    label = ("promotion_label", query.data or "")
    await drop_buttons(query, keyboard(kit.texts, label, d=decided))
