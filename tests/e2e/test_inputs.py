"""Inputs read one way: numbers, text that is not there, money one way per command,
dates, bidi text, and files — each as a user meets it through the real bot."""

from __future__ import annotations

import asyncio
import io
import time
import zipfile

import time_machine
from openpyxl import Workbook

from rules.parse import contained
from storage.models import LedgerEntry, OneOff, Person
from tests.support.harness import BOB, CAROL, DAVE, TEAM_GROUP, Harness, command
from tests.support.team import make_team, rows


async def test_full_width_digits_are_the_same_number(bot: Harness) -> None:
    await make_team(bot)
    answer = await bot.reply(BOB, "/fine @carol_cs late ３ overslept")
    assert "-3" in answer
    (entry,) = await rows(bot, LedgerEntry)
    assert entry.points == -3 and entry.note == "overslept"


async def test_a_number_that_is_not_one_is_refused_not_noted(bot: Harness) -> None:
    await make_team(bot)
    dms = len(bot.fake.delivered(CAROL.id))
    for junk in ("1000", "1e9", "NaN", "2.5", "1,5", "²", "٣"):
        answer = await bot.reply(BOB, f"/fine @carol_cs late {junk}")
        assert "takes 2 to 5 points" in answer, (junk, answer)
    for junk in ("1e9", "99999999999999999999", "+∞"):
        answer = await bot.reply(BOB, f"/bonus @carol_cs extra-work {junk}")
        assert "1 to 5" in answer or "Usage" in answer, (junk, answer)
    assert await rows(bot, LedgerEntry) == []
    assert len(bot.fake.delivered(CAROL.id)) == dms, "the agent was told of nothing"


async def test_a_word_after_the_code_is_still_a_note(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(BOB, "/fine @carol_cs late overslept again")
    (entry,) = await rows(bot, LedgerEntry)
    assert entry.points == -2 and entry.note == "overslept again"


async def test_invisible_text_is_no_text(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    blank = "\u200b \u200d\u2060\ufeff\u202e\u200f"
    before = len(bot.fake.sent(TEAM_GROUP.id))
    assert "Write the note" in await bot.reply(CAROL, f"/handover {blank}")
    assert len(bot.fake.sent(TEAM_GROUP.id)) == before, "no blank handover in the group"
    assert "Write the report" in await bot.reply(CAROL, f"/report {blank}")
    assert "Usage" in await bot.reply(CAROL, f"/leave 2026-11-30 {blank}")
    assert "Usage" in await bot.reply(BOB, f"/adjust @carol_cs +2 {blank}")
    assert "Usage" in await bot.reply(BOB, f"/oneoff @carol_cs 20 {blank}")
    assert "Usage" in await bot.reply(BOB, f"/deduct @carol_cs 20 {blank}")
    await bot.send(BOB, "/fine @carol_cs late")
    assert "Usage" in await bot.reply(BOB, f"/void #1 {blank}")
    assert "Usage" in await bot.reply(CAROL, f"/appeal #1 {blank}")
    (entry,) = await rows(bot, LedgerEntry)
    assert entry.note == ""


async def test_bidi_overrides_cannot_reorder_the_bots_words(bot: Harness) -> None:
    await make_team(bot)
    await bot.send(CAROL, "/clockin")
    note = "\u202eevil note"
    await bot.send(CAROL, f"/handover {note}")
    (post,) = [t for t in bot.fake.delivered(TEAM_GROUP.id) if "evil note" in t]
    assert contained(note) in post  # isolated: the override ends with the note
    assert "\u2068\u202eevil note\u2069" in post


async def test_a_caption_for_another_bot_is_not_ours(bot: Harness) -> None:
    await make_team(bot)
    before = len(bot.fake.calls)
    answers = await bot.send_file(
        BOB, "day.csv", b"date,agent,reply_rate\n2026-11-22,carol,99%\n", caption="/import@otherbot"
    )
    assert answers == [] and not [c for c in bot.fake.calls[before:] if c.method != "getFile"]


async def test_a_photo_captioned_import_says_what_is_accepted(bot: Harness) -> None:
    await make_team(bot)
    message = {
        "message_id": 77,
        "date": int(time.time()),
        "chat": {"id": BOB.id, "type": "private", "first_name": BOB.first_name},
        "from": BOB.as_user(),
        "photo": [{"file_id": "P1", "file_unique_id": "p1", "width": 90, "height": 90}],
        "caption": "/import",
        "caption_entities": [{"type": "bot_command", "offset": 0, "length": 7}],
    }
    before = len(bot.fake.calls)
    await bot.process({"update_id": bot.fake.next_update_id(), "message": message})
    (answer,) = [c.params["text"] for c in bot.fake.calls[before:] if c.method == "sendMessage"]
    assert "reads a file" in answer and ".csv or .xlsx" in answer


def _workbook_with(name: str, content: bytes) -> bytes:
    """A real workbook with one member replaced (e.g. by XML that does not parse)."""
    book = io.BytesIO()
    Workbook().save(book)
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item))
    return out.getvalue()


