"""Every message exists in both languages, and the team's language is the one used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, MALLORY, TEAM_GROUP, Harness, command
from tests.support.team import make_team

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_template_is_in_both_languages() -> None:
    en = {p.name for p in (TEMPLATES / "en").glob("*.html")}
    zh = {p.name for p in (TEMPLATES / "zh").glob("*.html")}
    assert en == zh
    assert len(en) > 40


@pytest.fixture
async def chinese(fake: FakeBotAPI, database_url: str, clock) -> Harness:
    app = await started(make_settings(fake, database_url, kefu_language="zh"))
    yield Harness(fake, app)
    await stopped(app)


async def test_a_whole_day_in_chinese(chinese: Harness, clock) -> None:
    bot = chinese
    await make_team(bot)
    await bot.send(MALLORY, "/start")
    clock.shift(dt.timedelta(minutes=12))
    answers = [
        await bot.reply(CAROL, "/clockin"),
        await bot.reply(CAROL, "/clockin"),
        await bot.reply(CAROL, "/break"),
        await bot.reply(CAROL, "/break"),
    ]
    clock.shift(dt.timedelta(minutes=15))
    answers += [
        await bot.reply(CAROL, "/back"),
        await bot.reply(CAROL, "/back"),
        await bot.reply(CAROL, "/handover 客户 <王> 要退款 & 换货"),
        await bot.reply(BOB, "/team"),
        await bot.reply(CAROL, "/team"),
        await bot.reply(MALLORY, "/clockin"),
        await bot.reply(BOB, "/enroll"),
        await bot.reply(BOB, "/enroll @mallory 魔法 presale"),
        await bot.reply(BOB, "/shift @carol_cs 夜班"),
        await bot.reply(BOB, "/shift @mallory day"),
        await bot.reply(ALICE, "/demote @alice"),
        await bot.reply(CAROL, "/whatever"),
        await bot.reply(CAROL, "你好"),
        await bot.reply(CAROL, command("clockout", in_group=True), group=TEAM_GROUP),
    ]
    await bot.send(DAVE, "/clockin")
    (button,) = [b for b in bot.buttons(DAVE.id) if b.startswith("ack:")]
    answers.append(await bot.press(DAVE, button))
    answers.append(await bot.press(DAVE, button))
    expected = [
        "上班打卡",
        "迟到 7分钟",
        "已经打过上班卡",
        "开始休息",
        "已经在休息中",
        "超出 10分钟上限",
        "没有在休息",
        "交接记录 #1 已保存",
        "团队状态",
        "只有主管",
        "不是本团队成员",
        "用法",
        "没有级别",
        "没有班次",
        "不是客服",
        "是管理员",
        "没有 /whatever 这个命令",
        "只能理解命令",
        "下班打卡",
        "已确认",
        "已在",
    ]
    text = "\n".join(answers)
    for phrase in expected:
        assert phrase in text, phrase
    assert any("客户 <王> 要退款 & 换货" in t for t in bot.fake.texts(TEAM_GROUP.id))
    assert bot.fake.bad_requests() == []


async def test_the_time_zone_setting_is_used(fake: FakeBotAPI, database_url: str, clock) -> None:
    app = await started(make_settings(fake, database_url, kefu_timezone="UTC"))
    bot = Harness(fake, app)
    try:
        await make_team(bot)
        answer = await bot.reply(CAROL, "/clockin")
    finally:
        await stopped(app)
    # 08:55 in Shanghai is 00:55 UTC: long before the 09:00 UTC day shift, not late.
    assert "clocked in at 00:55" in answer and "Late" not in answer


async def test_the_ledger_in_chinese(chinese: Harness, clock) -> None:
    bot = chinese
    await make_team(bot)
    answers = [
        await bot.reply(BOB, "/fine @carol_cs unrelated-browsing 上班看<视频>"),
        await bot.reply(BOB, "/fine @carol_cs snacks"),
        await bot.reply(BOB, "/bonus @carol_cs customer-praise 2"),
        await bot.reply(BOB, "/adjust @carol_cs +2 态度好"),
        await bot.reply(BOB, "/fine @carol_cs late 9"),
        await bot.reply(BOB, "/fine @carol_cs unrelated-browsing 3"),
        await bot.reply(BOB, "/fine @carol_cs lat"),
        await bot.reply(BOB, "/bonus @carol_cs late"),
        await bot.reply(BOB, "/adjust @carol_cs 4 再加"),
        await bot.reply(BOB, "/void #2 误记"),
        await bot.reply(CAROL, "/appeal #1 没有看视频"),
        await bot.reply(CAROL, "/appeal #1 再次"),
        await bot.reply(CAROL, "/myscore"),
        await bot.reply(BOB, "/score @carol_cs 2026-13"),
        await bot.reply(CAROL, "/rules"),
    ]
    (keep,) = [b for b in bot.buttons(ALICE.id) if b.endswith(":upheld")]
    answers.append(await bot.press(BOB, keep))  # Bob logged #1: Alice decides
    answers.append(await bot.press(ALICE, keep))
    answers.append(await bot.press(ALICE, keep))
    expected = [
        "工作时间浏览无关网页",
        "罚款:10.00 元",
        "警告",
        "+2 分",
        "月末调整",
        "分数是 2 到 5",
        "固定 2 分",
        "你是不是想用",
        "是违规项",
        "月末调整合计",
        "已作废",
        "申诉已提交",
        "已经申诉过",
        "得分:",
        "不是月份",
        "奖惩细则",
        "#1 是你登记的",
        "已处理",
        "已由 Alice 处理",
    ]
    text = "\n".join(answers)
    for phrase in expected:
        assert phrase in text, phrase
    assert "驳回" in bot.fake.texts(CAROL.id)[-1]
    assert bot.fake.bad_requests() == []


async def test_names_not_keys_in_chinese(chinese: Harness, clock) -> None:
    bot = chinese
    await make_team(bot)
    schedule = await bot.reply(BOB, "/schedule")
    assert "缺勤检查(白班)" in schedule and "缺勤检查(晚班)" in schedule
    assert "day" not in schedule and "evening" not in schedule
    await bot.send(BOB, "/adjust @carol_cs +3 态度好")
    card = await bot.reply(CAROL, "/myscore")
    assert "月末调整 +3" in card and "adjust" not in card
    usage = await bot.reply(BOB, "/shift @carol_cs")
    assert "day(白班)、evening(晚班)" in usage
