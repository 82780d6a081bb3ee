"""Metrics import: 5 000 agents × 31 days (155 000 rows), as CSV and as XLSX.

Prints seconds and rows per second for the whole import (decode, parse, validate,
match agents, save to a fresh database), and the ratio to the time `csv.reader`
alone takes to read the same CSV.

    python -m bench.import_speed [--agents 5000] [--days 31] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import random
import tempfile
import time
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlmodel import delete

from bot.importer import read_table
from bot.services.metrics import Metrics
from bot.settings import default_policy_data
from rules.policy import build_policy
from storage.db import Database
from storage.models import DailyMetric, Person

HEADER = [
    "日期",
    "客服",
    "咨询人数",
    "接待人数",
    "回复率",
    "平均响应时间(秒)",
    "询单人数",
    "下单人数",
    "付款人数",
    "销售额",
]
FIRST_ID = 700_000


def rows(agents: int, days: int) -> list[list[str]]:
    """Plausible figures, fixed seed."""
    rng = random.Random(7)
    out = []
    for day in range(1, days + 1):
        date = f"2026-10-{day:02d}"
        for n in range(agents):
            consults = rng.randint(20, 200)
            orders = rng.randint(0, consults // 2)
            out.append(
                [
                    date,
                    f"agent{n}旺旺",
                    str(consults),
                    str(consults - rng.randint(0, 3)),
                    f"{rng.uniform(90, 100):.2f}%",
                    f"{rng.uniform(5, 60):.1f}",
                    str(orders + 5),
                    str(orders),
                    str(max(orders - rng.randint(0, 3), 0)),
                    f"{rng.uniform(0, 9000):.2f}",
                ]
            )
    return out


async def enroll(db: Database, agents: int) -> None:
    now = dt.datetime.now(dt.UTC)
    await db.run(
        lambda session: session.add_all(
            Person(
                id=FIRST_ID + n,
                first_name=f"A{n}",
                is_agent=True,
                level="junior",
                track="presale",
                im_name=f"agent{n}旺旺",
                first_seen=now,
                last_seen=now,
            )
            for n in range(agents)
        )
    )


async def timed_import(db: Database, metrics: Metrics, name: str, data: bytes) -> float:
    await db.run(lambda session: session.exec(delete(DailyMetric)))  # type: ignore[call-overload]
    start = time.perf_counter()
    table = read_table(name, data, max_bytes=None)
    report = await metrics.import_table(
        table, source=name, by=None, at=dt.datetime(2026, 11, 23, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    elapsed = time.perf_counter() - start
    assert report.rows == len(table.rows), (report.rows, len(table.rows))
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    data_rows = rows(args.agents, args.days)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *data_rows])
    csv_bytes = buffer.getvalue().encode("utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in data_rows:
        sheet.append(row)
    xlsx_buffer = io.BytesIO()
    book.save(xlsx_buffer)
    xlsx_bytes = xlsx_buffer.getvalue()

    start = time.perf_counter()
    count = sum(1 for _ in csv.reader(io.StringIO(csv_bytes.decode("utf-8")))) - 1
    bare = time.perf_counter() - start

    policy = build_policy(default_policy_data())
    with tempfile.TemporaryDirectory() as folder:
        db = Database(args.database_url or f"sqlite:///{folder}/bench.db")
        await db.migrate()
        await enroll(db, args.agents)
        metrics = Metrics(db, policy)
        csv_seconds = await timed_import(db, metrics, "bench.csv", csv_bytes)
        xlsx_seconds = await timed_import(db, metrics, "bench.xlsx", xlsx_bytes)
        engine = "PostgreSQL" if db.url.get_backend_name() == "postgresql" else "SQLite"
        await db.close()
    print(f"metrics import: {args.agents} agents × {args.days} days = {count} rows, {engine}")
    print(f"{'what':<22} {'seconds':>9} {'rows/s':>10} {'× csv.reader':>13}")
    print(f"{'csv.reader alone':<22} {bare:>9.2f} {count / bare:>10.0f} {1:>13.1f}")
    for label, seconds, size in (
        ("kefu import, CSV", csv_seconds, len(csv_bytes)),
        ("kefu import, XLSX", xlsx_seconds, len(xlsx_bytes)),
    ):
        print(
            f"{label:<22} {seconds:>9.2f} {count / seconds:>10.0f} {seconds / bare:>13.1f}"
            f"   ({size / 1048576:.1f} MB)"
        )
    print(f"CSV import within 10× of the bare read: {csv_seconds <= 10 * bare}")


if __name__ == "__main__":
    asyncio.run(main())
