"""The policy schema: every number a shop's house rules set, validated.

A policy is plain data (TOML) checked by pydantic. `build_policy` lays a shop's
own mapping over the built-in default and turns every problem into a message
that names the key, so `kefu policy check` and start-up can show it as is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

# Named collections a shop replaces whole; every other section merges key by key.
REPLACED_WHOLE = frozenset({"shifts", "levels", "tracks", "catalogue", "kpi", "steps"})


class PolicyError(Exception):
    """A policy that cannot be used; `problems` are one line each, naming the key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(_Strict):
    """A display name in each supported language."""

    zh: str
    en: str

    def in_(self, language: str) -> str:
        """The name in `language`."""
        return self.zh if language == "zh" else self.en


def _parse_clock(value: object) -> object:
    if isinstance(value, str):
        try:
            hours, minutes = value.split(":")
            return dt.time(int(hours), int(minutes))
        except ValueError as exc:
            raise ValueError(f"expected HH:MM, got {value!r}") from exc
    return value


class Shift(_Strict):
    """A shift's clock times in team time; an end before the start runs past midnight."""

    start: dt.time
    end: dt.time
    name: Names

    _clock = field_validator("start", "end", mode="before")(_parse_clock)

    @field_validator("end")
    @classmethod
    def _not_empty(cls, end: dt.time, info: Any) -> dt.time:
        if info.data.get("start") == end:
            raise ValueError("end must differ from start")
        return end


class Level(_Strict):
    """An agent level and its monthly base pay in yuan."""

    base_pay: Decimal = Field(ge=0)
    name: Names


class Track(_Strict):
    """A line of work (presale, aftersales), its response-time alert thresholds, and
    whether its agents have personal sales that earn commission."""

    name: Names
    # Commission is a share of personal sales [004]; a track without sales of its own
    # (aftersales: refunds, returns, complaints) has no commission line on the payslip.
    sells: bool = True
    # The daily alert: mean response over this many seconds [004: ≤25 s; 001: ≤40 s] ...
    response_alert_seconds: int = Field(default=25, gt=0, le=3600)
    # ... or a reply rate under this fraction [004, 001: ≥98%].
    reply_rate_alert: Decimal = Field(default=Decimal("0.98"), ge=0, le=1)


class Schedule(_Strict):
    """When the bot posts on its own, in team time [domain.md §7]."""

    daily_alert: dt.time = dt.time(10, 0)
    # Weekly report [004: before Sunday]: reminder Friday, nudge Saturday, deadline Saturday 23:59.
    report_reminder: dt.time = dt.time(17, 0)
    report_nudge: dt.time = dt.time(17, 0)
    # Team meetings [000: Tuesday and Thursday]: weekdays (0 = Monday), time, the reminder
    # this many minutes before, the list of unconfirmed agents this many minutes after.
    meeting_days: tuple[int, ...] = (1, 3)
    meeting: dt.time = dt.time(10, 0)
    meeting_reminder_minutes: int = Field(default=30, ge=0, le=24 * 60)
    meeting_check_minutes: int = Field(default=15, ge=0, le=24 * 60)
    # A post missed while the bot was down is sent late within this many minutes, else skipped.
    grace_minutes: int = Field(default=30, ge=0, le=24 * 60)
    # An agent rostered for a shift with no clock-in and no approved leave this many
    # minutes after its start goes to the supervisors [000: absence without leave 旷工;
    # kefu waits 2 hours, as leave may be asked up to 2 hours before a shift, 000].
    absent_after_minutes: int = Field(default=120, ge=1, le=12 * 60)
    # A forgotten clock-out: the agent is asked this many minutes after the shift's end
    # [000: the shift runs on while a shopper is still chatting], and the bot closes the
    # shift at its end after this many more (the supervisor corrects it with /fixshift).
    clockout_ask_minutes: int = Field(default=30, ge=1, le=12 * 60)
    clockout_close_minutes: int = Field(default=240, ge=1, le=24 * 60)
    # A break over its limit: the agent is told at the limit, the supervisors this many
    # minutes later [004: away from post over 5 minutes without telling].
    break_report_minutes: int = Field(default=5, ge=0, le=240)

    @model_validator(mode="after")
    def _close_after_ask(self) -> Schedule:
        if self.clockout_close_minutes <= self.clockout_ask_minutes:
            raise ValueError("clockout_close_minutes must be more than clockout_ask_minutes")
        return self

    _clock = field_validator(
        "daily_alert", "report_reminder", "report_nudge", "meeting", mode="before"
    )(_parse_clock)


