"""Representative data for every template: what its call sites pass, in the real types.

`SAMPLES` maps a template's name to the contexts it is rendered with: lists with 0,
1 and many items, counts of 1 and several, each branch a user can reach. A value
that depends on the team's language (an entry's name, a shift's label) is a `By`,
resolved per language by `context_for`. Adding a template means adding one entry
here; `tests/rules/test_templates.py` fails for a template without one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.services.attendance import BackFromBreak, Due, TeamStatus
from bot.services.complaints import CaseView
from bot.services.exams import Taken
from bot.services.fixpunch import Asked, Settled
from bot.services.followups import Closed
from bot.services.followups import Line as FollowLine
from bot.services.ledger import Decision, Filed, Logged, Standing, entry_name, snapshot
from bot.services.levels import Decided, scores_of
from bot.services.metrics import AlertLine, DailyAlert, DayFacts, Imported, KpiView
from bot.services.payroll import MonthCards, Progress, Receipt, VoidedOneOff
from bot.services.people import PatternSet, Resigned, Setup
from bot.services.reviews import YearReview
from bot.services.rhythm import LeaveDecided, MeetingCall, Reported
from bot.services.rostering import Cell, Changed, Drafted, MonthView, Published
from bot.services.sales import SalesEntered
from bot.services.swaps import Line, SwapView
from bot.settings import default_policy_data
from bot.texts import Texts
from handlers.commands import COMMANDS
from rules import attendance as attendance_rules
from rules import close as close_rules
from rules import complaints as complaint_rules
from rules import kpi as kpi_rules
from rules import ledger as ledger_rules
from rules import streaks as streak_rules
from rules.kpi import MetricSums, MonthFigure
from rules.metrics import WHY, Flag, Problem
from rules.policy import Names, build_policy
from rules.review import Applied
from rules.standing import Place
from storage import models
from storage.exams import ExamRecord
from storage.ledger import LedgerLine
from storage.levels import Proposal
from storage.payroll import Locked, OneOffRecord, QaRecord, Run
from storage.review import ReviewRow

TZ = ZoneInfo("Asia/Shanghai")
POLICY = build_policy(default_policy_data())
DAY_SHIFT = POLICY.shifts["day"]
Context = dict[str, Any]


@dataclass(frozen=True)
class By:
    """A value that depends on the team's language."""

    pick: Callable[[str], Any]


def by(en: Any, zh: Any) -> By:
    """One value per language."""
    return By(lambda language: en if language == "en" else zh)


def _resolve(value: Any, language: str) -> Any:
    if isinstance(value, By):
        return value.pick(language)
    if isinstance(value, list):
        return [_resolve(item, language) for item in value]
    if isinstance(value, tuple):
        return tuple(_resolve(item, language) for item in value)
    return value


def context_for(sample: Mapping[str, Any], language: str) -> Context:
    """A sample's context with its language-dependent values chosen."""
    return {key: _resolve(value, language) for key, value in sample.items()}


TYPED: set[str] = set()  # what people typed (names, notes, files): theirs, not the bot's words


def typed(text: str) -> str:
    """A text a person typed; the checks of the bot's own words leave it out."""
    TYPED.add(text)
    return text


def when(hour: int, minute: int = 0, *, day: int = 23) -> dt.datetime:
    """A moment of November 2026 in team time (Monday the 23rd unless told)."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


NOW = when(9, 12)
TODAY = NOW.date()
MONTH = "2026-11"


def _person(id_: int, first: str, last: str | None = None, **fields: Any) -> models.Person:
    for text in (first, last, fields.get("username"), fields.get("im_name")):
        if text:
            typed(text)
    return models.Person(
        id=id_,
        first_name=first,
        last_name=last,
        first_seen=when(8),
        last_seen=when(8),
        dm_open=True,
        **fields,
    )


ALICE = _person(1001, "Alice", username="alice", is_owner=True)
BOB = _person(1002, "Bob", "Li", username="BobSup", is_supervisor=True)
CAROL = _person(
    1003,
    "Carol",
    username="carol_cs",  # an underscore in a username is not a code
    is_agent=True,
    level="junior",
    track="presale",
    shift="day",
    im_name="carol-wangwang",
    hired_on=dt.date(2026, 9, 1),
    probation_until=dt.date(2026, 11, 30),
)
DAVE = _person(1004, "Dave <b>&amp;", "Wu & Sons", is_agent=True, level="mid", track="aftersales")
EVE = _person(1005, "Eve 😀", username="eve", is_agent=True, shift="evening", level="senior")
MALLORY = _person(1666, "Mallory", username="mallory")
AGENTS = [CAROL, DAVE, EVE]


def lists(key: str, items: list[Any], **rest: Any) -> list[Context]:
    """A context for none, one and many of `items` under `key`."""
    return [{key: items[:n], **rest} for n in (0, 1, len(items))]


# --- attendance ----------------------------------------------------------------------
SLOT = attendance_rules.slot_on(DAY_SHIFT, TODAY, TZ)
WORK = models.WorkSession(
    id=7,
    person_id=CAROL.id,
    started_at=when(9, 12),
    ended_at=when(18, 0),
    shift="day",
    shift_start=SLOT.start,
    shift_end=SLOT.end,
    late_minutes=12,
    chat_id=CAROL.id,
)
OPEN_WORK = models.WorkSession(
    id=8,
    person_id=DAVE.id,
    started_at=when(8, 58),
    shift="day",
    shift_start=SLOT.start,
    shift_end=SLOT.end,
    chat_id=DAVE.id,
)
REST = models.BreakPeriod(id=3, session_id=7, person_id=CAROL.id, started_at=when(12, 5))
RULES = POLICY.attendance


def _clocked_out(
    start: dt.datetime, end: dt.datetime, breaks: list[tuple[dt.datetime, dt.datetime]]
) -> Context:
    work = WORK.model_copy(update={"started_at": start, "ended_at": end})
    stretches = [attendance_rules.Stretch(a, b) for a, b in breaks]
    summary = attendance_rules.summarize_session(start, end, stretches, RULES, SLOT.end)
    return {"work": work, "summary": summary}


CLOCKED_OUT = [
    _clocked_out(when(9, 0), when(18, 0), []),  # a whole shift without a break
    _clocked_out(when(9, 0), when(18, 2), [(when(12, 0), when(12, 9))]),  # one short break
    # A break soon after clock-in, then 9 hours in a row [issue 14: "without a break"].
    _clocked_out(when(9, 0), when(19, 1), [(when(9, 30), when(9, 56))]),
    # Two breaks over the limit, gone 544 minutes before the shift's end.
    _clocked_out(when(8, 0), when(8, 56), [(when(8, 10), when(8, 31)), (when(8, 40), when(8, 52))]),
]

ACK = models.HandoverAck(id=1, handover_id=4, person_id=DAVE.id, acked_at=NOW)
HANDOVER = models.Handover(
    id=4,
    author_id=CAROL.id,
    text=typed("客户 <王> 要退款 & 换货, order 2026-1123-88"),
    created_at=when(17, 55),
    from_shift="day",
    to_shift="evening",
    chat_id=CAROL.id,
)
SHIFT_NAME = By(lambda language: lambda key: POLICY.shifts[key].name.in_(language) if key else None)
SHIFT_LABEL = {
    key: by(shift.name.en, shift.name.zh) for key, shift in POLICY.shifts.items()
}  # a shift's name, as `Attendance.shift_name` gives it

PATTERN_SETS = [
    PatternSet(CAROL, dt.date(2026, 11, 23), 0, 1),
    PatternSet(CAROL, dt.date(2026, 12, 1), 1, 2),
    PatternSet(CAROL, dt.date(2026, 12, 1), 9, 3),
]

TEAM_STATUSES = [
    TeamStatus(working=[], resting=[], off=[]),
    TeamStatus(
        working=[(CAROL, WORK)],
        resting=[(DAVE, REST, dt.timedelta(minutes=14))],
        off=[EVE],
    ),
    TeamStatus(
        working=[(CAROL, WORK), (DAVE, OPEN_WORK)],
        resting=[
            (DAVE, REST, dt.timedelta(minutes=14)),
            (CAROL, REST, dt.timedelta(minutes=544)),
        ],
        off=[EVE, MALLORY.model_copy(update={"shift": None})],
    ),
    TeamStatus(
        working=[],
        resting=[],
        off=[],
        waiting=[Due(CAROL, "day", when(9, 0)), Due(EVE, "evening", when(14, 30))],
        away={"rest": [DAVE, MALLORY], "leave": [EVE]},
    ),
    TeamStatus(
        working=[(CAROL, WORK)],
        resting=[],
        off=[EVE],
        away={"holiday": [DAVE, MALLORY]},
    ),
    TeamStatus(  # a large team: the first names of each part, the rest counted
        working=[(CAROL, WORK)],
        resting=[(DAVE, REST, dt.timedelta(minutes=3))],
        off=[EVE],
        waiting=[Due(MALLORY, "day", when(9, 0))],
        away={"rest": [DAVE], "leave": [EVE]},
        totals={
            "working": 2480,
            "resting": 41,
            "waiting": 1230,
            "off": 9,
            "rest": 1200,
            "leave": 40,
        },
    ),
]

# --- the ledger ------------------------------------------------------------------------


def _entry(
    id_: int,
    code: str | None,
    points: int,
    *,
    kind: str | None = None,
    cash_fen: int = 0,
    offence: int = 1,
    note: str = "",
    warning: bool = False,
    demerit: bool = False,
    dismissal_review: bool = False,
) -> models.LedgerEntry:
    rule = POLICY.catalogue.get(code) if code else None
    return models.LedgerEntry(
        id=id_,
        person_id=CAROL.id,
        kind=kind or (rule.kind if rule else ledger_rules.ADJUST),
        code=code,
        points=points,
        cash_fen=cash_fen,
        offence=offence,
        warning=warning,
        demerit=demerit or (rule.demerit if rule else False),
        dismissal_review=dismissal_review,
        note=note,
        month=MONTH,
        logged_at=when(9, 20),
        logged_by=BOB.id,
        chat_id=BOB.id,
        rule=snapshot(code, rule, POLICY),
    )


LATE = _entry(12, "late", -2, cash_fen=1000, note=typed("堵车 (traffic jam)"))
LATE_BARE = _entry(13, "late", -3, offence=2)
SNACKS = _entry(14, "snacks", -2, offence=1, warning=True)
PRAISE = _entry(15, "customer-praise", 2, note=typed("五星好评"))
ADJUSTED = _entry(16, None, 3, note=typed("态度好 good attitude"))
ADJUSTED_DOWN = _entry(17, None, -1, note=typed("迟交周报"))
DEDUCTED = _entry(
    18, None, 0, kind=ledger_rules.DEDUCTION, cash_fen=3550, note=typed("未经批准改价")
)
CARRIED = models.LedgerEntry(
    id=19,
    person_id=CAROL.id,
    kind=ledger_rules.CARRY,
    points=2,
    cash_fen=-1000,
    note="#9 2026-10",
    month=MONTH,
    logged_at=when(9, 30),
    logged_by=BOB.id,
    chat_id=BOB.id,
    rule=LATE.rule,
)
CARRIED_ADJUSTMENT = CARRIED.model_copy(update={"id": 20, "rule": ADJUSTED.rule, "cash_fen": 0})
ABSENT = _entry(21, "absent", -10, cash_fen=5000, offence=3, dismissal_review=True)
MISSED = _entry(22, "missed-meeting", -5, demerit=True, note="2026-11-24")
ENTRIES = [LATE, LATE_BARE, SNACKS, PRAISE, ADJUSTED, ADJUSTED_DOWN, DEDUCTED, ABSENT, MISSED]


def name_of(entry: models.LedgerEntry) -> By:
    """The entry's name as the services give it, in each language."""
    return By(lambda language: entry_name(entry, language))


