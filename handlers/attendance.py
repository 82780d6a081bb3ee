"""/clockin, /clockout, /break, /back, /handover, /team and the handover button."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update

from bot import buttons as b
from bot import jobs
from bot.services import Refusal
from handlers.common import Call, Context, keyboard, required, usage
from handlers.decisions import press, refuse
from rules import parse

log = logging.getLogger(__name__)


def _ack_button(call: Call, handover_id: int) -> InlineKeyboardMarkup:
    return keyboard(call.kit.texts, ("ack_button", b.Ack(handover_id).encode()))


def _shift_name(call: Call, key: str | None) -> str | None:
    return call.kit.attendance.shift_name(key)


async def clockin(call: Call) -> None:
    """Start a shift; says if late, then shows handovers waiting for this agent."""
    result = await call.kit.attendance.clock_in(call.actor, at=call.now, chat_id=call.chat.id)
    jobs.schedule_clockout(call.context.application, call.kit, result.session)
    await call.reply(
        "clocked_in",
        person=call.actor,
        at=call.now,
        check=result.assessment,
        shift=_shift_name(call, result.session.shift),
        grace=call.kit.policy.attendance.late_grace_minutes,
    )
    for note, author in result.handovers:
        await call.reply(
            "handover_card",
            note=note,
            author=author,
            from_shift=_shift_name(call, note.from_shift),
            markup=_ack_button(call, note.id or 0),
        )


async def clockout(call: Call) -> None:
    """End the shift; reports worked time, breaks and anything over the limits."""
    result = await call.kit.attendance.clock_out(call.actor, at=call.now)
    await call.reply(
        "clocked_out",
        person=call.actor,
        work=result.session,
        summary=result.summary,
        rules=call.kit.policy.attendance,
    )


async def break_(call: Call) -> None:
    """Start a break."""
    rest = await call.kit.attendance.start_break(call.actor, at=call.now)
    jobs.schedule_break(call.context.application, call.kit, rest)
    await call.reply(
        "break_started",
        person=call.actor,
        rest=rest,
        minutes=call.kit.policy.attendance.break_minutes,
    )


async def back(call: Call) -> None:
    """End the break; says how long it was and whether it ran over."""
    result = await call.kit.attendance.end_break(call.actor, at=call.now)
    await call.reply(
        "break_ended",
        person=call.actor,
        result=result,
        minutes=call.kit.policy.attendance.break_minutes,
    )


async def handover(call: Call) -> None:
    """`/handover <text>`: store a note for the next shift and post it to the team group."""
    text = (call.message.text or "").split(maxsplit=1)
    written = required(text[1] if len(text) > 1 else "", "handover_empty")
    note = await call.kit.attendance.hand_over(
        call.actor, written, at=call.now, chat_id=call.chat.id
    )
    group = await call.kit.people.group_chat()  # the post went into the outbox with the note
    if group != call.chat.id:
        await call.reply(
            "handover_saved",
            note=note,
            to_shift=_shift_name(call, note.to_shift),
            posted=group is not None,
        )


async def team(call: Call) -> None:
    """Who is on shift, on break (and for how long), and off."""
    status = await call.kit.attendance.team(at=call.now)
    await call.reply(
        "team",
        status=status,
        shift_name=lambda key: _shift_name(call, key),
        limit=call.kit.policy.attendance.break_minutes,
        now=call.now,
    )


async def acknowledge(update: Update, context: Context) -> None:
    """The handover card's button: record who read it, once. The card then says so and
    keeps no button to press; its author is told through the outbox."""
    pressed = await press(update, context, b.Ack)
    if pressed is None:
        return
    kit, person, query, button = pressed
    try:
        result = await kit.attendance.acknowledge(button.handover_id, person, at=kit.clock())
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await query.answer(kit.texts.plain("ack_done", ack=result.ack, new=result.new))
    read = kit.texts.render(
        "handover_card_read",
        note=result.handover,
        author=result.author,
        from_shift=kit.attendance.shift_name(result.handover.from_shift),
        person=person,
        ack=result.ack,
    )
    try:  # without a keyboard: the button is gone
        await query.edit_message_text(read)
    except Exception as exc:  # the card is a courtesy; the ack is already stored
        log.info("handover card not updated: %s", exc)


async def fixshift(call: Call) -> None:
    """`/fixshift @agent HH:MM`: the real end of a shift closed after a forgotten clock-out."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("fixshift_usage") from None
    if not rest.split():
        raise Refusal("fixshift_usage")
    with usage("fixshift_usage"):
        end = parse.clock_time(rest.split()[0])
    person = await call.kit.people.resolve_agent(target, at=call.now)
    work = await call.kit.attendance.correct_end(call.actor, person, end, at=call.now)
    await call.reply("shift_corrected", person=person, work=work)
