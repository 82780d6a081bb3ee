"""/leave (with the supervisors' approve/deny buttons), /restday and /report."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot import buttons as b
from bot import cards
from bot.schedule import upcoming
from bot.services import Refusal
from handlers.common import Call, Context, Kit, keyboard, required, usage
from handlers.decisions import (
    drop_buttons,
    first_press,
    invalid,
    log_all_or_dismiss,
    press,
    refuse,
    supervisor_press,
)
from rules import ledger as ledger_rules
from storage.models import Person


async def leave(call: Call) -> None:
    """`/leave <YYYY-MM-DD> <reason>`: ask for a day off; the supervisors decide by button."""
    words = (call.message.text or "").split(maxsplit=2)[1:]
    if len(words) < 2:
        raise Refusal("leave_usage")
    reason = required(words[1], "leave_usage")
    with usage("leave_usage"):
        request = await call.kit.rhythm.request_leave(call.actor, words[0], reason, at=call.now)
    await call.reply("leave_requested", leave=request)


async def decide_leave(update: Update, context: Context) -> None:
    """The leave card's buttons: the first supervisor's decision wins; the agent is told."""
    pressed = await press(update, context, b.LeaveDecision)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        decision = await kit.rhythm.decide_leave(
            actor, button.leave_id, button.status, at=kit.clock()
        )
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    if not decision.new:
        await query.answer(kit.texts.plain("leave_already", decision=decision), show_alert=True)
        return
    await query.answer(kit.texts.plain("leave_done", decision=decision))
    label = ("leave_decided_label", query.data or "")
    await drop_buttons(query, keyboard(kit.texts, label, decision=decision))


async def restday(call: Call) -> None:
    """`/restday @agent <weekday> [YYYY-MM-DD]`: the agent's weekly rest day from a day
    on (today); the roster follows."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("restday_usage") from None
    words = rest.split()
    if not 1 <= len(words) <= 2:
        raise Refusal("restday_usage")
    with usage("restday_usage"):
        done, day = await call.kit.rhythm.set_rest_day(
            call.actor, target, words[0], at=call.now, since=words[1] if len(words) > 1 else None
        )
    await call.reply("restday_set", person=done.person, day=day, done=done)


async def report(call: Call) -> None:
    """`/report <text>`: this week's work report (a second one replaces it, and says so)."""
    text = (call.message.text or "").split(maxsplit=1)
    report = required(text[1] if len(text) > 1 else "", "report_empty")
    result = await call.kit.rhythm.report(call.actor, report, at=call.now)
    await call.reply("report_saved", result=result)


async def decide_late_reports(update: Update, context: Context) -> None:
    """The missing-reports card: log `late-report` for each, or dismiss; first press wins."""

    async def missing(kit: Kit, week: str) -> list[Person]:
        return await kit.rhythm.missing_reports(dt.date.fromisoformat(week))

    await log_all_or_dismiss(
        update,
        context,
        kind=b.LateReports,
        what="report",
        card_job="report-deadline",
        decision="late-report-decision",
        code="late-report",
        missing=missing,
        done="late_report_done",
    )


async def schedule(call: Call) -> None:
    """`/schedule`: the coming scheduled posts, with their times."""
    await call.reply("schedule", posts=upcoming(call.kit, call.now), shifts=call.kit.policy.shifts)


# --- Absence [issue 5: some hours after a shift's start, no clock-in and no approved leave]


async def decide_absence(update: Update, context: Context) -> None:
    """Log `absent`, or record the day as leave: the first supervisor's press wins."""
    data = update.callback_query.data if update.callback_query else None
    kind = b.kind_of(data, b.AsLeave, b.Absent)
    pressed = await supervisor_press(update, context, kind, "absence")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    as_leave = isinstance(button, b.AsLeave)
    person_id, day = button.person_id, button.day
    person = await kit.people.get(person_id)
    if person is None or not await kit.rhythm.absence_reported(day):
        await invalid(kit, query)
        return
    if not await first_press(kit, query, "absence-decision", f"{person_id}:{day}"):
        return
    if as_leave:
        await kit.rhythm.record_leave(actor, person_id, day, at=kit.clock())
        await query.answer(kit.texts.plain("recorded_as_leave", day=day))
    else:
        await cards.log_each(kit, actor, [person], code=ledger_rules.ABSENT, note=day.isoformat())
        await query.answer(kit.texts.plain("absent_logged", day=day))
    await drop_buttons(query)


# --- Meetings [000: Tuesday and Thursday; one agent stays on duty by rotation]


async def meeting_reply(update: Update, context: Context) -> None:
    """An agent's "I'll be there" or "on duty"."""
    pressed = await press(update, context, b.Rsvp)
    if pressed is None:
        return
    kit, actor, query, button = pressed
    try:
        reply = await kit.rhythm.reply_meeting(
            actor, button.meeting_id, button.answer, at=kit.clock()
        )
    except Refusal as refusal:
        await refuse(kit, query, refusal)
        return
    await query.answer(kit.texts.plain("meeting_answer", reply=reply))


async def decide_missed(update: Update, context: Context) -> None:
    """The unconfirmed list: log `missed-meeting` for each, or dismiss; first press wins."""

    async def missing(kit: Kit, day: str) -> list[Person]:
        return (await kit.rhythm.unconfirmed(dt.date.fromisoformat(day)))[1]

    await log_all_or_dismiss(
        update,
        context,
        kind=b.MissedMeeting,
        what="meeting",
        card_job="meeting-check",
        decision="missed-meeting-decision",
        code="missed-meeting",
        missing=missing,
        done="missed_done",
    )
