"""Levels over time: the level in force on a day, time in level, and who is due a step up.

The ladder [000: 实习客服, 初级, 中级, 高级, 资深客服]: promotion needs time in the level
below [000: 中级 after 3 months as 初级, 高级 after 1 year, 资深 after 2 years] and a
score in the new level's band over the last months [004: senior 90–100, mid 80–89,
junior 70–79]; the policy's `[promotion]` holds both (`rules.policy.Promotion`).

A change of level takes effect on the 1st of a month and a month is paid at the level
it began with, so the close reads `level_on(first day)`; a person's stored level is the
newest one (which may not be in force yet).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from rules.ledger import month_bounds
from rules.policy import Promotion, Step
from rules.standing import Place


@dataclass(frozen=True, slots=True)
class Change:
    """A change of level as the rules read it: from what, to what, from which day."""

    from_level: str | None
    to_level: str
    effective: dt.date


def ordered(changes: Sequence[Change]) -> list[Change]:
    """Changes by the day they take effect; two on the same day keep the order they were
    recorded in (the later one stands)."""
    return sorted(changes, key=lambda change: change.effective)


def level_on(day: dt.date, current: str | None, changes: Sequence[Change]) -> str | None:
    """The level in force on `day`: the last change in effect by then; before the first
    change, the level it changed from; with no change at all, the `current` level."""
    history = ordered(changes)
    in_force = [change for change in history if change.effective <= day]
    if in_force:
        return in_force[-1].to_level
    return history[0].from_level if history else current


def next_first(day: dt.date) -> dt.date:
    """The 1st of the month after `day`: when a change made on `day` takes effect."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def level_since(
    current: str | None, changes: Sequence[Change], start: dt.date | None
) -> dt.date | None:
    """The day time in `current` counts from: the last change to it, else the service
    start (`/hire`'s date, else the enrolment day)."""
    to_current = [change for change in ordered(changes) if change.to_level == current]
    return to_current[-1].effective if to_current else start


def whole_months(since: dt.date, last: dt.date) -> int:
    """Whole calendar months from `since` to the end of `last` (0 when `since` is later):
    1 August to 31 October is 3, 15 August to 31 October is 2."""
    end = last + dt.timedelta(days=1)
    months = (end.year - since.year) * 12 + end.month - since.month
    if end.day < since.day:
        months -= 1
    return max(months, 0)


def next_level(promotion: Promotion, level: str | None) -> str | None:
    """The level one step above `level` on the ladder; None at the top or off it."""
    ladder = promotion.ladder
    if level not in ladder:
        return None
    index = ladder.index(level)
    return ladder[index + 1] if index + 1 < len(ladder) else None


@functools.lru_cache(maxsize=64)
def _window(month: str, months: int) -> frozenset[str]:
    """`month_window` as a set, once per lock (not once per agent)."""
    return frozenset(month_window(month, months))


def month_window(month: str, months: int) -> list[str]:
    """`months` calendar months ending with `month` (YYYY-MM), oldest first."""
    year, number = int(month[:4]), int(month[5:])
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]


@dataclass(frozen=True, slots=True)
class Due:
    """An agent due a step up: to which level, the step's terms, the months in level and
    the scored months that met the band (oldest first)."""

    from_level: str
    to_level: str
    step: Step
    months_in_level: int
    places: tuple[Place, ...]


def due(
    promotion: Promotion,
    level: str | None,
    since: dt.date | None,
    month: str,
    places: Sequence[Place],
) -> Due | None:
    """Whether an agent at `level` since `since` is due the next step at the lock of
    `month`: each of the last `band_months` scored months within the look-back (months
    with a scorecard; a month without one is skipped) reached the step's score, AND the
    whole months in level by the end of `month` are at least the step's months."""
    target = next_level(promotion, level)
    step = promotion.steps.get(target or "")
    if level is None or target is None or step is None or since is None:
        return None
    window = _window(month, promotion.lookback_months)
    scored = sorted((p for p in places if p.month in window), key=lambda p: p.month)
    last = scored[-promotion.band_months :]
    if len(last) < promotion.band_months or any(p.score < step.score for p in last):
        return None
    _, month_end = month_bounds(month)
    months = whole_months(since, month_end)
    if months < step.months:
        return None
    return Due(level, target, step, months, tuple(last))
