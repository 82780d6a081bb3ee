"""The annual review [000 第十一条 年度考核]: a year of monthly scores → a grade, and the
adjustment it brings to next year's performance pay.

Pure functions over the policy's `[review]`. The grade is read from the mean of the
year's locked monthly KPI scores, rounded half-up to two decimals, by the policy's
thresholds (kefu's choice: excellent ≥ 90, good ≥ 80, pass ≥ 70, else fail); each
grade moves next year's performance pay by its policy figure, which lies within the
seed's range [000: 优秀 +10%~20%, 良好 +5%~10%, 合格 不变, 不合格 -5%~-10%].
"Absent more than two months" [000: 缺勤超过两个月, 不参与考核] is read as fewer than
12 − `absent_months` months of the year with a locked scorecard: not assessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rules.policy import Review

NOT_ASSESSED = "not-assessed"
MONTHS = 12
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Applied:
    """A confirmed review as a payslip of the next year reads it."""

    year: int
    grade: str
    adjustment: Decimal


@dataclass(frozen=True, slots=True)
class Verdict:
    """One agent's review of a year: the months scored, their mean (None: no month), the
    grade (or `NOT_ASSESSED`) and its adjustment (None when not assessed)."""

    months: int
    mean: Decimal | None
    grade: str
    adjustment: Decimal | None

    @property
    def assessed(self) -> bool:
        """False for an agent absent more than the policy's months of the year."""
        return self.grade != NOT_ASSESSED


def grade_of(mean: Decimal, review: Review) -> str:
    """The grade a mean score reaches, best first; below `pass`: fail."""
    for grade in ("excellent", "good", "pass"):
        if mean >= review.thresholds[grade]:
            return grade
    return "fail"


def verdict(scores: Sequence[Decimal], review: Review) -> Verdict:
    """The review of a year from its locked monthly scores (one per month scored)."""
    months = len(scores)
    mean = (sum(scores, Decimal(0)) / months).quantize(CENT, ROUND_HALF_UP) if months else None
    if mean is None or months < MONTHS - review.absent_months:
        return Verdict(months, mean, NOT_ASSESSED, None)
    grade = grade_of(mean, review)
    return Verdict(months, mean, grade, review.adjustments[grade])


def months_of(year: int) -> list[str]:
    """The year's months, YYYY-MM."""
    return [f"{year:04d}-{month:02d}" for month in range(1, MONTHS + 1)]


def review_date(year: int, review: Review) -> dt.date:
    """The day the review of `year` is drawn up: the policy's day of the next year."""
    month, day = review.month_day
    return dt.date(year + 1, month, day)


def applies_to(month: str) -> int:
    """The year whose review moves `month`'s performance pay: the year before it."""
    return int(month[:4]) - 1
