"""Inline buttons' callback data: one typed codec for every button the bot sends.

Each kind of button is a frozen dataclass with a prefix and typed fields: ids
(whole numbers), days (ISO dates) and words from a fixed set. `encode` writes
`prefix:field:field`; `decode` reads it back and validates every field, so a
handler gets a typed value or None — forged, garbled or stale data never reaches
a use-case. Telegram gives at most 64 bytes of callback data; every kind fits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from typing import Any, ClassVar, TypeVar

# The outcomes the cards decide, as the use-cases name them.
UPHOLD, VOID = "upheld", "voided"
APPROVED, DENIED = "approved", "denied"
PROMOTE, PASS = "promote", "pass"
ACCEPT, DECLINE = "accept", "decline"
APPROVE, REFUSE = "approve", "refuse"
PUBLISH, ADJUST = "publish", "adjust"

_ID = re.compile(r"[0-9]{1,16}", re.ASCII)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
LOG, DISMISS = "log", "dismiss"


@dataclasses.dataclass(frozen=True)
class Button:
    """A button's meaning; subclasses name their prefix and the words each field allows."""

    prefix: ClassVar[str] = ""
    words: ClassVar[dict[str, tuple[str, ...]]] = {}

    def encode(self) -> str:
        """`prefix:value:value`, as callback data."""
        values = [getattr(self, f.name) for f in dataclasses.fields(self)]
        parts = [v.isoformat() if isinstance(v, dt.date) else str(v) for v in values]
        text = ":".join([self.prefix, *parts])
        assert len(text.encode()) <= 64, text
        return text


@dataclasses.dataclass(frozen=True)
class Ack(Button):
    """The handover card: "I have read it"."""

    prefix = "ack"
    handover_id: int


@dataclasses.dataclass(frozen=True)
class LeaveDecision(Button):
    """The leave card: approve or deny."""

    prefix = "leave"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"status": (APPROVED, DENIED)}
    leave_id: int
    status: str


@dataclasses.dataclass(frozen=True)
class AppealDecision(Button):
    """The appeal card: keep the entry or void it."""

    prefix = "decide"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"outcome": (UPHOLD, VOID)}
    appeal_id: int
    outcome: str


@dataclasses.dataclass(frozen=True)
class DayCard(Button):
    """A card about one day (or the week starting on it): log for them all, or dismiss."""

    words: ClassVar[dict[str, tuple[str, ...]]] = {"action": (LOG, DISMISS)}
    day: dt.date
    action: str


@dataclasses.dataclass(frozen=True)
class LateReports(DayCard):
    """The missing-reports card of a week (its Monday): log `late-report`, or dismiss."""

    prefix = "latereport"


@dataclasses.dataclass(frozen=True)
class MissedMeeting(DayCard):
    """The unconfirmed-meeting card of a day: log `missed-meeting`, or dismiss."""

    prefix = "missed"


@dataclasses.dataclass(frozen=True)
class AbsenceCard(Button):
    """The absence card's buttons: one person, one day."""

    person_id: int
    day: dt.date


@dataclasses.dataclass(frozen=True)
class Absent(AbsenceCard):
    """Log `absent` for the person that day."""

    prefix = "absent"


@dataclasses.dataclass(frozen=True)
class AsLeave(AbsenceCard):
    """Record the day as leave instead."""

    prefix = "asleave"


@dataclasses.dataclass(frozen=True)
class Away(Button):
    """A long break's card: log `away-from-post`."""

    prefix = "away"
    break_id: int


@dataclasses.dataclass(frozen=True)
class ClockoutCard(Button):
    """The forgotten clock-out question's buttons: one shift."""

    session_id: int


@dataclasses.dataclass(frozen=True)
class StillWorking(ClockoutCard):
    """The agent is still working."""

    prefix = "stay"


@dataclasses.dataclass(frozen=True)
class EndAtShift(ClockoutCard):
    """Clock the agent out at the shift's end."""

    prefix = "endshift"


