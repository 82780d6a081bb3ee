"""Chat-tool metrics (千牛/旺旺 exports): headers, values, validation — and KPI bands.

Pure functions: a table of cells in, records or a list of problems out
[domain.md §3, issue 4]. Rates are kept in basis points (9750 = 97.50%),
response times in milliseconds, money in fen: all integers, all exact.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rules.parse import ascii_digits, cut

# Canonical field → the headers shops use for it (compared after `_norm`).
HEADERS: dict[str, tuple[str, ...]] = {
    "day": ("日期", "date", "day", "统计日期", "时间"),
    "agent": (
        "客服",
        "旺旺",
        "子账号",
        "客服昵称",
        "客服名称",
        "旺旺名",
        "agent",
        "im_name",
        "imname",
        "account",
        "username",
    ),
    "consults": ("咨询人数", "consults", "consulted"),
    "received": ("接待人数", "received"),
    "reply_rate": ("回复率", "reply_rate", "replyrate", "旺旺回复率"),
    "avg_response": (
        "平均响应时间(秒)",
        "平均响应(s)",
        "平均响应时间",
        "平均响应(秒)",
        "首次响应时间",
        "avg_response_s",
        "avg_response",
        "response_s",
    ),
    "inquiries": ("询单人数", "inquiries"),
    "orders": ("下单人数", "orders"),
    "payers": ("付款人数", "payers", "paid"),
    "sales": ("销售额", "付款金额", "销售额(元)", "sales", "revenue"),
}
METRICS = (
    "consults",
    "received",
    "reply_rate",
    "avg_response",
    "inquiries",
    "orders",
    "payers",
    "sales",
)
COUNTS = ("consults", "received", "inquiries", "orders", "payers")
SHOWN = 20  # problems listed in a refusal; the rest are counted
CELL_SHOWN = 24  # characters of a cell quoted in a problem
# The largest figure a column holds (INTEGER on every database the bot runs on).
LARGEST = 2**31 - 1


def _norm(header: object) -> str:
    text = str(header or "").strip().lower()
    text = text.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "")
    return text


_ALIASES = {_norm(alias): name for name, aliases in HEADERS.items() for alias in aliases}


# Why a cell or a row cannot be read (the texts say each in the team's language).
WHY = (
    "no-column",  # a column the table needs is missing (`column`: the headers looked for)
    "no-rows",
    "no-agent",
    "same-as-row",  # the same agent and day as an earlier row (`value`: its number)
    "not-a-date",
    "no-such-date",
    "future-date",
    "not-a-rate",
    "over-100",
    "not-seconds",
    "impossible-time",
    "not-a-number",
    "not-whole",
    "too-large",
    "not-an-amount",
    "impossible-amount",
    "decimals",
    "shop-no-sales",  # a `shop` row without the sales it is there for
)
# An agent cell naming the whole shop: the row carries the shop's public sales for a
# day or a month [000 第10条: 公共销售业绩], not an agent's figures.
SHOP_NAMES = ("shop", "全店", "店铺")
_MONTH_CELL = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")


@dataclass(frozen=True)
class Problem:
    """Why a cell (or a row) cannot be read: row as the file numbers it, column as headed,
    `why` one of `WHY`, `value` the cell as quoted back."""

    row: int
    column: str
    why: str
    value: str = ""


@dataclass(frozen=True)
class Record:
    """One agent's figures for one day."""

    row: int
    agent: str
    day: dt.date
    values: dict[str, int]
    whole_month: bool = False  # a `shop` row for a month (`day` is its first)

    @property
    def shop(self) -> bool:
        """True for a row of the whole shop's public sales."""
        return is_shop(self.agent)

    @property
    def period(self) -> str:
        """A shop row's period: YYYY-MM for a month, YYYY-MM-DD for a day."""
        return self.day.strftime("%Y-%m") if self.whole_month else self.day.isoformat()


@dataclass
class Parsed:
    """What a table yields: records, or the problems that reject it."""

    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → header as written


class Unreadable(ValueError):
    """A cell that cannot be read: why (one of `WHY`), and the cell as quoted back."""

    def __init__(self, why: str, value: str = "") -> None:
        super().__init__(f"{why}: {value}" if value else why)
        self.why = why
        self.value = value


def shown(value: object) -> str:
    """A cell as quoted in a problem: its repr, cut to a few characters."""
    return cut(repr(value) if isinstance(value, str) else str(value), CELL_SHOWN)


def map_headers(header: list[object]) -> dict[str, int]:
    """Field → column index, from a header row in Chinese or English."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _ALIASES.get(_norm(cell))
        if name is not None and name not in found:
            found[name] = index
    return found


def _text(value: object) -> str:
    text = ascii_digits(value.strip() if isinstance(value, str) else str(value).strip())
    if "," in text or "，" in text:
        text = text.replace(",", "").replace("，", "")
    return text


_PLAIN = re.compile(r"(\d{1,15})(?:\.(\d{1,6}))?", re.ASCII)


def _decimal(text: str) -> Decimal:
    """A number in ASCII only: other scripts' digits (٣, ²) are not read as figures."""
    if not text.isascii():
        raise InvalidOperation(text)
    return Decimal(text)