class DeliveryDeadlines(_Strict):
    """How long a message may wait for Telegram before it is given up and reported.

    kefu's choice (the seeds say nothing): an alert is stale after 2 hours, a notice
    after a day, a payslip run's DM after three days."""

    deadlines: dict[str, int] = Field(
        default_factory=lambda: {"alert": 120, "normal": 1440, "bulk": 4320}
    )

    @field_validator("deadlines")
    @classmethod
    def _every_lane(cls, value: dict[str, int]) -> dict[str, int]:
        missing = {"alert", "normal", "bulk"} - set(value)
        if missing:
            raise ValueError(f"missing {sorted(missing)}")
        if any(not 1 <= minutes <= 30 * 24 * 60 for minutes in value.values()):
            raise ValueError("each deadline is 1 minute to 30 days")
        return value


class AttendanceRules(_Strict):
    """Attendance limits [domain.md §5, §7]."""

    late_grace_minutes: int = Field(ge=0, le=240)
    break_minutes: int = Field(gt=0, le=240)
    max_continuous_hours: int = Field(gt=0, le=24)
    early_window_hours: int = Field(ge=0, le=12)
    # The supervisors are told, once per shift start, who is more than this many minutes
    # late; 0 = never (kefu's choice; the seeds set no such time).
    late_alert_minutes: int = Field(default=15, ge=0, le=240)

    @model_validator(mode="after")
    def _alert_after_grace(self) -> AttendanceRules:
        if 0 < self.late_alert_minutes <= self.late_grace_minutes:
            raise ValueError("late_alert_minutes must be more than late_grace_minutes (or 0)")
        return self


WARNING = "warning"
DISMISSAL_REVIEW = "dismissal-review"


