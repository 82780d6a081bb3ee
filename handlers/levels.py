"""The promotion card's buttons: promote from next month, or pass (first press wins)."""

from __future__ import annotations

from telegram import Update

from bot import buttons as b
from bot.services import Refusal
from handlers.common import Context
from handlers.decisions import refuse, settled, supervisor_press


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
    templates = ("promotion_already", "promotion_done", "promotion_label")
    await settled(kit, query, decided.new, templates, d=decided)