def step_of(entry: models.LedgerEntry) -> ledger_rules.Step:
    """The cash ladder's step the entry was logged at."""
    if entry.code is None:
        return ledger_rules.NO_CASH
    return ledger_rules.ladder_step(POLICY.catalogue[entry.code], entry.offence)


VOID = models.LedgerVoid(
    id=2, entry_id=12, reason=typed("误记 wrong person"), voided_at=when(10), voided_by=BOB.id
)
APPEAL = models.Appeal(
    id=5, entry_id=12, person_id=CAROL.id, reason=typed("我没有迟到"), filed_at=when(9, 40)
)
DECIDED_VOID = APPEAL.model_copy(
    update={"decided_at": when(10), "decided_by": BOB.id, "outcome": "voided"}
)
DECIDED_KEEP = APPEAL.model_copy(
    update={"decided_at": when(10), "decided_by": ALICE.id, "outcome": "upheld"}
)


def _standing(lines: list[LedgerLine], *, demerits: int = 0) -> Standing:
    counted = [line.entry.points for line in lines if line.counts]
    return Standing(
        person=CAROL,
        month=MONTH,
        lines=lines,
        score=ledger_rules.month_score(POLICY.ledger, counted),
        points=sum(counted),
        cash=Decimal("10.00") if lines else Decimal("0.00"),
        demerits=demerits,
        open_appeals=[line for line in lines if line.appeal and not line.appeal.decided_at],
        deductions=Decimal("35.50")
        if any(line.entry.kind == "deduction" for line in lines)
        else Decimal("0.00"),
    )


STANDING_EMPTY = _standing([])
STANDING_LEAVING = replace(
    STANDING_EMPTY, person=CAROL.model_copy(update={"left_on": dt.date(2026, 11, 18)})
)
STANDING_ONE = _standing([LedgerLine(LATE, None, None)])
STANDING = _standing(
    [
        LedgerLine(LATE, None, APPEAL),
        LedgerLine(LATE_BARE, VOID, None),
        LedgerLine(SNACKS, None, DECIDED_KEEP),
        LedgerLine(PRAISE, None, None),
        LedgerLine(ADJUSTED, None, None),
        LedgerLine(DEDUCTED, None, None),
        LedgerLine(CARRIED, None, None),
        LedgerLine(CARRIED_ADJUSTMENT, None, None),
        LedgerLine(MISSED, None, None),
    ],
    demerits=2,
)
DEADLINE = when(9, 20, day=24)


def _logged(entry: models.LedgerEntry, standing: Standing = STANDING_ONE) -> Logged:
    return Logged(entry, CAROL, step_of(entry), DEADLINE, standing, alert=False)


def _entry_contexts(*entries: models.LedgerEntry) -> list[Context]:
    return [
        {
            "entry": entry,
            "person": CAROL,
            "name": name_of(entry),
            "step": step_of(entry),
            "standing": standing,
            "deadline": DEADLINE,
            "by": BOB,
        }
        for entry in entries
        for standing in (STANDING_ONE, STANDING)
    ]


def _decision(
    appeal: models.Appeal, decided_by: models.Person | None, new: bool = True
) -> Decision:
    return Decision(
        appeal,
        LedgerLine(LATE, VOID if appeal.outcome == "voided" else None, appeal),
        CAROL,
        decided_by,
        new,
    )


DECISIONS = [
    {"decision": _decision(DECIDED_VOID, BOB), "name": name_of(LATE)},
    {"decision": _decision(DECIDED_KEEP, ALICE), "name": name_of(LATE)},
    {"decision": _decision(DECIDED_KEEP, None, new=False), "name": name_of(LATE)},
]


def _kpi_view(track: str, sums: MetricSums, days: int) -> KpiView:
    facts = close_rules.MonthFacts(CAROL.id, "", None, track, None, metrics=sums)
    results = close_rules.kpi_results(facts, POLICY, 78)
    earned, covered = kpi_rules.weighted_so_far(results)
    return KpiView(results, earned, covered, days)


SUMS = MetricSums(
    days=1,
    consults=MonthFigure(120, 1),
    orders=MonthFigure(60, 1),
    payers=MonthFigure(57, 1),
    sales_fen=MonthFigure(1_234_500, 1),
    reply_rate_bp=MonthFigure(9850, 1),
    avg_response_ms=MonthFigure(26_400, 1),
)
KPIS = [
    None,
    _kpi_view("presale", MetricSums(), 0),
    _kpi_view("presale", SUMS, 1),
    _kpi_view("aftersales", MetricSums(days=12, reply_rate_bp=MonthFigure(9900 * 12, 12)), 12),
]


def _place(month: str, score: str, rank: int, person: models.Person = CAROL) -> Place:
    return Place(person.id, month, Decimal(score), 2, person.full_name, rank)


STREAK_RULES = POLICY.streaks
# Runs as `rules.streaks.runs` finds them: none yet; first 3 months; under the mark 1
# month; 2 months; 4 months; neither.
RUNS = [
    streak_rules.Runs(CAROL.id, None),
    streak_rules.runs(
        CAROL.id,
        [_place(m, "95.10", 1) for m in ("2026-08", "2026-09", "2026-10")],
        STREAK_RULES,
    ),
    streak_rules.runs(CAROL.id, [_place("2026-10", "65.00", 2)], STREAK_RULES),
    streak_rules.runs(
        CAROL.id, [_place("2026-09", "69.99", 3), _place("2026-10", "61.50", 2)], STREAK_RULES
    ),
    streak_rules.runs(
        CAROL.id,
        [_place(m, "60.00", 2) for m in ("2026-07", "2026-08", "2026-09", "2026-10")],
        STREAK_RULES,
    ),
    streak_rules.runs(CAROL.id, [_place("2026-10", "80.00", 2)], STREAK_RULES),
]
REVIEWED = {
    "resignation": [RUNS[3]],
    "let_go": [
        RUNS[4],
        streak_rules.runs(
            DAVE.id,
            [_place(m, "50.00", 3, DAVE) for m in ("2026-08", "2026-09", "2026-10")],
            STREAK_RULES,
        ),
    ],
}


def _scorecard(
    standing: Standing, kpis: KpiView | None, runs: streak_rules.Runs | None = None
) -> Context:
    return {
        "standing": standing,
        "lines": [(line, name_of(line.entry)) for line in standing.lines],
        "base": POLICY.ledger.base,
        "cap": POLICY.ledger.cap,
        "kpis": kpis,
        "runs": runs,
        "pass_mark": STREAK_RULES.pass_mark,
        "exams": [] if kpis is None else [(e.exam, e.kind) for e in EXAMS],
    }


# --- the month close ---------------------------------------------------------------------
ONE_OFF = OneOffRecord(
    12, CAROL.id, "2026-10", 20000, typed("ranked first 3 months running"), source="streak"
)


def _card(
    facts: close_rules.MonthFacts,
    *,
    locked: bool = False,
    team: close_rules.TeamFacts = close_rules.NO_TEAM,
) -> close_rules.Card:
    card = close_rules.close(facts, POLICY, MONTH, "3f2a9c01d4e5", team)
    card.locked = locked
    return card


CARD_PLAIN = _card(close_rules.MonthFacts(DAVE.id, typed("Dave Wu"), None, "aftersales", "mid"))
CAROL_FACTS = close_rules.MonthFacts(
    CAROL.id,
    "Carol",
    "carol_cs",
    "presale",
    "junior",
    hired_on=dt.date(2024, 3, 1),
    entries=(
        close_rules.EntryFact(12, "late", "violation", -2, 1000),
        close_rules.EntryFact(15, "customer-praise", "bonus", 2, 0),
        close_rules.EntryFact(16, "", "adjust", 3, 0, note="态度好"),
        close_rules.EntryFact(18, "", "deduction", 0, 3550, note=typed("未经批准改价")),
        close_rules.EntryFact(19, "late", "carry", 2, -1000, note="#9 2026-10"),
    ),
    metrics=SUMS,
    qa=close_rules.QaFacts(181, 2),
    leave_days=1,
    shifts=close_rules.ShiftFacts(days=20, late=1, early=1, breaks_over=2),
    one_offs=(close_rules.OneOffFact(3, 20000, typed("连续三个月第一")),),
)
CARD_FULL = _card(CAROL_FACTS, locked=True)
CARD_PROBATION = _card(
    close_rules.MonthFacts(
        EVE.id,
        "Eve",
        "eve",
        "presale",
        "senior",
        hired_on=dt.date(2026, 11, 2),
        probation_until=dt.date(2027, 1, 31),
        shifts=close_rules.ShiftFacts(days=1),
    )
)
CARD_UNKNOWN_LEVEL = _card(close_rules.MonthFacts(1007, typed("Gu Min"), None, "presale", "expert"))