def _scaled(text: str, places: int) -> int | None:
    """'97.5' with places=2 → 9750, exactly and fast; None if it needs the slow path."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    whole: str = match.group(1)
    fraction: str = match.group(2) or ""
    if len(fraction) > places:
        if fraction[places:].strip("0"):
            return None  # more precision than kept: let Decimal round it
        fraction = fraction[:places]
    scale: int = 10**places
    return int(whole) * scale + int(fraction.ljust(places, "0") or "0")


def is_shop(agent: str) -> bool:
    """True when an agent cell names the whole shop (`shop`, 全店, 店铺)."""
    return agent.strip().lower() in SHOP_NAMES


def parse_month_cell(value: object, today: dt.date) -> dt.date | None:
    """A month in a shop row's day cell (2026-11, 2026/11, 2026年11月): its first day;
    None when the cell is no month (it is then read as a day); a month not begun is in
    the future."""
    if isinstance(value, dt.date):
        return None
    match = _MONTH_CELL.fullmatch(str(value).strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        return None
    first = dt.date(int(match[1]), int(match[2]), 1)
    if first > today:
        raise Unreadable("future-date", first.strftime("%Y-%m"))
    return first


def parse_day(value: object, today: dt.date) -> dt.date:
    """2026-11-22, 2026/11/22, 2026.11.22, 20261122 or a spreadsheet date; not in the future."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip()
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?", text) or (
            re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
        )
        if not match:
            raise Unreadable("not-a-date", shown(text))
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise Unreadable("no-such-date", shown(text)) from None
    if day > today:
        raise Unreadable("future-date", day.isoformat())
    return day


def parse_rate(value: object) -> int:
    """97.5%, 0.975 or 97.5 → 9750 basis points; above 100% is impossible."""
    text = _text(value)
    percent = text.endswith("%")
    fast = _scaled(text[:-1] if percent else text, 2)
    if fast is not None and (percent or fast > 100):  # percent, in hundredths → basis points
        if fast > 10000:
            raise Unreadable("over-100", cut(str(value), CELL_SHOWN))
        return fast
    try:
        number = _decimal(text.rstrip("%"))
    except InvalidOperation:
        raise Unreadable("not-a-rate", shown(value)) from None
    if not number.is_finite() or number < 0:
        raise Unreadable("not-a-rate", shown(value))
    fraction = number / 100 if percent or number > 1 else number
    if fraction > 1:
        raise Unreadable("over-100", cut(str(value), CELL_SHOWN))
    return int((fraction * 10000).to_integral_value())


def parse_seconds(value: object) -> int:
    """23, 23.4 or 0:23 (m:ss, or h:mm:ss) → milliseconds."""
    text = _text(value).removesuffix("秒").removesuffix("s")
    fast = _scaled(text, 3)
    if fast is not None:
        if fast > 86_400_000:
            raise Unreadable("impossible-time", shown(value))
        return fast
    try:
        if ":" in text:
            parts = [_decimal(part) for part in text.split(":")]
            if len(parts) > 3 or any(p < 0 for p in parts):
                raise InvalidOperation
            seconds = Decimal(0)
            for part in parts:
                seconds = seconds * 60 + part
        else:
            seconds = _decimal(text)
    except InvalidOperation:
        raise Unreadable("not-seconds", shown(value)) from None
    if not seconds.is_finite() or seconds < 0 or seconds > 86400:
        raise Unreadable("impossible-time", shown(value))
    return int((seconds * 1000).to_integral_value())


