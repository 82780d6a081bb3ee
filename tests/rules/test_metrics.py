"""Reading chat-tool figures, as tables of cases (cases/metrics.toml); flagging the daily alert."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rules import metrics
from rules.metrics import Figure, Unreadable
from tests.support.cases import table

TODAY = dt.date(2026, 11, 23)


@table("metrics", "rates", "text, bp", optional="bp")
def test_rates(text: object, bp: int | None) -> None:
    if bp is None:
        with pytest.raises(Unreadable):
            metrics.parse_rate(text)
    else:
        assert metrics.parse_rate(text) == bp


@table("metrics", "impossible_rates", "text")
def test_impossible_rates(text: str) -> None:
    with pytest.raises(Unreadable):
        metrics.parse_rate(text)


@table("metrics", "seconds", "text, ms")
def test_seconds(text: object, ms: int) -> None:
    assert metrics.parse_seconds(text) == ms


@table("metrics", "impossible_seconds", "text")
def test_impossible_seconds(text: str) -> None:
    with pytest.raises(Unreadable):
        metrics.parse_seconds(text)


@table("metrics", "money", "text, fen")
def test_money(text: object, fen: int) -> None:
    assert metrics.parse_money(text) == fen


@table("metrics", "bad_money", "text")
def test_bad_money(text: str) -> None:
    with pytest.raises(Unreadable):
        metrics.parse_money(text)


@table("metrics", "days", "value, day")
def test_days(value: object, day: dt.date) -> None:
    assert metrics.parse_day(value, TODAY) == day


@table("metrics", "bad_days", "value")
def test_bad_days(value: str) -> None:
    with pytest.raises(Unreadable):
        metrics.parse_day(value, TODAY)


def test_headers_in_both_languages() -> None:
    zh = metrics.map_headers(["日期", "旺旺", "回复率", "平均响应(s)", "付款金额", "其他"])
    assert zh == {"day": 0, "agent": 1, "reply_rate": 2, "avg_response": 3, "sales": 4}
    en = metrics.map_headers(["Date", " Agent ", "reply_rate", "avg_response_s", "Orders"])
    assert en == {"day": 0, "agent": 1, "reply_rate": 2, "avg_response": 3, "orders": 4}
    assert metrics.map_headers(["日期", "子账号", "平均响应时间（秒）"])["avg_response"] == 2


def test_a_table_with_blank_rows_and_a_duplicate() -> None:
    parsed = metrics.parse_table(
        ["日期", "客服", "回复率"],
        [
            ["2026-11-22", "a", "99%"],
            ["", "", ""],
            ["2026-11-22", "A", "98%"],
            ["2026-11-21", "a", ""],
        ],
        TODAY,
    )
    assert [(p.row, p.why, p.value) for p in parsed.problems] == [(4, "same-as-row", "2")]
    assert [(r.row, r.values) for r in parsed.records] == [(2, {"reply_rate": 9900}), (5, {})]


def test_missing_columns() -> None:
    parsed = metrics.parse_table(["名字", "回复率"], [["a", "99%"]], TODAY)
    assert parsed.problems[0].why == "no-column" and "日期" in parsed.problems[0].column


def test_flags_worst_first() -> None:
    limits = {
        1: (25, Decimal("0.98")),
        2: (40, Decimal("0.98")),
        3: (25, Decimal("0.98")),
        4: (25, Decimal("0.98")),
    }
    figures = [
        Figure(1, 30000, 9900),  # 1.2× over the time
        Figure(2, 35000, 9900),  # aftersales: within 40 s
        Figure(3, 50000, 9000),  # 2× over: worst
        Figure(4, 25000, 9800),  # exactly at both limits: fine
    ]
    flags = metrics.flag_outside_standard(figures, limits)
    assert [(f.person_id, f.slow, f.unreplied) for f in flags] == [
        (3, True, True),
        (1, True, False),
    ]
