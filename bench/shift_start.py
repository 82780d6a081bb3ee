"""Shift-start burst: N enrolled agents send /clockin within one second.

Starts kefu as a real process (long polling) against the fake Bot API, then a
bare python-telegram-bot echo bot the same way, and prints for each: replies
received, p50/p99 reply latency (update offered → reply received), and
throughput; then kefu's throughput as a ratio to the echo bot's.

    python -m bench.shift_start [--agents 300] [--rate-limit 0] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import delete

from storage.db import Database
from storage.models import Person, WorkSession
from tests.support.fakebot import TOKEN, FakeBotAPI
from tests.support.fakebot import Person as FakePerson
from tests.support.harness import Harness

REPO = Path(__file__).resolve().parents[1]
FIRST_ID = 500_000


@dataclass
class Result:
    name: str
    sent: int
    replies: int
    p50: float
    p99: float
    worst: float
    throughput: float
    cpu: float  # CPU seconds the bot process spent on the burst
    last: float = 0.0  # seconds from the first update offered to the last first reply


async def enroll(database_url: str, count: int) -> None:
    """Put `count` agents on the day shift straight into the database."""
    db = Database(database_url)
    await db.migrate()
    now = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    await db.run(
        lambda session: session.add_all(
            Person(
                id=FIRST_ID + n,
                first_name=f"Agent {n}",
                username=f"agent{n}",
                username_lower=f"agent{n}",
                language_code="zh",
                dm_open=True,
                is_agent=True,
                level="junior",
                track="presale",
                shift="day",
                first_seen=now,
                last_seen=now,
            )
            for n in range(count)
        )
    )
    await db.close()


async def reset(database_url: str) -> None:
    """Forget the burst's clock-ins, so the next round starts alike."""
    db = Database(database_url)
    await db.run(lambda session: session.exec(delete(WorkSession)))  # type: ignore[call-overload]
    await db.close()


def median_result(results: list[Result]) -> Result:
    """Each figure's median over the rounds."""
    return Result(
        results[0].name,
        results[0].sent,
        int(statistics.median(r.replies for r in results)),
        *(
            statistics.median(getattr(r, field) for r in results)
            for field in ("p50", "p99", "worst", "throughput", "cpu", "last")
        ),
    )


async def burst(
    name: str, argv: list[str], env: dict[str, str], count: int, cwd: str, latency: float = 0.0
) -> Result:
    """Start a bot process, wait until it polls, offer the burst, collect the replies."""
    fake = FakeBotAPI()
    fake.latency = latency
    await fake.start()
    env = {**env, "TELEGRAM_API_BASE_URL": fake.url}
    process = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        # Wait until the bot polls and has finished its start-up calls (kefu sets
        # every agent's command menu on a new database), so only the burst is measured.
        while not any(c.method == "getUpdates" for c in fake.calls) or _busy(fake):
            await asyncio.sleep(0.05)
        people = Harness(fake, app=None)  # type: ignore[arg-type]
        agents = [FakePerson(FIRST_ID + n, f"Agent {n}", f"agent{n}") for n in range(count)]
        offered: dict[int, float] = {}
        cpu_before = _cpu_seconds(process.pid)
        start = time.monotonic()
        for n, agent in enumerate(agents):  # spread evenly over one second
            await asyncio.sleep(max(0.0, start + n / count - time.monotonic()))
            offered[agent.id] = time.monotonic()
            fake.push_update(people.message_update(agent, "/clockin"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_firsts(fake, offered)) < count:
            await asyncio.sleep(0.02)
        firsts = _firsts(fake, offered)
        cpu = _cpu_seconds(process.pid) - cpu_before
    finally:
        process.terminate()
        await process.wait()
        await fake.stop()
    latencies = sorted(firsts[chat] - offered[chat] for chat in firsts)
    elapsed = max(firsts.values()) - start if firsts else float("inf")
    return Result(
        name,
        count,
        len(firsts),
        statistics.median(latencies) if latencies else float("nan"),
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else float("nan"),
        latencies[-1] if latencies else float("nan"),
        len(firsts) / elapsed,
        cpu,
        elapsed,
    )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _busy(fake: FakeBotAPI, quiet: float = 1.0) -> bool:
    """True while the bot made any call but getUpdates in the last `quiet` seconds."""
    calls = [c for c in fake.calls if c.method != "getUpdates"]
    return bool(calls) and time.monotonic() - calls[-1].at < quiet


def _firsts(fake: FakeBotAPI, offered: dict[int, float]) -> dict[int, float]:
    firsts: dict[int, float] = {}
    for call in fake.calls:
        if call.method == "sendMessage":
            chat = int(call.params["chat_id"])
            if chat in offered and chat not in firsts:
                firsts[chat] = call.at
    return firsts


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--rate-limit", default="0", help="KEFU_RATE_LIMIT for both bots")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--rounds", type=int, default=3, help="report each figure's median")
    parser.add_argument("--profile", help="write a cProfile profile of kefu to this file")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="each Bot API call takes this long"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite:///{folder}/bench.db"
        await enroll(database_url, args.agents)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("KEFU_", "TELEGRAM_"))},
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": database_url,
            "KEFU_RATE_LIMIT": args.rate_limit,
            "KEFU_LANGUAGE": "en",
            "PYTHONPATH": str(REPO),
        }
        runner = [sys.executable, "-m", "bot"]
        if args.profile:
            runner = [sys.executable, "-m", "cProfile", "-o", args.profile, "-m", "bot"]
        kefu_rounds: list[Result] = []
        echo_rounds: list[Result] = []
        for _ in range(args.rounds):
            latency = args.latency_ms / 1000
            kefu_rounds.append(
                await burst("kefu /clockin", runner, env, args.agents, folder, latency)
            )
            await reset(database_url)
            echo_command = [sys.executable, "-m", "bench.echo_bot"]
            echo_rounds.append(
                await burst("bare PTB echo bot", echo_command, env, args.agents, str(REPO), latency)
            )
    kefu, echo = median_result(kefu_rounds), median_result(echo_rounds)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"shift-start burst: {args.agents} agents within 1 s, {engine}, "
        f"KEFU_RATE_LIMIT={args.rate_limit}, Bot API latency {args.latency_ms:.0f} ms, "
        f"median of {args.rounds} rounds"
    )
    print(
        f"{'bot':<20} {'replies':>9} {'p50 s':>7} {'p99 s':>7} {'max s':>7} {'replies/s':>10}"
        f" {'CPU ms/update':>14}"
    )
    for r in (kefu, echo):
        print(
            f"{r.name:<20} {r.replies:>4}/{r.sent:<4} {r.p50:>7.3f} {r.p99:>7.3f} "
            f"{r.worst:>7.3f} {r.throughput:>10.1f} {1000 * r.cpu / r.sent:>14.2f}"
        )
    rate = float(args.rate_limit)
    if rate:
        floor = args.agents / rate
        print(
            f"time to the last reply: kefu {kefu.last:.2f} s, echo bot {echo.last:.2f} s; "
            f"Telegram's floor {args.agents}/{rate:g} = {floor:.1f} s; "
            f"kefu at {kefu.last / floor:.2f}x the floor (target <= 1.15)"
        )
    within = all(r.replies == r.sent and r.worst <= 2 for r in kefu_rounds)
    print(
        f"throughput ratio kefu / echo: {kefu.throughput / echo.throughput:.2f} "
        f"(target >= 0.8); every reply within 2 s in every round: {within}"
    )


if __name__ == "__main__":
    asyncio.run(main())
