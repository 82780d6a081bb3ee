"""Reading what people type: one parser for every number, date, time and required text.

Every number the bot reads — points, ±adjust, QA, yuan, probation months, entry
ids, months, dates, times — goes through here, so it is read one way everywhere:
ASCII digits, and full-width digits (１２, as Chinese keyboards type them) as the
same number. Anything else in a number's place is refused, never guessed:
superscripts and other Unicode digits (², ¹⁰, ٣), exponents (1e9), NaN and
Infinity, thousands separators (1,000), decimals where a whole number is asked,
and values beyond what the database column holds.

Text a person must give (a reason, a report, a handover) must contain something
visible: whitespace and invisible characters (zero-width spaces and joiners,
the word joiner, the BOM, bidi marks and overrides) alone are no text.

Pure functions; refusals are `Refusal`s naming the template that explains them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from rules.errors import Refusal

# The largest value an INTEGER column holds on every database the bot runs on.
INT32_MAX = 2**31 - 1
# Full-width forms typed by Chinese input methods read as their ASCII twins.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－\u2212＃：．／", "0123456789+--#:./")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_YUAN = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?", re.ASCII)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})", re.ASCII)
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII)
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)
_NOT_A_NUMBER = {"nan", "inf", "infinity", "snan", "qnan", "∞"}
# Characters that draw nothing although Unicode does not call them format or space.
_BLANK = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}
# Embeddings, overrides and isolates: they can reorder the text around them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FSI, _PDI = "\u2068", "\u2069"


def ascii_digits(token: str) -> str:
    """`token` with full-width digits and signs (１２, －, ＃, ：) as ASCII; nothing else."""
    return token.translate(_FULL_WIDTH)


def looks_numeric(token: str) -> bool:
    """True when a word stands where a number would and tries to be one (`2.5`, `1e9`, `²`,
    `NaN`, `1,5`): such a word is refused as a number, never taken as a note."""
    bare = ascii_digits(token).lstrip("+-#")
    if bare.lower() in _NOT_A_NUMBER:
        return True
    return bool(bare) and (bare[0].isnumeric() or (bare[0] in ".," and bare[1:2].isnumeric()))


def integer(token: str, *, low: int, high: int) -> int:
    """A whole number from `low` to `high`; `bad_number` (with the range) otherwise."""
    text = ascii_digits(token.strip())
    whole = _INTEGER.fullmatch(text) is not None
    if not whole or not low <= int(text) <= high:
        raise Refusal("bad_number", given=token, low=low, high=high, whole=whole)
    return int(text)


def yuan(token: str, *, high: Decimal, zero: bool = False) -> Decimal:
    """A positive amount of yuan with at most two decimals, up to `high` (or 0, where
    `zero` allows it); refused otherwise."""
    text = ascii_digits(token.strip())
    lowest = Decimal(0) if zero else Decimal("0.01")
    if not _YUAN.fullmatch(text) or not lowest <= Decimal(text) <= high:
        raise Refusal("bad_yuan", given=token, high=high)
    return Decimal(text)


def entry_id(token: str) -> int:
    """`#12` or `12`: a ledger entry's id; `bad_entry_id` otherwise."""
    text = ascii_digits(token.strip()).removeprefix("#")
    if not _INTEGER.fullmatch(text) or not 1 <= int(text) <= INT32_MAX:
        raise Refusal("bad_entry_id", given=token)
    return int(text)


def month(token: str) -> str:
    """A YYYY-MM month as typed (2026-11, 2026-1), normalised to YYYY-MM; `bad_month` otherwise."""
    match = _MONTH.fullmatch(ascii_digits(token.strip()))
    if not match or not 2000 <= int(match[1]) <= 2999 or not 1 <= int(match[2]) <= 12:
        raise Refusal("bad_month", given=token)
    return f"{int(match[1]):04d}-{int(match[2]):02d}"


def date(token: str) -> dt.date:
    """A YYYY-MM-DD day that exists on the calendar; `bad_date` otherwise."""
    match = _DATE.fullmatch(ascii_digits(token.strip()))
    try:
        if not match:
            raise ValueError(token)
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise Refusal("bad_date", given=token) from None


def clock_time(token: str) -> dt.time:
    """An HH:MM time of day (24-hour clock); `bad_time` otherwise."""
    match = _TIME.fullmatch(ascii_digits(token.strip()))
    try:
        if not match:
            raise ValueError(token)
        return dt.time(int(match[1]), int(match[2]))
    except ValueError:
        raise Refusal("bad_time", given=token) from None


def _draws(char: str) -> bool:
    if char in _BLANK:
        return False
    return unicodedata.category(char)[0] not in "ZC"  # separators, controls, format, unassigned


def visible(text: str) -> bool:
    """True when `text` has at least one character that draws something."""
    return any(_draws(char) for char in text)


def contained(text: str) -> str:
    """`text` for another person's screen: its embeddings and overrides cannot leak.

    Text with no bidi controls and no right-to-left letters is returned as it is.
    Otherwise its isolates are dropped and the whole is wrapped in one isolate
    (FSI … PDI), which ends every embedding and override begun inside it, so the
    bot's own words around it keep their order. What was stored is unchanged.
    """
    if not any(char in BIDI_CONTROLS or _right_to_left(char) for char in text):
        return text
    inner = "".join(char for char in text if char not in "\u2066\u2067\u2068\u2069")
    return f"{_FSI}{inner}{_PDI}"


def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL", "RLE", "RLO", "RLI")


def cut(text: str, limit: int) -> str:
    """`text` as shown back to people: at most `limit` characters, an ellipsis if cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