def _dave(level: str, **facts: Any) -> close_rules.Card:
    """Dave's aftersales month with these facts (joining, leaving)."""
    return _card(
        close_rules.MonthFacts(DAVE.id, typed("Dave Wu"), None, "aftersales", level, **facts)
    )


# Joined on the 5th with probation to the 9th, left after the 20th, absent twice: every
# line pro-rated, no performance bonus (first month).
CARD_LEAVING = _dave(
    "junior",
    hired_on=dt.date(2026, 11, 5),
    probation_until=dt.date(2026, 11, 9),
    left_on=dt.date(2026, 11, 20),
    entries=(
        close_rules.EntryFact(31, "absent", "violation", -10, 0),
        close_rules.EntryFact(32, "absent", "violation", -10, 0),
    ),
    shifts=close_rules.ShiftFacts(days=10),
)
CARD_LEAVING.locked = True
# Leaves on the month's last day: a whole month, but no performance bonus.
CARD_LEFT_AT_END = _dave(
    "mid",
    hired_on=dt.date(2025, 1, 1),
    left_on=dt.date(2026, 11, 30),
    shifts=close_rules.ShiftFacts(days=21),
)
CARDS = [
    CARD_PLAIN,
    CARD_FULL,
    CARD_PROBATION,
    CARD_UNKNOWN_LEVEL,
    CARD_LEAVING,
    CARD_LEFT_AT_END,
]
CARD_UNKNOWN_LEVEL = _card(
    close_rules.MonthFacts(1007, typed("Gu Min"), None, "presale", "principal")
)
CARDS = [CARD_PLAIN, CARD_FULL, CARD_PROBATION, CARD_UNKNOWN_LEVEL]
# The team-level lines: the shared commission, last year's review up and down.
WORKED = dataclasses.replace(
    CAROL_FACTS,
    entries=(),
    qa=None,
    leave_days=0,
    shifts=close_rules.ShiftFacts(days=20),
    expected_days=22,
)
TEAM_CARDS = [
    _card(
        WORKED,
        team=close_rules.TeamFacts(
            12_000_000, 12, {CAROL.id: Applied(2025, grade, Decimal(adjustment))}
        ),
    )
    for grade, adjustment in (("excellent", "0.10"), ("fail", "-0.05"), ("pass", "0"))
]
LOCK = Locked(MONTH, when(10, day=10), None, "3f2a9c01d4e5")
MONTHS = [
    MonthCards(MONTH, [CARD_PLAIN], None),
    MonthCards(MONTH, CARDS, None),
    MonthCards(MONTH, CARDS, LOCK),
]


def _run(kind: str) -> Run:
    return Run(1, "2026-10", kind, when(10, day=15), BOB.id, BOB.id, 77, None)


PROGRESS = [
    Progress(_run("payslip"), sent=0, failed=0, failed_people=[], left=3),
    Progress(_run("payslip"), sent=2, failed=1, failed_people=[DAVE], left=0),
    Progress(_run("draft"), sent=1, failed=2, failed_people=[DAVE, EVE], left=0),
    Progress(_run("draft"), sent=3, failed=0, failed_people=[], left=0),
]

# --- rhythm ------------------------------------------------------------------------------
LEAVE = models.LeaveRequest(
    id=6,
    person_id=CAROL.id,
    day=dt.date(2026, 11, 25),
    reason=typed("看病 doctor's appointment"),
    timing="ordinary",
    requested_at=NOW,
)
LEAVES = [LEAVE.model_copy(update={"timing": timing}) for timing in ("ordinary", "urgent", "late")]


def _leave_decided(status: str, by_: models.Person | None, new: bool = True) -> LeaveDecided:
    leave = LEAVE.model_copy(update={"status": status, "decided_by": by_.id if by_ else None})
    return LeaveDecided(leave, CAROL, by_, new)


LEAVE_DECISIONS = [
    {"decision": _leave_decided("approved", BOB)},
    {"decision": _leave_decided("denied", ALICE)},
    {"decision": _leave_decided("approved", None, new=False)},
]
MEETING = models.Meeting(id=2, day=dt.date(2026, 11, 24), duty_person_id=DAVE.id, created_at=NOW)
WEEK = dt.date(2026, 11, 23)
REPORT = models.WeeklyReport(
    id=1, person_id=CAROL.id, week="2026-11-23", text=typed("本周 …"), submitted_at=NOW
)

# --- metrics -----------------------------------------------------------------------------


def _flag(slow: bool, unreplied: bool) -> Flag:
    return Flag(CAROL.id, 41_300, 9120, 25, 9800, slow, unreplied, Decimal(1))


ALERT_LINES = [
    AlertLine(CAROL, _flag(True, False), DayFacts(True, 12, 1, dt.timedelta(minutes=25))),
    AlertLine(DAVE, _flag(False, True), DayFacts(False, 0, 0, dt.timedelta())),
    AlertLine(EVE, _flag(True, True), DayFacts(True, 0, 2, dt.timedelta(minutes=544))),
    AlertLine(CAROL, _flag(True, False), DayFacts(True, 0, 0, dt.timedelta(minutes=9))),
]
YESTERDAY = dt.date(2026, 11, 22)
IMPORTS = [
    Imported(typed("export.csv"), 1, 1, 0, [], YESTERDAY, YESTERDAY, ()),
    Imported(
        typed("千牛 11月.xlsx"),
        32,
        20,
        12,
        [typed("wang-1")],
        dt.date(2026, 11, 1),
        YESTERDAY,
        (typed("Sheet2"),),
    ),
    Imported(
        typed("big.csv"),
        0,
        0,
        0,
        [typed(f"name{i}") for i in range(35)],
        None,
        None,
        (typed("Sheet3"), typed("Notes")),
    ),
    Imported(typed("shop.csv"), 2, 2, 0, [], YESTERDAY, YESTERDAY, (), (("2026-11", 12_000_000),)),
    Imported(
        typed("days.csv"),
        0,
        0,
        0,
        [],
        None,
        None,
        (),
        tuple((f"2026-11-{day:02d}", 100_050) for day in range(1, 13)),
    ),
]
PROBLEMS = [
    Problem(1, "日期, 客服", "no-column"),
    Problem(1, "", "no-rows"),
    Problem(3, typed("回复率"), "not-a-rate", typed("'abc'")),
    *(Problem(4, typed("销售额"), why, typed("'-1e9'")) for why in WHY[2:]),
]

# --- the owner's first hour -----------------------------------------------------------
NEWCOMER = _person(1007, "Frank", username="frank_k")
NO_USERNAME = _person(1008, "Gao")
SETUPS = [
    Setup(group_bound=False, supervisors=[], agents=[], without_shift=[], waiting=[]),
    Setup(
        group_bound=True,
        supervisors=[BOB],
        agents=[CAROL, DAVE],
        without_shift=[DAVE],
        waiting=[NEWCOMER, NO_USERNAME],
    ),
    Setup(group_bound=True, supervisors=[BOB], agents=AGENTS, without_shift=[], waiting=[]),
]

# --- levels and promotions ----------------------------------------------------------------


def _proposal(status: str = "pending", by_: models.Person | None = None) -> Proposal:
    return Proposal(
        7,
        CAROL.id,
        "2026-10",
        "junior",
        "mid",
        dt.date(2026, 12, 1),
        4,
        "2026-08=82.50,2026-09=80.00,2026-10=91.20",
        status,
        NOW if by_ else None,
        by_.id if by_ else None,
    )


def _promotion(status: str, by_: models.Person | None, new: bool = True) -> Decided:
    names = POLICY.levels["junior"].name, POLICY.levels["mid"].name
    return Decided(_proposal(status, by_), CAROL, by_, new, *names)


PROMOTION_CARDS = [
    {
        "p": _proposal(),
        "person": person,
        "since": since,
        "step": POLICY.promotion.steps["mid"],
        "scores": scores_of(_proposal()),
        "from_name": POLICY.levels["junior"].name,
        "to_name": POLICY.levels["mid"].name,
    }
    for person, since in ((CAROL, dt.date(2026, 6, 15)), (DAVE, None))
]
PROMOTION_DECISIONS = [
    {"d": _promotion("promoted", BOB)},
    {"d": _promotion("passed", ALICE)},
    {"d": _promotion("promoted", None, new=False)},
]
_PROMOTION_NAMES = {"from_name": POLICY.levels["junior"].name, "to_name": POLICY.levels["mid"].name}

# --- every template ----------------------------------------------------------------------
# The scheduled posts' names (`bot.schedule.posts`), as /schedule lists them.
POSTS = (
    "daily-alert",
    "meeting-reminder",
    "meeting-check",
    "report-reminder",
    "report-nudge",
    "report-deadline",
    *(f"absence-check:{key}" for key in POLICY.shifts),
    *(f"late-check:{key}" for key in POLICY.shifts),
    "roster-draft",
    "month-draft",
    "month-lock",
    "month-pay",
    "annual-review",
    "problem-review",
    "followups-due",
)

_DECIDE_WHAT = ["appeal", "leave", "absence", "meeting", "report", "away", "promotion"]

# --- swaps -------------------------------------------------------------------------------
EVENING_SHIFT = POLICY.shifts["evening"]
SWAP_DAY, SWAP_OTHER = dt.date(2026, 11, 25), dt.date(2026, 11, 27)
SWAP = models.ShiftSwap(id=7, asker_id=CAROL.id, colleague_id=DAVE.id, day=SWAP_DAY, asked_at=NOW)
ONE_DAY = [
    Line(CAROL, SWAP_DAY, DAY_SHIFT, EVENING_SHIFT),
    Line(DAVE, SWAP_DAY, EVENING_SHIFT, DAY_SHIFT),
]
TWO_DAYS = [
    Line(CAROL, SWAP_DAY, DAY_SHIFT, None),
    Line(DAVE, SWAP_DAY, None, DAY_SHIFT),
    Line(CAROL, SWAP_OTHER, None, EVENING_SHIFT),
    Line(DAVE, SWAP_OTHER, EVENING_SHIFT, None),
]


