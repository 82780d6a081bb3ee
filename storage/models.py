"""Every table of kefu, in one place (SQLModel).

Rows are never deleted: closing a shift or a break sets its end, a role change
is logged in `audit_log`. Telegram ids are 64-bit, hence BigInteger.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _when(*, nullable: bool = False, index: bool = False) -> dt.datetime:
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index)  # type: ignore[no-any-return]


def _big_fk(target: str, *, nullable: bool = False, index: bool = True) -> int:
    return Field(  # type: ignore[no-any-return]
        sa_column=Column(BigInteger, ForeignKey(target), nullable=nullable, index=index)
    )


def display_name(first_name: str, last_name: str | None) -> str:
    """First and last name, as Telegram shows them."""
    return " ".join(part for part in (first_name, last_name) if part)


class Person(SQLModel, table=True):
    """Anyone who wrote to the bot; an agent or supervisor by the flags below."""

    __tablename__ = "person"

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    first_name: str
    last_name: str | None = None
    username: str | None = None
    username_lower: str | None = Field(default=None, index=True)
    language_code: str | None = None
    dm_open: bool = False
    is_supervisor: bool = False
    # The shop's owner who claimed the bot with its one-time code (KEFU_ADMINS adds more).
    is_owner: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    is_agent: bool = False
    level: str | None = None
    track: str | None = None
    im_name: str | None = None
    shift: str | None = None
    rest_day: int | None = None  # weekly rest day, 0 = Monday … 6 = Sunday
    enrolled_at: dt.datetime | None = _when(nullable=True)
    enrolled_by: int | None = Field(default=None, sa_type=BigInteger)
    # Set by /hire; without it the enrolment day counts as the hiring day.
    hired_on: dt.date | None = None
    probation_until: dt.date | None = None  # last day of probation, if any
    # Set by /resign: the last working day (then off the team) and why; /enroll clears it.
    left_on: dt.date | None = None
    left_reason: str | None = None
    first_seen: dt.datetime = _when()
    last_seen: dt.datetime = _when()

    @property
    def full_name(self) -> str:
        """First and last name, as Telegram shows them."""
        return display_name(self.first_name, self.last_name)


class Setting(SQLModel, table=True):
    """Team-wide settings set by command (e.g. the team group)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str
    updated_at: dt.datetime = _when()
    updated_by: int | None = Field(default=None, sa_type=BigInteger)


