"""Attendance end to end: clock in and out, breaks, handovers, /team."""

from __future__ import annotations

import asyncio
import datetime as dt

from storage.models import BreakPeriod, Handover, HandoverAck, Person, WorkSession
from tests.support.fakebot import parse_html
from tests.support.harness import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    EVE,
    MALLORY,
    TEAM_GROUP,
    Harness,
    command,
)
from tests.support.team import make_team, rows

MIN = 60


async def test_on_time_clock_in_in_the_group(bot: Harness) -> None:
    await make_team(bot)
    answer = await bot.reply(CAROL, command("clockin", in_group=True), group=TEAM_GROUP)
    assert "Carol clocked in at 08:55 (day shift)" in answer
    assert "Late" not in answer
    (work,) = await rows(bot, WorkSession)
    assert (work.person_id, work.late_minutes, work.chat_id) == (CAROL.id, 0, TEAM_GROUP.id)


async def test_late_clock_in_is_recorded_and_said(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.shift(12 * MIN)  # 09:07, grace is 5 minutes
    answer = await bot.reply(CAROL, "/clockin")
    assert "Late by 7 min" in answer and "09:00" in answer and "grace 5 min" in answer
    (work,) = await rows(bot, WorkSession)
    assert work.late_minutes == 7
    assert work.shift_start == dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


async def test_a_second_clock_in_is_refused_and_changes_nothing(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    clock.shift(30 * MIN)
    answer = await bot.reply(CAROL, "/clockin")
    assert "already clocked in (since 08:55)" in answer and "/clockout" in answer
    assert len(await rows(bot, WorkSession)) == 1


async def test_edited_command_is_not_a_second_command(bot: Harness) -> None:
    await make_team(bot)
    update = bot.message_update(CAROL, "/clockin")
    await bot.process(update)
    await bot.process(bot.message_update(CAROL, "/clockin", edited=True))
    assert len(await rows(bot, WorkSession)) == 1
    assert not any("already" in t for t in bot.fake.texts(CAROL.id))


async def test_breaks_and_clock_out_summary(bot: Harness, clock) -> None:
    await make_team(bot)
    clock.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    await bot.send(CAROL, "/clockin")
    clock.shift(120 * MIN)
    assert "on a break since 11:00" in await bot.reply(CAROL, "/break")
    assert "already on a break" in await bot.reply(CAROL, "/break")
    clock.shift(8 * MIN)
    assert "back after 8 min." in await bot.reply(CAROL, "/back")
    assert "not on a break" in await bot.reply(CAROL, "/back")
    clock.shift(180 * MIN)
    await bot.send(CAROL, "/break")
    clock.shift(25 * MIN)
    back = await bot.reply(CAROL, "/back")
    assert "back after 25 min" in back and "15 min over the 10 min limit" in back
    clock.move_to(dt.datetime(2026, 11, 23, 18, 2, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    out = await bot.reply(CAROL, "/clockout")
    assert "clocked out at 18:02" in out
    assert "On duty 9 h 02 min" in out and "worked 8 h 29 min" in out
    assert "Breaks: 2, 33 min in all" in out
    assert "Break 2 lasted 25 min, 15 min over" in out
    assert "Break 1" not in out
    assert "before the shift's end" not in out
    breaks = await rows(bot, BreakPeriod)
    assert len(breaks) == 2 and all(b.ended_at is not None for b in breaks)
    assert "not clocked in" in await bot.reply(CAROL, "/clockout")
    assert "not clocked in" in await bot.reply(CAROL, "/break")


async def test_clock_out_flags_early_leave_and_long_stretches(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    clock.shift(8 * 60 * MIN + 30 * MIN)  # 17:25, no break at all
    out = await bot.reply(CAROL, "/clockout")
    assert "Worked 8 h 30 min in a row without a break, 08:55–17:25 (limit 8 h)" in out
    assert "Left 35 min before the shift's end (18:00)" in out


async def test_team_shows_who_is_on_shift_on_break_and_off(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    await bot.send(DAVE, "/clockin")
    await bot.send(DAVE, "/break")
    clock.shift(14 * MIN)
    team = await bot.reply(BOB, "/team")
    on_shift, on_break, waiting, off = team.split("\n\n")[1:5]
    assert "On shift (1)" in on_shift and "Carol since 08:55" in on_shift
    assert "On break (1)" in on_break and "Dave <b>&amp; Wu & Sons 14 min" in on_break
    assert "over 10 min" in on_break
    assert "Expected today, not yet in (0)" in waiting
    assert "Off (0)" in off
    assert "Only supervisors" in await bot.reply(CAROL, "/team")


async def test_handover_reaches_the_next_shift_with_a_button(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send(EVE, "/start")
    await bot.send(BOB, "/enroll @eve junior aftersales")
    await bot.send(BOB, "/shift @eve evening")
    await bot.send(CAROL, "/clockin")
    clock.shift(5 * 60 * MIN)
    note = "Buyer <Li> & Co wants a refund 🙏 — call back before 16:00"
    saved = await bot.reply(CAROL, f"/handover {note}")
    assert "saved for the evening shift" in saved and "Posted to the team group" in saved
    posted = bot.fake.texts(TEAM_GROUP.id)[-1]
    assert note in posted and "Carol (day shift) for the evening shift" in posted
    # Eve, on the evening shift, sees it when she clocks in, with a button.
    clock.shift(60 * MIN)
    texts = await bot.send(EVE, "/clockin")
    assert any(note in t and "Handover" in t for t in texts)
    (button,) = [b for b in bot.buttons(EVE.id) if b.startswith("ack:")]
    assert "Acknowledged at 14:55" in await bot.press(EVE, button)
    # Carol is told; Eve's card says she read it and has no button left to press.
    assert bot.fake.texts(CAROL.id)[-1] == "✔ Eve 😀 acknowledged your handover #1 at 14:55."
    (edit,) = bot.fake.sent(EVE.id, "editMessageText")
    card = parse_html(edit.params["text"])
    assert note in card and card.endswith("✔ Read by Eve 😀 14:55")
    assert not (edit.params.get("reply_markup") or {}).get("inline_keyboard")
    assert not bot.fake.sent(EVE.id, "editMessageReplyMarkup")
    assert "already acknowledged this at 14:55" in await bot.press(EVE, button)
    assert len([t for t in bot.fake.texts(CAROL.id) if "acknowledged your handover" in t]) == 1
    assert "your own handover" in await bot.press(CAROL, button)
    assert "Only enrolled agents" in await bot.press(MALLORY, button)
    (ack,) = await rows(bot, HandoverAck)
    assert ack.person_id == EVE.id
    assert ack.acked_at == dt.datetime(2026, 11, 23, 6, 55, tzinfo=dt.UTC)
    # Carol, the author, is not shown her own note; the day shift does not get it.
    await bot.send(CAROL, "/clockout")
    before = len(bot.fake.texts(CAROL.id))
    await bot.send(CAROL, "/clockin")
    assert not any(note in t for t in bot.fake.texts(CAROL.id)[before:])


async def test_handover_without_text_is_refused(bot: Harness) -> None:
    await make_team(bot)
    assert "Write the note after the command" in await bot.reply(CAROL, "/handover   ")
    assert await rows(bot, Handover) == []
    assert "Only enrolled agents" in await bot.reply(ALICE, "/handover hi")


async def test_a_very_long_handover_is_stored_whole_and_posted_in_parts(bot: Harness) -> None:
    await make_team(bot)
    text = ("<b>not bold</b> & 😀 " * 300)[:5000]
    await bot.send(CAROL, f"/handover {text}")
    (stored,) = await rows(bot, Handover)
    assert stored.text == text.strip()
    posted = bot.fake.texts(TEAM_GROUP.id)
    assert len(posted) >= 2
    assert "".join(posted).replace("\n", "").count("<b>not bold</b>") == text.count(
        "<b>not bold</b>"
    )
    assert bot.fake.bad_requests() == []


async def test_two_clock_ins_at_once_make_one_shift(bot: Harness) -> None:
    await make_team(bot)
    await asyncio.gather(
        bot.process(bot.message_update(CAROL, "/clockin")),
        bot.process(bot.message_update(CAROL, "/clockin", group=TEAM_GROUP)),
    )
    assert len(await rows(bot, WorkSession)) == 1
    answers = bot.fake.texts(CAROL.id)[-1:] + bot.fake.texts(TEAM_GROUP.id)[-1:]
    assert sum("already clocked in" in a for a in answers) == 1


async def test_team_of_hundreds_is_split_into_messages_telegram_accepts(bot: Harness) -> None:
    await make_team(bot)
    kit = bot.app.bot_data["kit"]
    now = dt.datetime.now(dt.UTC)
    await kit.db.run(
        lambda session: session.add_all(
            Person(
                id=900_000 + n,
                first_name=f"Agent <{n}> & co",
                is_agent=True,
                level="junior",
                track="presale",
                shift="day",
                first_seen=now,
                last_seen=now,
            )
            for n in range(250)
        )
    )
    before = len(bot.fake.sent(BOB.id))
    await bot.send(BOB, "/team")
    parts = bot.fake.texts(BOB.id)[before:]
    assert len(parts) >= 2
    assert "Expected today, not yet in (252)" in parts[0]
    assert sum(p.count("Agent <") for p in parts) == 250
    assert bot.fake.bad_requests() == []


async def test_an_unexpected_error_is_logged_and_the_person_told(bot: Harness, caplog) -> None:
    await make_team(bot)
    kit = bot.app.bot_data["kit"]

    async def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    kit.attendance.clock_in = broken
    answer = await bot.reply(CAROL, "/clockin")
    assert "something went wrong" in answer
    assert any("disk on fire" in str(r.exc_info) for r in caplog.records if r.exc_info)