async def test_broken_files_are_named(bot: Harness) -> None:
    await make_team(bot)
    (answer,) = await bot.send_file(BOB, "q.csv", b'date,agent,reply_rate\n2026-11-22,"carol,99%\n')
    assert "broken at line" in answer
    no_sheet = io.BytesIO()
    Workbook(write_only=True).save(no_sheet)
    (answer,) = await bot.send_file(BOB, "empty.xlsx", no_sheet.getvalue())
    assert "no sheet" in answer or "no figures" in answer
    (answer,) = await bot.send_file(BOB, "bad.xlsx", _workbook_with("xl/workbook.xml", b"<wor"))
    assert "damaged" in answer
    (answer,) = await bot.send_file(BOB, "big.csv", b"date,agent,consults\n2026-11-22,carol,1e30\n")
    assert "too large: '1e30'" in answer


async def test_a_refusal_lists_twenty_problems_with_short_values(bot: Harness) -> None:
    await make_team(bot)
    lines = ["date,agent,consults"] + [f"2026-11-22,a{n},{'9' * 12_000}x" for n in range(300)]
    answers = await bot.send_file(BOB, "huge.csv", "\n".join(lines).encode())
    (answer,) = answers
    assert answer.count("Row ") == 20 and "… and 280 more" in answer
    assert len(answer) < 2000


async def test_unknown_names_are_listed_once_and_linear(bot: Harness) -> None:
    await make_team(bot)
    lines = ["date,agent,consults"] + [f"2026-11-22,ghost{n},3" for n in range(20_000)]
    (answer,) = await bot.send_file(BOB, "ghosts.csv", "\n".join(lines).encode())
    assert "Skipped, not enrolled agents (20000)" in answer and "ghost0, ghost1" in answer


async def test_others_are_answered_while_a_large_file_imports(bot: Harness) -> None:
    await make_team(bot)
    lines = ["date,agent,consults"] + [f"2026-11-22,ghost{n},3" for n in range(150_000)]
    data = "\n".join(lines).encode()
    bot.fake.add_file("BIG", "big.csv", data)
    importing = asyncio.create_task(bot.send_file(BOB, "big.csv", data))
    await asyncio.sleep(0.3)
    assert not importing.done(), "the file should still be importing"
    assert "Carol" in await bot.reply(CAROL, "/clockin")
    assert not importing.done(), "CAROL was answered while the file was still importing"
    (answer,) = await importing
    assert "Skipped" in answer


async def test_hire_dates_are_plausible(bot: Harness) -> None:
    await make_team(bot)
    assert "too far back" in await bot.reply(BOB, "/hire @carol_cs 1900-01-01")
    assert "in the future" in await bot.reply(BOB, "/hire @carol_cs 2026-11-24")
    assert "out of range" in await bot.reply(BOB, "/hire @carol_cs 2026-01-01 13")
    assert "hired 2026-01-01" in await bot.reply(BOB, "/hire @carol_cs ２０２６-０１-０１ ３")
    carol = await bot.app.bot_data["kit"].db.run(lambda s: s.get(Person, CAROL.id))
    assert str(carol.hired_on) == "2026-01-01" and str(carol.probation_until) == "2026-03-31"


async def test_months_not_begun_are_refused_everywhere(bot: Harness) -> None:
    await make_team(bot)
    assert "has not begun" in await bot.reply(CAROL, "/myscore 2099-12")
    assert "has not begun" in await bot.reply(BOB, "/score @carol_cs 2099-01")
    for text in ("/myscore 2026-¹", "/payslip 2026-¹"):
        answer = await bot.reply(CAROL, text)
        assert "not a month" in answer and "Usage" in answer, answer
    for text in ("/payroll 2026-¹", "/export 2026-¹", "/qa @carol_cs ¹⁰", "/void #² r"):
        answer = await bot.reply(BOB, text)
        assert "Usage" in answer, answer


async def test_a_deduction_is_its_own_line_private_and_appealable(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    assert "Usage" in await bot.reply(BOB, "/oneoff @carol_cs -50 price change")
    assert await rows(bot, OneOff) == []
    in_group = await bot.reply(
        BOB,
        command("deduct", in_group=True) + " @carol_cs 35.50 price changed without approval",
        group=TEAM_GROUP,
    )
    assert "#1 Deduction for" in in_group and "35" not in in_group
    assert not [t for t in bot.fake.delivered(TEAM_GROUP.id) if "35.50" in t]
    dm = bot.fake.delivered(CAROL.id)[-1]
    assert "35.50 yuan" in dm and "price changed without approval" in dm
    assert "/appeal #1" in dm
    score = await bot.reply(CAROL, "/myscore")
    assert "Deductions: 35.50 yuan" in score and "Cash fines: 0.00 yuan" in score
    assert "Score: 80" in score  # no points
    pay = await bot.reply(CAROL, "/payslip 2026-11")
    assert "Deduction (price changed without approval): -35.50" in pay
    assert "Your appeal against #1 (Deduction)" in await bot.reply(
        CAROL, "/appeal #1 the customer asked twice"
    )
    await bot.send(BOB, "/void #1 agreed with the customer")
    pay = await bot.reply(CAROL, "/payslip 2026-11")
    assert "Deduction" not in pay
    assert "Usage" in await bot.reply(BOB, "/deduct @carol_cs 0 nothing")
    assert "at most 100000" in await bot.reply(BOB, "/deduct @carol_cs 100000.01 too much")
    assert "Usage" in await bot.reply(BOB, f"/deduct {DAVE.first_name} 10", mentions=[DAVE])