def parse_count(value: object) -> int:
    """A whole, non-negative number of people."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = _text(value)
    if _PLAIN.fullmatch(text) and "." not in text:
        number = _decimal(text)
    else:
        try:
            number = _decimal(text)
        except InvalidOperation:
            raise Unreadable("not-a-number", shown(value)) from None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        raise Unreadable("not-whole", shown(value))
    if number > LARGEST:
        raise Unreadable("too-large", shown(value))
    return int(number)


def parse_money(value: object) -> int:
    """¥1,234.50 → 123450 fen; negative is impossible."""
    text = _text(value).lstrip("¥￥").removesuffix("元")
    fast = _scaled(text, 2)
    if fast is not None and fast <= LARGEST:
        return fast
    try:
        number = _decimal(text)
    except InvalidOperation:
        raise Unreadable("not-an-amount", shown(value)) from None
    if not number.is_finite() or number < 0:
        raise Unreadable("impossible-amount", shown(value))
    fen = number * 100
    if fen > LARGEST:
        raise Unreadable("too-large", shown(value))
    if fen != fen.to_integral_value():
        raise Unreadable("decimals", shown(value))
    return int(fen)


PARSERS = {
    "reply_rate": parse_rate,
    "avg_response": parse_seconds,
    "sales": parse_money,
    **{name: parse_count for name in COUNTS},
}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_table(header: list[object], rows: list[list[object]], today: dt.date) -> Parsed:
    """Read every row; a single unreadable value rejects the whole table.

    Rows are numbered as the file numbers them (the header is row 1). Blank
    rows are skipped; the same agent and day twice in one file is a problem.
    """
    parsed = Parsed()
    columns = map_headers(header)
    parsed.columns = {name: str(header[index]).strip() for name, index in columns.items()}
    missing = [HEADERS[name][0] for name in ("day", "agent") if name not in columns]
    if missing or not any(name in columns for name in METRICS):
        needed = missing or [HEADERS["reply_rate"][0], HEADERS["avg_response"][0], "…"]
        parsed.problems.append(Problem(1, ", ".join(needed), "no-column"))
        return parsed
    seen: dict[tuple[str, dt.date, bool], int] = {}
    days: dict[object, dt.date] = {}  # an export repeats a handful of dates
    for number, row in enumerate(rows, start=2):
        if all(_blank(cell) for cell in row):
            continue
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        values: dict[str, int] = {}
        day: dt.date | None = None
        agent = str(cells["agent"] or "").strip()
        if not agent:
            parsed.problems.append(Problem(number, parsed.columns["agent"], "no-agent"))
        shop = is_shop(agent)
        whole_month = False
        try:
            raw_day = cells["day"]
            day = days.get(raw_day) if isinstance(raw_day, str) else None
            if day is None and shop:
                day = parse_month_cell(raw_day, today)
                whole_month = day is not None
            if day is None:
                day = parse_day(raw_day, today)
                if isinstance(raw_day, str):
                    days[raw_day] = day
        except Unreadable as exc:
            parsed.problems.append(Problem(number, parsed.columns["day"], exc.why, exc.value))
        for name in METRICS:
            if name not in cells or _blank(cells[name]):
                continue
            try:
                values[name] = PARSERS[name](cells[name])
            except Unreadable as exc:
                parsed.problems.append(Problem(number, parsed.columns[name], exc.why, exc.value))
        if shop and "sales" not in values:  # a shop row is there for its sales
            if "sales" not in cells or _blank(cells["sales"]):
                column = parsed.columns.get("sales", HEADERS["sales"][0])
                parsed.problems.append(Problem(number, column, "shop-no-sales"))
            continue
        if not agent or day is None:
            continue
        key = ("shop" if shop else agent.lower().lstrip("@"), day, whole_month)
        if key in seen:
            parsed.problems.append(
                Problem(number, parsed.columns["agent"], "same-as-row", str(seen[key]))
            )
            continue
        seen[key] = number
        parsed.records.append(Record(number, agent, day, values, whole_month))
    if not parsed.records and not parsed.problems:
        parsed.problems.append(Problem(1, "", "no-rows"))
    return parsed


@dataclass(frozen=True)
class Figure:
    """One agent's figures for the alert."""

    person_id: int
    response_ms: int | None
    reply_bp: int | None


@dataclass(frozen=True)
class Flag:
    """An agent outside the standard on a day, with the thresholds that apply."""

    person_id: int
    response_ms: int | None
    reply_bp: int | None
    response_limit_s: int
    reply_min_bp: int
    slow: bool
    unreplied: bool
    severity: Decimal


def flag_outside_standard(
    figures: list[Figure], limits: dict[int, tuple[int, Decimal]]
) -> list[Flag]:
    """Agents whose mean response is over their track's threshold or reply rate under it.

    `limits` gives each person's (seconds, minimum reply rate) from their track
    [domain.md §3, §7: presale 25 s, aftersales 40 s, 98%]. Worst first: the
    larger of how far over the time limit and how far under the rate it is.
    """
    flags: list[Flag] = []
    for figure in figures:
        seconds, rate = limits[figure.person_id]
        min_bp = int((rate * 10000).to_integral_value())
        slow = figure.response_ms is not None and figure.response_ms > seconds * 1000
        unreplied = figure.reply_bp is not None and figure.reply_bp < min_bp
        if not (slow or unreplied):
            continue
        over = Decimal(figure.response_ms or 0) / (seconds * 1000)
        under = (
            Decimal(min_bp) / max(figure.reply_bp, 1) if figure.reply_bp is not None else Decimal(0)
        )
        flags.append(
            Flag(
                figure.person_id,
                figure.response_ms,
                figure.reply_bp,
                seconds,
                min_bp,
                slow,
                unreplied,
                max(over if slow else Decimal(0), under if unreplied else Decimal(0)),
            )
        )
    return sorted(flags, key=lambda flag: (-flag.severity, flag.person_id))
