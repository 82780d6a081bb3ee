"""Scheduled jobs and per-person timers: each computes, then records its notices.

No job calls the Bot API: each records its notices in the outbox, claiming its
slot (`bot.slots`) in the same transaction, so a post is recorded exactly once
(a restart, a second replica, a retry) and then delivered by the engine, retried
until its deadline if Telegram fails. Timers (a long break, a forgotten
clock-out) carry only an id and have deterministic names.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import Application, ContextTypes, JobQueue

from bot import buttons as b
from bot.certificate import certificate_png
from bot.chart import scorecard_png
from bot.kit import Kit, kit_of
from bot.notices import ALERT, BOSSES, GROUP, GROUP_OR_BOSSES, Note, person
from bot.roster_png import roster_png
from bot.send import send_html, unreachable
from bot.services import Refusal
from bot.services.followups import JOB as FOLLOWUPS_JOB
from bot.services.metrics import DAILY_ALERT
from bot.services.payroll import DRAFT, PAYSLIP, SCORECARD
from bot.services.problems import REVIEW as PROBLEM_REVIEW
from bot.services.reviews import JOB as REVIEW_JOB
from bot.services.rostering import PICTURE as ROSTER_PICTURE
from bot.texts import opening
from rules.close import Card
from storage.models import BreakPeriod, Notice, WorkSession
from storage.payroll import Run

log = logging.getLogger(__name__)
Callback = Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
EDIT_EVERY = 2.0  # seconds between edits of a run's progress message
CERTIFICATE = "certificate.png"  # the service star's DM photo, drawn when it is sent


# --- the daily response-time alert [issue 4] -------------------------------------------
async def daily_alert(context: ContextTypes.DEFAULT_TYPE) -> None:
    """10:00 team time: yesterday's agents outside the response-time standard, once a day."""
    kit = kit_of(context)
    now = kit.clock()
    day = kit.metrics.yesterday(now)
    if await kit.slots.was_run(DAILY_ALERT, day.isoformat()):
        return  # a replica or an earlier run posted it: not worth computing again
    alert = await kit.metrics.daily_alert(now)
    key = f"{DAILY_ALERT}:{day.isoformat()}"
    if not alert.imported:
        note = Note(key, BOSSES, "daily_missing", {"day": day}, lane=ALERT)
    else:
        template = "daily_alert" if alert.lines else "daily_ok"
        note = Note(key, GROUP_OR_BOSSES, template, {"alert": alert})
    if not await kit.post(note, job=DAILY_ALERT, slot=day.isoformat()):
        log.info("daily alert for %s already recorded", day)


# --- the weekly report [004] ---------------------------------------------------------
async def report_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Friday 17:00: the weekly report is due before Sunday [004]."""
    kit = kit_of(context)
    week = kit.rhythm.week_of(kit.clock())
    slot = week.isoformat()
    note = Note(f"report-reminder:{slot}", GROUP_OR_BOSSES, "report_reminder", {"week": week})
    await kit.post(note, job="report-reminder", slot=slot)


async def problem_review(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Friday 17:00 (the policy's): the week's problems to the supervisors, by agent,
    an Answer button on each open one [000: the notebook handed in weekly]."""
    kit = kit_of(context)
    slot, notes = await kit.problems.review(kit.clock())
    await kit.post(*notes, job=PROBLEM_REVIEW, slot=slot)


