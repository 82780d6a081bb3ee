"""Follow-ups end to end [000: shoppers who asked but did not buy, contacted again within
3 days]: recorded, the morning DM on the due day (not before, once), overdue marked the
next day, closed with the yuan recovered, bad input refused, and the presale KPI
"follow-up service" computed from them [004 attachment 2]."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from storage.models import AuditLog, FollowUp
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.team import make_team, rows

SH = dt.timezone(dt.timedelta(hours=8))
JOB = "followups-due"


def nov(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SH)


async def morning(bot: Harness, clock, day: int) -> tuple[list[str], list[str]]:
    """Run the 09:30 job on that November day: the DMs Carol and Dave got from it."""
    clock.move_to(nov(day, 9, 30))
    carol, dave = len(bot.fake.texts(CAROL.id)), len(bot.fake.texts(DAVE.id))
    await run_job(bot, JOB)
    return bot.fake.texts(CAROL.id)[carol:], bot.fake.texts(DAVE.id)[dave:]


async def test_recorded_reminded_on_the_due_day_and_closed(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 5))  # Monday
    recorded = await bot.reply(CAROL, "/followup tb_小王 asked about <sizes>, wanted 10% off")
    assert "Follow-up #1 recorded: tb_小王 — asked about <sizes>, wanted 10% off." in recorded
    assert "Contact them again by 2026-11-26" in recorded
    in_group = await bot.reply(
        CAROL, command("followup", in_group=True) + " buyer-2 price too high", group=TEAM_GROUP
    )
    assert "Follow-up #2 recorded" in in_group
    clock.move_to(nov(24, 11, 0))
    assert "#3" in await bot.reply(DAVE, "/followup dave_buyer out of stock, wants blue")

    # Tuesday and Wednesday: nothing due yet, nobody is told.
    assert await morning(bot, clock, 24) == ([], [])
    assert await morning(bot, clock, 25) == ([], [])
    # Thursday the 26th: Carol's two are due (Dave's is due on Friday).
    carol, dave = await morning(bot, clock, 26)
    assert dave == []
    (dm,) = carol
    assert "Follow-ups to do today, 2026-11-26 (2)" in dm
    assert "#1 tb_小王 — asked about <sizes>, wanted 10% off · due 2026-11-26 (today)" in dm
    assert "#2 buyer-2 — price too high · due 2026-11-26 (today)" in dm
    # The same morning again (a restart, a retry): nothing more.
    assert await morning(bot, clock, 26) == ([], [])

    # She closes #1 that afternoon with a sale recovered.
    clock.move_to(nov(26, 15, 0))
    assert await bot.reply(CAROL, "/followed #1 120.50") == (
        "✅ Follow-up #1 (tb_小王) closed: 120.50 yuan recovered, counted in 2026-11."
    )
    # Friday: #2 is overdue by a day, #1 is gone; Dave's is due.
    carol, dave = await morning(bot, clock, 27)
    (dm,) = carol
    assert "(1)" in dm and "#2 buyer-2" in dm and "overdue by 1 day" in dm and "#1" not in dm
    (dm,) = dave
    assert "#3 dave_buyer — out of stock, wants blue · due 2026-11-27 (today)" in dm
    listing = await bot.reply(CAROL, "/followups")
    assert "Your open follow-ups (1)" in listing and "overdue by 1 day" in listing
    assert listing == await bot.reply(CAROL, "/followup")  # no argument: the same list
    # Closed in the group: no yuan written there.
    closed = await bot.reply(CAROL, command("followed", in_group=True) + " 2 88", group=TEAM_GROUP)
    assert closed == "✅ Follow-up #2 (buyer-2) closed."
    assert "You have no open follow-ups" in await bot.reply(CAROL, "/followups")
    # Saturday: nothing left for Carol.
    carol, _ = await morning(bot, clock, 28)
    assert carol == []

    follow = {f.id: f for f in await rows(bot, FollowUp)}
    assert (follow[1].done_month, follow[1].recovered_fen) == ("2026-11", 12050)
    assert (follow[2].recovered_fen, follow[3].done_at) == (8800, None)
    assert follow[1].due_on == dt.date(2026, 11, 26) and follow[1].month == "2026-11"
    audit = [(a.action, a.detail) for a in await rows(bot, AuditLog) if "follow" in a.action]
    assert ("followed", "#1 closed in 2026-11, recovered 120.50 yuan") in audit
    assert [a for a, _ in audit].count("followup") == 3


async def test_bad_input_is_refused_and_changes_nothing(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    assert "You have no open follow-ups" in await bot.reply(CAROL, "/followup")
    refusals = {
        "/followup tb_x": "Usage: /followup buyer reason",
        "/followup 13812345678 wants it cheaper": "looks like a phone number",
        "/followup tb_x call her on 138 1234 5678": "looks like a phone number",
        f"/followup {'x' * 41} too dear": "is not a buyer's account name",
        "/followed": "Usage: /followed N [yuan]",
        "/followed abc": "is not an entry number",
        "/followed 1 2 3": "Usage: /followed N [yuan]",
    }
    for typed, said in refusals.items():
        assert said in await bot.reply(CAROL, typed), typed
    assert await rows(bot, FollowUp) == []
    assert "Only enrolled agents" in await bot.reply(BOB, "/followup tb_x asked")

    await bot.send(CAROL, "/followup tb_x no reply yet")
    for typed, said in {
        "/followed 1 -5": "-5 is not an amount recovered",
        "/followed 1 lots": "lots is not an amount recovered",
        "/followed 1 1.999": "is not an amount recovered",
        "/followed 99": "There is no follow-up #99 of yours",
    }.items():
        assert said in await bot.reply(CAROL, typed), typed
    # Someone else's: refused, as if it did not exist.
    assert "There is no follow-up #1 of yours" in await bot.reply(DAVE, "/followed 1 50")
    (follow,) = await rows(bot, FollowUp)
    assert follow.done_at is None
    # Closed once; a second time is refused and keeps the first.
    assert "no sale recovered" in await bot.reply(CAROL, "/followed 1")
    twice = await bot.reply(CAROL, "/followed 1 300")
    assert "Follow-up #1 (tb_x) was already closed on 2026-11-23 10:00; nothing changed." in twice
    (follow,) = await rows(bot, FollowUp)
    assert follow.recovered_fen == 0
    assert "Only enrolled agents" in await bot.reply(ALICE, "/followed 1")


async def test_the_follow_up_kpi_on_myscore_and_the_export(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(nov(23, 10, 0))
    assert "Follow-up service (yuan): no data yet × 22%" in await bot.reply(CAROL, "/myscore")
    for buyer in ("tb_a", "tb_b", "tb_c"):
        await bot.send(CAROL, f"/followup {buyer} thought it over")
    # With follow-ups but nothing recovered yet: 0 yuan, 0 points (no longer "no data").
    assert "Follow-up service (yuan): 0.00 yuan → 0 points × 22%" in await bot.reply(
        CAROL, "/myscore"
    )
    clock.move_to(nov(26, 16, 0))
    await bot.send(CAROL, "/followed 1 120.50")
    await bot.send(CAROL, "/followed 2 80")
    await bot.send(CAROL, "/followed 3 0")
    # 120.50 + 80 + 0 = 200.50 yuan: at least 200 → 80 points [004 attachment 2].
    card = await bot.reply(CAROL, "/myscore")
    assert "Follow-up service (yuan): 200.50 yuan → 80 points × 22%" in card

    await bot.send(BOB, "/export 2026-11")
    (sent,) = bot.fake.sent(BOB.id, method="sendDocument")
    book = load_workbook(io.BytesIO(sent.params["document"][1]))
    header, *lines = list(book["follow_ups"].values)
    assert header[:5] == ("id", "agent_id", "name", "buyer", "reason")
    recovered = header.index("recovered_yuan")
    assert [(r[0], r[2], r[3], r[recovered]) for r in lines] == [
        (1, "Carol", "tb_a", 120.5),
        (2, "Carol", "tb_b", 80),
        (3, "Carol", "tb_c", 0),
    ]
