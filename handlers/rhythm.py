"""/leave (with the supervisors' approve/deny buttons), /restday and /report."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.send import send_html
from bot.services import Refusal
from bot.services.rhythm import APPROVED, DENIED
from handlers.common import Call, Context, Role, command, kit_of, presser

log = logging.getLogger(__name__)
LEAVE_PREFIX = "leave:"


@command(Role.AGENT, dm_only=True)
async def leave(call: Call) -> None:
    """`/leave <YYYY-MM-DD> <reason>`: ask for a day off; the supervisors decide by button."""
    words = (call.message.text or "").split(maxsplit=2)[1:]
    if len(words) < 2:
        raise Refusal("leave_usage")
    request = await call.kit.rhythm.request_leave(call.actor, words[0], words[1], at=call.now)
    await call.reply("leave_requested", leave=request)
    texts = call.kit.texts
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.plain("leave_approve_button"),
                    callback_data=f"{LEAVE_PREFIX}{request.id}:{APPROVED}",
                ),
                InlineKeyboardButton(
                    texts.plain("leave_deny_button"),
                    callback_data=f"{LEAVE_PREFIX}{request.id}:{DENIED}",
                ),
            ]
        ]
    )
    for chat_id in await call.kit.people.bosses():
        if chat_id != call.actor.id:
            await call.tell(chat_id, "leave_card", markup=buttons, leave=request, person=call.actor)


async def decide_leave(update: Update, context: Context) -> None:
    """The leave card's buttons: the first supervisor's decision wins; the agent is told."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    kit = kit_of(context)
    actor = await presser(update, context)
    try:
        leave_id, status = query.data.removeprefix(LEAVE_PREFIX).split(":")
        if status not in (APPROVED, DENIED):
            raise ValueError(status)
        decision = await kit.rhythm.decide_leave(actor, int(leave_id), status, at=kit.clock())
    except ValueError:
        await query.answer(kit.texts.plain("refuse_leave_unknown"), show_alert=True)
        return
    except Refusal as refusal:
        await query.answer(
            kit.texts.plain(f"refuse_{refusal.key}", **refusal.params), show_alert=True
        )
        return
    if not decision.new:
        await query.answer(kit.texts.plain("leave_already", decision=decision), show_alert=True)
        return
    await query.answer(kit.texts.plain("leave_done", decision=decision))
    try:
        label = kit.texts.plain("leave_decided_label", decision=decision)
        await query.edit_message_reply_markup(
            InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=query.data)]])
        )
    except Exception as exc:  # the card is a courtesy; the decision is stored
        log.info("leave card not updated: %s", exc)
    await send_html(
        context.bot, decision.person.id, kit.texts.render("leave_decided_dm", decision=decision)
    )


@command(Role.SUPERVISOR)
async def restday(call: Call) -> None:
    """`/restday @agent <weekday>`: the agent's weekly rest day (the roster follows)."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("restday_usage") from None
    if not rest.split():
        raise Refusal("restday_usage")
    person, day = await call.kit.rhythm.set_rest_day(
        call.actor, target, rest.split()[0], at=call.now
    )
    await call.reply("restday_set", person=person, day=day)


@command(Role.AGENT)
async def report(call: Call) -> None:
    """`/report <text>`: this week's work report (a second one replaces it, and says so)."""
    text = (call.message.text or "").split(maxsplit=1)
    result = await call.kit.rhythm.report(call.actor, text[1] if len(text) > 1 else "", at=call.now)
    await call.reply("report_saved", result=result)
