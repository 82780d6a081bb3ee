"""/leave (with the supervisors' approve/deny buttons), /restday and /report."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import buttons as b
from bot.send import send_html
from bot.services import Refusal
from bot.services.rhythm import APPROVED, DENIED
from handlers.common import Call, Context, Kit, Role, command, keyboard, kit_of, required, usage
from handlers.decisions import (
    drop_buttons,
    first_press,
    invalid,
    log_all_or_dismiss,
    log_for,
    press,
    refuse,
    supervisor_press,
)
from storage.models import Person

log = logging.getLogger(__name__)


@command(Role.AGENT, dm_only=True)
async def leave(call: Call) -> None:
    """`/leave <YYYY-MM-DD> <reason>`: ask for a day off; the supervisors decide by button."""
    words = (call.message.text or "").split(maxsplit=2)[1:]
    if len(words) < 2:
        raise Refusal("leave_usage")
    reason = required(words[1], "leave_usage")
    with usage("leave_usage"):
        request = await call.kit.rhythm.request_leave(call.actor, words[0], reason, at=call.now)
    await call.reply("leave_requested", leave=request)
    texts = call.kit.texts
    assert request.id is not None
    buttons = keyboard(
        texts,
        ("leave_approve_button", b.LeaveDecision(request.id, APPROVED).encode()),
        ("leave_deny_button", b.LeaveDecision(request.id, DENIED).encode()),
    )
    for chat_id in await call.kit.people.bosses():
        if chat_id != call.actor.id:
            await call.tell(chat_id, "leave_card", markup=buttons, leave=request, person=call.actor)


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
    with usage("restday_usage"):
        person, day = await call.kit.rhythm.set_rest_day(
            call.actor, target, rest.split()[0], at=call.now
        )
    await call.reply("restday_set", person=person, day=day)


@command(Role.AGENT)
async def report(call: Call) -> None:
    """`/report <text>`: this week's work report (a second one replaces it, and says so)."""
    text = (call.message.text or "").split(maxsplit=1)
    report = required(text[1] if len(text) > 1 else "", "report_empty")
    result = await call.kit.rhythm.report(call.actor, report, at=call.now)
    await call.reply("report_saved", result=result)


async def _claimed(kit: Kit, job: str, slot: str) -> bool:
    if await kit.metrics.claim(job, slot, kit.clock()):
        return True
    log.info("%s for %s already sent", job, slot)
    return False


async def report_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Friday 17:00: the weekly report is due before Sunday [004]."""
    kit = kit_of(context)
    week = kit.rhythm.week_of(kit.clock())
    if not await _claimed(kit, "report-reminder", week.isoformat()):
        return
    text = kit.texts.render("report_reminder", week=week)
    group = await kit.people.group_chat()
    for chat_id in [group] if group is not None else await kit.people.bosses():
        await send_html(context.bot, chat_id, text)


async def report_nudge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Saturday 17:00: a private nudge to each agent whose report is still missing."""
    kit = kit_of(context)
    week = kit.rhythm.week_of(kit.clock())
    if not await _claimed(kit, "report-nudge", week.isoformat()):
        return
    for person in await kit.rhythm.missing_reports(week):
        await send_html(context.bot, person.id, kit.texts.render("report_nudge", person=person))


async def report_deadline(context: ContextTypes.DEFAULT_TYPE) -> None:
    """After the Saturday 23:59 deadline: the supervisors get who is missing, with a button."""
    kit = kit_of(context)
    week = kit.rhythm.week_of(kit.clock() - dt.timedelta(days=1))
    if not await _claimed(kit, "report-deadline", week.isoformat()):
        return
    missing = await kit.rhythm.missing_reports(week)
    if not missing:
        return
    texts = kit.texts
    buttons = keyboard(
        texts,
        ("late_report_button", b.LateReports(week, b.LOG).encode()),
        ("dismiss_button", b.LateReports(week, b.DISMISS).encode()),
        count=len(missing),
    )
    text = texts.render("report_missing", week=week, missing=missing)
    for chat_id in await kit.people.bosses():
        await send_html(context.bot, chat_id, text, markup=buttons)


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