def _swap(status: str, by_: models.Person | None = None, *, two: bool = False) -> SwapView:
    row = SWAP.model_copy(update={"status": status, "other_day": SWAP_OTHER if two else None})
    return SwapView(row, CAROL, DAVE, TWO_DAYS if two else ONE_DAY, by_)


SWAP_ASKED = [{"v": _swap("asked")}, {"v": _swap("asked", two=True)}]
SWAP_ANSWERED = [{"v": _swap("accepted", DAVE)}, {"v": _swap("declined", DAVE, two=True)}]
SWAP_DECIDED = [{"v": _swap("approved", BOB)}, {"v": _swap("refused", ALICE, two=True)}]
SWAP_WITHDRAWN = [{"v": _swap("withdrawn", CAROL)}, {"v": _swap("withdrawn", DAVE, two=True)}]
SWAP_ANY = SWAP_ASKED[:1] + SWAP_ANSWERED + SWAP_DECIDED + SWAP_WITHDRAWN
_DECIDE_WHAT = [
    "appeal",
    "leave",
    "absence",
    "meeting",
    "report",
    "away",
    "review",
    "roster",
    "fixpunch",
    "swap",
    "discount",
    "problem",
]

# --- exams, public sales, the annual review ----------------------------------------------
PRODUCT = Names(zh="产品知识", en="product knowledge")
EXAM = ExamRecord(4, CAROL.id, MONTH, "product", 85, None, NOW)
EXAMS = [
    Taken(EXAM, CAROL, PRODUCT, None),
    Taken(
        ExamRecord(5, CAROL.id, MONTH, "rules", 55, 31, NOW),
        CAROL,
        Names(zh="平台规则", en="platform rules"),
        _logged(_entry(31, "exam-below-60", -5, note="platform rules 55")),
    ),
    Taken(
        ExamRecord(6, CAROL.id, MONTH, "product", 100, 32, NOW),
        CAROL,
        PRODUCT,
        _logged(_entry(32, "exam-full-marks", 5, note="product knowledge 100")),
    ),
]
REVIEW_ROWS = [
    ReviewRow(
        CAROL.id, "Carol", 2026, 12, Decimal("91.25"), "excellent", Decimal("0.1"), None, None
    ),
    ReviewRow(
        DAVE.id, typed("Dave Wu"), 2026, 11, Decimal("84.5"), "good", Decimal("0.05"), None, None
    ),
    ReviewRow(EVE.id, "Eve", 2026, 10, Decimal("70"), "pass", Decimal(0), None, None),
    ReviewRow(1007, "Gu", 2026, 12, Decimal("65.33"), "fail", Decimal("-0.05"), None, None),
    ReviewRow(1008, "Gao", 2026, 9, Decimal("88"), "not-assessed", None, None, None),
]
CONFIRMED = [
    dataclasses.replace(row, confirmed_at=when(10, day=10), confirmed_by=BOB.id)
    for row in REVIEW_ROWS
]
REVIEWS = [
    YearReview(2026, REVIEW_ROWS),
    YearReview(2026, CONFIRMED, BOB),
    YearReview(2026, CONFIRMED, None),
]


def _rules_groups(language: str) -> list[tuple[str, list[tuple[str, Any]]]]:
    titles = Texts(language, TZ).catalog("rules_group_titles").titles
    catalogue = POLICY.catalogue
    return [
        (titles[cls], [(code, e) for code, e in sorted(catalogue.items()) if e.class_ == cls])
        for cls in ("A", "B", "C", "bonus")
    ]


def _help(commands: int) -> By:
    return By(lambda language: [(c.name, c.help(language)) for c in COMMANDS[:commands]])


