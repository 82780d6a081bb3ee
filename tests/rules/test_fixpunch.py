"""Make-up punches (补卡) as tables of cases (cases/fixpunch.toml)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules import attendance as attendance_rules
from rules import fixpunch
from rules.errors import Refusal
from rules.policy import FixPunch
from tests.support.cases import table
from tests.support.samples import POLICY

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 26)
DAY = dt.date(2026, 11, 25)  # the day asked for in the shift tables
RULES = FixPunch()
CLOSE = POLICY.schedule.clockout_close_minutes


def refused(refusal: str, call: object) -> None:
    """`call()` passes when `refusal` is empty, else raises that refusal."""
    assert callable(call)
    if not refusal:
        call()
        return
    with pytest.raises(Refusal) as caught:
        call()
    assert caught.value.key == refusal


def at(time: str) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time.fromisoformat(time), tzinfo=SH)


@table("fixpunch", "days", "day, refusal")
def test_days(day: str, refusal: str) -> None:
    refused(refusal, lambda: fixpunch.check_day(dt.date.fromisoformat(day), TODAY, RULES))


@table("fixpunch", "quota", "counted, refusal")
def test_quota(counted: int, refusal: str) -> None:
    refused(refusal, lambda: fixpunch.check_quota(counted, RULES, "2026-11"))


@table("fixpunch", "place", "kind, shifts, time, at, shift, refusal")
def test_place(kind: str, shifts: str, time: str, at: str, shift: str, refusal: str) -> None:
    allowed = {key.strip(): POLICY.shifts[key.strip()] for key in shifts.split(",")}

    def place() -> fixpunch.Punch:
        return fixpunch.place(
            kind, DAY, dt.time.fromisoformat(time), allowed, SH, POLICY.attendance, CLOSE
        )

    refused(refusal, place)
    if not refusal:
        punch = place()
        assert (punch.at, punch.shift) == (dt.datetime.fromisoformat(at).replace(tzinfo=SH), shift)


def _recorded(text: str) -> list[fixpunch.Recorded]:
    found = []
    for one in filter(None, (part.strip() for part in text.split(","))):
        start, end = one.split("-")
        ended = None if end == "open" else at("18:00" if end == "bot" else end)
        found.append(fixpunch.Recorded(at(start), ended, end == "bot"))
    return found


@table("fixpunch", "missing", "kind, time, sessions, refusal")
def test_missing(kind: str, time: str, sessions: str, refusal: str) -> None:
    punch = fixpunch.Punch(at(time), "day", attendance_rules.slot_on(POLICY.shifts["day"], DAY, SH))
    refused(refusal, lambda: fixpunch.check_missing(kind, punch, _recorded(sessions)))


@table("fixpunch", "early", "ended, minutes")
def test_early(ended: str, minutes: int) -> None:
    assert fixpunch.early_minutes(at(ended), at("18:00"), POLICY.attendance) == minutes


@pytest.mark.parametrize(
    ("word", "kind"), [("in", "in"), ("OUT", "out"), ("上班", "in"), ("下班", "out")]
)
def test_kinds(word: str, kind: str) -> None:
    assert fixpunch.kind(word) == kind


def test_an_unknown_kind_is_refused() -> None:
    refused("fixpunch_kind", lambda: fixpunch.kind("sideways"))


def test_a_time_to_come_is_refused() -> None:
    slot = attendance_rules.slot_on(POLICY.shifts["day"], DAY, SH)
    punch = fixpunch.Punch(at("17:00"), "day", slot)
    refused("fixpunch_time_future", lambda: fixpunch.check_not_future(punch, at("16:59")))
    fixpunch.check_not_future(punch, at("17:00"))