async def report_nudge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Saturday 17:00: a private nudge to each agent whose report is still missing."""
    kit = kit_of(context)
    week = kit.rhythm.week_of(kit.clock())
    slot = week.isoformat()
    notes = [
        Note(f"report-nudge:{slot}:{who.id}", person(who.id), "report_nudge", {"person": who})
        for who in await kit.rhythm.missing_reports(week)
    ]
    await kit.post(*notes, job="report-nudge", slot=slot)


async def report_deadline(context: ContextTypes.DEFAULT_TYPE) -> None:
    """After the Saturday 23:59 deadline: the supervisors get who is missing, with a button."""
    kit = kit_of(context)
    week = kit.rhythm.week_of(kit.clock() - dt.timedelta(days=1))
    slot = week.isoformat()
    missing = await kit.rhythm.missing_reports(week)
    notes = []
    if missing:
        notes.append(
            Note(
                f"report-deadline:{slot}",
                BOSSES,
                "report_missing",
                {"week": week, "missing": missing},
                buttons=(
                    ("late_report_button", b.LateReports(week, b.LOG).encode()),
                    ("dismiss_button", b.LateReports(week, b.DISMISS).encode()),
                ),
                button_data={"count": len(missing)},
            )
        )
    await kit.post(*notes, job="report-deadline", slot=slot)


# --- follow-ups [000: shoppers who did not buy, contacted again within 3 days] ----------
async def followups_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each morning: one DM to each agent with follow-ups due today or overdue, listing
    them; nothing to an agent with none. Once a day, whatever runs it."""
    kit = kit_of(context)
    now = kit.clock()
    slot = kit.followups.today(now).isoformat()
    if await kit.slots.was_run(FOLLOWUPS_JOB, slot):
        return  # a replica or an earlier run recorded them: not worth reading again
    _, notes = await kit.followups.morning(now)
    await kit.post(*notes, job=FOLLOWUPS_JOB, slot=slot)


# --- absence [issue 5: a while after a shift's start, no clock-in and no approved leave] ---
async def absence_check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each rostered agent of the shift who has not clocked in goes to the supervisors."""
    kit = kit_of(context)
    assert context.job is not None and isinstance(context.job.data, str)
    shift_key = context.job.data
    day, missing = await kit.rhythm.absent(shift_key, kit.clock())
    shift = kit.policy.shifts[shift_key]
    notes = [
        Note(
            f"absence:{who.id}:{day.isoformat()}",
            BOSSES,
            "absence_report",
            {"person": who, "day": day, "shift": shift},
            buttons=(
                ("absent_button", b.Absent(who.id, day).encode()),
                ("as_leave_button", b.AsLeave(who.id, day).encode()),
            ),
            lane=ALERT,
        )
        for who in missing
    ]
    await kit.post(*notes, job=kit.rhythm.absence_check(shift_key), slot=day.isoformat())


# --- late clock-ins [004: late costs 2-5 points, by circumstance: the supervisor judges] --
async def late_check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """`late_alert_minutes` after a shift's start: one message to the supervisors listing
    every rostered agent of it that late (clocked in that late, or not in yet); nothing
    when nobody is. Once per shift and day, whatever runs it (its slot is claimed)."""
    kit = kit_of(context)
    assert context.job is not None and isinstance(context.job.data, str)
    shift_key = context.job.data
    late = await kit.rhythm.late(shift_key, kit.clock())
    data = {
        "shift": kit.policy.shifts[shift_key],
        "day": late.day,
        "start": late.start,
        "late": [(who, late.came.get(who.id)) for who in late.rostered],
        "minutes": kit.policy.attendance.late_alert_minutes,
    }
    key = f"late:{shift_key}:{late.day.isoformat()}"
    notes = [Note(key, BOSSES, "late_report", data, lane=ALERT)] if late.rostered else []
    await kit.post(*notes, job=kit.rhythm.late_check(shift_key), slot=late.day.isoformat())


# --- meetings [000: Tuesday and Thursday; one agent stays on duty by rotation] ---------
async def meeting_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before the meeting: the time, the agent on duty, and buttons to confirm; nothing
    when no agent is at work at that time (a team not yet staffed)."""
    kit = kit_of(context)
    now = kit.clock()
    day = now.astimezone(kit.policy.tz).date()
    call = await kit.rhythm.call_meeting(day, now)
    if call is None:  # no agent at work when it starts: nobody to remind, nobody to confirm
        log.info("meeting %s: no agent expected", day)
        return
    assert call.meeting.id is not None
    note = Note(
        f"meeting-reminder:{day.isoformat()}",
        GROUP_OR_BOSSES,
        "meeting_reminder",
        {"call": call, "at": kit.policy.schedule.meeting},
        buttons=(
            ("attend_button", b.Rsvp(call.meeting.id, "attend").encode()),
            ("duty_button", b.Rsvp(call.meeting.id, "duty").encode()),
        ),
    )
    await kit.post(note, job="meeting-reminder", slot=day.isoformat())