@dataclasses.dataclass(frozen=True)
class Rsvp(Button):
    """The meeting reminder: "I'll be there" or "on duty"."""

    prefix = "rsvp"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"answer": ("attend", "duty")}
    meeting_id: int
    answer: str


@dataclasses.dataclass(frozen=True)
class Received(Button):
    """A payslip's "Received": its own agent confirms it arrived."""

    prefix = "received"
    payslip_id: int


@dataclasses.dataclass(frozen=True)
class PromotionDecision(Button):
    """A promotion card: promote from next month, or pass."""

    prefix = "promotion"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"action": (PROMOTE, PASS)}
    proposal_id: int
    action: str


@dataclasses.dataclass(frozen=True)
class ReviewConfirm(Button):
    """The annual review's preview: confirm the year's review [000 第十一条]."""

    prefix = "review"
    year: int


@dataclasses.dataclass(frozen=True)
class SwapAnswer(Button):
    """A swap's card to the colleague: accept or decline."""

    prefix = "swapans"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"action": (ACCEPT, DECLINE)}
    swap_id: int
    action: str


@dataclasses.dataclass(frozen=True)
class RosterDecision(Button):
    """A month's roster draft card: publish it, or how to adjust it first."""

    prefix = "roster"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"action": (PUBLISH, ADJUST)}
    plan_id: int
    version: int  # the draft's time (ms): a card of a draft since replaced is stale
    action: str


@dataclasses.dataclass(frozen=True)
class SwapDecision(Button):
    """A swap's card to the supervisors: approve or refuse."""

    prefix = "swapdec"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"action": (APPROVE, REFUSE)}
    swap_id: int
    action: str


@dataclasses.dataclass(frozen=True)
class SwapWithdraw(Button):
    """Either agent's Withdraw, before the approval."""

    prefix = "swapoff"
    swap_id: int


@dataclasses.dataclass(frozen=True)
class PunchFixDecision(Button):
    """A make-up punch card: approve or deny."""

    prefix = "punchfix"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"status": (APPROVED, DENIED)}
    fix_id: int
    status: str


@dataclasses.dataclass(frozen=True)
class PunchFixWithdraw(Button):
    """The agent's own make-up punch request: withdraw it while pending."""

    prefix = "punchback"
    fix_id: int


@dataclasses.dataclass(frozen=True)
class DiscountDecision(Button):
    """A discount over the limit: approve or deny [000]."""

    prefix = "discount"
    words: ClassVar[dict[str, tuple[str, ...]]] = {"status": (APPROVED, DENIED)}
    discount_id: int
    status: str


@dataclasses.dataclass(frozen=True)
class ProblemAnswer(Button):
    """The weekly problem review: answer this problem."""

    prefix = "problem"
    problem_id: int


B = TypeVar("B", bound=Button)


def _field(kind: type[Button], name: str, hint: Any, text: str) -> object | None:
    if hint is int:
        return int(text) if _ID.fullmatch(text) and int(text) > 0 else None
    if hint is dt.date:
        if not _DAY.fullmatch(text):
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return text if text in kind.words.get(name, ()) else None


def kind_of(data: str | None, *kinds: type[B]) -> type[B]:
    """Which of `kinds` (one card's buttons) `data` claims to be, by its prefix; the last
    one if none (its decoding then refuses the data)."""
    head = (data or "").partition(":")[0]
    return next((kind for kind in kinds if kind.prefix == head), kinds[-1])


def decode(data: str | None, kind: type[B]) -> B | None:
    """The button `data` encodes, if it is a well-formed `kind`; None otherwise."""
    if data is None:
        return None
    head, _, rest = data.partition(":")
    fields = dataclasses.fields(kind)
    parts = rest.split(":")
    if head != kind.prefix or len(parts) != len(fields):
        return None
    hints = typing.get_type_hints(kind)
    values: dict[str, object] = {}
    for field, text in zip(fields, parts, strict=True):
        value = _field(kind, field.name, hints[field.name], text)
        if value is None:
            return None
        values[field.name] = value
    return kind(**values)
