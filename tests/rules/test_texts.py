"""Splitting long HTML messages so Telegram never refuses them; the filters every
language shares (durations, counts)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.texts import Texts, split_html
from tests.support.fakebot import parse_html, utf16_len


@pytest.mark.parametrize(
    "text",
    [
        "short",
        "x" * 5000,
        "😀" * 3000,  # two UTF-16 units each
        "<b>" + "&lt;tag&gt; & more " * 400 + "</b>",
        "\n".join(f'<a href="tg://user?id={i}">agent {i}</a> on shift' for i in range(400)),
        "<b>title</b>\n" + "<i>" + "line\n" * 2000 + "</i>",
    ],
)
def test_every_part_parses_and_fits(text: str) -> None:
    text = text.replace(" & ", " &amp; ")
    parts = split_html(text)
    visible = [parse_html(part) for part in parts]  # each part parses on its own
    assert all(0 < utf16_len(v) <= 4096 for v in visible)
    assert "".join(visible).replace("\n", "") == parse_html(text).replace("\n", "")


def test_lines_are_not_cut_in_the_middle() -> None:
    text = "\n".join(f"agent number {i:04d}" for i in range(600))
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        assert all(line.startswith("agent number ") for line in part.strip("\n").split("\n"))


def _shown(language: str, source: str, **values: object) -> str:
    return Texts(language, ZoneInfo("Asia/Shanghai")).env.from_string(source).render(**values)


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (dt.timedelta(seconds=59), "less than a minute", "不到1分钟"),
        (dt.timedelta(minutes=8, seconds=59), "8 min", "8分钟"),
        (dt.timedelta(hours=8), "8 h", "8小时"),
        (dt.timedelta(minutes=544), "9 h 04 min", "9小时4分钟"),
        (544, "9 h 04 min", "9小时4分钟"),  # whole minutes: a lateness, an early leave
        (dt.timedelta(hours=30, minutes=10), "30 h 10 min", "30小时10分钟"),
    ],
)
def test_durations_read_in_hours_and_minutes(value: object, en: str, zh: str) -> None:
    assert _shown("en", "{{ d|duration }}", d=value) == en
    assert _shown("zh", "{{ d|duration }}", d=value) == zh


@pytest.mark.parametrize(
    ("source", "number", "expected"),
    [
        ('{{ n|plural("day", "days") }}', 1, "1 day"),
        ('{{ n|plural("day", "days") }}', 0, "0 days"),
        ('{{ n|plural("entry", "entries") }}', 2, "2 entries"),
        ('{{ n|plural("point", "points", sign=True) }}', 1, "+1 point"),
        ('{{ n|plural("point", "points", sign=True) }}', -1, "-1 point"),
        ('{{ n|plural("point", "points", sign=True) }}', -3, "-3 points"),
        ('{{ n|plural("point", "points", sign=True) }}', 0, "0 points"),
    ],
)
def test_a_count_agrees_with_its_noun(source: str, number: int, expected: str) -> None:
    assert _shown("en", source, n=number) == expected