SAMPLES: dict[str, list[Context]] = {
    "swap_accept_button": [{}],
    "swap_decline_button": [{}],
    "swap_withdraw_button": [{}],
    "swap_approve_button": [{}],
    "swap_refuse_button": [{}],
    "swap_asked": SWAP_ASKED,
    "swap_card": SWAP_ASKED,
    "swap_answered": SWAP_ANSWERED,
    "swap_answered_dm": SWAP_ANSWERED,
    "swap_already": SWAP_ANY,
    "swap_label": SWAP_ANY,
    "swap_approval_card": [{"v": _swap("accepted", DAVE, two=two)} for two in (False, True)],
    "swap_decided": SWAP_DECIDED,
    "swap_decided_dm": [{"v": view["v"], "me": me} for view in SWAP_DECIDED for me in (CAROL, DAVE)]
    + [{"v": _swap("approved", BOB, two=True), "me": DAVE}],
    "swap_withdrawn": SWAP_WITHDRAWN,
    "swap_withdrawn_dm": SWAP_WITHDRAWN,
    "refuse_swap_usage": [{}],
    "refuse_swap_self": [{}],
    "refuse_swap_same_days": [{"day": SWAP_DAY}],
    "refuse_swap_past": [{"day": YESTERDAY}],
    "refuse_swap_colleague_gone": [{"name": DAVE.full_name, "day": SWAP_DAY}],
    "refuse_swap_not_rostered": [{"day": SWAP_DAY}],
    "refuse_swap_colleague_off": [{"name": DAVE.full_name, "day": SWAP_DAY}],
    "refuse_swap_no_change": [{"name": DAVE.full_name}],
    "refuse_swap_pending": [{"name": DAVE.full_name}],
    "refuse_swap_day_passed": [{"day": YESTERDAY}],
    "refuse_swap_unknown": [{"swap_id": 7}],
    "refuse_swap_not_yours": [{"swap_id": 7}],
    "refuse_swap_nothing_left": [{"swap_id": 7}],
    "refuse_swap_withdraw_approved": [{"v": _swap("approved", BOB)}],
    "refuse_swap_closed": SWAP_ANY[1:],
    "absence_report": [{"person": CAROL, "day": TODAY, "shift": s} for s in POLICY.shifts.values()],
    "absent_button": [{}],
    "absent_logged": [{"day": TODAY}],
    "ack_button": [{}],
    "ack_button_done": [
        {
            "person": DAVE,
            "ack": models.HandoverAck(id=1, handover_id=4, person_id=DAVE.id, acked_at=NOW),
        }
    ],
    "ack_done": [
        {
            "ack": models.HandoverAck(id=1, handover_id=4, person_id=DAVE.id, acked_at=NOW),
            "new": new,
        }
        for new in (True, False)
    ],
    "appeal_card": [
        {
            "appeal": APPEAL,
            "entry": entry,
            "person": CAROL,
            "name": name_of(entry),
            "logger": logger,
        }
        for entry, logger in ((LATE, BOB), (ADJUSTED, None), (DEDUCTED, ALICE), (PRAISE, BOB))
    ],
    "appeal_decided_dm": DECISIONS[:2],  # told when decided, by whom
    "appeal_decided_logger": DECISIONS[:2],
    "appeal_filed": [
        {"filed": Filed(APPEAL, LedgerLine(entry, None, APPEAL)), "name": name_of(entry)}
        for entry in (LATE, ADJUSTED, DEDUCTED)
    ],
    "appeal_uphold_button": [{}],
    "appeal_void_button": [{}],
    "as_leave_button": [{}],
    "attend_button": [{}],
    "away_button": [{}],
    "away_logged_plain": [{}],
    "break_ended": [
        {
            "person": CAROL,
            "result": BackFromBreak(
                REST, length, max(length - dt.timedelta(minutes=10), dt.timedelta())
            ),
            "minutes": RULES.break_minutes,
        }
        for length in (dt.timedelta(seconds=40), dt.timedelta(minutes=8), dt.timedelta(minutes=71))
    ],
    "break_over_dm": [
        {"rest": REST, "minutes": RULES.break_minutes, "length": dt.timedelta(minutes=m)}
        for m in (10, 61)
    ],
    "break_over_report": [
        {
            "person": p,
            "rest": REST,
            "minutes": RULES.break_minutes,
            "length": dt.timedelta(minutes=m),
        }
        for p, m in ((CAROL, 15), (DAVE, 75))
    ],
    "break_started": [{"person": CAROL, "rest": REST, "minutes": RULES.break_minutes}],
    "clocked_in": [
        {
            "person": who,
            "at": at,
            "check": attendance_rules.assess_clock_in(shift, at, TZ, RULES),
            "shift": SHIFT_LABEL["day"] if shift else None,
            "grace": RULES.late_grace_minutes,
        }
        for who, shift, at in (
            (CAROL, DAY_SHIFT, when(8, 55)),
            (CAROL, DAY_SHIFT, when(9, 12)),
            (CAROL, DAY_SHIFT, when(18, 4)),
            (CAROL, DAY_SHIFT, when(17, 4)),  # late by 8 hours and 4 minutes
            (CAROL, None, when(9, 12)),  # a day off on the roster
            (CAROL.model_copy(update={"shift": None}), None, when(9, 12)),
        )
    ],
    "clocked_out": [{"person": CAROL, "rules": RULES, **sample} for sample in CLOCKED_OUT],
    "clockout_ask": [{"work": OPEN_WORK}],
    "clockout_closed": [{"person": DAVE, "work": WORK.model_copy(update={"auto_closed": True})}],
    "claim_line": [{"code": "4F7K-Q2", "hours": hours} for hours in (1, 24)],
    "claimed": [
        {"person": ALICE, "setup": setup, "policy": POLICY, "bot_username": "kefu_bot"}
        for setup in SETUPS
    ],
    "daily_alert": [
        {"alert": DailyAlert(YESTERDAY, True, ALERT_LINES[:n], total)}
        for n, total in ((1, 1), (1, 3), (4, 9))
    ],
    "daily_missing": [{"day": YESTERDAY}],
    "daily_ok": [{"alert": DailyAlert(YESTERDAY, True, [], n)} for n in (1, 7)],
    "decide_already": DECISIONS,
    "decide_done": DECISIONS[:2],
    "decided_label": DECISIONS,
    "deduction_dm": [{"entry": DEDUCTED, "standing": STANDING, "by": BOB, "deadline": DEADLINE}],
    "deduction_logged": [
        {"logged": _logged(DEDUCTED), "private": private} for private in (True, False)
    ],
    "delivery_failed": [
        {
            "person": CAROL,
            "group": False,
            "chat_id": CAROL.id,
            "what": by("⚠️ #12 Late: -2 points, from Bob Li.", "⚠️ #12 迟到:-2 分,来自 Bob Li。"),
            "reason": typed("Forbidden: bot was blocked by the user"),
        },
        {
            "person": None,
            "group": True,
            "chat_id": -1001234567890,
            "what": by(
                "📋 models.Handover #4 from Carol (day shift) for the evening shift:",
                "📋 交接记录 #4:Carol(白班) → 晚班:",
            ),
            "reason": typed("Bad Request: chat not found"),
        },
        {
            "person": None,
            "group": False,
            "chat_id": 1999,
            "what": by(
                "🗒 Carol, your weekly report is still missing: send /report … be…",
                "🗒 Carol,你本周的周报还没有提交:请在周六 23:59 前发送 /report …。",
            ),
            "reason": typed("Forbidden: user is deactivated"),
        },
    ],
    "demoted": [{"person": BOB, "changed": changed} for changed in (True, False)],
    "demoted_dm": [{"by": ALICE}],
    "dismiss_button": [{}, {"count": 3}],
    "dm_first": [{"person": BOB}],
    "draft_dm": [
        {"c": c, "detail": False, "lock_day": POLICY.month.lock_day} for c in CARDS + TEAM_CARDS[:1]
    ],
    "duty_button": [{}],
    "end_at_shift_button": [{}],
    "ended_at_shift": [{"work": WORK}],
    "enrolled": [
        {
            "person": person,
            "new": new,
            "level": POLICY.levels["junior"].name,
            "track": POLICY.tracks["presale"].name,
        }
        for person, new in (
            (CAROL, True),
            (DAVE, False),
            (CAROL.model_copy(update={"im_name": None, "shift": None}), True),
        )
    ],
    "enrolled_dm": [
        {"by": BOB, "level": POLICY.levels["mid"].name, "track": POLICY.tracks["aftersales"].name}
    ],
    "entry_announce": [
        {"entry": e, "person": CAROL, "name": name_of(e)}
        for e in (LATE, PRAISE, ADJUSTED, ADJUSTED_DOWN, SNACKS)
    ],
    "exam_dm": [{"taken": taken, "fail_below": 60} for taken in EXAMS],
    "exam_recorded": [
        {"taken": taken, "private": private} for taken in EXAMS for private in (True, False)
    ],
    "entry_dm": _entry_contexts(LATE, LATE_BARE, SNACKS, PRAISE, ADJUSTED, ADJUSTED_DOWN, ABSENT),
    "entry_logged": [
        {**context, "private": private}
        for context in _entry_contexts(LATE, LATE_BARE, SNACKS, PRAISE, ADJUSTED, ABSENT, MISSED)
        for private in (True, False)
    ],
    "escalation": [
        {**context, "standing": STANDING}
        for context in _entry_contexts(ABSENT, MISSED, _entry(23, "second-job", -10))
    ],
    "export_caption": [{"month": MONTH, "locked": locked} for locked in (True, False)],
    "failed": [{}],
    "handover_card": [
        {"note": HANDOVER, "author": CAROL, "from_shift": shift}
        for shift in (SHIFT_LABEL["day"], None)
    ],
    "handover_acked_dm": [{"note": HANDOVER, "by": DAVE, "ack": ACK}],
    "handover_card_read": [
        {"note": HANDOVER, "author": CAROL, "from_shift": shift, "person": DAVE, "ack": ACK}
        for shift in (SHIFT_LABEL["day"], None)
    ],
    "handover_post": [
        {"note": HANDOVER, "author": CAROL, "from_shift": a, "to_shift": b}
        for a, b in (
            (SHIFT_LABEL["day"], SHIFT_LABEL["evening"]),
            (None, SHIFT_LABEL["day"]),
            (None, None),
        )
    ],
    "handover_saved": [
        {"note": HANDOVER, "to_shift": to, "posted": posted}
        for to, posted in ((SHIFT_LABEL["evening"], True), (None, False))
    ],
    "help": [
        {
            "person": person,
            "commands": _help(n),
            "is_agent": person.is_agent,
            "is_supervisor": person.is_supervisor,
            "is_admin": person is ALICE,
            "setup": setup,
            "policy": POLICY,
            "bot_username": "kefu_bot",
        }
        for person, n, setup in (
            (ALICE, len(COMMANDS), SETUPS[0]),
            (ALICE, len(COMMANDS), SETUPS[1]),
            (ALICE, 3, SETUPS[2]),
            (BOB, 12, None),
            (CAROL, 1, None),
        )
    ],
    "hired_set": [
        {"person": CAROL},
        {"person": CAROL.model_copy(update={"probation_until": None})},
    ],
    "imported": [{"report": report} for report in IMPORTS],
    "joined_group": [{}],
    "late_report_already": [{}],
    "late_report": [
        {
            "shift": shift,
            "day": TODAY,
            "start": attendance_rules.slot_on(shift, TODAY, TZ).start,
            "late": late,
            "minutes": RULES.late_alert_minutes,
        }
        for shift in POLICY.shifts.values()
        for late in ([(CAROL, None)], [(CAROL, when(9, 20)), (DAVE, None), (EVE, None)])
    ],
    "late_report_button": [{"count": n} for n in (1, 4)],
    "late_report_done": [{"logged": n} for n in (0, 1, 4)],
    "leave_already": LEAVE_DECISIONS,
    "leave_approve_button": [{}],
    "leave_card": [{"leave": leave, "person": CAROL} for leave in LEAVES],
    "leave_decided_dm": LEAVE_DECISIONS[:2],
    "leave_decided_label": LEAVE_DECISIONS,
    "leave_deny_button": [{}],
    "leave_done": LEAVE_DECISIONS[:2],
    "leave_requested": [{"leave": leave} for leave in LEAVES],
    "meeting_answer": [
        {"reply": models.MeetingReply(id=1, meeting_id=2, person_id=CAROL.id, answer=a, at=NOW)}
        for a in ("attend", "duty")
    ],
    "meeting_reminder": [
        {"call": MeetingCall(MEETING, AGENTS, duty), "at": POLICY.schedule.meeting}
        for duty in (DAVE, None)
    ],
    "meeting_unconfirmed": lists("missing", AGENTS, day=MEETING.day)[1:],
    "missed_button": [{"count": n} for n in (1, 3)],
    "missed_done": [{"logged": n} for n in (0, 1, 3)],
    "no_owner": [{"person": MALLORY}],
    "not_on_team": [{"person": MALLORY}],
    "not_your_shift": [{}],
    "oneoff_added": [
        {
            "row": OneOffRecord(3, CAROL.id, MONTH, 20000, typed("连续三个月第一")),
            "person": CAROL,
            "private": private,
        }
        for private in (True, False)
    ],
    "payroll_already": [{"month": "2026-10", "started": when(10, day=15)}],
    "payroll_preview": [{"m": m, "shell": shell} for m in MONTHS for shell in (False, True)],
    "payroll_progress": [{"p": p} for p in PROGRESS],
    "payslip_dm": [
        {"c": c, "detail": detail} for c in CARDS + TEAM_CARDS for detail in (False, True)
    ],
    "publicsales_set": [
        {"entered": SalesEntered(MONTH, amount, old, rate), "rate": rate}
        for amount, old in ((Decimal("120000"), None), (Decimal("0"), Decimal("98765.40")))
        for rate in (Decimal("0.005"), Decimal(0))
    ],
    "plain_text": [{"person": CAROL}],
    "pass_button": [{"effective": dt.date(2026, 12, 1)}],
    "promote_button": [{"effective": dt.date(2026, 12, 1)}],
    "promotion_already": PROMOTION_DECISIONS,
    "promotion_card": PROMOTION_CARDS,
    "promotion_decided": PROMOTION_DECISIONS[:2],
    "promotion_dm": PROMOTION_DECISIONS[:1],
    "promotion_done": PROMOTION_DECISIONS[:2],
    "promotion_label": PROMOTION_DECISIONS,
    "promoted": [{"person": BOB, "changed": changed} for changed in (True, False)],
    "promoted_dm": [{"by": ALICE}],
    "qa_recorded": [
        {
            "check": QaRecord(9, CAROL.id, MONTH, 92, ""),
            "person": CAROL,
            "mean": mean,
            "count": count,
            "private": private,
        }
        for mean, count in ((Decimal("92"), 1), (Decimal("90.50"), 2))
        for private in (True, False)
    ],
    "recorded_as_leave": [{"day": TODAY}],
    "refuse_adjust_range": [
        {"limit": 5, "so_far": so_far, "given": given}
        for so_far, given in ((0, 6), (4, 2), (-1, -5), (0, 0))
    ],
    "refuse_adjust_usage": [{"limit": 5}],
    "refuse_admins_only": [{}],
    "refuse_agents_only": [{}],
    "refuse_already_clocked_in": [{"since": when(8, 58)}],
    "refuse_already_on_break": [{"since": when(12, 5)}],
    "refuse_appeal_foreign": [{"id": 12}],
    "refuse_appeal_late": [{"id": 12, "deadline": DEADLINE}],
    "refuse_appeal_twice": [{"id": 12, "appeal": APPEAL}, {"id": 12, "appeal": None}],
    "refuse_appeal_usage": [{"hours": h} for h in (1, 24)],
    "refuse_bad_date": [{"given": typed("2026-13-01")}],
    "refuse_bad_entry_id": [{"given": typed("#x")}],
    "refuse_bad_month": [{"given": typed("11/2026")}],
    "refuse_bad_number": [
        {"given": typed("abc"), "low": 0, "high": 100, "whole": whole} for whole in (True, False)
    ]
    + [{"given": "x", "low": -100, "high": 100, "whole": False}],
    "refuse_bad_time": [{"given": typed("25:00")}],
    "refuse_bad_weekday": [{"given": typed("someday")}],
    "refuse_bad_yuan": [{"given": typed("1e9"), "high": Decimal("100000")}],
    "refuse_button_invalid": [{}],
    "refuse_decide_not_allowed": [{"what": what} for what in _DECIDE_WHAT],
    "refuse_decide_logged": [{"id": 12}],
    "refuse_decide_own": [{}],
    "refuse_deduct_usage": [{"high": Decimal("100000")}],
    "refuse_demote_admin": [{"person": ALICE}],
    "refuse_claim_expired": [{"left": 0}],
    "refuse_claim_none": [{"left": 0}],
    "refuse_claim_spent": [{"left": 0}],
    "refuse_claim_usage": [{}],
    "refuse_claim_wrong": [{"left": left} for left in (0, 1, 4)],
    "refuse_dm_only": [{}],
    "refuse_end_in_future": [{"end": when(23, 0)}],
    "refuse_enroll_usage": [{"levels": POLICY.levels, "tracks": POLICY.tracks}],
    "refuse_entry_unknown": [{"id": 99}],
    "refuse_entry_void": [{"id": 12, "void": VOID}, {"id": 12, "void": None}],
    "refuse_export_usage": [{}],
    "refuse_fine_usage": [{"command": c} for c in ("fine", "bonus")],
    "refuse_fixshift_usage": [{}],
    "refuse_group_not_bound": [{}],
    "refuse_handover_empty": [{}],
    "refuse_handover_own": [{}],
    "refuse_handover_unknown": [{}],
    "refuse_hire_future": [{"day": dt.date(2026, 12, 1)}],
    "refuse_hire_too_early": [{"day": dt.date(1960, 1, 1), "earliest": dt.date(1976, 11, 23)}],
    "refuse_hire_usage": [{}],
    "refuse_import_csv_broken": [{"line": 17, "reason": typed("unexpected end of data")}],
    "refuse_import_empty": [{"filename": typed("empty.csv")}],
    "refuse_import_garbage": [{}],
    "refuse_import_kind": [{"filename": typed("photo.png")}],
    "refuse_import_no_sheet": [{}],
    "refuse_import_not_a_file": [{"limit": 20 * 1048576}],
    "refuse_import_rejected": [
        {"problems": PROBLEMS[:n], "more": more, "source": typed("千牛 11月.xlsx")}
        for n, more in ((1, 0), (3, 1), (len(PROBLEMS), 17))
    ],
    "refuse_import_too_big": [{"size": 31_457_280, "limit": 20 * 1048576}],
    "refuse_import_usage": [{}],
    "refuse_import_xlsx_broken": [{}],
    "refuse_leave_past": [{"day": dt.date(2026, 11, 20)}],
    "refuse_leave_too_far": [{"day": dt.date(2027, 6, 1), "days": d} for d in (1, 90)],
    "refuse_leave_twice": [
        {"day": LEAVE.day, "status": s} for s in ("pending", "approved", "denied")
    ],
    "refuse_leave_day_off": [
        {"day": LEAVE.day, "why": why} for why in ("rest_day", "holiday", "roster")
    ],
    "refuse_leave_unknown": [{}],
    "refuse_personal_data": [{}],
    "refuse_bad_order_no": [
        {"given": "12 34", "longest": 40},
        {"given": "<b>&amp;" * 6, "longest": 40},
    ],
    "refuse_leave_usage": [{}],
    "refuse_month_future": [{"month": "2026-12"}],
    "refuse_month_locked": [{"month": "2026-10"}],
    "refuse_exam_usage": [{"kinds": list(POLICY.exams.kinds.items())}],
    "refuse_exam_kind": [{"given": typed("maths"), "kinds": list(POLICY.exams.kinds.items())}],
    "refuse_exam_twice": [{"person": CAROL, "kind": PRODUCT, "exam": EXAM}],
    "refuse_publicsales_usage": [{}],
    "refuse_review_already": [{"r": r} for r in REVIEWS[1:]],
    "refuse_review_none": [{"year": 2026}],
    "refuse_review_not_over": [{"year": 2026}],
    "refuse_review_usage": [{}],
    "review_confirm_button": [{}],
    "review_confirmed_label": [{"r": r} for r in REVIEWS[1:]],
    "review_dm": [{"row": row, "review": POLICY.review} for row in REVIEW_ROWS],
    "review_done": [{"r": r} for r in REVIEWS[1:]],
    "review_preview": [{"r": r, "review": POLICY.review} for r in REVIEWS],
    "refuse_month_not_over": [
        {"month": MONTH, "next": dt.date(2026, 12, 1), "shell": shell} for shell in (False, True)
    ],
    "refuse_myscore_usage": [{}],
    "refuse_no_agents": [{"month": MONTH}],
    "refuse_no_auto_closed": [{"person": CAROL}],
    "refuse_no_break": [{}],
    "refuse_no_owner": [{}],
    "refuse_no_target": [{}],
    "refuse_not_an_agent": [{"person": MALLORY}],
    "refuse_not_clocked_in": [{}],
    "refuse_not_on_team": [{"person": MALLORY}],
    "refuse_oneoff_usage": [{}],
    "refuse_payroll_usage": [{}],
    "received_button": [{}],
    "received_done": [{"receipt": Receipt("2026-11", NOW, new)} for new in (True, False)],
    "received_label": [{"receipt": Receipt("2026-11", NOW, False)}],
    "refuse_received_not_yours": [{}],
    "refuse_payslip_foreign": [{}],
    "refuse_payslip_none": [{"month": "2026-10"}],
    "refuse_payslip_usage": [{}],
    "refuse_points_fixed": [{"code": "snacks", "points": p} for p in (1, 2)],
    "refuse_points_out_of_range": [
        {"code": "late", "low": 2, "high": 5, "given": g} for g in (1, 9, typed("1e9"))
    ],
    "refuse_promotion_level_changed": [
        {"person": DAVE, "level": POLICY.levels["senior"].name, **_PROMOTION_NAMES}
    ],
    "refuse_promotion_too_late": [{"p": _proposal(), "person": CAROL, **_PROMOTION_NAMES}],
    "refuse_qa_range": [{"given": g} for g in ("", typed("101"))],
    "refuse_report_empty": [{}],
    "refuse_restday_usage": [{}],
    "refuse_score_usage": [{}],
    "refuse_setgroup_not_group": [{}],
    "refuse_shift_usage": [{"shifts": POLICY.shifts}],
    "refuse_supervisors_only": [{}],
    "refuse_unknown_code": [
        {"given": typed("lat"), "near": near, "kind": kind}
        for near, kind in (
            ([], "violation"),
            (["late"], "violation"),
            (["late", "late-report", "absent"], "bonus"),
        )
    ],
    "refuse_unknown_level": [{"given": typed("魔法"), "known": POLICY.levels}],
    "refuse_unknown_person": [{"label": typed("@nobody")}],
    "refuse_unknown_shift": [{"given": typed("夜班"), "known": POLICY.shifts}],
    "refuse_unknown_track": [{"given": typed("sales"), "known": POLICY.tracks}],
    "refuse_void_usage": [{}],
    "refuse_wrong_kind": [
        {"code": c, "kind": k} for c, k in (("late", "violation"), ("customer-praise", "bonus"))
    ],
    "report_missing": lists("missing", AGENTS, week=WEEK)[1:],
    "report_nudge": [{"person": CAROL}],
    "report_reminder": [{"week": WEEK}],
    "report_saved": [{"result": Reported(REPORT, replaced)} for replaced in (True, False)],
    "restday_set": [{"person": CAROL, "day": day, "done": PATTERN_SETS[0]} for day in range(7)]
    + [{"person": CAROL, "day": 2, "done": done} for done in PATTERN_SETS[1:]],
    "restday_set_dm": [{"by": BOB, "day": day, "done": PATTERN_SETS[0]} for day in range(7)]
    + [{"by": BOB, "day": 2, "done": done} for done in PATTERN_SETS[1:]],
    "refuse_pattern_past": [{"day": dt.date(2026, 11, 20)}],
    "rules": [
        {"groups": By(_rules_groups), "base": POLICY.ledger.base},
        {"groups": By(lambda language: _rules_groups(language)[3:]), "base": 0},
    ],
    "rules_group_titles": [{}],
    "schedule": [
        {"posts": [], "shifts": POLICY.shifts},
        {"posts": [(when(11, 0), "absence-check:day")], "shifts": POLICY.shifts},
        {
            "posts": [(when(10, 0, day=24), name) for name in POSTS],
            "shifts": POLICY.shifts,
        },
    ],
    "scorecard": [
        _scorecard(standing, kpis)
        for standing, kpis in (
            (STANDING_EMPTY, KPIS[0]),
            (STANDING_LEAVING, KPIS[0]),
            (STANDING_ONE, KPIS[1]),
            (STANDING, KPIS[2]),
            (STANDING, KPIS[3]),
        )
    ]
    + [_scorecard(STANDING_ONE, None, runs) for runs in RUNS],
    "sent_privately": [{"person": BOB}],
    "setgroup_ok": [{"title": t} for t in (typed("客服 <Team> & co"), "")],
    "shift_already_closed": [{}],
    "shift_corrected": [{"person": CAROL, "work": WORK}],
    "shift_set": [
        {"person": CAROL, "shift": s, "done": PATTERN_SETS[0]} for s in POLICY.shifts.values()
    ]
    + [{"person": CAROL, "shift": POLICY.shifts["day"], "done": done} for done in PATTERN_SETS[1:]],
    "resigned": [
        {"done": done, "reason": reason}
        for done in (
            Resigned(CAROL, dt.date(2026, 12, 18)),
            Resigned(CAROL, dt.date(2026, 11, 20), gone=True),
            Resigned(CAROL, None),
        )
        for reason in ("", typed("搬家 <moving>"))
    ],
    "resigned_dm": [
        {"by": BOB, "day": dt.date(2026, 12, 18), "reason": reason}
        for reason in ("", typed("搬家 <moving>"))
    ],
    "resign_cancelled_dm": [{"by": BOB, "day": dt.date(2026, 12, 18)}],
    "refuse_resign_usage": [{}],
    "refuse_resign_already": [{"person": CAROL, "day": dt.date(2026, 12, 18)}],
    "refuse_resign_before_start": [{"day": dt.date(2026, 8, 1), "start": dt.date(2026, 9, 1)}],
    "refuse_resign_too_far": [
        {"day": dt.date(2027, 6, 1), "days": d, "latest": dt.date(2027, 2, 23)} for d in (1, 92)
    ],
    "refuse_resign_nothing": [{"person": CAROL}],
    "refuse_resign_gone": [{"person": CAROL, "day": dt.date(2026, 11, 20)}],
    "refuse_left_team": [{"day": dt.date(2026, 11, 20)}],
    "shift_set_dm": [
        {"by": BOB, "shift": s, "done": PATTERN_SETS[0]} for s in POLICY.shifts.values()
    ]
    + [{"by": BOB, "shift": POLICY.shifts["evening"], "done": done} for done in PATTERN_SETS[1:]],
    "still_working_button": [{}],
    "still_working_noted": [{}],
    "team": [
        {"status": status, "shift_name": SHIFT_NAME, "limit": RULES.break_minutes, "now": NOW}
        for status in TEAM_STATUSES
    ],
    "team_preview": [{"m": m, "lock_day": POLICY.month.lock_day} for m in MONTHS],
    "unknown_command": [{"command": c} for c in (typed("/whatever"), typed("/clock_in"))],
    "unreachable": [{"person": DAVE}],
    "voided": [
        {"line": LedgerLine(e, VOID, None), "person": CAROL, "name": name_of(e)}
        for e in (LATE, ADJUSTED, DEDUCTED, PRAISE)
    ],
    "streak_one_off": [{"months": ["2026-08", "2026-09", "2026-10"]}, {"months": ["2026-10"]}],
    "star_one_off": [{"month": "2026-10"}],
    "streak_review": [
        {"month": "2026-10", "rules": STREAK_RULES, "resignation": r, "let_go": g}
        for r, g in (
            (REVIEWED["resignation"], REVIEWED["let_go"]),
            (REVIEWED["resignation"], []),
            ([], REVIEWED["let_go"][:1]),
        )
    ],
    "oneoff_voided": [
        {"voided": VoidedOneOff(ONE_OFF, CAROL, amended), "private": private}
        for amended in (True, False)
        for private in (True, False)
    ],
    "oneoff_voided_dm": [
        {"one_off": ONE_OFF, "reason": typed("counted twice"), "by": BOB, "amended": amended}
        for amended in (True, False)
    ],
    "refuse_oneoff_unknown": [{"ref": "+12"}],
    "refuse_oneoff_void_twice": [{"ref": "+12", "at": when(11)}],
    "refuse_oneoff_paid": [{"ref": "+12", "month": "2026-10", "at": when(10, day=15)}],
    "star_post": [{"month": "2026-10", "person": p} for p in (CAROL, DAVE)],
    "star_dm": [{"month": "2026-10", "person": CAROL}],
    "voided_dm": [
        {"line": LedgerLine(e, VOID, None), "name": name_of(e), "by": BOB}
        for e in (LATE, ADJUSTED, DEDUCTED, PRAISE)
    ],
}