async def meeting_check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """After the start: the supervisors get who did not confirm, with buttons."""
    kit = kit_of(context)
    day = kit.clock().astimezone(kit.policy.tz).date()
    meeting, missing = await kit.rhythm.unconfirmed(day)
    notes = []
    if meeting is not None and missing:
        notes.append(
            Note(
                f"meeting-check:{day.isoformat()}",
                BOSSES,
                "meeting_unconfirmed",
                {"day": day, "missing": missing},
                buttons=(
                    ("missed_button", b.MissedMeeting(day, b.LOG).encode()),
                    ("dismiss_button", b.MissedMeeting(day, b.DISMISS).encode()),
                ),
                button_data={"count": len(missing)},
            )
        )
    await kit.post(*notes, job="meeting-check", slot=day.isoformat())


# --- leaving the team [issue 15: after the last working day, no longer an agent] -------
LEAVERS = "leavers"
LEAVERS_AT = dt.time(0, 1)  # just after midnight, team time (and once at every start)
# bot_data: how a person's own command menus are set (the handlers' table), for a leaver.
PERSON_MENU = "person-menu"
PersonMenu = Callable[[Any, Kit, Any], Coroutine[Any, Any, None]]


async def leavers(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Everyone whose last working day has passed stops being an agent (audited, records
    kept); their command menus follow. Idempotent: a replica or a rerun finds nobody."""
    kit = kit_of(context)
    gone = await kit.people.retire_leavers(at=kit.clock())
    menu: PersonMenu | None = context.application.bot_data.get(PERSON_MENU)
    for who in gone:
        log.info("agent %s left the team after %s", who.id, who.left_on)
        if menu is not None:
            await menu(context.bot, kit, who)


# --- complaints on the clock [000: answered within 24 h, solved within 48 h] ------------
COMPLAINT_CLOCK = "complaint-clock"
COMPLAINT_EVERY = dt.timedelta(minutes=5)  # how often the deadlines are looked at


async def complaint_clock(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every few minutes: the reminders before a case's deadlines and the supervisors'
    alerts after one passed unmet, each recorded once (a restart or a replica finds the
    ones due since, and none twice)."""
    kit = kit_of(context)
    if await kit.complaints.clock(at=kit.clock()):
        kit.wake()


# --- next month's roster [000: 白晚班轮换; four rest days a month] -------------------------
async def roster_draft(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The policy's draft day: next month drafted from the rotation rule, its card (with
    Publish and Adjust) to the supervisors; once per month, never over a supervisor's own
    draft or a published month."""
    kit = kit_of(context)
    now = kit.clock()
    month = kit.rostering.next_month(now)
    try:
        view = await kit.rostering.draft(month, at=now, by=None, job=True)
    except Refusal as refusal:
        log.info("roster draft %s: %s", month, refusal.key)
        return
    kit.wake()
    if view is None:
        log.info("roster draft %s: drafted or published already", month)


# --- timers that follow one person's day --------------------------------------------------
def _once(queue: JobQueue, callback: Callback, when: dt.datetime, name: str, data: int) -> None:  # type: ignore[type-arg]
    # The name is the scheduler's id too: scheduling again replaces, with no scan of all jobs.
    queue.run_once(
        callback, when=when, name=name, data=data, job_kwargs={"id": name, "replace_existing": True}
    )


def _job_id(context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.job is not None and isinstance(context.job.data, int)
    return context.job.data


def schedule_break(app: Application, kit: Kit, rest: BreakPeriod) -> None:  # type: ignore[type-arg]
    """The agent's DM at the limit, the supervisors' notice a few minutes later."""
    queue = app.job_queue
    assert queue is not None and rest.id is not None
    schedule = kit.policy.schedule
    limit = rest.started_at + dt.timedelta(minutes=kit.policy.attendance.break_minutes)
    later = limit + dt.timedelta(minutes=schedule.break_report_minutes)
    now = kit.clock()
    for name, callback, when in (
        (f"break-over:{rest.id}", break_over, limit),
        (f"break-report:{rest.id}", break_report, later),
    ):
        _once(queue, callback, max(when, now), name, rest.id)


def schedule_clockout(app: Application, kit: Kit, work: WorkSession) -> None:  # type: ignore[type-arg]
    """Ask the agent after the shift's end; close it at the end a few hours later."""
    if work.shift_end is None or work.outside_shift or work.id is None:
        return
    queue = app.job_queue
    assert queue is not None
    schedule = kit.policy.schedule
    now = kit.clock()
    for name, callback, minutes in (
        (f"clockout-ask:{work.id}", clockout_ask, schedule.clockout_ask_minutes),
        (f"clockout-close:{work.id}", clockout_close, schedule.clockout_close_minutes),
    ):
        _once(
            queue, callback, max(work.shift_end + dt.timedelta(minutes=minutes), now), name, work.id
        )


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
    rest, who = found
    note = Note(
        f"break-over:{rest.id}",
        person(who.id),
        "break_over_dm",
        {
            "rest": rest,
            "minutes": kit.policy.attendance.break_minutes,
            "length": kit.clock() - rest.started_at,
        },
        lane=ALERT,
    )
    await kit.post(note, job="break-over", slot=str(rest.id))


async def break_report(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Still away a few minutes later: the supervisors are told, with a button to log it."""
    kit = kit_of(context)
    found = await kit.attendance.running_break(_job_id(context))
    if found is None:
        return
    rest, who = found
    assert rest.id is not None
    note = Note(
        f"break-report:{rest.id}",
        BOSSES,
        "break_over_report",
        {
            "person": who,
            "rest": rest,
            "minutes": kit.policy.attendance.break_minutes,
            "length": kit.clock() - rest.started_at,
        },
        buttons=(("away_button", b.Away(rest.id).encode()),),
        lane=ALERT,
    )
    await kit.post(note, job="break-report", slot=str(rest.id))


CLOCKOUT_ASK = "clockout-ask:"  # the "still working?" note's key, before the session id


async def clockout_ask(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Still clocked in after the shift: ask the agent, with two buttons."""
    kit = kit_of(context)
    found = await kit.attendance.open_session_by_id(_job_id(context))
    if found is None:
        return
    work, who = found
    assert work.id is not None
    note = Note(
        CLOCKOUT_ASK + str(work.id),
        person(who.id),
        "clockout_ask",
        {"work": work},
        buttons=(
            ("still_working_button", b.StillWorking(work.id).encode()),
            ("end_at_shift_button", b.EndAtShift(work.id).encode()),
        ),
        lane=ALERT,
    )
    await kit.post(note, job="clockout-ask", slot=str(work.id))


async def clockout_close(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Hours after the shift: close it at its scheduled end and tell the supervisors."""
    kit = kit_of(context)
    found = await kit.attendance.open_session_by_id(_job_id(context))
    if found is None:
        return
    work, who = found
    assert work.shift_end is not None and work.id is not None
    closed = await kit.attendance.close_at(work.id, at=work.shift_end, automatic=True)
    if closed is None:
        return
    data = {"person": who, "work": closed.session}
    await kit.post(
        Note(f"clockout-close:{work.id}", person(who.id), "clockout_closed", data),
        Note(f"clockout-close:{work.id}:bosses", BOSSES, "clockout_closed", data, lane=ALERT),
        job="clockout-close",
        slot=str(work.id),
    )


# --- the month close [000: assessed on the 5th-10th, paid on the 15th] ------------------
async def month_draft(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 5th: last month's draft scorecards by DM, the team's preview to the bosses."""
    kit = kit_of(context)
    now = kit.clock()
    month = kit.payroll.last_month(now)
    if await kit.slots.was_run("month-draft", month):
        return  # a replica or an earlier run sent it: the whole close is not computed again
    found = await kit.payroll.month(month)
    if not found.cards:
        log.info("month draft %s: no agents", month)
        return
    preview = Note(
        f"month-draft:{month}",
        BOSSES,
        "team_preview",
        {"m": found, "lock_day": kit.policy.month.lock_day},
        protect=True,  # every agent's score: not to be forwarded
    )
    if not await kit.post(preview, job="month-draft", slot=month):
        return
    run, _ = await kit.payroll.start_broadcast(
        month, DRAFT, at=now, by=None, chat_id=None, cards=found.cards
    )
    kit.wake()
    assert run.id is not None
    await follow(context.application, kit, run.id)


async def month_lock(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 10th: last month's scorecards and payslips frozen as snapshots."""
    kit = kit_of(context)
    now = kit.clock()
    month = kit.payroll.last_month(now)
    try:
        _, locked = await kit.payroll.lock(month, by=None, at=now)
    except Refusal:
        log.info("month lock %s: no agents", month)
        return
    log.info("month %s %s", month, "locked" if locked else "was already locked")


async def month_pay(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 15th: every payslip of last month by DM (locking it if not yet); when the run
    is done, every supervisor gets its report."""
    kit = kit_of(context)
    month = kit.payroll.last_month(kit.clock())
    try:
        await send_payslips(context.application, kit, month, by=None, chat_id=None)
    except Refusal:
        log.info("month pay %s: no agents", month)


async def annual_review(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The policy's review day (10 January): last year's annual review drawn up as drafts
    and previewed to the supervisors with a Confirm button [000 第十一条]. December is
    locked first if the month-lock job has not yet (they share the hour)."""
    kit = kit_of(context)
    now = kit.clock()
    year = kit.reviews.due(now)
    if year is None or await kit.slots.was_run(REVIEW_JOB, str(year)):
        return  # another month's day, or posted already
    try:
        await kit.payroll.lock(kit.payroll.last_month(now), by=None, at=now)
        found = await kit.reviews.draw_up(year, at=now)
    except Refusal:
        log.info("annual review %s: no agents", year)
        return
    await kit.post(kit.reviews.preview_note(found), job=REVIEW_JOB, slot=str(year))


async def send_payslips(
    app: Application,  # type: ignore[type-arg]
    kit: Kit,
    month: str,
    *,
    by: int | None,
    chat_id: int | None,
) -> Run | None:
    """Lock the month (if not yet) and put every payslip in the outbox, once; follow the
    run (its progress message edited as it goes) until it is done. A run that finished
    before is returned, untouched, for the caller to report."""
    now = kit.clock()
    if not await kit.payroll.is_locked(month):
        await kit.payroll.lock(month, by=by, at=now)
    run, new = await kit.payroll.start_broadcast(month, PAYSLIP, at=now, by=by, chat_id=chat_id)
    await announce_star(kit, month)
    kit.wake()
    assert run.id is not None
    if not new and run.finished_at is not None:
        return run
    await follow(app, kit, run.id)
    return None


async def announce_star(kit: Kit, month: str) -> None:
    """With the payslips: the month's service star [002] named in the group (name only,
    no figures) and their certificate by DM, once (the slot is claimed)."""
    star = await kit.payroll.star(month)
    if star is None:
        return
    data = {"month": month, "person": star}
    await kit.post(
        Note(f"star:{month}", GROUP, "star_post", data),
        Note(
            f"star-certificate:{month}:{star.id}",
            person(star.id),
            "star_dm",
            data,
            photo_name=CERTIFICATE,
            person_id=star.id,
        ),
        job="service-star",
        slot=month,
    )


_following: dict[int, asyncio.Task[Any]] = {}
_tasks: set[asyncio.Task[None]] = set()


def _background(work: Coroutine[Any, Any, None], name: str) -> None:
    task = asyncio.create_task(work, name=name)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def follow(app: Application, kit: Kit, run_id: int) -> None:  # type: ignore[type-arg]
    """Watch a run until nothing is left: its progress message edited every few seconds,
    then the final report (payslips: to every supervisor). One watcher per run."""
    running = _following.get(run_id)
    if running is not None and not running.done():
        await asyncio.shield(running)
        return
    task = asyncio.current_task()
    assert task is not None
    _following[run_id] = task
    try:
        await _follow(app, kit, run_id)
    finally:
        _following.pop(run_id, None)


async def _follow(app: Application, kit: Kit, run_id: int) -> None:  # type: ignore[type-arg]
    progress = await kit.payroll.progress(run_id)
    run = progress.broadcast
    message_id = run.message_id
    if run.chat_id is not None and message_id is None:
        text = kit.texts.render("payroll_progress", p=progress)
        shown = await send_html(app.bot, run.chat_id, text)  # a direct reply to the command
        if shown is not None:
            message_id = shown.message_id
            await kit.payroll.set_progress_message(run_id, message_id)
    shown_text = ""
    while True:
        progress = await kit.payroll.progress(run_id, finish_at=kit.clock())
        if run.chat_id is not None and message_id is not None:
            text = kit.texts.render("payroll_progress", p=progress)
            if text != shown_text:
                assert kit.delivery is not None
                await kit.delivery.sender.edit(run.chat_id, message_id, text)
                shown_text = text
        if progress.done:
            break
        await asyncio.sleep(EDIT_EVERY)
    log.info("%s run %s: sent %d, failed %d", run.kind, run.month, progress.sent, progress.failed)
    if run.kind == PAYSLIP and run.chat_id is None:  # the 15th: the report to every supervisor
        await kit.post(
            Note(f"payroll-report:{run_id}", BOSSES, "payroll_progress", {"p": progress})
        )


async def resume(app: Application, kit: Kit) -> None:  # type: ignore[type-arg]
    """At start-up: follow every run a stop or crash cut short (its rows are in the outbox,
    which sends the rest; never a DM twice)."""
    for run in await kit.payroll.unfinished(kit.clock()):
        assert run.id is not None
        log.info("resuming the %s run of %s", run.kind, run.month)
        kit.wake()
        _background(follow(app, kit, run.id), f"run:{run.id}")


# --- what the outbox needs of the rest of the bot ---------------------------------------
async def attachment(kit: Kit, row: Notice) -> bytes | None:
    """A draft's chart or the star's certificate, drawn when it is sent (not stored
    with every row)."""
    if row.photo_name == ROSTER_PICTURE:
        return await _roster_picture(kit, row)
    if row.photo_name == CERTIFICATE and row.person_id is not None:
        return await _certificate(kit, row.key.split(":")[1], row.person_id)
    if row.photo_name != SCORECARD or row.person_id is None:
        return None
    month = row.key.split(":")[1]
    who = await kit.people.get(row.person_id)
    card: Card | None = None if who is None else await kit.payroll.card(who, month)
    return None if card is None else await asyncio.to_thread(scorecard_png, card)


async def _roster_picture(kit: Kit, row: Notice) -> bytes | None:
    """A draft card's picture: its month as it stands when the card is sent (the first
    page of a long team; `/roster YYYY-MM` shows every page)."""
    plan_id = row.key.partition(">")[0].split(":")[-1]
    view = await kit.rostering.draft_picture(int(plan_id)) if plan_id.isdigit() else None
    if view is None:
        return None
    return await asyncio.to_thread(roster_png, view, kit.policy.language)


async def _certificate(kit: Kit, month: str, person_id: int) -> bytes | None:
    who = await kit.people.get(person_id)
    if who is None:
        return None
    shop, language = kit.policy.star.shop_name, kit.policy.language
    return await asyncio.to_thread(certificate_png, shop, month, who.full_name, language)


async def moot(kit: Kit, row: Notice) -> bool:
    """Whether a row is moot just before it is sent (`Delivery`): a "still working?"
    about a shift that is closed, or due to be closed, by now."""
    note_key = row.key.partition(">")[0]  # a row's key is its note's, then ">chat"
    if row.kind != "clockout_ask" or not note_key.startswith(CLOCKOUT_ASK):
        return False
    session_id = int(note_key.removeprefix(CLOCKOUT_ASK))
    return await kit.attendance.clockout_moot(session_id, at=kit.clock())


async def report_failure(kit: Kit, row: Notice, reason: str) -> None:
    """A message that could not be delivered, for good: whoever caused it is told (the
    supervisors when nobody did). A payslip run reports its own failures at the end."""
    if row.broadcast_id is not None or row.kind in ("unreachable", "delivery_failed"):
        return
    who = await kit.people.get(row.chat_id)
    if who is not None and not who.dm_open:
        return  # never opened a chat: whoever caused it was told at once (Call.warn_unreachable)
    to = person(row.report_to) if row.report_to is not None else BOSSES
    blocked = unreachable(reason)
    if who is not None and blocked:
        note = Note(f"failed:{row.id}", to, "unreachable", {"person": who}, lane=ALERT)
    else:
        note = Note(
            f"failed:{row.id}",
            to,
            "delivery_failed",
            {
                "person": who,
                "group": row.is_group,
                "chat_id": row.chat_id,
                "what": opening(row.text),
                "reason": reason[:200],
            },
            lane=ALERT,
        )
    await kit.post(note)
