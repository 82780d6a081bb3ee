"""The policy: the built-in default matches domain.md §7; bad files name the key
(their cases: cases/policy.toml)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from bot.settings import default_policy_data
from rules.policy import PolicyError, build_policy
from tests.support.cases import table


def test_default_policy_is_the_pinned_one() -> None:
    policy = build_policy(default_policy_data())
    assert policy.timezone == "Asia/Shanghai"
    assert policy.language == "zh"
    assert (policy.shifts["day"].start, policy.shifts["day"].end) == (dt.time(9), dt.time(18))
    assert (policy.shifts["evening"].start, policy.shifts["evening"].end) == (
        dt.time(14, 30),
        dt.time(23, 30),
    )
    assert policy.attendance.late_grace_minutes == 5
    assert policy.attendance.break_minutes == 10
    assert policy.attendance.max_continuous_hours == 8
    assert {k: v.base_pay for k, v in policy.levels.items()} == {
        "intern": Decimal(2000),
        "junior": Decimal(2500),
        "mid": Decimal(2700),
        "senior": Decimal(3200),
        "expert": Decimal(3500),
    }
    assert set(policy.tracks) == {"presale", "aftersales"}


def test_shop_file_merges_sections_and_replaces_collections() -> None:
    shop = {
        "attendance": {"late_grace_minutes": 10},
        "shifts": {"morning": {"start": "08:00", "end": "16:00", "name": {"zh": "早", "en": "am"}}},
    }
    policy = build_policy(default_policy_data(), shop)
    assert policy.attendance.late_grace_minutes == 10
    assert policy.attendance.break_minutes == 10  # untouched keys keep the default
    assert list(policy.shifts) == ["morning"]  # shifts replaced whole


def test_overrides_win() -> None:
    policy = build_policy(default_policy_data(), overrides={"timezone": "UTC", "language": "en"})
    assert (policy.timezone, policy.language) == ("UTC", "en")


@table("policy", "bad_policy", "shop, problem")
def test_bad_policy_names_the_key(shop: dict[str, Any], problem: str) -> None:
    with pytest.raises(PolicyError) as caught:
        build_policy(default_policy_data(), shop)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems


def test_a_shop_with_its_own_levels_sets_its_own_ladder() -> None:
    names = {"zh": "一", "en": "one"}
    shop = {
        "levels": {
            "a": {"base_pay": "2000", "name": names},
            "b": {"base_pay": "3000", "name": names},
        },
        "promotion": {"ladder": ["a", "b"], "steps": {"b": {"months": 6, "score": "85"}}},
    }
    policy = build_policy(default_policy_data(), shop)
    assert policy.promotion.ladder == ("a", "b")
    assert set(policy.promotion.steps) == {"b"}  # the default steps are replaced whole
    assert policy.promotion.band_months == 3


def test_a_shop_policy_written_before_the_ladder_still_loads() -> None:
    """A shop that replaced `levels` before promotions existed gives no ladder: it keeps
    the default ladder's levels it has, and their steps; one without any gets none."""
    names = {"zh": "一", "en": "one"}
    shop = {
        "levels": {
            "junior": {"base_pay": "2500", "name": names},
            "mid": {"base_pay": "2700", "name": names},
            "lead": {"base_pay": "3000", "name": names},
        }
    }
    policy = build_policy(default_policy_data(), shop)
    assert policy.promotion.ladder == ("junior", "mid")
    assert set(policy.promotion.steps) == {"mid"}
    alone = build_policy(default_policy_data(), {"levels": {"a": shop["levels"]["lead"]}})
    assert alone.promotion.ladder == () and not alone.promotion.steps


def test_a_shop_policy_with_its_own_shifts_rotates_them() -> None:
    """A shop that replaced `shifts` before the roster existed names no rotation: its
    drafts rotate its own shifts, in the order given."""
    shop = {
        "shifts": {
            "early": {"start": "07:00", "end": "15:00", "name": {"zh": "早班", "en": "Early"}},
            "late": {"start": "15:00", "end": "23:00", "name": {"zh": "晚班", "en": "Late"}},
        }
    }
    assert build_policy(default_policy_data(), shop).roster.rotation == ("early", "late")
    chosen = shop | {"roster": {"rotation": ["late"]}}
    assert build_policy(default_policy_data(), chosen).roster.rotation == ("late",)