# --- the roster [issue 16] -----------------------------------------------------------------
def _roster_view(draft: bool, rows: list[models.Person], short: int) -> MonthView:
    days = [dt.date(2026, 10, n) for n in range(1, 32)]
    kinds = {dt.date(2026, 10, n): "holiday" for n in range(1, 8)} | {
        dt.date(2026, 10, 10): "workday"
    }
    cells = {
        day: Cell(
            "evening" if day.day % 7 == 3 else None if day.day % 7 == 0 else "day", day.day == 20
        )
        for day in days
    }
    plan = models.RosterPlan(
        id=3, month="2026-10", status="draft" if draft else "published", drafted_at=NOW
    )
    warnings = [(dt.date(2026, 10, 2 + n), "evening", 0) for n in range(short)]
    return MonthView(
        "2026-10",
        days,
        kinds,
        [(person, cells) for person in rows],
        dict(POLICY.shifts),
        {"day": "D", "evening": "E"},
        plan,
        warnings,
    )


ROSTER_VIEWS = [
    _roster_view(True, AGENTS, 0),
    _roster_view(False, [CAROL], 1),
    _roster_view(True, [], 12),
]
ROSTER_DRAFTS = [
    Drafted(v.month, v.plan, len(v.rows), v.rest_days, v.kinds, v.short, v.shifts)
    for v in ROSTER_VIEWS
    if v.plan is not None
] + [Drafted("2026-06", models.RosterPlan(id=4, month="2026-06", drafted_at=NOW), 1, 1, {}, [], {})]
_PUBLISHED = models.RosterPlan(
    id=3, month="2026-10", status="published", drafted_at=NOW, published_at=NOW, published_by=2
)
ROSTER_PUBLISHED = [
    {"p": Published("2026-10", _PUBLISHED, True, 3, BOB)},
    {"p": Published("2026-10", _PUBLISHED, False, 0, None)},
]
ROSTER_CHANGES = [
    Changed(CAROL, TODAY, "evening", "day", False, []),
    Changed(DAVE, TODAY, None, "evening", True, [(TODAY, "evening", 0)]),
    Changed(EVE, TODAY, "day", None, False, [(TODAY, "day", 1), (TODAY, "evening", 2)]),
]
SAMPLES |= {
    "roster_text": [{"v": v, "shown": 10} for v in ROSTER_VIEWS],
    "roster_draft_card": [
        {"v": d, "by": by, "shown": 10} for d in ROSTER_DRAFTS for by in (None, BOB)
    ],
    "roster_drafted": [{"v": d} for d in ROSTER_DRAFTS],
    "roster_month_dm": [{"month": "2026-10", "days": Markup("10-01: 09:00–18:00\n10-02: —")}],
    "roster_day_line": [
        {"day": day, "cell": cell, "v": ROSTER_VIEWS[0]}
        for day, cell in list(ROSTER_VIEWS[0].rows[0][1].items())[:12]
    ]
    + [{"day": dt.date(2026, 10, 20), "cell": Cell("day", leave=True), "v": ROSTER_VIEWS[0]}],
    "roster_published": [{"month": "2026-10", "by": BOB, "agents": n} for n in (1, 3)],
    "roster_day_set": [{"c": c, "shifts": POLICY.shifts} for c in ROSTER_CHANGES],
    "roster_day_dm": [
        {"day": TODAY, "shift": POLICY.shifts.get(a or ""), "before": POLICY.shifts.get(b or "")}
        for a, b in (("day", None), (None, "evening"), ("evening", "day"))
    ],
    "roster_publish_button": [{}],
    "roster_adjust_button": [{}],
    "roster_adjust_howto": [{"month": "2026-10"}],
    "roster_already": ROSTER_PUBLISHED,
    "roster_done": ROSTER_PUBLISHED[:1],
    "roster_label": ROSTER_PUBLISHED,
    "refuse_roster_usage": [{}],
    "refuse_roster_unknown_shift": [{"given": typed("night"), "known": POLICY.shifts}],
    "refuse_roster_past": [{"day": TODAY}],
    "refuse_roster_after_last_day": [{"person": CAROL, "last": TODAY}],
    "refuse_roster_published": [{"month": "2026-10", "plan": _PUBLISHED}],
    "refuse_roster_no_agents": [{}],
    "refuse_roster_draft_begun": [{"month": "2026-10"}],
}
# --- make-up punches (补卡) ------------------------------------------------------------------
FIX = models.PunchFix(
    id=5,
    person_id=CAROL.id,
    day=TODAY,
    month=MONTH,
    kind="in",
    punched_at=when(9, 20),
    reason=typed("忘记打卡 forgot, phone died"),
    asked_at=when(10),
)
DAY_NAME = by("day shift", "白班")
FIX_OUT = FIX.model_copy(update={"id": 6, "kind": "out", "punched_at": when(17, 30)})
AUTO_CLOSED = WORK.model_copy(update={"auto_closed": True})


