"""`/export YYYY-MM`: the month as an XLSX workbook for the accountant (openpyxl).

Sheets: payroll (a row per agent: the days employed and last working day, a column
per payslip component, and when the agent pressed "Received" on the payslip),
scorecards (with the month's rank, the service star, the level the month was paid
at and any promotion proposed), the ledger (voids included, marked), attendance
(every shift), metrics (every imported day), exams (every result of the month),
public sales (the shop's figures behind the shared commission), the roster (each
agent's shift or rest by day, as `/roster` shows it), punch fixes (every make-up punch
asked for a day of the month, with its decision), swaps (every shift swap with a day in
the month, whatever became of it), complaints (every complaint case opened in the
month: its deadlines, when it was answered and solved, the platform's arbitration) and
follow-ups (every one recorded or closed in the month, with the yuan it recovered).
Amounts are numbers with two decimals, so the sheet sums them; times are in team time.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from sqlmodel import Session

from bot.services import levels, local
from rules import complaints as complaint_rules
from rules import streaks as streak_rules
from rules.close import place
from rules.ledger import month_bounds, month_span, to_yuan
from rules.standing import ranked
from storage import exams as exams_store
from storage import fixpunch as fixpunch_store
from storage import payroll as payroll_store
from storage import people as people_store
from storage.exams import ExamRecord
from storage.ledger import LedgerLine
from storage.models import PublicSales, PunchFix
from storage.payroll import MetricRow, ShiftRow

if TYPE_CHECKING:
    from bot.kit import Kit
    from bot.services.payroll import MonthCards


ZERO = Decimal(0)
ATTENDANCE_COLUMNS = ("days", "late", "early", "absent", "leave", "breaks_over", "expected_days")
FIX_COLUMNS = [
    "id",
    "agent_id",
    "name",
    "day",
    "kind",
    "time",
    "reason",
    "status",
    "asked_at",
    "decided_by",
    "decided_at",
    "session_id",
]
FOLLOW_COLUMNS = [
    *("id", "agent_id", "name", "buyer", "reason", "month", "recorded_at", "due_on"),
    *("done_at", "done_month", "recovered_yuan"),
]
METRIC_COLUMNS = [
    "agent_id",
    "name",
    "day",
    "consults",
    "reply_rate",
    "avg_response_s",
    "orders",
    "payers",
    "sales_yuan",
]
SWAP_COLUMNS = ["id", "asker_id", "asker", "colleague_id", "colleague", "day", "other_day"]
SWAP_COLUMNS += ["status", "asked_at", "decided_by", "decided_at"]
COMPLAINT_COLUMNS = ["id", "agent_id", "agent", "order_no", "text", "opened_at", "opened_by"]
COMPLAINT_COLUMNS += ["answer_by", "replied_at", "solve_by", "solved_at", "solved_how"]
COMPLAINT_COLUMNS += ["arbitration_at", "hours"]


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # A name people typed, such as "=HYPERLINK(...)", stays text, never a formula.
            if cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"


async def _standings(kit: Kit, month: MonthCards) -> tuple[dict[int, int | None], int | None]:
    """Each agent's rank in the month and the service star: as stored at the lock, or
    computed live for a month not locked yet (`rules.standing`, `rules.streaks`)."""
    if month.lock is None:
        places = ranked([place(card) for card in month.cards])
        scores = {card.person_id: card.ledger_score for card in month.cards}
        best = streak_rules.star(places, scores, kit.policy.star)
        return {p.person_id: p.rank for p in places}, None if best is None else best.person_id

    def read(session: Session) -> tuple[dict[int, int | None], int | None]:
        stored = payroll_store.places([month.month], session=session)
        ranks = {pid: found[0].rank for pid, found in stored.items()}
        return ranks, payroll_store.star_of(month.month, session=session)

    return await kit.db.read(read)


async def workbook(kit: Kit, month: MonthCards) -> bytes:
    """The workbook's bytes."""
    tz = kit.policy.tz
    first, last = month_bounds(month.month)
    start, end = month_span(month.month, tz)

    def read(
        session: Session,
    ) -> tuple[
        dict[int, list[LedgerLine]],
        list[ShiftRow],
        list[MetricRow],
        dict[int, str],
        dict[int, tuple[dt.date | None, str]],
    ]:
        names = {p.id: p.full_name for p in people_store.team(session=session)}
        began = {card.person_id: card.level for card in month.cards}
        return (
            payroll_store.ledger_by_person(month.month, session=session),
            payroll_store.shift_rows(start, end, session=session),
            payroll_store.metric_rows(first, last, session=session),
            names,
            levels.month_levels(session, kit.policy, month.month, began),
        )

    def extras(
        session: Session,
    ) -> tuple[dict[int, list[ExamRecord]], list[PublicSales], list[PunchFix]]:
        return (
            exams_store.by_person(month.month, session=session),
            payroll_store.public_rows(month.month, session=session),
            fixpunch_store.of_month(month.month, session=session),
        )

    ledger, shifts, metrics, names, in_level = await kit.db.read(read)
    ranks, star = await _standings(kit, month)
    exams, public, fixes = await kit.db.read(extras)
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)

    codes: list[str] = []
    for card in month.cards:
        for line in card.lines:
            if line.code not in codes:
                codes.append(line.code)
    _sheet(
        book,
        "payroll",
        [
            "agent_id",
            "name",
            "level",
            "track",
            "days_employed",  # calendar days employed in the month (pro-rating)
            "last_day",  # the last working day, when it falls in the month
            *codes,
            "total",
            "received_at",
        ],
        [
            [
                card.person_id,
                card.name,
                card.level,
                card.track,
                card.employed,
                card.left_on,
                *[
                    # one-offs and deductions may be several lines of one code
                    float(sum((x.amount for x in card.lines if x.code == c), ZERO))
                    for c in codes
                ],
                float(card.total),
                local(month.received(card), tz),
            ]
            for card in month.cards
        ],
    )
    measures = [k.measure for k in month.cards[0].kpis] if month.cards else []
    _sheet(
        book,
        "scorecards",
        ["agent_id", "name", "score", "rank", "star", "grade", "points_to", "daily_assessment"]
        + ["qa_mean", "level", "level_since", "promotion"]
        + [f"{m}_value" for m in measures]
        + [f"{m}_points" for m in measures]
        + list(ATTENDANCE_COLUMNS),
        [
            [
                card.person_id,
                card.name,
                float(card.score),
                ranks.get(card.person_id),
                card.person_id == star,
                card.grade,
                card.points_to,
                card.ledger_score,
                None if card.qa_mean is None else float(card.qa_mean),
                card.level,
                *in_level.get(card.person_id, (None, "")),
                *[None if k.value is None else float(k.value) for k in card.kpis],
                *[k.points for k in card.kpis],
                *[getattr(card.attendance, key) for key in ATTENDANCE_COLUMNS],
            ]
            for card in month.cards
        ],
    )
    _sheet(
        book,
        "ledger",
        ["id", "agent_id", "name", "kind", "code", "points", "cash_yuan", "logged_at", "void"],
        [
            [
                line.entry.id,
                line.entry.person_id,
                names.get(line.entry.person_id, ""),
                line.entry.kind,
                line.entry.code,
                line.entry.points,
                float(to_yuan(line.entry.cash_fen)),
                local(line.entry.logged_at, tz),
                "void" if line.void is not None else "",
            ]
            for lines in ledger.values()
            for line in lines
        ],
    )
    _sheet(
        book,
        "attendance",
        ["agent_id", "name", "shift", "started", "ended", "late_minutes", "breaks", "auto_closed"],
        [
            [
                work.person_id,
                names.get(work.person_id, ""),
                work.shift,
                local(work.started_at, tz),
                local(work.ended_at, tz),
                work.late_minutes,
                work.breaks,
                work.auto_closed,
            ]
            for work in shifts
        ],
    )
    _sheet(
        book,
        "metrics",
        METRIC_COLUMNS,
        [
            [
                row.person_id,
                names.get(row.person_id, ""),
                row.day,
                row.consults,
                None if row.reply_rate_bp is None else row.reply_rate_bp / 10000,
                None if row.avg_response_ms is None else row.avg_response_ms / 1000,
                row.orders,
                row.payers,
                None if row.sales_fen is None else float(to_yuan(row.sales_fen)),
            ]
            for row in metrics
        ],
    )
    _sheet(
        book,
        "exams",
        ["id", "agent_id", "name", "kind", "score", "entry", "taken_at"],
        [
            [
                exam.id,
                exam.person_id,
                names.get(exam.person_id, ""),
                exam.kind,
                exam.score,
                None if exam.entry_id is None else f"#{exam.entry_id}",
                local(exam.taken_at, tz),
            ]
            for found in exams.values()
            for exam in found
        ],
    )
    _sheet(
        book,
        "public_sales",
        ["period", "sales_yuan", "source", "entered_at"],
        [
            [row.period, float(to_yuan(row.amount_fen)), row.source, local(row.entered_at, tz)]
            for row in public
        ],
    )
    _sheet(
        book,
        "swaps",
        SWAP_COLUMNS,
        [
            [
                *(swap.id, swap.asker_id, names.get(swap.asker_id, "")),
                *(swap.colleague_id, names.get(swap.colleague_id, "")),
                *(swap.day, swap.other_day, swap.status, local(swap.asked_at, tz)),
                *(swap.decided_by or swap.withdrawn_by, local(swap.decided_at, tz)),
            ]
            for swap in await kit.swaps.between(first, last)
        ],
    )
    roster = await kit.rostering.month(month.month)
    _sheet(
        book,
        "roster",
        ["agent_id", "name", "day", "shift", "leave", "calendar", "source", "status"],
        [
            [
                person.id,
                person.full_name,
                day,
                cell.shift or "rest",
                "leave" if cell.leave else "",
                roster.kinds.get(day, ""),
                cell.source,
                "draft" if roster.draft else "",
            ]
            for person, cells in roster.rows
            for day, cell in cells.items()
        ],
    )
    _sheet(
        book,
        "punch_fixes",
        FIX_COLUMNS,
        [
            [
                fix.id,
                fix.person_id,
                names.get(fix.person_id, ""),
                fix.day,
                fix.kind,
                fix.punched_at.astimezone(tz).strftime("%H:%M"),
                fix.reason,
                fix.status,
                local(fix.asked_at, tz),
                fix.decided_by,
                local(fix.decided_at, tz),
                fix.session_id,
            ]
            for fix in fixes
        ],
    )
    await _complaints(kit, book, month.month, names)
    for sheet in (await kit.discounts.sheet(month.month), await kit.problems.sheet(month.month)):
        _sheet(book, *sheet)
    _sheet(
        book,
        "follow_ups",
        FOLLOW_COLUMNS,
        [
            [
                *(follow.id, follow.person_id, names.get(follow.person_id, "")),
                *(follow.buyer, follow.reason, follow.month, local(follow.created_at, tz)),
                *(follow.due_on, local(follow.done_at, tz), follow.done_month),
                None if follow.recovered_fen is None else float(to_yuan(follow.recovered_fen)),
            ]
            for follow in await kit.followups.of_month(month.month)
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _complaints(kit: Kit, book: Workbook, month: str, names: dict[int, str]) -> None:
    """The month's complaint cases; `hours` from opening to solving (empty while open)."""
    tz = kit.policy.tz
    found = []
    for case in await kit.complaints.of_month(month):
        limits = complaint_rules.deadlines(case.opened_at, kit.policy.casework)
        hours = (
            None
            if case.solved_at is None
            else round((case.solved_at - case.opened_at).total_seconds() / 3600, 2)
        )
        found.append(
            [
                case.id,
                case.person_id,
                names.get(case.person_id, ""),
                case.order_no,
                case.text,
                local(case.opened_at, tz),
                case.opened_by,
                local(limits.answer_by, tz),
                local(case.replied_at, tz),
                local(limits.solve_by, tz),
                local(case.solved_at, tz),
                case.solved_how or "",
                local(case.arbitration_at, tz),
                hours,
            ]
        )
    _sheet(book, "complaints", COMPLAINT_COLUMNS, found)
