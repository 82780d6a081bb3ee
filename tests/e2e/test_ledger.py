"""The supervisors' ledger end to end: fines, bonuses, adjustments, voids, appeals, scores."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from storage.models import Appeal, LedgerEntry, LedgerVoid
from tests.conftest import make_settings, started, stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    MALLORY,
    TEAM_GROUP,
    Harness,
    command,
)
from tests.support.team import make_team, rows

HOUR = dt.timedelta(hours=1)


async def test_a_fine_reaches_the_agent_the_group_and_the_record(bot: Harness) -> None:
    await make_team(bot)
    reply = await bot.reply(BOB, "/fine @carol_cs unrelated-browsing watching <videos> & more")
    assert "#1" in reply and "Unrelated web browsing at work" in reply and "-2 points" in reply
    assert "Cash: 10.00 yuan (offence 1 this month)" in reply and "Month so far: 78" in reply
    assert "Note: watching <videos> & more" in reply  # the supervisor sees what was noted
    dm = bot.fake.texts(CAROL.id)[-1]
    assert "#1 Unrelated web browsing at work: -2 points, from Bob" in dm
    assert "Note: watching <videos> & more" in dm
    assert "Cash fine for this offence: 10.00 yuan" in dm and "78 points" in dm
    assert "/appeal #1 your reason" in dm and "2026-11-24 08:55" in dm
    announce = bot.fake.texts(TEAM_GROUP.id)[-1]
    assert "Carol" in announce and "Unrelated web browsing" in announce and "-2" in announce
    assert "yuan" not in announce and "10" not in announce
    (entry,) = await rows(bot, LedgerEntry)
    assert (entry.person_id, entry.points, entry.cash_fen, entry.logged_by) == (
        CAROL.id,
        -2,
        1000,
        BOB.id,
    )
    assert '"cash": ["10", "30", "dismissal-review"]' in entry.rule
    assert bot.fake.bad_requests() == []


async def test_the_cash_ladder_climbs_and_escalates(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs unrelated-browsing")
    second = await bot.reply(BOB, "/fine @carol_cs unrelated-browsing")
    assert "30.00 yuan (offence 2 this month)" in second
    before_alice = len(bot.fake.texts(ALICE.id))
    third = await bot.reply(BOB, "/fine @carol_cs unrelated-browsing")
    assert "dismissal review" in third
    for boss in (ALICE, BOB):
        alerts = [t for t in bot.fake.texts(boss.id) if "Review needed" in t]
        assert alerts and "#3" in alerts[-1] and "Offence 3" in alerts[-1]
    assert len(bot.fake.texts(ALICE.id)) == before_alice + 1
    card = await bot.reply(CAROL, "/myscore")
    assert "Score: 74" in card and "Cash fines: 40.00 yuan" in card


async def test_the_second_demerit_alerts_every_supervisor(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs sleeping-on-duty")
    assert not [t for t in bot.fake.texts(ALICE.id) if "Review needed" in t]
    await bot.send(BOB, "/fine @carol_cs unapproved-price-change")
    alert = [t for t in bot.fake.texts(ALICE.id) if "Review needed" in t][-1]
    assert "Demerits this month: 2" in alert


async def test_ranges_fixed_points_codes_and_kinds(bot: Harness) -> None:
    await make_team(bot)
    late = await bot.reply(BOB, "/fine @carol_cs late 4 bus broke down")
    assert "Carol: Late, -4 points." in late and "Note: bus broke down" in late
    assert "Late late" not in late  # the name, not the name and the code
    assert "-2 points" in await bot.reply(BOB, "/fine @carol_cs LATE")  # default: smaller magnitude
    assert "takes 2 to 5 points, not 6" in await bot.reply(BOB, "/fine @carol_cs late 6")
    assert "always 2 points" in await bot.reply(BOB, "/fine @carol_cs unrelated-browsing 3")
    near = await bot.reply(BOB, "/fine @carol_cs unrelated-browse")
    assert "no violation code" in near and "unrelated-browsing" in near and "/rules" in near
    assert "use /fine" in await bot.reply(BOB, "/bonus @carol_cs late")
    assert "use /bonus" in await bot.reply(BOB, "/fine @carol_cs cover-shift")
    assert "+2 points" in await bot.reply(BOB, "/bonus @carol_cs customer-praise 2 lovely review")
    assert "Usage" in await bot.reply(BOB, "/fine")
    assert "Usage" in await bot.reply(BOB, "/fine @carol_cs")
    assert "not an agent" in await bot.reply(BOB, "/fine @alice late")
    assert "Only supervisors" in await bot.reply(CAROL, "/fine @carol_cs late")
    assert "not on this team" in await bot.reply(MALLORY, "/fine @carol_cs late")
    assert [e.points for e in await rows(bot, LedgerEntry)] == [-4, -2, 2]


async def test_in_the_group_no_money_is_shown(bot: Harness) -> None:
    await make_team(bot)
    reply = await bot.reply(
        BOB, command("fine", in_group=True) + " @carol_cs customer-complaint", group=TEAM_GROUP
    )
    assert "#1" in reply and "-10 points" in reply
    assert all("yuan" not in t and "30" not in t for t in bot.fake.texts(TEAM_GROUP.id))
    assert "30.00 yuan" in bot.fake.texts(CAROL.id)[-1]  # the agent hears it privately
    answer = await bot.reply(CAROL, command("myscore", in_group=True), group=TEAM_GROUP)
    assert "sent that to you in a private chat" in answer and "70" not in answer
    assert "Score: 70" in bot.fake.texts(CAROL.id)[-1]


async def test_adjustments_stay_within_five_and_need_a_reason(bot: Harness) -> None:
    await make_team(bot)
    reply = await bot.reply(BOB, "/adjust @carol_cs +3 helped <all> week")
    assert "Carol: Month-end adjustment, +3 points" in reply and "Note: helped <all> week" in reply
    assert "already +3 this month" in await bot.reply(BOB, "/adjust @carol_cs 3 more")
    assert "+2 points" in await bot.reply(BOB, "/adjust @carol_cs 2 more")
    assert "Usage" in await bot.reply(BOB, "/adjust @carol_cs -2")
    assert "Usage" in await bot.reply(BOB, "/adjust @carol_cs lots of reasons")
    assert "does not fit" in await bot.reply(
        BOB, f"/adjust {DAVE.first_name} 6 great", mentions=[DAVE]
    )
    assert [e.points for e in await rows(bot, LedgerEntry)] == [3, 2]
    card = await bot.reply(CAROL, "/myscore")
    assert "Month-end adjustment +3" in card and "adjust +3" not in card
    assert "Score: 85" in await bot.reply(CAROL, "/myscore")


async def test_void_keeps_the_entry_and_tells_the_agent(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs absent")
    voided = await bot.reply(BOB, "/void #1 she had leave <approved>")
    assert "#1" in voided and "is void: she had leave <approved>" in voided
    assert "was voided by Bob" in bot.fake.texts(CAROL.id)[-1]
    assert "already void" in await bot.reply(BOB, "/void 1 again")
    assert "no entry #99" in await bot.reply(BOB, "/void #99 nope")
    assert "not an entry number" in await bot.reply(BOB, "/void abc nope")
    assert "Usage" in await bot.reply(BOB, "/void #1")
    assert "Only supervisors" in await bot.reply(CAROL, "/void #1 mine")
    (entry,) = await rows(bot, LedgerEntry)
    (void,) = await rows(bot, LedgerVoid)
    assert (void.entry_id, void.voided_by) == (entry.id, BOB.id)
    card = await bot.reply(CAROL, "/myscore")
    assert "Score: 80" in card and "(void)" in card and "#1" in card


async def test_an_appeal_is_decided_once_and_both_sides_are_told(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs away-from-post")
    clock.shift(2 * HOUR)
    filed = await bot.reply(CAROL, "/appeal #1 I was in the <toilet> & told Dave")
    assert "went to the supervisors" in filed
    card = bot.fake.texts(ALICE.id)[-1]
    assert (
        "Appeal" in card and "I was in the <toilet> & told Dave" in card and "logged by Bob" in card
    )
    assert not [t for t in bot.fake.texts(BOB.id) if "Appeal" in t]  # Bob logged it
    assert not [b for b in bot.buttons(BOB.id) if b.startswith("decide:")]
    buttons = [b for b in bot.buttons(ALICE.id) if b.startswith("decide:")]
    assert len(buttons) == 2
    void_button = next(b for b in buttons if b.endswith(":voided"))
    keep_button = next(b for b in buttons if b.endswith(":upheld"))
    assert "Only supervisors" in await bot.press(CAROL, void_button)
    assert "You logged #1 yourself" in await bot.press(BOB, keep_button)
    assert "#1 is void" in await bot.press(ALICE, void_button)
    assert "Already decided by Alice" in await bot.press(ALICE, keep_button)
    assert "accepted by Alice" in bot.fake.texts(CAROL.id)[-1]
    assert "decided by Alice: the entry is void" in bot.fake.texts(BOB.id)[-1]
    (appeal,) = await rows(bot, Appeal)
    assert (appeal.outcome, appeal.decided_by) == ("voided", ALICE.id)
    (void,) = await rows(bot, LedgerVoid)
    assert void.appeal_id == appeal.id
    assert "Score: 80" in await bot.reply(CAROL, "/myscore")


async def test_appeal_refusals(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs late")  # 1
    await bot.send(BOB, f"/fine {DAVE.first_name} late", mentions=[DAVE])  # 2
    await bot.send(BOB, "/fine @carol_cs no-handover")  # 3
    await bot.send(BOB, "/void #3 mistake")
    assert "not about you" in await bot.reply(CAROL, "/appeal #2 not me")
    assert "already void" in await bot.reply(CAROL, "/appeal #3 gone")
    assert "Usage" in await bot.reply(CAROL, "/appeal #1")
    assert "private chat" in await bot.reply(
        CAROL, command("appeal", in_group=True) + " #1 why", group=TEAM_GROUP
    )
    assert "went to the supervisors" in await bot.reply(CAROL, "/appeal #1 traffic")
    assert "appealed already" in await bot.reply(CAROL, "/appeal #1 again")
    await bot.send(BOB, "/fine @carol_cs late")  # 4
    clock.shift(25 * HOUR)
    late = await bot.reply(CAROL, "/appeal #4 too late")
    assert "time to appeal #4 ended at 2026-11-24 08:55" in late
    assert len(await rows(bot, Appeal)) == 1
    card = await bot.reply(CAROL, "/myscore")
    assert "Open appeals: 1" in card and "(appeal open)" in card


async def test_scores_for_supervisors_and_months(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs snacks")
    await bot.send(BOB, "/fine @carol_cs snacks")
    card = await bot.reply(BOB, "/score @carol_cs")
    assert "Carol — 2026-11" in card and "Score: 80" in card and "warning" in card
    assert "Cash fines: 10.00 yuan" in card
    assert "No entries this month" in await bot.reply(BOB, "/score @carol_cs 2026-10")
    assert "not a month" in await bot.reply(BOB, "/score @carol_cs 2026-13")
    assert "Usage" in await bot.reply(BOB, "/score")
    assert "Only supervisors" in await bot.reply(CAROL, "/score @carol_cs")
    group = await bot.reply(BOB, command("score", in_group=True) + " @carol_cs", group=TEAM_GROUP)
    assert "private chat" in group and "yuan" not in group


async def test_rules_lists_the_catalogue(bot: Harness) -> None:
    await make_team(bot)
    text = await bot.reply(CAROL, "/rules")
    for code in (
        "unrelated-browsing",
        "late",
        "absent",
        "incomplete-handover",
        "missed-meeting",
        "customer-complaint",
        "snacks",
        "full-attendance",
        "cover-shift",
        "customer-praise",
        "extra-work",
    ):
        assert code in text
    assert "−2…5" in text and "10 yuan → 30 yuan → dismissal review" in text
    assert "not on this team" in await bot.reply(MALLORY, "/rules")
    assert bot.fake.bad_requests() == []


async def test_an_unreachable_agent_is_reported(bot: Harness) -> None:
    await make_team(bot)
    bot.fake.blocked.add(CAROL.id)
    answer = await bot.reply(BOB, "/fine @carol_cs late")
    assert "#1" in answer and "could not send Carol a private message" in answer
    assert len(await rows(bot, LedgerEntry)) == 1


SHOP_POLICY = """
[ledger]
announce = false

