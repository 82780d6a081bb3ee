"""The month close end to end: drafts on the 5th, the lock on the 10th, payslips on the 15th."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import sys
from typing import Any

import time_machine
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.app import stop_delivery
from bot.delivery import Limits
from storage import notices as notices_store
from storage.db import Database
from storage.models import LedgerEntry, Notice, Payslip, Person, QaCheck
from tests.conftest import make_settings, started, stopped
from tests.support.harness import ALICE, BOB, CAROL, DAVE, MALLORY, TEAM_GROUP, Harness, command
from tests.support.jobs import run_job
from tests.support.months import at, november, payslips
from tests.support.process import bot_env
from tests.support.process import kefu as kefu_process
from tests.support.team import make_team, rows


def money_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if ":" in line]


async def test_the_month_closes_on_the_calendar_and_each_agent_is_paid_once(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await november(bot, clock)

    # The 5th at 10:00: drafts by DM (text and chart), the team's preview to supervisors.
    clock.move_to(at(5))
    await run_job(bot, "month-draft")
    draft = bot.fake.texts(CAROL.id)[-1]
    assert "Your scorecard for 2026-11" in draft and "KPI score 90.77" in draft
    assert "Follow-up service (yuan): no data, its 22% weight shared out among the others" in draft
    photos = bot.fake.sent(CAROL.id, method="sendPhoto")
    assert len(photos) == 1 and photos[0].params["photo"][1].startswith(b"\x89PNG")
    preview = bot.fake.texts(BOB.id)[-1]
    assert "Payroll 2026-11" in preview and "3462.31 yuan" in preview
    assert not any("yuan" in text for text in bot.fake.texts(TEAM_GROUP.id))

    # Before the lock, a void still changes the draft.
    clock.move_to(at(6))
    await bot.send(BOB, "/void #2 handover was done on paper")
    draft_pay = await bot.reply(CAROL, "/payslip 2026-11")
    assert "(draft)" in draft_pay and "Total: 3484.62 yuan" in draft_pay

    # The 10th: locked; a void after the lock is carried into December instead.
    clock.move_to(at(10))
    await run_job(bot, "month-lock")
    assert len(await rows(bot, Payslip)) == 2
    clock.move_to(at(11))
    await bot.send(BOB, "/void #1 it was work research")
    (carry,) = [e for e in await rows(bot, LedgerEntry) if e.kind == "carry"]
    assert (carry.month, carry.points, carry.cash_fen) == ("2026-12", 2, -1000)
    december = await bot.reply(CAROL, "/myscore")
    assert "+2 · -10.00 yuan (given back: #1 2026-11 was voided" in december

    # The 15th at 10:00: every payslip by DM, from the locked snapshot.
    clock.move_to(at(15))
    await run_job(bot, "month-pay")
    carol = payslips(bot, CAROL)
    assert len(carol) == 1
    lines = money_lines(carol[0])
    assert "Base pay (junior): 2500.00" in lines
    assert "Full attendance: 100.00" in lines
    assert "Performance bonus (300 × 91.54%): 274.62" in lines
    assert "Commission (2% of 12000.00 sales): 240.00" in lines
    assert "Daily assessment (78 = -2 points × 10): -20.00" in lines
    assert "Cash fines (1 entry): -10.00" in lines
    assert "Total: 3484.62 yuan" in carol[0]
    report = bot.fake.texts(ALICE.id)[-1]
    assert "Payslips 2026-11: sent 2 · failed 0 · left 0" in report and "Done" in report
    dave = payslips(bot, DAVE)
    assert len(dave) == 1 and "Total: 3100.00 yuan" in dave[0]
    assert "Performance bonus (none in the first month): 0.00" in dave[0]
    assert "KPI score 85.71" in dave[0]

    # Sending again sends nobody a second payslip, and says so with the report.
    again = await bot.reply(BOB, "/payroll 2026-11 send")
    assert "already sent" in again and "sent 2" in again
    assert len(payslips(bot, CAROL)) == 1

    # The detail names the records behind each line.
    detail = await bot.reply(CAROL, "/payslip 2026-11 detail")
    assert "Cash fines (1 entry): #1" in detail
    assert not any("yuan" in text for text in bot.fake.texts(TEAM_GROUP.id))


async def test_payroll_send_locks_sends_and_reports_who_could_not_be_reached(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await november(bot, clock)
    clock.move_to(at(2))
    bot.fake.blocked.add(DAVE.id)
    for _ in range(4):  # more 429s than the rate limiter retries by itself
        bot.fake.fail_next(
            "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=CAROL.id
        )
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway", chat_id=CAROL.id)
    await bot.send(BOB, "/payroll 2026-11 send")
    assert len(payslips(bot, CAROL)) == 1
    edits = [
        c.params["text"]
        for c in bot.fake.calls
        if c.method == "editMessageText" and int(c.params["chat_id"]) == BOB.id
    ]
    assert edits and "sent 1 · failed 1 · left 0" in edits[-1]
    assert "Could not reach: Dave" in edits[-1]
    statuses = sorted(
        (row.person_id, row.status) for row in await rows(bot, Notice) if row.broadcast_id
    )
    assert statuses == [(CAROL.id, "sent"), (DAVE.id, "failed")]
    assert len(await rows(bot, Payslip)) == 2  # sending locked the month


async def test_a_restart_mid_run_finishes_the_rest_and_resends_nothing(
    bot: Harness, clock: time_machine.Coordinates, fake: Any, database_url: str
) -> None:
    await november(bot, clock)
    clock.move_to(at(15, 9, 0))
    kit = bot.app.bot_data["kit"]
    await stop_delivery(kit)  # as if the process were killed: nothing sends from here
    await kit.payroll.lock("2026-11", by=BOB.id, at=at(15, 9, 0))
    run, _ = await kit.payroll.start_broadcast(
        "2026-11", "payslip", at=at(15, 9, 0), by=BOB.id, chat_id=BOB.id
    )
    carol_row, _ = sorted(
        [row for row in await rows(bot, Notice) if row.broadcast_id], key=lambda r: r.person_id
    )
    # As if killed mid-run: Carol's DM claimed (maybe sent), Dave's never started.
    claimed = await kit.db.run(
        lambda s: notices_store.claim([carol_row.id], at(15, 9, 0), session=s)
    )
    assert [row.id for row in claimed] == [carol_row.id]
    await stopped(bot.app)
    clock.move_to(at(15, 9, 5))
    app = await started(make_settings(fake, database_url))
    try:
        restarted = app.bot_data["kit"]
        for _ in range(100):
            progress = await restarted.payroll.progress(run.id)
            if progress.done:
                break
            await asyncio.sleep(0.05)
        assert progress.done and progress.sent == 1
        assert [p.id for p in progress.failed_people] == [CAROL.id]  # uncertain, not resent
        assert not [t for t in fake.texts(CAROL.id) if t.startswith("💰 Payslip")]
        assert len([t for t in fake.texts(DAVE.id) if t.startswith("💰 Payslip")]) == 1
    finally:
        await stopped(app)


async def test_export_is_a_workbook_for_the_accountant(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await november(bot, clock)
    clock.move_to(at(3))
    await bot.send(BOB, "/export 2026-11")
    (sent,) = bot.fake.sent(BOB.id, method="sendDocument")
    name, data = sent.params["document"]
    assert name == "kefu-2026-11.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "payroll",
        "scorecards",
        "ledger",
        "attendance",
        "metrics",
        "exams",
        "public_sales",
        "swaps",
        "roster",
        "punch_fixes",
        "complaints",
        "discounts",
        "problems",
        "follow_ups",
    ]
    header, *agents = list(book["payroll"].values)
    totals = {row[1]: row[header.index("total")] for row in agents}
    assert totals["Carol"] == 3462.31 and header[-2:] == ("total", "received_at")
    assert [row[-1] for row in agents] == [None, None]  # a draft month: nobody confirmed
    assert len(list(book["ledger"].values)) == 3  # header + two fines
    assert len(list(book["metrics"].values)) == 2


async def test_export_keeps_what_people_typed_as_text(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await november(bot, clock)
    kit = bot.app.bot_data["kit"]

    def rename(session: Any) -> None:
        carol = session.get(Person, CAROL.id)
        carol.first_name = '=HYPERLINK("http://evil.example","pay here")'

    await kit.db.run(rename)
    clock.move_to(at(3))
    await bot.send(BOB, "/export 2026-11")
    (sent,) = bot.fake.sent(BOB.id, method="sendDocument")
    book = load_workbook(io.BytesIO(sent.params["document"][1]))
    names = [row[1] for row in book["payroll"].iter_rows(min_row=2)]
    typed = next(cell for cell in names if str(cell.value).startswith("="))
    assert typed.data_type == "s" and typed.value.startswith('=HYPERLINK("http://evil')


async def test_bad_month_close_input_is_refused_and_changes_nothing(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    assert "has not begun" in await bot.reply(BOB, "/payroll 2027-01")
    assert "YYYY-MM" in await bot.reply(BOB, "/payroll 11-2026")
    assert "Usage" in await bot.reply(BOB, "/payroll 2026-11 now")
    assert "not over yet" in await bot.reply(BOB, "/payroll 2026-11 send")
    assert "Nobody was an enrolled agent in 2026-10" in await bot.reply(BOB, "/payroll 2026-10")
    assert "Only supervisors" in await bot.reply(CAROL, "/payroll 2026-11")
    assert "Only supervisors" in await bot.reply(CAROL, "/export 2026-11")
    assert "Pay is private" in await bot.reply(CAROL, "/payslip @dave 2026-11")
    assert "private chat" in await bot.reply(
        CAROL, command("payslip", in_group=True), group=TEAM_GROUP
    )
    assert "private chat" in await bot.reply(
        BOB, command("payroll", in_group=True) + " 2026-11", group=TEAM_GROUP
    )
    assert "0 to 100" in await bot.reply(BOB, "/qa @carol_cs 101")
    assert "0 to 100" in await bot.reply(BOB, "/qa @carol_cs -5")
    assert "0 to 100" in await bot.reply(BOB, "/qa @carol_cs")
    assert "not on this team" in await bot.reply(MALLORY, "/payslip")
    assert "Usage" in await bot.reply(BOB, "/oneoff @carol_cs lots reason")
    assert "Usage" in await bot.reply(BOB, "/oneoff @carol_cs 200")
    assert "Usage" in await bot.reply(BOB, "/hire @carol_cs 2026-13-01")
    assert "no payslip of yours" in await bot.reply(ALICE, "/payslip 2026-11")
    assert await rows(bot, QaCheck) == []
    assert await rows(bot, Payslip) == []
    assert not [row for row in await rows(bot, Notice) if row.broadcast_id]


async def test_qa_and_one_offs_reach_the_payslip(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    await make_team(bot)
    answer = await bot.reply(BOB, f"/qa {DAVE.first_name} 90 polite, fast", mentions=[DAVE])
    assert "90" in answer and "mean 90" in answer
    in_group = await bot.reply(
        BOB,
        command("qa", in_group=True) + f" {DAVE.first_name} 55",
        group=TEAM_GROUP,
        mentions=[DAVE],
    )
    assert "recorded" in in_group and "55" not in in_group
    await bot.send(BOB, f"/qa {DAVE.first_name} 70", mentions=[DAVE])
    so_far = await bot.reply(DAVE, "/myscore")  # the KPIs so far read the same checks
    assert "QA checks: 71.67 → 70 points × 16%" in so_far
    assert "Attendance (days missed): 0 → 100 points × 16%" in so_far
    group = await bot.reply(
        BOB, command("oneoff", in_group=True) + " @carol_cs 200 top seller", group=TEAM_GROUP
    )
    assert "One-off bonus for Carol recorded on the 2026-11 payslip" in group
    assert "yuan" not in group and "200" not in group and "+" not in group
    private = await bot.reply(BOB, "/oneoff @carol_cs 50 cover on Sunday")
    assert "One-off bonus for Carol on the 2026-11 payslip: 50.00 yuan (cover on Sunday)" in private
    pay = await bot.reply(CAROL, "/payslip 2026-11")
    assert "One-off (top seller): 200.00" in pay and "One-off (cover on Sunday): 50.00" in pay
    clock.move_to(at(1))
    preview = await bot.reply(BOB, "/payroll 2026-11")
    assert "Carol" in preview and "Dave" in preview and "draft" in preview
    dave = await bot.reply(DAVE, "/payslip 2026-11 detail")
    assert "QA checks: 71.67 → 70 points × 16% = 11.20" in dave  # the mean of 90, 55 and 70
    # The complaint KPIs have no case this month: their 20% is shared out, the score as
    # it was before they existed (14.00 + 20.00 + 24.00 over 70%).
    assert "Score: 46.40 ÷ 56% (the weight of the KPIs with data) = 82.86" in dave


async def test_kefu_payroll_from_the_shell_previews_then_sends_once(
    bot: Harness, clock: time_machine.Coordinates, fake: Any, database_url: str, tmp_path: Any
) -> None:
    await november(bot, clock, month=10)
    await stopped(bot.app)
    env = bot_env(fake, database_url)

    async def kefu(*args: str) -> tuple[int, str, str]:
        done = await kefu_process("payroll", *args, cwd=tmp_path, env=env)
        return done.returncode, done.stdout, done.stderr

    code, out, err = await kefu("2026-10")
    assert code == 0, err
    assert "Payroll 2026-10" in out and "Carol" in out and "draft" in out
    assert not payslips(bot, CAROL)
    code, out, err = await kefu("2026-10", "--send")
    assert code == 0, err
    assert "sent 2 · failed 0 · left 0" in out
    assert len(payslips(bot, CAROL)) == 1 and len(payslips(bot, DAVE)) == 1
    code, out, err = await kefu("2026-10", "--send")
    assert code == 0 and len(payslips(bot, CAROL)) == 1
    code, out, err = await kefu("2099-01")
    assert code == 1 and "has not begun" in err


async def test_kill_9_mid_broadcast_then_a_rerun_finishes_and_resends_nothing(
    bot: Harness, clock: time_machine.Coordinates, fake: Any, database_url: str, tmp_path: Any
) -> None:
    await november(bot, clock, month=10)
    kit = bot.app.bot_data["kit"]
    extra = [
        Person(
            id=50_000 + n,
            first_name=f"Agent{n}",
            is_agent=True,
            dm_open=True,
            level="junior",
            track="presale",
            shift="day",
            enrolled_at=at(1, month=10),
            first_seen=at(1, month=10),
            last_seen=at(1, month=10),
        )
        for n in range(20)
    ]
    await kit.db.run(lambda session: session.add_all(extra))
    await stopped(bot.app)
    env = bot_env(fake, database_url)
    fake.delay = 0.1
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "payroll", "2026-10", "--send", cwd=tmp_path, env=env
    )
    for _ in range(600):
        if sum(1 for c in fake.calls if "Payslip" in str(c.params.get("text", ""))) >= 6:
            break
        await asyncio.sleep(0.05)
    process.kill()  # SIGKILL: no clean-up of any kind
    await process.wait()
    fake.delay = 0

    db = Database(database_url)  # looking at the database only: no bot that would resume
    try:
        run_rows = select(Notice).where(col(Notice.broadcast_id).is_not(None))
        before = await db.read(lambda session: list(session.exec(run_rows)))
        assert {row.status for row in before} <= {"sent", "sending", "pending"}
        assert 6 <= sum(row.status != "pending" for row in before) < 22
        # Later than the two minutes after which a claimed row counts as cut off:
        await db.run(
            lambda session: [
                setattr(row, "updated_at", row.updated_at - dt.timedelta(minutes=5))
                for row in session.exec(select(Notice).where(Notice.status == "sending"))
            ]
        )
        code = await (
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "payroll", "2026-10", "--send", cwd=tmp_path, env=env
            )
        ).wait()
        assert code == 0
        after = await db.read(lambda session: list(session.exec(run_rows)))
    finally:
        await db.close()
    assert {row.status for row in after} <= {"sent", "uncertain", "failed"}
    agents = [CAROL.id, DAVE.id, *(p.id for p in extra)]
    received = {a: sum(t.startswith("💰 Payslip") for t in fake.delivered(a)) for a in agents}
    assert max(received.values()) == 1  # nobody got a second payslip
    uncertain = {row.person_id for row in after if row.status == "uncertain"}
    assert len(uncertain) <= Limits().in_flight  # at most the sends in flight at the kill
    assert all(received[a] == 1 for a in agents if a not in uncertain)


async def test_a_retry_resends_nothing_that_already_went_out(
    bot: Harness, clock: time_machine.Coordinates
) -> None:
    """The draft's text goes out, its chart meets a 502: the retry sends only the chart."""
    await november(bot, clock)
    clock.move_to(at(5))
    bot.fake.fail_next("sendPhoto", 502, "Bad Gateway", chat_id=CAROL.id)
    await run_job(bot, "month-draft")
    drafts = [t for t in bot.fake.delivered(CAROL.id) if "Your scorecard for 2026-11" in t]
    charts = [c for c in bot.fake.sent(CAROL.id, method="sendPhoto") if c.ok]
    assert len(drafts) == 1 and len(charts) == 1
