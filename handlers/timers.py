"""The buttons of the timers that follow one person's day: a long break's "log away from
post", and a forgotten clock-out's "still working" / "clock me out at shift end".

The timers themselves are jobs (`bot.jobs`); nothing is logged in the ledger without
a supervisor's press.
"""

from __future__ import annotations

from telegram import Update

from bot import buttons as b
from bot import cards
from handlers.common import Context
from handlers.decisions import drop_buttons, first_press, invalid, press, supervisor_press


async def log_away(update: Update, context: Context) -> None:
    """The supervisor's press: `away-from-post` for that break, once, through the ledger."""
    pressed = await supervisor_press(update, context, b.Away, "away")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    rest = await kit.attendance.break_by_id(button.break_id)
    if rest is None or not await kit.slots.was_run("break-report", str(rest.id)):
        await invalid(kit, query)
        return
    if not await first_press(kit, query, "away-logged", str(rest.id)):
        return
    person = await kit.people.get(rest.person_id)
    assert person is not None
    note = f"break {rest.started_at:%H:%M}"
    await cards.log_each(kit, actor, [person], code="away-from-post", note=note)
    await query.answer(kit.texts.plain("away_logged_plain"))
    await drop_buttons(query)


async def clockout_answer(update: Update, context: Context) -> None:
    """The agent's answer: still working, or clock me out at the shift's end."""
    data = update.callback_query.data if update.callback_query else None
    kind = b.kind_of(data, b.StillWorking, b.EndAtShift)
    pressed = await press(update, context, kind)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    session_id = button.session_id
    found = await kit.attendance.open_session_by_id(session_id)
    if found is None:
        await query.answer(kit.texts.plain("shift_already_closed"), show_alert=True)
        return
    work, person = found
    if person.id != actor.id:
        await query.answer(kit.texts.plain("not_your_shift"), show_alert=True)
        return
    if isinstance(button, b.StillWorking):
        await query.answer(kit.texts.plain("still_working_noted"))
    else:
        assert work.shift_end is not None
        closed = await kit.attendance.close_at(session_id, at=work.shift_end, automatic=False)
        if closed is None:
            await query.answer(kit.texts.plain("shift_already_closed"), show_alert=True)
            return
        await query.answer(kit.texts.plain("ended_at_shift", work=closed.session))
    await drop_buttons(query)