[catalogue.late]
kind = "violation"
class = "A"
points = [3, 6]
seed = "shop"
name = { zh = "迟到了", en = "Late (shop rule)" }
"""


async def test_a_policy_change_never_rewrites_history(
    fake: FakeBotAPI, database_url: str, clock, tmp_path: Path
) -> None:
    app = await started(make_settings(fake, database_url))
    bot = Harness(fake, app)
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs late")
    await stopped(app)
    policy = tmp_path / "shop.toml"
    policy.write_text(SHOP_POLICY)
    app = await started(make_settings(fake, database_url, kefu_policy=str(policy)))
    bot = Harness(fake, app)
    try:
        posts = len(fake.texts(TEAM_GROUP.id))
        assert "-3 points" in await bot.reply(BOB, "/fine @carol_cs late")
        assert len(fake.texts(TEAM_GROUP.id)) == posts  # announcements switched off
        card = await bot.reply(CAROL, "/myscore")
    finally:
        await stopped(app)
    assert "#1 2026-11-23 08:55 Late -2" in card  # as logged under the old policy
    assert "Late (shop rule) -3" in card
    assert "Score: 75" in card


async def test_fines_at_the_same_moment_climb_the_ladder_one_by_one(bot: Harness) -> None:
    await make_team(bot)
    await asyncio.gather(
        *(
            bot.process(bot.message_update(BOB, "/fine @carol_cs customer-complaint"))
            for _ in range(3)
        )
    )
    entries = sorted(await rows(bot, LedgerEntry), key=lambda e: e.offence)
    assert [e.offence for e in entries] == [1, 2, 3]
    assert [e.cash_fen for e in entries] == [3000, 6000, 0]
    assert entries[2].dismissal_review