class Entry(_Strict):
    """One item of the catalogue: a violation or a bonus [domain.md §4]."""

    kind: Literal["violation", "bonus"]
    class_: Literal["A", "B", "C", "bonus"] = Field(alias="class")
    points: int | tuple[int, int]
    cash: tuple[str, ...] = ()
    demerit: bool = False
    dismissal: bool = False
    seed: str
    name: Names

    @field_validator("points")
    @classmethod
    def _magnitudes(cls, value: int | tuple[int, int]) -> int | tuple[int, int]:
        low, high = (value, value) if isinstance(value, int) else value
        if low < 0 or high > 100:
            raise ValueError("points are magnitudes from 0 to 100 (the kind gives the sign)")
        if not isinstance(value, int) and low >= high:
            raise ValueError("a range is [low, high] with low < high")
        return value

    @field_validator("cash")
    @classmethod
    def _ladder(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for step in value:
            if step in (WARNING, DISMISSAL_REVIEW):
                continue
            try:
                amount = Decimal(step)
            except ArithmeticError:
                raise ValueError(
                    f'step {step!r} must be yuan (e.g. "10"), "{WARNING}" or "{DISMISSAL_REVIEW}"'
                ) from None
            if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
                raise ValueError(f"step {step!r} must be a yuan amount with at most 2 decimals")
        return value

    @property
    def range(self) -> tuple[int, int]:
        """(low, high) magnitudes; equal for a fixed entry."""
        return (self.points, self.points) if isinstance(self.points, int) else self.points


Measure = Literal[
    "target_completion",
    "consult_conversion",
    "order_success",
    "avg_order_value",
    "reply_rate",
    "response_time",
    "follow_up",
    "execution",
    "qa",
    "attendance",
    "complaint_time",
    "arbitration",
]
# What each measure's value is in, for the one formatter per unit (texts `measured`):
# a rate as a fraction (shown as a percent), seconds, yuan, days, or a 0–100 score.
Unit = Literal["percent", "seconds", "yuan", "days", "score", "hours", "count"]
UNITS: dict[str, Unit] = {
    "target_completion": "percent",
    "consult_conversion": "percent",
    "order_success": "percent",
    "avg_order_value": "yuan",
    "reply_rate": "percent",
    "response_time": "seconds",
    "follow_up": "yuan",
    "execution": "score",
    "qa": "score",
    "attendance": "days",
    "complaint_time": "hours",
    "arbitration": "count",
}


class Kpi(_Strict):
    """One line of a KPI sheet: what it measures, its bands and its weight [domain.md §3]."""

    measure: Measure
    name: Names
    # [threshold, points], best first: a value at or beyond the threshold earns the points
    # ("higher" is better: value >= threshold; "lower": value <= threshold).
    bands: tuple[tuple[Decimal, int], ...] = Field(min_length=1)
    better: Literal["higher", "lower"] = "higher"
    otherwise: int = Field(default=0, ge=0, le=100)
    weight: Decimal = Field(gt=0, le=1)

    @property
    def unit(self) -> Unit:
        """What the KPI's value is in (percent, seconds, yuan, days, score)."""
        return UNITS[self.measure]


class Leave(_Strict):
    """How far ahead leave is asked [000: ordinary the day before, special 2 hours before]."""

    ordinary_hours: int = Field(default=24, ge=0, le=24 * 30)
    urgent_hours: int = Field(default=2, ge=0, le=24 * 30)
    max_days_ahead: int = Field(default=90, gt=0, le=366)


class Ledger(_Strict):
    """The daily assessment's numbers [domain.md §4, §7]."""

    base: int = Field(ge=0, le=100)
    cap: int = Field(ge=0, le=200)
    adjust_limit: int = Field(ge=0, le=100)
    appeal_hours: int = Field(gt=0, le=24 * 30)
    demerits_alert: int = Field(ge=1, le=10)
    announce: bool


class CommissionBand(_Strict):
    """A KPI score above `score` (or at it, when inclusive) earns `rate` of personal sales."""

    score: Decimal = Field(ge=0, le=100)
    rate: Decimal = Field(ge=0, le=1)
    inclusive: bool = True


class Pay(_Strict):
    """The payslip's values [domain.md §1, §2, §7]; amounts in yuan."""

    # Probation pays this share of base pay [004: 3500 -> 2800].
    probation_rate: Decimal = Field(default=Decimal("0.80"), ge=0, le=1)
    post_wage: Decimal = Field(default=Decimal(0), ge=0)
    seniority_per_year: Decimal = Field(default=Decimal(0), ge=0)
    full_attendance: Decimal = Field(default=Decimal(100), ge=0)
    allowances: dict[str, Decimal] = Field(default_factory=dict)
    performance_pool: Decimal = Field(default=Decimal(300), ge=0)
    performance_floor: Decimal = Field(default=Decimal(70), ge=0, le=100)
    commission: tuple[CommissionBand, ...] = ()
    points_base: int = Field(default=80, ge=0, le=100)
    points_yuan: Decimal = Field(default=Decimal(10), ge=0)
    points_limit: int = Field(default=20, ge=0, le=100)
    # The guaranteed monthly minimum by year of service; the last one repeats [000].
    minimum: tuple[Decimal, ...] = ()
    # Bounds on what a supervisor types (kefu's choice; the seeds name none). Amounts
    # are stored in fen in INTEGER columns, so no bound may pass 21 474 836.47 yuan.
    largest_one_off: Decimal = Field(default=Decimal(100_000), gt=0, le=Decimal(20_000_000))
    largest_deduction: Decimal = Field(default=Decimal(100_000), gt=0, le=Decimal(20_000_000))
    hire_years_back: int = Field(default=50, ge=1, le=80)
    # The shared commission [000 第10条: 公共销售业绩总额×0.5%÷客服人数]: this share of
    # the shop's public sales, split evenly among the month's agents; 0 = no such line.
    shared_commission_rate: Decimal = Field(default=Decimal("0.005"), ge=0, le=1)
    # The payslip's components in order (`rules.pay.COMPONENTS`); a shop may drop one.
    components: tuple[str, ...] = (
        "base",
        "probation",
        "post",
        "seniority",
        "full_attendance",
        "allowances",
        "performance",
        "annual_review",
        "commission",
        "shared_commission",
        "points",
        "fines",
        "minimum",
        "one_offs",
        "deductions",
    )

    @field_validator("commission")
    @classmethod
    def _best_first(cls, value: tuple[CommissionBand, ...]) -> tuple[CommissionBand, ...]:
        scores = [band.score for band in value]
        if scores != sorted(scores, reverse=True):
            raise ValueError("bands go from the highest score down")
        return value

    @field_validator("allowances")
    @classmethod
    def _in_fen(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for name, amount in value.items():
            if amount < 0 or amount != amount.quantize(Decimal("0.01")):
                raise ValueError(f"{name}: a yuan amount >= 0 with at most 2 decimals")
        return value


class Month(_Strict):
    """The month close calendar [000: assessed on the 5th-10th, paid on the 15th] and grades."""

    draft_day: int = Field(default=5, ge=1, le=28)
    lock_day: int = Field(default=10, ge=1, le=28)
    pay_day: int = Field(default=15, ge=1, le=28)
    at: dt.time = dt.time(10, 0)
    # [score, grade], best first; below the last: `grade_otherwise` [001: A 90, B 80, C 60, D].
    grades: tuple[tuple[Decimal, str], ...] = ()
    grade_otherwise: str = "D"
    # [score, level key] the score points to, best first [004: senior 90, mid 80, junior 70].
    levels: tuple[tuple[Decimal, str], ...] = ()

    _clock = field_validator("at", mode="before")(_parse_clock)

    @field_validator("pay_day")
    @classmethod
    def _in_order(cls, pay_day: int, info: Any) -> int:
        draft, lock = info.data.get("draft_day"), info.data.get("lock_day")
        if draft is not None and lock is not None and not draft <= lock <= pay_day:
            raise ValueError("draft_day <= lock_day <= pay_day")
        return pay_day


class Step(_Strict):
    """One step up the ladder, to the level it is keyed by: the months in the level below
    and the score each of the last `band_months` scored months must reach [000, 004]."""

    months: int = Field(ge=0, le=600)
    score: Decimal = Field(ge=0, le=100)


class Promotion(_Strict):
    """The ladder of levels and what each step up needs (`rules.levels`)."""

    ladder: tuple[str, ...] = ()
    steps: dict[str, Step] = Field(default_factory=dict)
    band_months: int = Field(default=3, ge=1, le=24)
    lookback_months: int = Field(default=12, ge=1, le=60)

    @model_validator(mode="after")
    def _steps_on_the_ladder(self) -> Promotion:
        if len(set(self.ladder)) != len(self.ladder):
            raise ValueError("ladder: a level appears twice")
        above = set(self.ladder[1:])
        wrong = [key for key in self.steps if key not in above]
        if wrong:
            raise ValueError(
                f"steps: {', '.join(wrong)} must be a level on the ladder above its first"
            )
        if self.lookback_months < self.band_months:
            raise ValueError("lookback_months must be at least band_months")
        return self


def _yuan(value: Decimal) -> Decimal:
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("a yuan amount with at most 2 decimals")
    return value


class Streaks(_Strict):
    """Runs across months (`rules.streaks`): ranked first, under the pass mark."""

    # Ranked first this many months running earns a one-off of `first_bonus` yuan on the
    # last month's payslip, again at every multiple [000 第12条: 连续3个月考核排名第一的,
    # 给予一次性200元的奖励].
    first_months: int = Field(default=3, ge=1, le=24)
    first_bonus: Decimal = Field(default=Decimal(200), ge=0, le=Decimal(20_000_000))
    # A month's score under this fails it [000: 考核不及格; 004: 低于70分].
    pass_mark: Decimal = Field(default=Decimal(70), ge=0, le=100)
    # This many months running under the pass mark: the supervisors get a resignation
    # review [000 第12条: 连续2个月考核不及格的, 自动请辞] ...
    resignation_review_months: int = Field(default=2, ge=1, le=24)
    # ... and this many or more, a let-go review [004: 连续低于70分三次的淘汰].
    let_go_months: int = Field(default=3, ge=2, le=24)
    # How many months back a run is read (kefu's choice): a longer run counts from there.
    lookback_months: int = Field(default=24, ge=2, le=120)

    _money = field_validator("first_bonus")(_yuan)

    @model_validator(mode="after")
    def _in_order(self) -> Streaks:
        if self.let_go_months <= self.resignation_review_months:
            raise ValueError("let_go_months must be more than resignation_review_months")
        if self.lookback_months < max(self.first_months, self.let_go_months):
            raise ValueError("lookback_months must cover first_months and let_go_months")
        return self


class Star(_Strict):
    """The month's service star [002: 服务之星]: announced on pay day, a certificate by DM."""

    # "kpi_score": the month's ranking (score, fewer points lost, name); "ledger_score":
    # the highest daily assessment, then the ranking.
    measure: Literal["kpi_score", "ledger_score"] = "kpi_score"
    # A one-off on the star's payslip, in yuan; 0 = none (kefu's choice: [002] names no sum).
    bonus: Decimal = Field(default=Decimal(0), ge=0, le=Decimal(20_000_000))
    # The shop's name on the certificate; empty: a neutral "customer service team".
    shop_name: str = Field(default="", max_length=60)

    _money = field_validator("bonus")(_yuan)


def _keys_in_style(value: dict[str, Any]) -> dict[str, Any]:
    """A named collection's keys: lower-case letters, digits and '-'."""
    for key in value:
        if not key or not all(c.islower() or c.isdigit() or c == "-" for c in key):
            raise ValueError(f"key {key!r} must be lower-case letters, digits and '-'")
    return value


class ExamKind(_Strict):
    """A kind of monthly exam [000: 产品知识考试, 平台规则考试]."""

    name: Names


class Exams(_Strict):
    """Monthly exams [000; 004: under 60 is a B violation (-5), full marks a bonus (+5)]:
    the kinds, the pass mark, and the catalogue entries a result logs ("" = none)."""

    kinds: dict[str, ExamKind] = Field(
        default_factory=lambda: {
            "product": ExamKind(name=Names(zh="产品知识", en="product knowledge")),
            "rules": ExamKind(name=Names(zh="平台规则", en="platform rules")),
        },
        min_length=1,
    )
    fail_below: int = Field(default=60, ge=1, le=100)
    below_code: str = "exam-below-60"
    full_marks_code: str = "exam-full-marks"

    @field_validator("kinds")
    @classmethod
    def _kind_keys(cls, value: dict[str, ExamKind]) -> dict[str, ExamKind]:
        return _keys_in_style(value)


# The seed's range for each annual grade's adjustment of the performance pay, in
# percent [000 第十一条: 优秀 +10%~20%, 良好 +5%~10%, 合格 不变, 不合格 -5%~-10%].
REVIEW_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "excellent": (Decimal("0.10"), Decimal("0.20")),
    "good": (Decimal("0.05"), Decimal("0.10")),
    "pass": (Decimal(0), Decimal(0)),
    "fail": (Decimal("-0.10"), Decimal("-0.05")),
}
REVIEW_GRADES = tuple(REVIEW_RANGES)  # best first


class Review(_Strict):
    """The annual review [000 第十一条]: when it runs, the grade thresholds on the year's
    mean monthly score, each grade's adjustment of next year's performance pay, and how
    many months of a year may go unscored before an agent is not assessed."""

    day: str = "01-10"  # MM-DD, at the month close's `at`
    # Mean KPI score reaching each threshold earns the grade; below `pass`: fail.
    thresholds: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "excellent": Decimal(90),
            "good": Decimal(80),
            "pass": Decimal(70),
        }
    )
    adjustments: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "excellent": Decimal("0.10"),
            "good": Decimal("0.05"),
            "pass": Decimal(0),
            "fail": Decimal("-0.05"),
        }
    )
    absent_months: int = Field(default=2, ge=0, le=11)

    @field_validator("day")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            month, day = (int(part) for part in value.split("-"))
            dt.date(2001, month, day)
        except ValueError:
            raise ValueError(f"expected MM-DD, got {value!r}") from None
        if day > 28:
            raise ValueError("the day is at most 28 (every month has it)")
        return value

    @field_validator("thresholds")
    @classmethod
    def _thresholds(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        if set(value) != {"excellent", "good", "pass"}:
            raise ValueError("give excellent, good and pass")
        if not 0 <= value["pass"] < value["good"] < value["excellent"] <= 100:
            raise ValueError("0 <= pass < good < excellent <= 100")
        return value

    @field_validator("adjustments")
    @classmethod
    def _within_seed(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        if set(value) != set(REVIEW_GRADES):
            raise ValueError("give excellent, good, pass and fail")
        for grade, figure in value.items():
            low, high = REVIEW_RANGES[grade]
            if not low <= figure <= high:
                raise ValueError(f"{grade}: {figure} is outside the seed's {low} to {high} [000]")
        return value

    @property
    def month_day(self) -> tuple[int, int]:
        """(month, day) of the review."""
        month, day = (int(part) for part in self.day.split("-"))
        return month, day


class ClaimRules(_Strict):
    """The one-time code that makes the bot's first owner (`rules.claim`; kefu's choice)."""

    valid_hours: int = Field(default=24, ge=1, le=24 * 30)
    wrong_guesses: int = Field(default=5, ge=1, le=20)


class PeopleRules(_Strict):
    """Joining and leaving (`/resign`; kefu's choice: the seeds name no notice period)."""

    # A last working day at most this many days ahead (a typo of a year is refused).
    resign_days_ahead: int = Field(default=92, ge=0, le=366)


class RosterRules(_Strict):
    """The monthly roster and its draft [000: 白晚班轮换, four rest days a month]."""

    # Shifts that alternate in a draft, every `rotate_every_days` days (policy keys).
    rotation: tuple[str, ...] = ("day", "evening")
    rotate_every_days: int = Field(default=7, ge=1, le=31)
    rest_days_per_month: int = Field(default=4, ge=0, le=15)
    # At least this many agents on every shift each day (warned, not refused).
    min_per_shift: int = Field(default=1, ge=0, le=1000)
    # Next month's draft goes to the supervisors on this day of the month, at this time.
    draft_day: int = Field(default=25, ge=1, le=28)
    draft_time: dt.time = dt.time(10, 0)

    _clock = field_validator("draft_time", mode="before")(_parse_clock)


class FixPunch(_Strict):
    """Make-up punches (补卡; kefu's choice): how far back and how many a month."""

    within_days: int = Field(default=3, ge=0, le=31)
    per_month: int = Field(default=3, ge=0, le=31)


class Holidays(_Strict):
    """Public holidays: a library calendar ("cn" or "none") and the shop's own days."""

    calendar: Literal["cn", "none"] = "cn"
    days: dict[dt.date, Literal["holiday", "workday"]] = Field(default_factory=dict)


class Casework(_Strict):
    """Discounts, complaint cases, follow-ups and the problem log [000, 001; issue 17]."""

    discount_limit: Decimal = Field(default=Decimal(30), ge=0)
    order_no_max: int = Field(default=40, ge=4, le=128)
    answer_hours: int = Field(default=24, ge=1, le=24 * 14)
    solve_hours: int = Field(default=48, ge=1, le=24 * 30)
    remind_minutes: int = Field(default=120, ge=0, le=24 * 60)
    followup_days: int = Field(default=3, ge=0, le=60)
    followup_time: dt.time = dt.time(9, 30)
    problem_weekday: int = Field(default=4, ge=0, le=6)
    problem_time: dt.time = dt.time(17, 0)

    _clock = field_validator("followup_time", "problem_time", mode="before")(_parse_clock)
    _money = field_validator("discount_limit")(_yuan)

    @model_validator(mode="after")
    def _solve_after_answer(self) -> Casework:
        if self.solve_hours < self.answer_hours:
            raise ValueError("solve_hours must be at least answer_hours")
        return self


class Policy(_Strict):
    """A shop's whole policy."""

    timezone: str
    language: Language
    attendance: AttendanceRules
    shifts: dict[str, Shift] = Field(min_length=1)
    levels: dict[str, Level] = Field(min_length=1)
    tracks: dict[str, Track] = Field(min_length=1)
    ledger: Ledger
    catalogue: dict[str, Entry] = Field(min_length=1)
    schedule: Schedule = Schedule()
    leave: Leave = Leave()
    # KPI sheets by track; the monthly sales plan per agent for target completion [004: 1w/人].
    kpi: dict[str, tuple[Kpi, ...]] = Field(default_factory=dict)
    sales_plan: Decimal = Field(default=Decimal(10000), gt=0)
    pay: Pay = Pay()
    month: Month = Month()
    delivery: DeliveryDeadlines = DeliveryDeadlines()
    claim: ClaimRules = ClaimRules()
    people: PeopleRules = PeopleRules()
    promotion: Promotion = Promotion()

    @model_validator(mode="after")
    def _ladder_of_levels(self) -> Policy:
        unknown = [key for key in self.promotion.ladder if key not in self.levels]
        if unknown:
            raise ValueError(
                f"promotion.ladder: {', '.join(unknown)} not in levels "
                f"({', '.join(self.levels)}); a shop that replaces levels sets its own ladder"
            )
        return self

    streaks: Streaks = Streaks()
    star: Star = Star()
    exams: Exams = Exams()
    review: Review = Review()
    roster: RosterRules = RosterRules()
    fixpunch: FixPunch = FixPunch()
    holidays: Holidays = Holidays()
    casework: Casework = Casework()

    @model_validator(mode="after")
    def _rotation_of_shifts(self) -> Policy:
        unknown = [key for key in self.roster.rotation if key not in self.shifts]
        if unknown:
            raise ValueError(
                f"roster.rotation: {', '.join(unknown)} not in shifts ({', '.join(self.shifts)})"
            )
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("shifts", "levels", "tracks", "catalogue")
    @classmethod
    def _key_style(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _keys_in_style(value)

    @model_validator(mode="after")
    def _review_after_lock(self) -> Policy:
        month, day = self.review.month_day
        if month == 1 and day < self.month.lock_day:
            raise ValueError("review.day: in January, on or after month.lock_day (December's lock)")
        return self

    @model_validator(mode="after")
    def _exam_codes(self) -> Policy:
        """An exam code names a catalogue entry of its kind; a shop's own catalogue
        without the default codes simply logs no entry for exams."""
        defaults = Exams()
        wanted = (
            ("violation", self.exams.below_code, defaults.below_code),
            ("bonus", self.exams.full_marks_code, defaults.full_marks_code),
        )
        for kind, code, default in wanted:
            found = self.catalogue.get(code)
            if (found is None and code and code != default) or (found and found.kind != kind):
                raise ValueError(f"exams: {code!r} is not a {kind} in the catalogue")
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The team's time zone."""
        return ZoneInfo(self.timezone)


def merge(default: dict[str, Any], shop: dict[str, Any]) -> dict[str, Any]:
    """Lay `shop` over `default`: sections merge, the named collections are replaced."""
    result = dict(default)
    for key, value in shop.items():
        base = result.get(key)
        if isinstance(base, dict) and isinstance(value, dict) and key not in REPLACED_WHOLE:
            result[key] = merge(base, value)
        else:
            result[key] = value
    return result


def _describe(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{location}: unknown key"
    if error["type"] == "missing":
        return f"{location}: missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{location}: {message}" if error["loc"] else message


def _fit_ladder(data: dict[str, Any], shop: dict[str, Any]) -> dict[str, Any]:
    """A shop that replaces `levels` without giving its own promotion ladder keeps the
    default ladder's levels it still has (and their steps), so a policy file written
    before the ladder existed still loads; a ladder the shop gives is checked as given."""
    if "levels" not in shop or "ladder" in shop.get("promotion", {}):
        return data
    levels = set(data.get("levels", {}))
    promotion = dict(data.get("promotion", {}))
    promotion["ladder"] = [key for key in promotion.get("ladder", []) if key in levels]
    above = set(promotion["ladder"][1:])
    promotion["steps"] = {k: v for k, v in promotion.get("steps", {}).items() if k in above}
    return data | {"promotion": promotion}


def _fit_rotation(data: dict[str, Any], shop: dict[str, Any]) -> dict[str, Any]:
    """A shop that replaces `shifts` without naming a rotation rotates its own shifts
    (in the order given), so a policy file written before the roster still loads."""
    if "shifts" not in shop or "rotation" in shop.get("roster", {}):
        return data
    return data | {"roster": dict(data.get("roster", {})) | {"rotation": list(shop["shifts"])}}


def build_policy(
    default: dict[str, Any],
    shop: dict[str, Any] | None = None,
    *,
    overrides: dict[str, Any] | None = None,
) -> Policy:
    """Validate the default, the shop's mapping over it, and last the overrides."""
    data = _fit_rotation(_fit_ladder(merge(default, shop or {}), shop or {}), shop or {})
    data = merge(data, {k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError([_describe(e) for e in exc.errors()]) from None
