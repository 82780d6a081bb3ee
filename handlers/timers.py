"""Timers that follow one person's day: a break running over its limit.

Each timer is a JobQueue job with a deterministic name carrying only an id;
every notice is claimed in the database first, so a restart (which rebuilds the
timers from the open breaks) or a second process never sends it twice.
Nothing is logged in the ledger without a supervisor's press.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes

from bot.send import send_html
from handlers.common import Context, Kit, kit_of, presser
from storage.models import BreakPeriod

log = logging.getLogger(__name__)
AWAY_PREFIX = "away:"
TELL_SUPERVISORS_AFTER = dt.timedelta(minutes=5)


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
        if not queue.get_jobs_by_name(name):
            queue.run_once(callback, when=max(when, now), name=name, data=rest.id)


def _job_id(context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.job is not None and isinstance(context.job.data, int)
    return context.job.data


async def rebuild(app: Application, kit: Kit) -> None:  # type: ignore[type-arg]
    """At start: the timers of every break still running."""
    for rest in await kit.attendance.open_breaks():
        schedule_break(app, kit, rest)


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
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    kit.texts.plain("away_button"), callback_data=f"{AWAY_PREFIX}{rest.id}"
                )
            ]
        ]
    )
    for chat_id in await kit.people.bosses():
        await send_html(context.bot, chat_id, text, markup=buttons)


async def log_away(update: Update, context: Context) -> None:
    """The supervisor's press: `away-from-post` for that break, once, through the ledger."""
    from handlers.ledger import notify_entry

    query = update.callback_query
    if query is None or query.data is None:
        return
    kit = kit_of(context)
    actor = await presser(update, context)
    if not kit.people.is_supervisor(actor):
        await query.answer(kit.texts.plain("refuse_decide_not_allowed"), show_alert=True)
        return
    try:
        break_id = int(query.data.removeprefix(AWAY_PREFIX))
    except ValueError:
        await query.answer(kit.texts.plain("refuse_leave_unknown"), show_alert=True)
        return
    rest = await kit.attendance.break_by_id(break_id)
    if rest is None:
        await query.answer(kit.texts.plain("refuse_leave_unknown"), show_alert=True)
        return
    if not await kit.metrics.claim("away-logged", str(break_id), kit.clock()):
        await query.answer(kit.texts.plain("late_report_already"), show_alert=True)
        return
    person = await kit.people.get(rest.person_id)
    assert person is not None
    logged = await kit.ledger.log_for(
        actor,
        person,
        code="away-from-post",
        note=f"break {rest.started_at:%H:%M}",
        at=kit.clock(),
        chat_id=actor.id,
    )
    await notify_entry(context.bot, kit, actor, logged)
    await query.answer(kit.texts.plain("away_logged", entry=logged.entry))
    try:
        await query.edit_message_reply_markup(None)
    except Exception as exc:  # the button is a courtesy; the entry is stored
        log.info("break card not updated: %s", exc)