def _fixed(fix: models.PunchFix, status: str, by_: models.Person | None, **rest: Any) -> Context:
    row = fix.model_copy(update={"status": status, "decided_by": by_.id if by_ else None})
    return {"decision": Settled(row, CAROL, by_, True, **rest)}


FIX_DECISIONS = [
    _fixed(FIX, "approved", BOB, work=WORK),
    _fixed(FIX, "approved", BOB, work=WORK.model_copy(update={"late_minutes": 0})),
    _fixed(FIX, "approved", ALICE, work=AUTO_CLOSED, opened=True),
    _fixed(FIX, "approved", ALICE, work=OPEN_WORK, opened=True),
    _fixed(FIX_OUT, "approved", BOB, work=WORK, early=30),
    _fixed(FIX_OUT, "approved", BOB, work=WORK, early=1),
    _fixed(FIX_OUT, "approved", BOB, work=WORK),
    _fixed(FIX, "denied", BOB),
]
FIX_SETTLED = [
    *FIX_DECISIONS[:1],
    _fixed(FIX, "denied", ALICE),
    _fixed(FIX, "withdrawn", CAROL),
    _fixed(FIX, "approved", None),
]
SAMPLES.update(
    {
        "fixpunch_card": [
            {"fix": fix, "person": CAROL, "shift": DAY_NAME, "slot": SLOT, "sessions": found}
            for fix, found in (
                (FIX, []),
                (FIX, [OPEN_WORK]),
                (FIX_OUT, [AUTO_CLOSED]),
                (FIX_OUT, [WORK, OPEN_WORK]),
            )
        ],
        "fixpunch_approve_button": [{}],
        "fixpunch_deny_button": [{}],
        "fixpunch_withdraw_button": [{}],
        "fixpunch_requested": [
            {"asked": Asked(fix, "day", left), "shift": DAY_NAME}
            for fix, left in ((FIX, 2), (FIX_OUT, 1), (FIX, 0))
        ],
        "fixpunch_decided_dm": FIX_DECISIONS,
        "fixpunch_done": FIX_SETTLED,
        "fixpunch_already": FIX_SETTLED,
        "fixpunch_label": FIX_SETTLED,
        "fixpunch_withdrawn": [_fixed(FIX, "withdrawn", CAROL)],
        "refuse_fixpunch_usage": [{}],
        "refuse_fixpunch_kind": [{"given": typed("inn")}],
        "refuse_fixpunch_future": [{"day": dt.date(2026, 11, 24)}],
        "refuse_fixpunch_too_old": [{"day": dt.date(2026, 11, 19), "days": d} for d in (1, 3)],
        "refuse_fixpunch_quota": [{"limit": n, "month": MONTH} for n in (1, 3)],
        "refuse_fixpunch_outside_shift": [
            {"day": TODAY, "time": dt.time(3, 0), "kind": kind} for kind in ("in", "out")
        ],
        "refuse_fixpunch_time_future": [{"at": when(17, 30)}],
        "refuse_fixpunch_has_in": [{"at": when(8, 57)}],
        "refuse_fixpunch_no_in": [{"day": TODAY}],
        "refuse_fixpunch_has_out": [{"at": when(18, 2)}],
        "refuse_fixpunch_out_before_in": [{"at": when(9, 12)}],
        "refuse_fixpunch_twice": [{"fix": fix} for fix in (FIX, FIX_OUT)],
        "refuse_fixpunch_unknown": [{"fix_id": 12}],
    }
)


