"""Chat-tool metrics: /import in every format shops have, and the 10:00 alert."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import select

from storage.models import DailyMetric, JobRun
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness
from tests.support.jobs import run_job
from tests.support.process import bot_env, kefu
from tests.support.sheets import ZH_HEADER, csv_bytes
from tests.support.team import make_team

SH = dt.timezone(dt.timedelta(hours=8))
ZH_ROWS = [
    '2026-11-22,carol旺旺,120,118,97.5%,31.4,60,30,28,"5,600.50"',
    "2026-11-22,ghost_agent,10,10,100%,5,1,1,1,10",
]


async def metrics(bot: Harness) -> list[DailyMetric]:
    kit = bot.app.bot_data["kit"]
    return await kit.db.run(lambda session: list(session.exec(select(DailyMetric))))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
async def test_import_a_chinese_csv_in_every_encoding(bot: Harness, encoding: str) -> None:
    await make_team(bot)
    (answer,) = await bot.send_file(BOB, "千牛数据.csv", csv_bytes(ZH_ROWS, encoding))
    assert "Imported 1 row from 千牛数据.csv (2026-11-22): 1 new, 0 updated" in answer
    assert "Skipped, not enrolled agents (1): ghost_agent" in answer
    (row,) = await metrics(bot)
    assert (row.person_id, row.day, row.consults, row.received) == (
        CAROL.id,
        dt.date(2026, 11, 22),
        120,
        118,
    )
    assert (row.reply_rate_bp, row.avg_response_ms, row.orders, row.payers, row.sales_fen) == (
        9750,
        31400,
        30,
        28,
        560050,
    )
    assert row.imported_by == BOB.id


async def test_english_headers_and_the_usual_value_forms(bot: Harness) -> None:
    await make_team(bot)
    header = "date,agent,reply_rate,avg_response_s,orders,sales"
    rows = ["2026/11/21,@Carol_CS,0.975,0:23,4,¥12.5", "20261122,carol旺旺,98,23.4,5,0"]
    (answer,) = await bot.send_file(BOB, "export.csv", csv_bytes(rows, header=header))
    assert "2 new" in answer
    first, second = sorted(await metrics(bot), key=lambda m: m.day)
    assert (first.reply_rate_bp, first.avg_response_ms, first.sales_fen) == (9750, 23000, 1250)
    assert (second.reply_rate_bp, second.avg_response_ms) == (9800, 23400)


async def test_importing_again_replaces_and_never_duplicates(bot: Harness) -> None:
    await make_team(bot)
    await bot.send_file(BOB, "a.csv", csv_bytes(ZH_ROWS))
    changed = ["2026-11-22,carol旺旺,130,129,99%,20,60,30,28,100"]
    (answer,) = await bot.send_file(BOB, "b.csv", csv_bytes(changed))
    assert "0 new, 1 updated" in answer
    (row,) = await metrics(bot)
    assert (row.consults, row.reply_rate_bp, row.avg_response_ms, row.source) == (
        130,
        9900,
        20000,
        "b.csv",
    )


async def test_an_xlsx_file_reads_the_first_sheet_and_says_so(bot: Harness) -> None:
    await make_team(bot)
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "旺旺", "回复率", "平均响应时间(秒)"])
    sheet.append([dt.datetime(2026, 11, 22), "carol旺旺", 0.96, 28])
    book.create_sheet("汇总").append(["ignored"])
    data = io.BytesIO()
    book.save(data)
    (answer,) = await bot.send_file(BOB, "数据.xlsx", data.getvalue())
    assert "1 new" in answer and "Only the first sheet was read; left aside: 汇总" in answer
    (row,) = await metrics(bot)
    assert (row.reply_rate_bp, row.avg_response_ms) == (9600, 28000)


async def test_one_bad_value_rejects_the_whole_file(bot: Harness) -> None:
    await make_team(bot)
    rows = [
        "2026-11-21,carol旺旺,1,1,99%,20,1,1,1,1",
        "2026-11-22,carol旺旺,1,1,140%,20,1,1,1,1",
        "2026-11-24,carol旺旺,1,1,99%,20,1,1,1,1",
        "2026-11-20,carol旺旺,1,1,99%,soon,1,1,1,1",
        "2026-11-21,Carol旺旺,1,1,99%,20,1,1,1,1",
        "2026-11-19,carol旺旺,-3,1,99%,20,1,1,1,1",
    ]
    (answer,) = await bot.send_file(BOB, "bad.csv", csv_bytes(rows))
    assert "Nothing was imported from bad.csv" in answer
    assert "Row 3, 回复率: 140% is over 100%" in answer
    assert "Row 4, 日期: 2026-11-24 is in the future" in answer
    assert "Row 5, 平均响应时间(秒): not a number of seconds" in answer
    assert "Row 6, 客服: same agent and day as row 2" in answer
    assert "Row 7, 咨询人数: not a whole number of people" in answer
    assert await metrics(bot) == []


async def test_at_most_twenty_problems_are_listed(bot: Harness) -> None:
    await make_team(bot)
    rows = [f"2026-11-{day:02d},carol旺旺,1,1,x,1,1,1,1,1" for day in range(1, 23)] + [
        "2026-10-01,carol旺旺,1,1,y,z,1,1,1,1"
    ]
    (answer,) = await bot.send_file(BOB, "bad.csv", csv_bytes(rows))
    assert answer.count("not a rate") == 20 and "and 4 more" in answer


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.csv", b"", "has no figures"),
        ("header.csv", ZH_HEADER.encode(), "no rows under the header"),
        ("junk.csv", bytes(range(256)) * 20, "cannot be read"),
        ("junk.xlsx", b"PK\x03\x04 not really a zip", "cannot be read"),
        ("figures.pdf", b"%PDF-1.4", "not a CSV or XLSX"),
        ("big.csv", b"x" * (10 * 1024 * 1024 + 1), "the limit is 10 MB"),
        ("cols.csv", "名字,年龄\n张三,30".encode(), "column not found"),
    ],
)
async def test_bad_files_are_refused_and_change_nothing(
    bot: Harness, name: str, content: bytes, says: str
) -> None:
    await make_team(bot)
    (answer,) = await bot.send_file(BOB, name, content)
    assert says in answer
    assert await metrics(bot) == []
    assert bot.fake.bad_requests() == []


async def test_import_needs_a_supervisor_and_a_file(bot: Harness) -> None:
    await make_team(bot)
    (answer,) = await bot.send_file(CAROL, "a.csv", csv_bytes(ZH_ROWS))
    assert "Only supervisors" in answer
    assert "caption" in await bot.reply(BOB, "/import")
    assert await metrics(bot) == []


async def test_import_as_a_reply_to_the_file(bot: Harness) -> None:
    await make_team(bot)
    bot.fake.add_file("FR1", "r.csv", csv_bytes(ZH_ROWS))
    document = {"file_id": "FR1", "file_unique_id": "1RF", "file_name": "r.csv", "file_size": 10}
    original = {
        "message_id": 500,
        "date": 0,
        "chat": {"id": BOB.id, "type": "private"},
        "from": BOB.as_user(),
        "document": document,
    }
    update = bot.message_update(BOB, "/import")
    update["message"]["reply_to_message"] = original
    await bot.process(update)
    assert "1 new" in bot.fake.texts(BOB.id)[-1]


async def test_the_daily_alert_at_ten_with_attendance_beside_the_figures(
    bot: Harness, clock
) -> None:
    await make_team(bot)
    await bot.app.start()
    try:
        (job,) = bot.app.job_queue.get_jobs_by_name("daily-alert")
        assert job.next_t == dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH)
        # Sunday the 22nd: Carol late and a long break; Dave never clocks in.
        clock.move_to(dt.datetime(2026, 11, 22, 9, 7, tzinfo=SH))
        await bot.send(CAROL, "/clockin")
        await bot.send(CAROL, "/break")
        clock.shift(dt.timedelta(minutes=25))
        await bot.send(CAROL, "/back")
        clock.move_to(dt.datetime(2026, 11, 22, 18, 0, tzinfo=SH))
        await bot.send(CAROL, "/clockout")
        rows = [
            "2026-11-22,carol旺旺,1,1,99%,31.4,1,1,1,1",  # presale: over 25 s
            f"2026-11-22,{DAVE.first_name},1,1,96.5%,35,1,1,1,1",  # aftersales: rate under 98%
        ]
        await bot.send(
            BOB, f"/enroll {DAVE.first_name} mid aftersales {DAVE.first_name}", mentions=[DAVE]
        )
        clock.move_to(dt.datetime(2026, 11, 23, 9, 30, tzinfo=SH))
        await bot.send_file(BOB, "d.csv", csv_bytes(rows))
        clock.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH))
        await run_job(bot, "daily-alert")
        alert = bot.fake.texts(TEAM_GROUP.id)[-1]
        assert "Response-time alert, 2026-11-22 (2 of 2 agents outside the standard)" in alert
        carol, dave = alert.split("\n")[1:3]
        assert "Carol: response 31.4 s (limit 25 s)" in carol
        assert "late 7 min, breaks 25 min, 1 over the limit" in carol
        assert "reply rate 96.50% (min 98.00%)" in dave and "not clocked in" in dave
        assert "Dave <b>&amp;" in dave
        await run_job(bot, "daily-alert")  # a second run (a restart, a replica) posts nothing
        assert bot.fake.texts(TEAM_GROUP.id)[-1] == alert
        assert len([t for t in bot.fake.texts(TEAM_GROUP.id) if "alert" in t]) == 1
        kit = bot.app.bot_data["kit"]
        runs = await kit.db.run(lambda session: list(session.exec(select(JobRun))))
        assert [(r.job, r.slot) for r in runs] == [("daily-alert", "2026-11-22")]
    finally:
        await bot.app.stop()


async def test_all_within_standard_and_missing_figures(bot: Harness, clock) -> None:
    await make_team(bot)
    await bot.send_file(BOB, "ok.csv", csv_bytes(["2026-11-22,carol旺旺,1,1,99%,12,1,1,1,1"]))
    clock.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH))
    await run_job(bot, "daily-alert")
    assert (
        "2026-11-22: the one agent with figures is within the response-time standard"
        in bot.fake.texts(TEAM_GROUP.id)[-1]
    )
    clock.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SH))
    await run_job(bot, "daily-alert")
    for boss in (ALICE, BOB):
        assert "No chat-tool figures for 2026-11-23 were imported" in bot.fake.texts(boss.id)[-1]


async def kefu_import(
    path: Path, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return await kefu("import", str(path), cwd=cwd, env=env)


async def test_kefu_import_from_the_shell(fake: FakeBotAPI, tmp_path: Path, bot: Harness) -> None:
    await make_team(bot)
    database_url = bot.app.bot_data["kit"].db.url.render_as_string(hide_password=False)
    database_url = database_url.replace("+pysqlite", "").replace("+psycopg", "")
    path = tmp_path / "shell.csv"
    path.write_bytes(csv_bytes(ZH_ROWS, "gbk"))
    result = await kefu_import(path, tmp_path, bot_env(fake, database_url))
    assert result.returncode == 0, result.stderr
    assert "Imported 1 row from shell.csv" in result.stdout and "ghost_agent" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(["2026-11-22,carol旺旺,1,1,150%,1,1,1,1,1"]))
    result = await kefu_import(bad, tmp_path, bot_env(fake, database_url))
    assert result.returncode == 1 and "150% is over 100%" in result.stderr
    assert len(await metrics(bot)) == 1


async def test_myscore_shows_the_kpis_so_far(bot: Harness) -> None:
    await make_team(bot)
    rows = [
        "2026-11-20,carol旺旺,100,98,99%,24,60,48,46,5000",
        "2026-11-21,carol旺旺,100,98,97%,28,60,46,44,4500",
    ]
    await bot.send_file(BOB, "m.csv", csv_bytes(rows))
    await bot.send(BOB, "/bonus @carol_cs cover-shift")
    card = await bot.reply(CAROL, "/myscore")
    assert "KPIs so far (2 days of figures; weighted 63.50 of 78 possible)" in card
    assert "Target completion: 95.0% → 85 points × 4%" in card
    assert "IM response time (s): 26.0 s → 80 points × 22%" in card
    assert "Follow-up service (yuan): no data yet × 22%" in card
    assert "Execution (daily assessment): 85 → 85 points × 30%" in card
