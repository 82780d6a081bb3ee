"""/discount and the supervisors' Approve / Deny on a discount over the limit [000]."""

from __future__ import annotations

from telegram import Update

from bot import buttons as b
from bot.services import Refusal
from handlers.common import Call, Context, usage
from handlers.decisions import refuse, settled, supervisor_press

SETTLED = ("discount_already", "discount_done", "discount_label")


async def discount(call: Call) -> None:
    """`/discount <order-no> <yuan> <reason>`: the details go to a DM only (no agent's
    yuan in a group); asked in the team group, the group hears that it was recorded."""
    words = (call.message.text or "").split(maxsplit=3)[1:]
    if len(words) < 3:
        raise Refusal("discount_usage")
    with usage("discount_usage"):
        row = await call.kit.discounts.give(call.actor, *words, chat_id=call.chat.id, at=call.now)
    limit = call.kit.policy.casework.discount_limit
    if call.private:
        await call.reply("discount_recorded", discount=row, limit=limit)
        return
    told = await call.tell_privately("discount_recorded", discount=row, limit=limit)
    await call.reply("discount_in_group", discount=row, person=call.actor, told=told is not None)


async def decide(update: Update, context: Context) -> None:
    """A discount card's Approve / Deny: the first supervisor's press wins; the agent is told."""
    pressed = await supervisor_press(update, context, b.DiscountDecision, "discount")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        result = await kit.discounts.decide(
            actor, button.discount_id, button.status, at=kit.clock()
        )
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await settled(kit, query, result.new, SETTLED, decision=result)