class WorkSession(SQLModel, table=True):
    """One clock-in to clock-out; at most one open per person."""

    __tablename__ = "work_session"
    __table_args__ = (
        Index(
            "uq_work_session_open",
            "person_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    started_at: dt.datetime = _when(index=True)
    ended_at: dt.datetime | None = _when(nullable=True)
    shift: str | None = None
    shift_start: dt.datetime | None = _when(nullable=True)
    shift_end: dt.datetime | None = _when(nullable=True)
    late_minutes: int = 0
    outside_shift: bool = False
    chat_id: int = Field(sa_type=BigInteger)
    # Closed by the bot after a forgotten clock-out (supervisors can correct it).
    auto_closed: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class BreakPeriod(SQLModel, table=True):
    """A break within a work session; at most one open per person."""

    __tablename__ = "break_period"
    __table_args__ = (
        Index(
            "uq_break_period_open",
            "person_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="work_session.id", index=True)
    person_id: int = _big_fk("person.id")
    started_at: dt.datetime = _when()
    ended_at: dt.datetime | None = _when(nullable=True)


class Handover(SQLModel, table=True):
    """A note for the next shift."""

    __tablename__ = "handover"

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = _big_fk("person.id")
    session_id: int | None = Field(default=None, foreign_key="work_session.id")
    text: str
    created_at: dt.datetime = _when(index=True)
    from_shift: str | None = None
    to_shift: str | None = None
    chat_id: int = Field(sa_type=BigInteger)


class HandoverAck(SQLModel, table=True):
    """Who acknowledged a handover, and when."""

    __tablename__ = "handover_ack"
    __table_args__ = (UniqueConstraint("handover_id", "person_id", name="uq_handover_ack"),)

    id: int | None = Field(default=None, primary_key=True)
    handover_id: int = Field(foreign_key="handover.id", index=True)
    person_id: int = _big_fk("person.id", index=False)
    acked_at: dt.datetime = _when()


class AuditLog(SQLModel, table=True):
    """Who changed what about the team, and when (roles, enrolment, shifts, group)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _when(index=True)
    actor_id: int | None = Field(default=None, sa_type=BigInteger)
    action: str
    subject_id: int | None = Field(default=None, sa_type=BigInteger)
    detail: str = ""


class LedgerEntry(SQLModel, table=True):
    """A violation, bonus or month-end adjustment: the `#N` people see.

    Never edited or deleted; `rule` keeps the policy values it was computed
    with (JSON), so a later policy change never rewrites history.
    """

    __tablename__ = "ledger_entry"
    __table_args__ = (Index("ix_ledger_entry_person_month", "person_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    kind: str  # violation | bonus | adjust
    code: str | None = None
    points: int
    cash_fen: int = 0
    offence: int = 0  # the n-th of this code for this agent in the month
    warning: bool = False
    demerit: bool = False
    dismissal_review: bool = False
    note: str = ""
    month: str  # YYYY-MM in team time
    logged_at: dt.datetime = _when()
    logged_by: int = Field(sa_type=BigInteger)
    chat_id: int = Field(sa_type=BigInteger)
    rule: str = "{}"


class LedgerVoid(SQLModel, table=True):
    """The cancellation of an entry: who, when, why (the entry itself stays)."""

    __tablename__ = "ledger_void"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="ledger_entry.id", unique=True)
    reason: str
    voided_at: dt.datetime = _when()
    voided_by: int = Field(sa_type=BigInteger)
    appeal_id: int | None = None


class Appeal(SQLModel, table=True):
    """An agent contesting an entry about themselves; the first decision wins."""

    __tablename__ = "appeal"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="ledger_entry.id", unique=True)
    person_id: int = _big_fk("person.id", index=False)
    reason: str
    filed_at: dt.datetime = _when()
    decided_at: dt.datetime | None = _when(nullable=True)
    decided_by: int | None = Field(default=None, sa_type=BigInteger)
    outcome: str | None = None  # upheld | voided


class DailyMetric(SQLModel, table=True):
    """One agent's chat-tool figures for one day (an import replaces, never duplicates)."""

    __tablename__ = "daily_metric"
    __table_args__ = (UniqueConstraint("person_id", "day", name="uq_daily_metric_person_day"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    day: dt.date = Field(index=True)
    consults: int | None = None
    received: int | None = None
    reply_rate_bp: int | None = None  # basis points: 9750 = 97.50%
    avg_response_ms: int | None = None
    inquiries: int | None = None
    orders: int | None = None
    payers: int | None = None
    sales_fen: int | None = None
    imported_at: dt.datetime = _when()
    imported_by: int | None = Field(default=None, sa_type=BigInteger)
    source: str = ""


class JobRun(SQLModel, table=True):
    """A scheduled post that went out (or is going out): one row per job and slot, ever."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "slot", name="uq_job_run_slot"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str
    slot: str
    started_at: dt.datetime = _when()


class LeaveRequest(SQLModel, table=True):
    """An agent's request for a day off; supervisors approve or deny it (first press wins)."""

    __tablename__ = "leave_request"
    __table_args__ = (UniqueConstraint("person_id", "day", name="uq_leave_request_day"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    day: dt.date
    reason: str
    timing: str  # ordinary | urgent | late, by how long before the shift it was asked
    requested_at: dt.datetime = _when()
    status: str = "pending"  # pending | approved | denied
    decided_by: int | None = Field(default=None, sa_type=BigInteger)
    decided_at: dt.datetime | None = _when(nullable=True)


class WeeklyReport(SQLModel, table=True):
    """An agent's weekly work report; one per week, a second one replaces the first."""

    __tablename__ = "weekly_report"
    __table_args__ = (UniqueConstraint("person_id", "week", name="uq_weekly_report_week"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    week: str  # the Monday of the week, YYYY-MM-DD, team time
    text: str
    submitted_at: dt.datetime = _when()
    replaced: int = 0  # how many times it was sent again


class Meeting(SQLModel, table=True):
    """A meeting day and the agent on duty by rotation [000: Tue and Thu, one stays on duty]."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(unique=True)
    duty_person_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _when()


class MeetingReply(SQLModel, table=True):
    """An agent's answer to the meeting reminder: attend, or on duty."""

    __tablename__ = "meeting_reply"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id", name="uq_meeting_reply"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = _big_fk("person.id", index=False)
    answer: str  # attend | duty
    at: dt.datetime = _when()


class QaCheck(SQLModel, table=True):
    """A supervisor's chat-log QA check of an agent, 0-100 [001]; the month takes the mean."""

    __tablename__ = "qa_check"
    __table_args__ = (Index("ix_qa_check_person_month", "person_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    month: str  # YYYY-MM in team time
    score: int
    note: str = ""
    checked_at: dt.datetime = _when()
    checked_by: int = Field(sa_type=BigInteger)
    chat_id: int = Field(sa_type=BigInteger)


class OneOff(SQLModel, table=True):
    """A one-off bonus (or deduction) for a month, with its reason [000: ranked first ...]."""

    __tablename__ = "one_off"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    month: str = Field(index=True)
    amount_fen: int
    reason: str
    added_at: dt.datetime = _when()
    added_by: int = Field(sa_type=BigInteger)
    # Who put it there: "" a supervisor's `/oneoff`; "streak" ranked first three months
    # running [000]; "star" the month's service star [002] (both added at the lock).
    source: str = Field(default="", sa_column_kwargs={"server_default": ""})
    voided_at: dt.datetime | None = _when(nullable=True)
    voided_by: int | None = Field(default=None, sa_type=BigInteger)
    void_reason: str = Field(default="", sa_column_kwargs={"server_default": ""})


class MonthLock(SQLModel, table=True):
    """A locked month: its scorecards and payslips are frozen in `payslip` rows."""

    __tablename__ = "month_lock"

    month: str = Field(primary_key=True)
    locked_at: dt.datetime = _when()
    locked_by: int | None = Field(default=None, sa_type=BigInteger)
    policy_version: str


class Payslip(SQLModel, table=True):
    """One agent's scorecard and payslip for a locked month: an immutable snapshot (JSON)."""

    __tablename__ = "payslip"
    __table_args__ = (UniqueConstraint("month", "person_id", name="uq_payslip_month_person"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)
    person_id: int = _big_fk("person.id", index=False)
    card: str  # the scorecard and the lines, JSON
    total_fen: int
    policy_version: str
    created_at: dt.datetime = _when()
    received_at: dt.datetime | None = _when(nullable=True)  # the agent pressed "Received"
    # The month's ranking, kept beside the snapshot so that streaks and promotions read
    # months of history without parsing cards (`rules.standing`).
    rank: int | None = None  # 1 = first on the team that month
    score_cents: int | None = None  # the KPI score × 100
    points_lost: int | None = None  # None: stored before points lost were kept
    star: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Broadcast(SQLModel, table=True):
    """A run of DMs for a month (drafts or payslips): who started it, where its progress shows."""

    __tablename__ = "broadcast"
    __table_args__ = (UniqueConstraint("month", "kind", name="uq_broadcast_month_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str
    kind: str  # draft | payslip
    started_at: dt.datetime = _when()
    started_by: int | None = Field(default=None, sa_type=BigInteger)
    chat_id: int | None = Field(default=None, sa_type=BigInteger)
    message_id: int | None = None
    finished_at: dt.datetime | None = _when(nullable=True)


class Outbox(SQLModel, table=True):
    """One DM of a broadcast to one agent, written before sending and marked after.

    pending -> sending -> sent | undeliverable; a row left in `sending` by a crash
    becomes `uncertain` and is never sent again (nobody gets a payslip twice).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "person_id", name="uq_outbox_broadcast_person"),
        Index("ix_outbox_broadcast_status", "broadcast_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id")
    person_id: int = _big_fk("person.id", index=False)
    status: str = "pending"
    attempts: int = 0
    error: str = ""
    updated_at: dt.datetime = _when()


class Notice(SQLModel, table=True):
    """One message of the outbox: everything the bot sends that is not a direct reply.

    Written in the same transaction as the fact it announces; claimed just before it
    is sent and marked after (pending -> sending -> sent | failed; a crash mid-send
    leaves `uncertain`, never resent). `key` makes recording it idempotent.
    """

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_due", "status", "lane", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # what it is about and for whom: dedupe
    chat_id: int = Field(sa_type=BigInteger)
    is_group: bool = False
    kind: str  # the template, for logs and reports
    lane: int = 1  # 0 alerts, 1 notices, 2 bulk runs
    text: str = Field(sa_type=Text)
    markup: str | None = Field(default=None, sa_type=Text)  # inline keyboard as JSON
    protect: bool = False
    coalesce: bool = False  # a group post that may merge into a digest
    photo: bytes | None = Field(default=None, sa_type=LargeBinary)
    photo_name: str | None = None
    broadcast_id: int | None = Field(default=None, foreign_key="broadcast.id", index=True)
    person_id: int | None = Field(default=None, sa_type=BigInteger)
    report_to: int | None = Field(default=None, sa_type=BigInteger)  # told if it fails
    status: str = "pending"
    attempts: int = 0
    done: int = 0  # steps (parts, photo) already sent: a retry goes on from there
    error: str = ""
    claimed_by: str = ""
    message_id: int | None = None
    created_at: dt.datetime = _when()
    not_before: dt.datetime = _when()
    deadline: dt.datetime = _when()
    updated_at: dt.datetime = _when()
    sent_at: dt.datetime | None = _when(nullable=True)


class LevelChange(SQLModel, table=True):
    """A change of an agent's level, in force from `effective` (a month's 1st): by `/enroll`
    or a promotion's button. A month is paid at the level it began with (`rules.levels`)."""

    __tablename__ = "level_change"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    from_level: str | None = None
    to_level: str
    effective: dt.date
    at: dt.datetime = _when()
    by: int | None = Field(default=None, sa_type=BigInteger)
    source: str  # enroll | promotion
    promotion_id: int | None = Field(default=None, foreign_key="promotion.id")


class Promotion(SQLModel, table=True):
    """A proposal made at a month's lock to move an agent one step up the ladder; the first
    supervisor's press decides it (promoted | passed), once."""

    __tablename__ = "promotion"
    __table_args__ = (UniqueConstraint("person_id", "month", name="uq_promotion_person_month"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    month: str = Field(index=True)  # the locked month whose scores made it
    from_level: str
    to_level: str
    effective: dt.date  # the 1st of the month after the lock day
    months_in_level: int
    scores: str  # the scored months that met the band, "YYYY-MM=score" comma-separated
    created_at: dt.datetime = _when()
    status: str = "pending"  # pending | promoted | passed
    decided_at: dt.datetime | None = _when(nullable=True)
    decided_by: int | None = Field(default=None, sa_type=BigInteger)


class PublicSales(SQLModel, table=True):
    """The shop's public sales [000 第10条: 公共销售业绩总额] for a month or one day of it:
    `period` YYYY-MM (the month's figure, `/publicsales` or an import's month row) or
    YYYY-MM-DD (a day, from an import's `shop` row). A second figure for a period
    replaces the first (kept in the audit log)."""

    __tablename__ = "public_sales"

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(unique=True)
    month: str = Field(index=True)
    amount_fen: int = Field(sa_type=BigInteger)
    source: str = ""  # "" typed with /publicsales; else the imported file's name
    entered_at: dt.datetime = _when()
    entered_by: int | None = Field(default=None, sa_type=BigInteger)


class Exam(SQLModel, table=True):
    """A monthly exam result [000, 004]: one per agent, kind and month; `entry_id` is
    the ledger entry it logged (under the pass mark, full marks)."""

    __tablename__ = "exam"
    __table_args__ = (UniqueConstraint("person_id", "month", "kind", name="uq_exam_month_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    month: str = Field(index=True)
    kind: str
    score: int
    entry_id: int | None = None
    taken_at: dt.datetime = _when()
    recorded_by: int = Field(sa_type=BigInteger)
    chat_id: int = Field(sa_type=BigInteger)


class AnnualReview(SQLModel, table=True):
    """One agent's annual review of a year [000 第十一条]: a draft until a supervisor
    confirms the year's review; `adjustment_bp` the move of next year's performance
    pay in basis points (None: not assessed)."""

    __tablename__ = "annual_review"
    __table_args__ = (UniqueConstraint("year", "person_id", name="uq_annual_review_year_person"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    person_id: int = _big_fk("person.id", index=False)
    months: int
    mean_cents: int | None = None
    grade: str
    adjustment_bp: int | None = None
    drafted_at: dt.datetime = _when()
    confirmed_at: dt.datetime | None = _when(nullable=True)
    confirmed_by: int | None = Field(default=None, sa_type=BigInteger)


class RosterDay(SQLModel, table=True):
    """One agent's day in the roster: a shift key, or None for rest. A draft's cells
    (`draft`) are not the roster until the month is published; a day without a row
    follows the weekly pattern (`rules.roster.planned`)."""

    __tablename__ = "roster_day"
    __table_args__ = (
        UniqueConstraint("person_id", "day", "draft", name="uq_roster_day"),
        Index("ix_roster_day_draft_day", "draft", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id", index=False)
    day: dt.date
    shift: str | None = None
    draft: bool = False
    source: str  # draft | publish | edit | swap | pattern
    set_at: dt.datetime = _when()
    set_by: int | None = Field(default=None, sa_type=BigInteger)


class RosterPlan(SQLModel, table=True):
    """A month's roster draft and whether (and by whom) it was published."""

    __tablename__ = "roster_plan"

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(unique=True)  # YYYY-MM
    status: str = "draft"  # draft | published
    drafted_at: dt.datetime = _when()
    drafted_by: int | None = Field(default=None, sa_type=BigInteger)  # None: the 25th's job
    published_at: dt.datetime | None = _when(nullable=True)
    published_by: int | None = Field(default=None, sa_type=BigInteger)


class ShiftSwap(SQLModel, table=True):
    """`/swap`: an agent asks a colleague to swap their roster on `day` (and `other_day`);
    the colleague accepts, a supervisor approves [002: agree with a colleague, then the
    supervisor approves]."""

    __tablename__ = "shift_swap"

    id: int | None = Field(default=None, primary_key=True)
    asker_id: int = _big_fk("person.id")
    colleague_id: int = _big_fk("person.id")
    day: dt.date = Field(index=True)
    other_day: dt.date | None = None
    status: str = "asked"  # asked | accepted | approved | declined | refused | withdrawn
    asked_at: dt.datetime = _when()
    answered_at: dt.datetime | None = _when(nullable=True)
    decided_by: int | None = Field(default=None, sa_type=BigInteger)
    decided_at: dt.datetime | None = _when(nullable=True)
    withdrawn_by: int | None = Field(default=None, sa_type=BigInteger)


class PunchFix(SQLModel, table=True):
    """`/fixpunch`: a make-up clock-in or clock-out (补卡) a supervisor approves; the
    approved time replaces the missing one in the work session (`session_id`)."""

    __tablename__ = "punch_fix"
    __table_args__ = (  # one pending request per day and kind, even when two come at once
        Index(
            "uq_punch_fix_pending",
            "person_id",
            "day",
            "kind",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    day: dt.date
    month: str = Field(index=True)  # YYYY-MM of `day`: the monthly quota counts by it
    kind: str  # in | out
    punched_at: dt.datetime = _when()  # the time asked for
    reason: str
    status: str = "pending"  # pending | approved | denied | withdrawn
    asked_at: dt.datetime = _when()
    decided_by: int | None = Field(default=None, sa_type=BigInteger)
    decided_at: dt.datetime | None = _when(nullable=True)
    session_id: int | None = None  # the work session it changed or opened


class Discount(SQLModel, table=True):
    """`/discount`: a discount an agent gave on an order [000: over 30 yuan a supervisor
    approves; under it the agent notes why]. `recorded` within the limit, else
    `pending` until a supervisor approves or denies it."""

    __tablename__ = "discount"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    month: str = Field(index=True)  # YYYY-MM of `asked_at`, team time
    order_no: str
    amount_fen: int
    reason: str
    status: str  # recorded | pending | approved | denied
    asked_at: dt.datetime = _when()
    chat_id: int = Field(sa_type=BigInteger)
    decided_by: int | None = Field(default=None, sa_type=BigInteger)
    decided_at: dt.datetime | None = _when(nullable=True)


class ComplaintCase(SQLModel, table=True):
    """`/complaint`: a shopper's complaint on the clock [000: answer within 24 h, solve
    within 48 h; 001: the KPI bands]. Assigned to `person_id`; its month is the month it
    was opened in."""

    __tablename__ = "complaint_case"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    month: str = Field(index=True)
    order_no: str
    text: str
    opened_at: dt.datetime = _when()
    opened_by: int = Field(sa_type=BigInteger)
    replied_at: dt.datetime | None = _when(nullable=True)
    solved_at: dt.datetime | None = _when(nullable=True)
    solved_how: str | None = None
    arbitration_at: dt.datetime | None = _when(nullable=True)


class FollowUp(SQLModel, table=True):
    """`/followup`: a shopper who asked but did not buy, to contact again by `due_on`
    [000: followed up within 3 days]; `/followed` closes it with any sale recovered."""

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    month: str = Field(index=True)  # YYYY-MM of `created_at`, team time
    buyer: str
    reason: str
    created_at: dt.datetime = _when()
    due_on: dt.date = Field(index=True)
    done_at: dt.datetime | None = _when(nullable=True)
    done_month: str | None = Field(default=None, index=True)  # the recovered yuan's month
    recovered_fen: int | None = None


class Problem(SQLModel, table=True):
    """`/problem`: a problem or idea met at work [000: each agent's notebook of problems,
    handed to the lead weekly]; a supervisor's answer reaches the author."""

    __tablename__ = "problem"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _big_fk("person.id")
    week: str = Field(index=True)  # the Monday of its week, team time
    text: str
    created_at: dt.datetime = _when()
    answer: str | None = None
    answered_by: int | None = Field(default=None, sa_type=BigInteger)
    answered_at: dt.datetime | None = _when(nullable=True)
