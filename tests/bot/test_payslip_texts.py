"""A payslip stored by the first release still reads, in both languages: the lines it
kept (no fines listed, no points before the limit) render as they did, full
attendance says why in words from the card's own counts, and the KPI sum and the
rounding footer are added."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import default_policy_data
from bot.texts import Texts
from rules import close
from rules.close import Card
from rules.policy import build_policy
from tests.conftest import SHANGHAI
from tests.support.fakebot import parse_html

POLICY = build_policy(default_policy_data())
FIRST_RELEASE = Path(__file__).parents[1] / "rules" / "cases" / "card_first_release.json"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Full attendance (not earned: late 7 times): 0.00",
                "Total: 3215.86 yuan",
                "Rounding: the KPI score is rounded to two decimals",
            ],
        ),
        ("zh", ["全勤奖(未获得:迟到 7 次):0.00", "合计:3215.86 元", "取整:"]),
    ],
)
def test_a_first_release_payslip_still_renders(language: str, expected: list[str]) -> None:
    card = Card.from_json(FIRST_RELEASE.read_text("utf-8"))
    texts = Texts(language, SHANGHAI)
    for detail in (False, True):
        shown = parse_html(texts.render("payslip_dm", c=card, detail=detail))
        assert all(part in shown for part in expected), shown
    draft = parse_html(texts.render("draft_dm", c=card, lock_day=10))
    assert str(card.score) in draft


def test_a_first_release_payslip_names_its_levels_from_the_policy() -> None:
    """The first release kept level keys only: read through the policy, a Chinese agent
    sees the levels' Chinese names, not "junior"."""
    card = close.named(Card.from_json(FIRST_RELEASE.read_text("utf-8")), POLICY)
    shown = parse_html(Texts("zh", SHANGHAI).render("payslip_dm", c=card, detail=False))
    assert "基本工资(初级):2500.00" in shown.split("\n")
    assert "对应级别 初级" in shown and "junior" not in shown
