"""Streaks across months, the service star and its certificate, end to end: three
months locked and paid on a moved clock."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import time_machine
from openpyxl import load_workbook
from PIL import Image

from storage.models import OneOff
from tests.conftest import SHANGHAI, make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.months import carol_sells, november, payslips
from tests.support.team import make_team, rows


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


async def a_month(bot: Harness, clock: time_machine.Coordinates, month: int) -> None:
    """Carol works a day and sells 12 000 yuan (KPI score about 90: first on the team);
    Dave is absent twice and gets a QA check of 50 (about 65.71: under 70)."""
    clock.move_to(at(month, 20, 8, 55))
    await bot.send(CAROL, "/clockin")
    for _ in range(2):
        await bot.send(BOB, f"/fine {DAVE.first_name} absent", mentions=[DAVE])
    await bot.send(BOB, f"/qa {DAVE.first_name} 50", mentions=[DAVE])
    await carol_sells(bot, month)
    clock.move_to(at(month, 20, 18, 0))
    await bot.send(CAROL, "/clockout")


async def close_month(bot: Harness, clock: time_machine.Coordinates, month: int) -> None:
    """The 10th of the next month: locked."""
    clock.move_to(at(month + 1, 10))
    await run_job(bot, "month-lock")


async def pay_month(bot: Harness, clock: time_machine.Coordinates, month: int) -> None:
    """The 15th of the next month: paid."""
    clock.move_to(at(month + 1, 15))
    await run_job(bot, "month-pay")


def total(payslip: str) -> float:
    found = re.search(r"Total: ([\d.]+) yuan", payslip)
    assert found is not None
    return float(found.group(1))


async def test_three_months_first_a_streak_one_off_the_reviews_and_the_star(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(8, 3))
    await make_team(bot)
    await bot.send(BOB, "/hire @carol_cs 2025-06-01")
    await bot.send(BOB, "/oneoff @carol_cs 50 cover on Sunday")  # paid in August

    await a_month(bot, clock, 8)
    await close_month(bot, clock, 8)
    assert not [t for t in bot.fake.texts(BOB.id) if "review" in t]  # one month under 70
    await pay_month(bot, clock, 8)
    (august,) = payslips(bot, CAROL)
    assert "One-off (cover on Sunday): 50.00" in august
    assert "ranked first" not in august
    (cover,) = [row for row in await rows(bot, OneOff) if row.source == ""]
    paid = await bot.reply(BOB, f"/void +{cover.id} counted twice")
    assert "already paid on 2026-09-15" in paid and "/deduct" in paid

    # September: Dave under 70 a second month running → a resignation review, by DM.
    await a_month(bot, clock, 9)
    await close_month(bot, clock, 9)
    (review,) = [t for t in bot.fake.texts(BOB.id) if "Resignation review" in t]
    assert "Dave" in review and "2026-08 65.71 · 2026-09 65.71" in review
    assert "Let-go review" not in review
    await pay_month(bot, clock, 9)

    # October: Carol first a third month running → 200 yuan on October's payslip.
    await a_month(bot, clock, 10)
    await close_month(bot, clock, 10)
    (let_go,) = [t for t in bot.fake.texts(BOB.id) if "Let-go review" in t]
    assert "2026-08 65.71 · 2026-09 65.71 · 2026-10 65.71" in let_go
    assert "Let-go review" in "\n".join(bot.fake.texts(ALICE.id))
    group = "\n".join(bot.fake.texts(TEAM_GROUP.id))
    assert "65.71" not in group and "review" not in group.lower()

    draft = await bot.reply(CAROL, "/payslip 2026-10")
    line = "One-off (ranked first 3 months running (2026-08, 2026-09, 2026-10)): 200.00"
    assert line in draft
    (streak,) = [row for row in await rows(bot, OneOff) if row.source == "streak"]
    assert (streak.person_id, streak.month, streak.amount_fen) == (CAROL.id, "2026-10", 20000)
    with_it = total(draft)

    clock.move_to(at(11, 12))
    answer = await bot.reply(BOB, f"/void +{streak.id} the September figures were wrong")
    assert "is void: 200.00 yuan" in answer and "locked payslip was amended" in answer
    told = bot.fake.texts(CAROL.id)[-1]
    assert f"+{streak.id}" in told and "the September figures were wrong" in told
    amended = await bot.reply(CAROL, "/payslip 2026-10")
    assert "ranked first" not in amended and total(amended) == with_it - 200
    twice = await bot.reply(BOB, f"/void +{streak.id} again")
    assert "already voided" in twice

    # Pay day: the payslip as amended, the star named in the group, the certificate by DM.
    await pay_month(bot, clock, 10)
    october = payslips(bot, CAROL)[-1]
    assert "2026-10" in october and "ranked first" not in october
    assert total(october) == with_it - 200
    posts = [t for t in bot.fake.texts(TEAM_GROUP.id) if "Service star" in t]
    assert [p for p in posts if "2026-10" in p] == [
        "🌟 Service star of 2026-10: Carol! Congratulations."
    ]
    assert not re.search(r"\d", posts[-1].replace("2026-10", ""))
    photos = bot.fake.sent(CAROL.id, method="sendPhoto")
    name, data = photos[-1].params["photo"]
    assert name == "certificate.png"
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 850)
    assert len(image.convert("L").getcolors(maxcolors=65536) or []) > 10  # not blank
    assert not bot.fake.sent(DAVE.id, method="sendPhoto")

    # /myscore: the streaks as of the last locked month.
    carol = await bot.reply(CAROL, "/myscore")
    assert "Ranked first on the team 3 months running" in carol
    dave = await bot.reply(DAVE, "/myscore")
    assert "Under the pass mark 70 3 months running" in dave

    # /export: the month's rank and star, stored (October) or live (November: Carol has
    # no figures yet, Dave no fines, so Dave leads).
    dave_name = "Dave <b>&amp; Wu & Sons"
    for month, want in (
        ("2026-10", {"Carol": (1, True), dave_name: (2, False)}),
        ("2026-11", {"Carol": (2, False), dave_name: (1, True)}),
    ):
        await bot.send(BOB, f"/export {month}")
        sent = bot.fake.sent(BOB.id, method="sendDocument")[-1]
        book = load_workbook(io.BytesIO(sent.params["document"][1]))
        header, *agents = book["scorecards"].values
        rank, star = header.index("rank"), header.index("star")
        assert {row[1]: (row[rank], row[star]) for row in agents} == want


STAR_POLICY = """
[star]
bonus = "100"
shop_name = "旺旺小店"
"""


async def test_the_star_s_bonus_a_one_off_voided_before_the_lock_in_chinese(
    fake: FakeBotAPI, database_url: str, clock: time_machine.Coordinates, tmp_path: Path
) -> None:
    policy = tmp_path / "shop.toml"
    policy.write_text(STAR_POLICY, "utf-8")
    settings = make_settings(fake, database_url, kefu_policy=str(policy), kefu_language="zh")
    app = await started(settings)
    bot = Harness(fake, app)
    try:
        await november(bot, clock)
        await bot.send(BOB, "/oneoff @carol_cs 50 周日替班")
        (cover,) = await rows(bot, OneOff)
        assert "一次性奖励(周日替班):50.00" in await bot.reply(CAROL, "/payslip 2026-11")
        in_group = await bot.reply(
            BOB, command("void", in_group=True) + f" +{cover.id} 重复记录", group=TEAM_GROUP
        )
        assert f"+{cover.id} 已作废" in in_group and "50.00" not in in_group
        assert "重复记录" in fake.texts(CAROL.id)[-1]
        assert "周日替班" not in await bot.reply(CAROL, "/payslip 2026-11")
        assert "没有一次性奖励 +999" in await bot.reply(BOB, "/void +999 打错了")
        assert "用法" in await bot.reply(BOB, "/void +x 打错了")

        # The lock: Carol is the month's star, her bonus a one-off; the pay day post.
        clock.move_to(at(12, 10))
        await run_job(bot, "month-lock")
        (star,) = [row for row in await rows(bot, OneOff) if row.source == "star"]
        assert (star.person_id, star.amount_fen, star.reason) == (
            CAROL.id,
            10000,
            "2026-11 服务之星",
        )
        clock.move_to(at(12, 15))
        await run_job(bot, "month-pay")
        slip = [t for t in fake.texts(CAROL.id) if t.startswith("💰")][-1]
        assert "一次性奖励(2026-11 服务之星):100.00" in slip
        post = [t for t in fake.texts(TEAM_GROUP.id) if "服务之星" in t]
        assert post == ["🌟 2026-11 服务之星:Carol!恭喜!"]
        (photo,) = fake.sent(CAROL.id, method="sendPhoto")
        assert Image.open(io.BytesIO(photo.params["photo"][1])).size == (1200, 850)
        await run_job(bot, "month-pay")  # again: nothing twice
        assert len([t for t in fake.texts(TEAM_GROUP.id) if "服务之星" in t]) == 1
        assert len(fake.sent(CAROL.id, method="sendPhoto")) == 1
    finally:
        await stopped(app)
