"""Timers that follow one person's day: a break over its limit, a forgotten clock-out.

Each timer is a JobQueue job with a deterministic name carrying only an id;
every notice is claimed in the database first, so a restart (which rebuilds the
timers from the open breaks) or a second process never sends it twice.
Nothing is logged in the ledger without a supervisor's press.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.ext import Application, ContextTypes, JobQueue

from bot import buttons as b
from bot.schedule import Callback
from bot.send import send_html
from handlers.common import Context, Kit, keyboard, kit_of
from handlers.decisions import drop_buttons, first_press, invalid, log_for, press, supervisor_press
from storage.models import BreakPeriod, WorkSession

log = logging.getLogger(__name__)
TELL_SUPERVISORS_AFTER = dt.timedelta(minutes=5)


def _once(queue: JobQueue, callback: Callback, when: dt.datetime, name: str, data: int) -> None:  # type: ignore[type-arg]
    # The name is the scheduler's id too: scheduling again replaces, with no scan of all jobs.
    queue.run_once(
        callback, when=when, name=name, data=data, job_kwargs={"id": name, "replace_existing": True}
    )


def schedule_break(app: Application, kit: Kit, rest: BreakPeriod) -> None:  # type: ignore[type-arg]
    """The agent's DM at the limit, the supervisors' notice five minutes later."""
    queue = app.job_queue
    assert queue is not None and rest.id is not None
    limit = rest.started_at + dt.timedelta(minutes=kit.policy.attendance.break_minutes)
    now = kit.clock()
    for name, callback, when in (
        (f"break-over:{rest.id}", break_over, limit),
        (f"break-report:{rest.id}", break_report, limit + TELL_SUPERVISORS_AFTER),
    ):
        _once(queue, callback, max(when, now), name, rest.id)


def _job_id(context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.job is not None and isinstance(context.job.data, int)
    return context.job.data


async def rebuild(app: Application, kit: Kit) -> None:  # type: ignore[type-arg]
    """At start: the timers of every break and shift still running."""
    for rest in await kit.attendance.open_breaks():
        schedule_break(app, kit, rest)
    for work in await kit.attendance.open_sessions():
        schedule_clockout(app, kit, work)


async def break_over(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The break passed its limit: tell the agent, privately."""
    kit = kit_of(context)
    found = await kit.attendance.running_break(_job_id(context))
    if found is None:
        return
    rest, person = found
    if not await kit.metrics.claim("break-over", str(rest.id), kit.clock()):
        return
    await send_html(
        context.bot,
        person.id,
        kit.texts.render(
            "break_over_dm",
            rest=rest,
            minutes=kit.policy.attendance.break_minutes,
            length=kit.clock() - rest.started_at,
        ),
    )


async def break_report(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Still away five minutes later: the supervisors are told, with a button to log it."""
    kit = kit_of(context)
    found = await kit.attendance.running_break(_job_id(context))
    if found is None:
        return
    rest, person = found
    if not await kit.metrics.claim("break-report", str(rest.id), kit.clock()):
        return
    text = kit.texts.render(
        "break_over_report",
        person=person,
        rest=rest,
        minutes=kit.policy.attendance.break_minutes,
        length=kit.clock() - rest.started_at,
    )
    assert rest.id is not None
    buttons = keyboard(kit.texts, ("away_button", b.Away(rest.id).encode()))
    for chat_id in await kit.people.bosses():
        await send_html(context.bot, chat_id, text, markup=buttons)


async def log_away(update: Update, context: Context) -> None:
    """The supervisor's press: `away-from-post` for that break, once, through the ledger."""
    pressed = await supervisor_press(update, context, b.Away, "away")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    rest = await kit.attendance.break_by_id(button.break_id)
    if rest is None or not await kit.metrics.was_run("break-report", str(rest.id)):
        await invalid(kit, query)
        return
    if not await first_press(kit, query, "away-logged", str(rest.id)):
        return
    person = await kit.people.get(rest.person_id)
    assert person is not None
    await log_for(context, kit, actor, [person], "away-from-post", f"break {rest.started_at:%H:%M}")
    await query.answer(kit.texts.plain("away_logged_plain"))
    await drop_buttons(query)


# --- A forgotten clock-out [issue 5: 30 minutes after the shift's end, then 4 hours]
ASK_AFTER = dt.timedelta(minutes=30)
CLOSE_AFTER = dt.timedelta(hours=4)


def schedule_clockout(app: Application, kit: Kit, work: WorkSession) -> None:  # type: ignore[type-arg]
    """Ask the agent 30 minutes after the shift's end; close it at the end after 4 hours."""
    if work.shift_end is None or work.outside_shift or work.id is None:
        return
    queue = app.job_queue
    assert queue is not None
    now = kit.clock()
    for name, callback, when in (
        (f"clockout-ask:{work.id}", clockout_ask, work.shift_end + ASK_AFTER),
        (f"clockout-close:{work.id}", clockout_close, work.shift_end + CLOSE_AFTER),
    ):
        _once(queue, callback, max(when, now), name, work.id)


async def clockout_ask(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Still clocked in half an hour after the shift: ask the agent, with two buttons."""
    kit = kit_of(context)
    found = await kit.attendance.open_session_by_id(_job_id(context))
    if found is None:
        return
    work, person = found
    if not await kit.metrics.claim("clockout-ask", str(work.id), kit.clock()):
        return
    texts = kit.texts
    assert work.id is not None
    buttons = keyboard(
        texts,
        ("still_working_button", b.StillWorking(work.id).encode()),
        ("end_at_shift_button", b.EndAtShift(work.id).encode()),
    )
    await send_html(context.bot, person.id, texts.render("clockout_ask", work=work), markup=buttons)


async def clockout_close(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Four hours after the shift: close it at its scheduled end and tell the supervisors."""
    kit = kit_of(context)
    found = await kit.attendance.open_session_by_id(_job_id(context))
    if found is None:
        return
    work, person = found
    assert work.shift_end is not None and work.id is not None
    if not await kit.metrics.claim("clockout-close", str(work.id), kit.clock()):
        return
    closed = await kit.attendance.close_at(work.id, at=work.shift_end, automatic=True)
    if closed is None:
        return
    text = kit.texts.render("clockout_closed", person=person, work=closed.session)
    await send_html(context.bot, person.id, text)
    for chat_id in await kit.people.bosses():
        await send_html(context.bot, chat_id, text)


async def clockout_answer(update: Update, context: Context) -> None:
    """The agent's answer: still working, or clock me out at the shift's end."""
    data = update.callback_query.data if update.callback_query else None
    stay = (data or "").startswith(b.StillWorking.prefix + ":")
    kind: type[b.StillWorking] | type[b.EndAtShift] = b.StillWorking if stay else b.EndAtShift
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
    if stay:
        await query.answer(kit.texts.plain("still_working_noted"))
    else:
        assert work.shift_end is not None
        closed = await kit.attendance.close_at(session_id, at=work.shift_end, automatic=False)
        if closed is None:
            await query.answer(kit.texts.plain("shift_already_closed"), show_alert=True)
            return
        await query.answer(kit.texts.plain("ended_at_shift", work=closed.session))
    try:
        await query.edit_message_reply_markup(None)
    except Exception as exc:  # the buttons are a courtesy; the answer is stored
        log.info("clock-out card not updated: %s", exc)