@command(Role.SUPERVISOR)
async def schedule(call: Call) -> None:
    """`/schedule`: the coming scheduled posts, with their times."""
    from bot.schedule import upcoming

    await call.reply("schedule", posts=upcoming(call.kit, call.now))


# --- Absence [issue 5: two hours after a shift's start, no clock-in and no approved leave]
ABSENT_AFTER = dt.timedelta(hours=2)


async def absence_check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each rostered agent of the shift who has not clocked in goes to the supervisors."""
    kit = kit_of(context)
    assert context.job is not None and isinstance(context.job.data, str)
    shift_key = context.job.data
    now = kit.clock()
    day, missing = await kit.rhythm.absent(shift_key, now)
    if not await _claimed(kit, f"absence-check:{shift_key}", day.isoformat()):
        return
    texts = kit.texts
    for person in missing:
        buttons = keyboard(
            texts,
            ("absent_button", b.Absent(person.id, day).encode()),
            ("as_leave_button", b.AsLeave(person.id, day).encode()),
        )
        text = texts.render(
            "absence_report", person=person, day=day, shift=kit.policy.shifts[shift_key]
        )
        for chat_id in await kit.people.bosses():
            await send_html(context.bot, chat_id, text, markup=buttons)


async def decide_absence(update: Update, context: Context) -> None:
    """Log `absent`, or record the day as leave: the first supervisor's press wins."""
    data = update.callback_query.data if update.callback_query else None
    kind: type[b.Absent] | type[b.AsLeave] = (
        b.AsLeave if (data or "").startswith(b.AsLeave.prefix + ":") else b.Absent
    )
    pressed = await supervisor_press(update, context, kind, "absence")
    if pressed is None:
        return
    kit, actor, query, button = pressed
    as_leave = isinstance(button, b.AsLeave)
    person_id, day = button.person_id, button.day
    person = await kit.people.get(person_id)
    checks = [f"absence-check:{key}" for key in kit.policy.shifts]
    if person is None or not await kit.metrics.was_run(checks, day.isoformat()):
        await invalid(kit, query)
        return
    if not await first_press(kit, query, "absence-decision", f"{person_id}:{day}"):
        return
    if as_leave:
        await kit.rhythm.record_leave(actor, person_id, day, at=kit.clock())
        await query.answer(kit.texts.plain("recorded_as_leave", day=day))
    else:
        await log_for(context, kit, actor, [person], "absent", day.isoformat())
        await query.answer(kit.texts.plain("absent_logged", day=day))
    await drop_buttons(query)


# --- Meetings [000: Tuesday and Thursday; one agent stays on duty by rotation]


async def meeting_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    """09:30: the 10:00 meeting, naming the agent on duty, with buttons to confirm."""
    kit = kit_of(context)
    now = kit.clock()
    day = now.astimezone(kit.policy.tz).date()
    if not await _claimed(kit, "meeting-reminder", day.isoformat()):
        return
    call = await kit.rhythm.call_meeting(day, now)
    texts = kit.texts
    assert call.meeting.id is not None
    buttons = keyboard(
        texts,
        ("attend_button", b.Rsvp(call.meeting.id, "attend").encode()),
        ("duty_button", b.Rsvp(call.meeting.id, "duty").encode()),
    )
    text = texts.render("meeting_reminder", call=call, at=kit.policy.schedule.meeting)
    group = await kit.people.group_chat()
    for chat_id in [group] if group is not None else await kit.people.bosses():
        await send_html(context.bot, chat_id, text, markup=buttons)


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


async def meeting_check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """15 minutes after the start: the supervisors get who did not confirm, with buttons."""
    kit = kit_of(context)
    now = kit.clock()
    day = now.astimezone(kit.policy.tz).date()
    if not await _claimed(kit, "meeting-check", day.isoformat()):
        return
    meeting, missing = await kit.rhythm.unconfirmed(day)
    if meeting is None or not missing:
        return
    texts = kit.texts
    buttons = keyboard(
        texts,
        ("missed_button", b.MissedMeeting(day, b.LOG).encode()),
        ("dismiss_button", b.MissedMeeting(day, b.DISMISS).encode()),
        count=len(missing),
    )
    text = texts.render("meeting_unconfirmed", day=day, missing=missing)
    for chat_id in await kit.people.bosses():
        await send_html(context.bot, chat_id, text, markup=buttons)


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