# --- complaints on the clock [issue 17, part 2] -------------------------------------------
CASE = models.ComplaintCase(
    id=7,
    person_id=DAVE.id,
    month=MONTH,
    order_no="TB2026112300017",
    text=typed("Parcel <arrived> broken & late"),
    opened_at=when(10, 15),
    opened_by=DAVE.id,
)


def _copy(case: models.ComplaintCase, **changes: Any) -> models.ComplaintCase:
    return case.model_copy(update=changes)


CASE_REPLIED = _copy(CASE, replied_at=when(11, 0))
CASE_SOLVED = _copy(
    CASE, replied_at=when(11, 0), solved_at=when(10, 0, day=24), solved_how=typed("refund <sent>")
)
CASE_LATE = _copy(CASE, solved_at=when(12, 0, day=25), replied_at=when(12, 0, day=25))
CASE_ARBITRATED = _copy(CASE_REPLIED, arbitration_at=when(16, 30))


def _case(case: models.ComplaintCase, person: models.Person = DAVE) -> CaseView:
    limits = complaint_rules.deadlines(case.opened_at, POLICY.casework)
    return CaseView(case, person, limits.answer_by, limits.solve_by)


CASE_VIEWS = [_case(CASE), _case(CASE_REPLIED, CAROL)]
CASE_DUES = [
    complaint_rules.Due(deadline, kind, by)
    for deadline, by in (("answer", when(10, 15, day=24)), ("solve", when(10, 15, day=25)))
    for kind in ("remind", "late")
]
SAMPLES.update(
    {
        "complaint_opened": [{"v": view} for view in CASE_VIEWS],
        "complaint_assigned_dm": [{"v": _case(CASE), "by": BOB}],
        "complaint_list": [
            {"cases": [], "more": -30, "boss": False},
            {"cases": CASE_VIEWS[:1], "more": -29, "boss": False},
            {"cases": CASE_VIEWS, "more": 3, "boss": True},
        ],
        "complaint_replied": [{"v": _case(CASE_REPLIED)}],
        "complaint_solved": [{"v": _case(CASE_SOLVED)}, {"v": _case(CASE_LATE)}],
        "complaint_arbitration": [{"v": _case(CASE_ARBITRATED)}],
        "complaint_remind_dm": [{"v": _case(CASE), "due": due} for due in CASE_DUES[::2]],
        "complaint_late_alert": [{"v": _case(CASE), "due": due} for due in CASE_DUES[1::2]],
        "refuse_complaint_usage": [{}],
        "refuse_replied_usage": [{}],
        "refuse_solved_usage": [{}],
        "refuse_arbitration_usage": [{}],
        "refuse_complaint_unknown": [{"case_id": 12}],
        "refuse_complaint_replied_twice": [{"case": CASE_REPLIED, "at": when(11, 0)}],
        "refuse_complaint_solved_twice": [{"case": CASE_SOLVED, "at": when(10, 0, day=24)}],
        "refuse_complaint_arbitration_twice": [{"case": CASE_ARBITRATED, "at": when(16, 30)}],
    }
)
# --- discounts and the problem log (issue 17) ---------------------------------------------
from bot.services.discounts import MonthDiscounts  # noqa: E402
from bot.services.discounts import Settled as DiscountSettled  # noqa: E402
from bot.services.problems import Answered, OpenProblems  # noqa: E402

DISCOUNT = models.Discount(
    id=8,
    person_id=CAROL.id,
    month=MONTH,
    order_no="TB2026112300017",
    amount_fen=2500,
    reason=typed("盒子压坏 <box> crushed"),
    status="recorded",
    asked_at=when(10),
    chat_id=CAROL.id,
)
DISCOUNT_PENDING = DISCOUNT.model_copy(update={"id": 9, "amount_fen": 4550, "status": "pending"})
LIMIT = POLICY.casework.discount_limit


def _discount(status: str, by_: models.Person | None, new: bool = True) -> Context:
    row = DISCOUNT_PENDING.model_copy(
        update={"status": status, "decided_by": by_.id if by_ else None}
    )
    return {"decision": DiscountSettled(row, CAROL, by_, new)}


DISCOUNT_SETTLED = [
    _discount("approved", BOB),
    _discount("denied", ALICE),
    _discount("denied", None),
]
PROBLEM = models.Problem(
    id=3, person_id=CAROL.id, week="2026-11-23", text=typed("退货地址 <b>过期</b>"), created_at=NOW
)
PROBLEM_TWO = PROBLEM.model_copy(
    update={"id": 4, "text": typed("idea: a template for late parcels")}
)
PROBLEM_DONE = PROBLEM.model_copy(
    update={"answer": typed("已更新 <fixed>"), "answered_by": BOB.id, "answered_at": NOW}
)
ANSWERED = [
    {"answered": Answered(PROBLEM_DONE, CAROL, BOB, True)},
    {"answered": Answered(PROBLEM_DONE, CAROL, None, False)},
]
SAMPLES.update(
    {
        "discount_recorded": [
            {"discount": d, "limit": LIMIT} for d in (DISCOUNT, DISCOUNT_PENDING)
        ],
        "discount_in_group": [
            {"discount": DISCOUNT, "person": CAROL, "told": told} for told in (True, False)
        ],
        "discount_card": [{"discount": DISCOUNT_PENDING, "person": CAROL, "limit": LIMIT}],
        "discount_approve_button": [{}],
        "discount_deny_button": [{}],
        "discount_decided_dm": DISCOUNT_SETTLED[:2],
        "discount_done": DISCOUNT_SETTLED[:2],
        "discount_already": DISCOUNT_SETTLED,
        "discount_label": DISCOUNT_SETTLED,
        "refuse_discount_usage": [{}],
        "refuse_discount_unknown": [{"discount_id": 12}],
        "problem_noted": [{"problem": PROBLEM}],
        "problems_open": [
            {"found": OpenProblems([], 0, 0)},
            {"found": OpenProblems([(CAROL, [PROBLEM, PROBLEM_TWO]), (DAVE, [PROBLEM])], 3, 3)},
            {"found": OpenProblems([(CAROL, [PROBLEM])], 1, 2)},
            {"found": OpenProblems([(CAROL, [PROBLEM])], 1, 31)},
        ],
        "problem_review_card": [
            {"person": CAROL, "problems": rows, "since": NOW}
            for rows in ([PROBLEM], [PROBLEM, PROBLEM_DONE, PROBLEM_TWO])
        ],
        "problem_answer_button": [{"problem": PROBLEM}],
        "problem_answer_how": [{"problem": PROBLEM, "author": CAROL}],
        "problem_answer_asked": [{"problem": PROBLEM}],
        "problem_answered_dm": ANSWERED[:1],
        "problem_answer_sent": ANSWERED[:1],
        "problem_already": ANSWERED,
        "refuse_problem_usage": [{}],
        "refuse_problems_usage": [{}],
        "refuse_answer_usage": [{}],
        "refuse_problem_unknown": [{"problem_id": 12}],
    }
)
SAMPLES["scorecard"] += [
    {**SAMPLES["scorecard"][2], "discounts": found}
    for found in (MonthDiscounts(), MonthDiscounts(1, 2500), MonthDiscounts(3, 9050, 1, 4550))
]
# --- follow-ups [issue 17, part 3] -------------------------------------------------------
FOLLOW = models.FollowUp(
    id=9,
    person_id=CAROL.id,
    month=MONTH,
    buyer=typed("tb_小王2026"),
    reason=typed("asked about <sizes> & colours, wanted a discount"),
    created_at=when(10, 5, day=20),
    due_on=dt.date(2026, 11, 23),
)
FOLLOW_DONE = FOLLOW.model_copy(update=dict(done_at=NOW, done_month=MONTH, recovered_fen=12050))
FOLLOW_LINES = [
    FollowLine(FOLLOW, "due", 0),
    FollowLine(FOLLOW.model_copy(update=dict(id=4, due_on=dt.date(2026, 11, 22))), "overdue", 1),
    FollowLine(
        FOLLOW.model_copy(
            update={
                "id": 2,
                "due_on": dt.date(2026, 11, 20),
                "reason": typed("slow delivery " * 25),
            }
        ),
        "overdue",
        3,
    ),
    FollowLine(FOLLOW.model_copy(update=dict(id=11, due_on=dt.date(2026, 11, 26))), "later", 0),
]

SAMPLES.update(
    {
        "followup_recorded": [{"follow": FOLLOW}],
        "followed_done": [
            {"closed": Closed(FOLLOW_DONE, fen), "private": private}
            for fen in (12050, 0)
            for private in (True, False)
        ],
        "followups_open": [{"lines": lines} for lines in ([], FOLLOW_LINES[:1], FOLLOW_LINES)],
        "followups_due_dm": [
            {"lines": lines, "today": TODAY} for lines in (FOLLOW_LINES[:1], FOLLOW_LINES[:3])
        ],
        "refuse_followup_usage": [{}],
        "refuse_followed_usage": [{}],
        "refuse_followup_bad_buyer": [{"given": typed("tb xiao wang"), "longest": 40}],
        "refuse_followup_bad_yuan": [
            {"given": typed(given), "high": Decimal(1_000_000)} for given in ("-5", "lots")
        ],
        "refuse_followup_unknown": [{"follow_id": 12}],
        "refuse_followup_closed": [{"follow": FOLLOW_DONE}],
    }
)

# --- the Mini App [issue 18]
SAMPLES.update(
    {
        "dashboard_open": [{"supervisor": True}, {"supervisor": False}],
        "dashboard_button": [{}],
        "refuse_dashboard_not_set_up": [{}],
        "refuse_web_bad_parameter": [{"name": "month"}],
    }
)
