"""The daily assessment as arithmetic: points, cash ladders, the month's score, windows.

Pure functions over the policy [domain.md §4, §7, seed 004 第四条 and 000 奖罚机制];
the caller passes times in. Money is Decimal yuan.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from rules import parse
from rules.errors import Refusal
from rules.policy import DISMISSAL_REVIEW, WARNING, Entry, Ledger

# The kinds of ledger entry besides the catalogue's violations and bonuses.
ADJUST = "adjust"  # the month-end discretionary adjustment (`/adjust`)
CARRY = "carry"  # a void after the month was locked, carried into the open month
DEDUCTION = "deduction"  # money taken from pay outside the catalogue (`/deduct`)
ABSENT = "absent"  # the catalogue code of an absence (the absence card logs it)


@dataclass(frozen=True)
class Step:
    """What one offence costs in cash, by the ladder [000 奖罚机制]."""

    offence: int  # 1 for the first offence in the month
    cash: Decimal
    warning: bool
    dismissal_review: bool


NO_CASH = Step(offence=0, cash=Decimal(0), warning=False, dismissal_review=False)


def signed_points(code: str, entry: Entry, requested: int | None) -> int:
    """The entry's points with their sign: minus for a violation, plus for a bonus.

    A ranged entry takes `requested` if it is within the range, else its smaller
    magnitude [domain.md §7]; a fixed entry takes no number.
    """
    low, high = entry.range
    if requested is None:
        magnitude = low
    elif low == high:
        raise Refusal("points_fixed", code=code, points=low)
    elif not low <= abs(requested) <= high:
        raise Refusal("points_out_of_range", code=code, low=low, high=high, given=requested)
    else:
        magnitude = abs(requested)
    return -magnitude if entry.kind == "violation" else magnitude


def requested_points(code: str, entry: Entry, token: str) -> int:
    """The points a supervisor typed after the code: a whole number, else refused with
    the entry's range (`late 1e9`, `late 2.5`, `late NaN` are not points, nor notes)."""
    low, high = entry.range
    try:
        return parse.integer(token, low=-parse.INT32_MAX, high=parse.INT32_MAX)
    except Refusal:
        if low == high:
            raise Refusal("points_fixed", code=code, points=low) from None
        raise Refusal("points_out_of_range", code=code, low=low, high=high, given=token) from None


def points_and_note(catalogue: dict[str, Entry], code: str, rest: str) -> tuple[int | None, str]:
    """What follows a catalogue code in `/fine` and `/bonus`: the points asked for (None:
    the entry's default) and the note. A word in the points' place that tries to be a
    number is one, or refused: it never becomes the note."""
    first = rest.split(maxsplit=1)
    entry = catalogue.get(code.lower())
    if first and entry is not None and parse.looks_numeric(first[0]):
        points = requested_points(code.lower(), entry, first[0])
        return points, first[1] if len(first) > 1 else ""
    return None, rest


def ladder_step(entry: Entry, offence: int) -> Step:
    """The cash for the `offence`-th offence of this code in the month; the last step repeats."""
    if not entry.cash:
        return Step(offence, Decimal(0), warning=False, dismissal_review=False)
    raw = entry.cash[min(offence, len(entry.cash)) - 1]
    if raw == WARNING:
        return Step(offence, Decimal(0), warning=True, dismissal_review=False)
    if raw == DISMISSAL_REVIEW:
        return Step(offence, Decimal(0), warning=False, dismissal_review=True)
    return Step(offence, Decimal(raw), warning=False, dismissal_review=False)


def month_score(rules: Ledger, points: list[int]) -> int:
    """Base 80 plus the month's points, counting at most 100 [004]."""
    return min(rules.base + sum(points), rules.cap)


def check_adjust(rules: Ledger, so_far: int, delta: int) -> None:
    """The month-end discretionary adjustment stays within ±5 in all [004]."""
    if delta == 0 or abs(so_far + delta) > rules.adjust_limit:
        raise Refusal("adjust_range", limit=rules.adjust_limit, so_far=so_far, given=delta)


def appeal_deadline(rules: Ledger, logged_at: dt.datetime) -> dt.datetime:
    """An entry may be appealed within 1 day of it [004]."""
    return logged_at + dt.timedelta(hours=rules.appeal_hours)


def appeal_deciders(
    bosses: Sequence[int], reachable: Collection[int], *, appellant: int, logger: int
) -> list[int]:
    """Who decides an appeal: every supervisor and admin but the agent who appealed and
    but the one who logged the entry, as long as one of those others can be reached by
    DM; otherwise (a team whose only supervisor logged it) the one who logged it too.

    The score is published and the agent may appeal it [004 第四条]: an appeal is
    a second look, so whoever made the entry does not judge it while someone else
    can; but an appeal nobody may decide would be stuck, so when nobody else can
    be reached the logger decides rather than no one.
    """
    judges = [boss for boss in bosses if boss != appellant]
    others = [boss for boss in judges if boss != logger]
    return others if any(boss in reachable for boss in others) else judges


def should_alert(step: Step, entry: Entry | None, demerits_in_month: int, rules: Ledger) -> bool:
    """A dismissal review, a dismissal offence, or the second demerit in a month [004]."""
    dismissal = step.dismissal_review or (entry is not None and entry.dismissal)
    second_demerit = (
        entry is not None and entry.demerit and demerits_in_month >= rules.demerits_alert
    )
    return dismissal or second_demerit


def closest_codes(code: str, codes: list[str], count: int = 3) -> list[str]:
    """The catalogue codes nearest to a mistyped one."""
    near = difflib.get_close_matches(code.lower(), codes, n=count, cutoff=0.4)
    return near or sorted(c for c in codes if c.startswith(code[:1].lower()))[:count]


def month_of(at: dt.datetime, tz: ZoneInfo) -> str:
    """The calendar month (YYYY-MM) a moment falls in, in team time."""
    return at.astimezone(tz).strftime("%Y-%m")


@functools.lru_cache(maxsize=64)
def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a YYYY-MM month."""
    year, number = (int(part) for part in month.split("-"))
    first = dt.date(year, number, 1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def month_span(month: str, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The month as moments in team time: [its first midnight, the next month's)."""
    first, last = month_bounds(month)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)


def to_fen(yuan: Decimal) -> int:
    """Yuan to integer fen, exactly."""
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{yuan} yuan is not a whole number of fen")
    return int(fen)


def to_yuan(fen: int) -> Decimal:
    """Integer fen to yuan with two decimals."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))
