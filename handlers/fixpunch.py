"""/fixpunch (make-up punches, 补卡), the supervisors' Approve / Deny and the agent's
Withdraw."""

from __future__ import annotations

from telegram import Update

from bot import buttons as b
from bot import jobs
from bot.services import Refusal
from handlers.common import Call, Context, keyboard, usage
from handlers.decisions import press, refuse, settled, supervisor_press
from rules import parse

SETTLED = ("fixpunch_already", "fixpunch_done", "fixpunch_label")


async def fixpunch(call: Call) -> None:
    """`/fixpunch <YYYY-MM-DD> <in|out> <HH:MM> <reason>`, or `/fixpunch cancel <id>`."""
    words = (call.message.text or "").split(maxsplit=4)[1:]
    if len(words) == 2 and words[0].lower() == "cancel":
        with usage("fixpunch_usage"):
            fix_id = parse.entry_id(words[1])
        result = await call.kit.fixpunch.withdraw(call.actor, fix_id, at=call.now)
        await call.reply(
            "fixpunch_withdrawn" if result.new else "fixpunch_already", decision=result
        )
        return
    if len(words) < 4:
        raise Refusal("fixpunch_usage")
    with usage("fixpunch_usage"):
        asked = await call.kit.fixpunch.ask(call.actor, *words, at=call.now)
    assert asked.fix.id is not None
    withdraw = ("fixpunch_withdraw_button", b.PunchFixWithdraw(asked.fix.id).encode())
    shift = call.kit.fixpunch.shift_name(asked.shift)
    markup = keyboard(call.kit.texts, withdraw)
    await call.reply("fixpunch_requested", asked=asked, shift=shift, markup=markup)


async def decide(update: Update, context: Context) -> None:
    """The card's Approve / Deny: the first supervisor's press wins; the agent is told."""
    pressed = await supervisor_press(update, context, b.PunchFixDecision, "fixpunch")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        result = await kit.fixpunch.decide(actor, button.fix_id, button.status, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    if result.new and result.work is not None and result.work.ended_at is None:
        jobs.schedule_clockout(context.application, kit, result.work)  # an open shift's timers
    await settled(kit, query, result.new, SETTLED, decision=result)


async def withdraw_button(update: Update, context: Context) -> None:
    """The agent's Withdraw on their own request, while it is pending."""
    pressed = await press(update, context, b.PunchFixWithdraw)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        result = await kit.fixpunch.withdraw(actor, button.fix_id, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await settled(kit, query, result.new, SETTLED, decision=result)
