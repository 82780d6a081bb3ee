"""Every scheduled post in one list: names, times, and how a restart catches up.

Jobs are rebuilt from the policy at every start with deterministic names. Each
callback claims its slot in the database before sending (`job_run`), so a
restart, a second process or a retry never sends it twice. A slot missed while
the bot was down is sent late within the policy's grace, else skipped and logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram.ext import Application

from bot import jobs
from bot.kit import Kit
from bot.services.followups import JOB as FOLLOWUPS_JOB
from bot.services.problems import REVIEW as PROBLEM_REVIEW
from rules import schedule as schedule_rules

log = logging.getLogger(__name__)
Callback = jobs.Callback


@dataclass(frozen=True)
class Post:
    """A scheduled post: its job name, callback, time and weekdays (None = daily; 0 = Monday)."""

    name: str
    callback: Callback
    at: dt.time
    weekdays: tuple[int, ...] | None = None
    data: object = None
    month_day: int | None = None  # monthly, on this day (the month close)
    in_month: int | None = None  # with `month_day`: yearly, in this month (the annual review)


def _after_each_start(
    kit: Kit, name: Callable[[str], str], callback: Callback, minutes: int
) -> list[Post]:
    """One post per shift, `minutes` after its start; its data is the shift's key."""
    after = dt.timedelta(minutes=minutes)
    return [
        Post(
            name(key),
            callback,
            (dt.datetime.combine(dt.date(2000, 1, 3), shift.start) + after).time(),
            data=key,
        )
        for key, shift in sorted(kit.policy.shifts.items())
    ]


def posts(kit: Kit) -> list[Post]:
    """The bot's scheduled posts under the policy [domain.md §7]."""
    schedule = kit.policy.schedule
    absence_checks = _after_each_start(
        kit, kit.rhythm.absence_check, jobs.absence_check, schedule.absent_after_minutes
    )
    late_minutes = kit.policy.attendance.late_alert_minutes
    late_checks = (
        _after_each_start(kit, kit.rhythm.late_check, jobs.late_check, late_minutes)
        if late_minutes
        else []
    )
    meeting = dt.datetime.combine(dt.date(2000, 1, 3), schedule.meeting)
    meeting_days = tuple(schedule.meeting_days)
    month = kit.policy.month
    return [
        Post("daily-alert", jobs.daily_alert, schedule.daily_alert),
        Post(
            "meeting-reminder",
            jobs.meeting_reminder,
            (meeting - dt.timedelta(minutes=schedule.meeting_reminder_minutes)).time(),
            meeting_days,
        ),
        Post(
            "meeting-check",
            jobs.meeting_check,
            (meeting + dt.timedelta(minutes=schedule.meeting_check_minutes)).time(),
            meeting_days,
        ),
        Post(FOLLOWUPS_JOB, jobs.followups_due, kit.policy.casework.followup_time),
        Post("report-reminder", jobs.report_reminder, schedule.report_reminder, (4,)),
        Post("report-nudge", jobs.report_nudge, schedule.report_nudge, (5,)),
        Post(
            PROBLEM_REVIEW,
            jobs.problem_review,
            kit.policy.casework.problem_time,
            (kit.policy.casework.problem_weekday,),
        ),
        Post("report-deadline", jobs.report_deadline, dt.time(0, 5), (6,)),
        *late_checks,
        *absence_checks,
        Post(
            "roster-draft",
            jobs.roster_draft,
            kit.policy.roster.draft_time,
            month_day=kit.policy.roster.draft_day,
        ),
        Post("month-draft", jobs.month_draft, month.at, month_day=month.draft_day),
        Post("month-lock", jobs.month_lock, month.at, month_day=month.lock_day),
        Post("month-pay", jobs.month_pay, month.at, month_day=month.pay_day),
        Post(
            "annual-review",
            jobs.annual_review,
            month.at,
            month_day=kit.policy.review.month_day[1],
            in_month=kit.policy.review.month_day[0],
        ),
    ]


def _ptb_days(weekdays: tuple[int, ...] | None) -> tuple[int, ...]:
    # python-telegram-bot counts days from Sunday = 0.
    return tuple(range(7)) if weekdays is None else tuple((d + 1) % 7 for d in weekdays)


def install(app: Application, kit: Kit) -> None:  # type: ignore[type-arg]
    """Schedule every post, and run at once any slot missed within the grace."""
    queue = app.job_queue
    assert queue is not None
    tz = kit.policy.tz
    grace = dt.timedelta(minutes=kit.policy.schedule.grace_minutes)
    now = kit.clock()
    for post in posts(kit):
        for job in queue.get_jobs_by_name(post.name):
            job.schedule_removal()
        job_kwargs = {"misfire_grace_time": int(grace.total_seconds()) or None}
        if post.month_day is not None:  # monthly; a yearly post checks its month when run
            queue.run_monthly(
                post.callback,
                when=post.at.replace(tzinfo=tz),
                day=post.month_day,
                name=post.name,
                data=post.data,
                job_kwargs=job_kwargs,
            )
        else:
            queue.run_daily(
                post.callback,
                time=post.at.replace(tzinfo=tz),
                days=_ptb_days(post.weekdays),
                name=post.name,
                data=post.data,
                job_kwargs=job_kwargs,
            )
        latest = schedule_rules.latest_slot(
            post.at, post.weekdays, now, tz, post.month_day, post.in_month
        )
        if schedule_rules.catch_up(latest, now, grace):
            log.info("catching up %s for %s", post.name, latest.isoformat())
            queue.run_once(post.callback, when=0, name=f"{post.name}-catch-up", data=post.data)
        else:
            # Sent then, or missed while the bot was down: either way too late to send now.
            log.debug("%s: last slot %s is past the grace", post.name, latest.isoformat())
    # Leavers: no post (nothing is sent), so not in /schedule; daily and once at start.
    for job in queue.get_jobs_by_name(jobs.LEAVERS):
        job.schedule_removal()
    queue.run_daily(jobs.leavers, time=jobs.LEAVERS_AT.replace(tzinfo=tz), name=jobs.LEAVERS)
    queue.run_once(jobs.leavers, when=0, name=f"{jobs.LEAVERS}-at-start")
    # Complaint deadlines: no post of a fixed time (each case has its own), so not in
    # /schedule; every few minutes, the first run soon after a start.
    for job in queue.get_jobs_by_name(jobs.COMPLAINT_CLOCK):
        job.schedule_removal()
    queue.run_repeating(
        jobs.complaint_clock, interval=jobs.COMPLAINT_EVERY, first=60, name=jobs.COMPLAINT_CLOCK
    )


def upcoming(kit: Kit, now: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """The next time of every post, soonest first (for /schedule)."""
    tz = kit.policy.tz
    return sorted(
        (schedule_rules.next_slot(p.at, p.weekdays, now, tz, p.month_day, p.in_month), p.name)
        for p in posts(kit)
    )
