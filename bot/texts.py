"""Every user-facing text: Jinja2 templates per language, and Telegram-safe splitting.

One environment for the whole bot: autoescape on (anything a person typed is
escaped for Telegram's HTML mode), StrictUndefined (a missing value is a bug,
not an empty string). Templates live in `templates/<language>/`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from rules.ledger import to_yuan
from rules.parse import contained, cut

TELEGRAM_LIMIT = 4096
_TEMPLATES = str(files("templates"))
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[\s\S]", re.ASCII)
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)")


def visible(text: str) -> str:
    """An HTML message's text as it reads, without its tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def opening(text: str, chars: int = 60) -> str:
    """The first line of an HTML message as it reads, cut to `chars` (which message it was,
    for someone told that it could not be delivered)."""
    lines = [line.strip() for line in visible(text).splitlines() if line.strip()]
    return cut(lines[0] if lines else "", chars)


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut an HTML message into parts Telegram accepts, each at most `limit` long.

    Length is counted on the visible text. A part ends at the last line break
    that fits when there is one; tags open at a cut are closed and reopened in
    the next part, so every part parses on its own.
    """
    parts: list[str] = []
    current: list[str] = []
    visible = 0
    opened: list[str] = []  # the full opening tags, innermost last
    last_newline: tuple[int, int, list[str]] | None = None

    def close(tags: list[str]) -> str:
        return "".join(f"</{_TAG.match(tag).group(2)}>" for tag in reversed(tags))  # type: ignore[union-attr]

    for token in _TOKEN.findall(text):
        if token.startswith("<") and len(token) > 1:
            match = _TAG.match(token)
            if match and match.group(1):
                if opened:
                    opened.pop()
            elif match:
                opened.append(token)
            current.append(token)
            continue
        size = 1 if token.startswith("&") else _units(token)
        if visible + size > limit:
            if last_newline is not None and last_newline[1] > limit // 2:
                cut, _, tags = last_newline
                head, tail = current[:cut], current[cut:]
            else:
                head, tail, tags = current, [], list(opened)
            parts.append("".join(head) + close(tags))
            current = [*tags, *tail]
            visible = sum(
                1 if t.startswith("&") else _units(t) for t in tail if not t.startswith("<")
            )
            last_newline = None
        current.append(token)
        visible += size
        if token == "\n":
            last_newline = (len(current), visible, list(opened))
    tail_text = "".join(current)
    if tail_text.strip() or not parts:
        parts.append(tail_text)
    return parts


def _grouped(amount: object) -> str:
    """An amount of yuan with its thousands apart: 120 000.00."""
    return f"{Decimal(str(amount)):,.2f}".replace(",", " ")


def _pct(fraction: object) -> str:
    """A fraction ("0.02", Decimal) as a percentage without trailing zeros: 2%."""
    value = (Decimal(str(fraction)) * 100).normalize()
    return f"{value:f}%"


# How many decimals each unit of a KPI value is shown with (rates as percentages).
_PLACES = {
    "percent": Decimal("0.1"),
    "seconds": Decimal("0.1"),
    "yuan": Decimal("0.01"),
    "hours": Decimal("0.1"),
}


def _by_unit(value: Decimal | int, unit: str) -> str:
    """A KPI value's number in its unit [`rules.policy.UNITS`]: a rate as a percentage
    (97.5), seconds (26.0), hours (30.5) and yuan (12.50) to fixed places, days and
    counts whole, a score as it is."""
    number = Decimal(value) * 100 if unit == "percent" else Decimal(value)
    if unit in _PLACES:
        return f"{number.quantize(_PLACES[unit], rounding=ROUND_HALF_UP):f}"
    if unit in ("days", "count"):
        return str(int(number))
    return f"{number.normalize():f}"


def _duration(value: dt.timedelta | int, language: str) -> str:
    """A length of time in hours and minutes: "9 h 04 min" / "9小时4分钟"; an int is
    whole minutes (a lateness, a limit), so 544 reads "9 h 04 min" too."""
    if isinstance(value, dt.timedelta):
        minutes = max(int(value.total_seconds() // 60), 0)
    else:
        minutes = max(int(value), 0)
    hours, minutes = divmod(minutes, 60)
    if not hours and not minutes:
        return "不到1分钟" if language == "zh" else "less than a minute"
    if language == "zh":
        if not hours:
            return f"{minutes}分钟"
        return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"


def _signed(number: int) -> str:
    """A count with its sign: "+3", "-2", and "0" without one."""
    return f"{number:+d}" if number else "0"


def _plural(number: int, one: str, many: str, *, sign: bool = False) -> str:
    """A count and its noun, agreeing in English: "1 day", "3 days", "+1 point" (with
    `sign`: the number as `signed` writes it). Chinese nouns have no plural and need
    no filter."""
    shown = _signed(number) if sign else str(number)
    return f"{shown} {one if abs(number) == 1 else many}"


def _contained(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return contained(value)
    return value


class Texts:
    """Renders templates for one team: its language and time zone."""

    def __init__(self, language: str, tz: ZoneInfo) -> None:
        self.language = language
        self.tz = tz
        self.env = Environment(
            loader=FileSystemLoader(_TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # templates ship with the code: no stat() per message
            # Every value a template prints (names, notes, reasons) is contained: its bidi
            # overrides cannot reorder the bot's own words around it.
            finalize=_contained,
        )
        self.env.filters["duration"] = lambda value: _duration(value, self.language)
        self.env.filters["plural"] = _plural
        self.env.filters["hm"] = lambda value: value.astimezone(self.tz).strftime("%H:%M")
        self.env.filters["yuan"] = lambda fen: str(to_yuan(fen))
        self.env.filters["seconds"] = lambda ms: f"{ms / 1000:.1f}"
        self.env.filters["percent"] = lambda bp: f"{bp / 100:.2f}%"
        self.env.filters["pct"] = _pct
        self.env.filters["grouped"] = _grouped
        self.env.filters["by_unit"] = _by_unit
        self.env.filters["signed"] = _signed
        self.env.filters["when"] = lambda value: value.astimezone(self.tz).strftime(
            "%Y-%m-%d %H:%M"
        )

    def render(self, template: str, /, **context: Any) -> str:
        """The message `template` in the team's language, stripped of outer blank lines."""
        found = self.env.get_template(f"{self.language}/{template}.html")
        return found.render(**context).strip()

    def plain(self, template: str, /, **context: Any) -> str:
        """The message as plain text, for button labels and pop-ups (no HTML there)."""
        return visible(self.render(template, **context))

    def catalog(self, name: str, language: str | None = None) -> Any:
        """A template's exported variables (e.g. command descriptions)."""
        return self.env.get_template(f"{language or self.language}/{name}.html").module
