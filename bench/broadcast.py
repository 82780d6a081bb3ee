"""Payslip broadcast: 1 000 payslips DMed through a fake Bot API that enforces
Telegram's limit (more than 30 messages in any second are answered 429).

Starts the real Application (its AIORateLimiter at KEFU_RATE_LIMIT, 30 by
default) against the fake server, locks a generated month and sends every
payslip through the outbox, as `/payroll YYYY-MM send` does. Prints messages per
second as a share of 30 — over the whole command (lock check, outbox rows, then
the DMs) and from the first DM to the last —, the 429s received, and the
process's peak RSS.

    python -m bench.broadcast [--agents 1000] [--rate-limit 30] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import tempfile
import time

from telegram.ext import Application

from bench.month_close import MONTH, TZ, seed
from bot.app import build_application, start_delivery, stop_delivery
from bot.jobs import send_payslips
from bot.settings import Settings
from tests.support.fakebot import TOKEN, FakeBotAPI


async def telegram(latency: float) -> FakeBotAPI:
    """The fake Bot API, started: 429 above 30 messages in any second, each call taking
    `latency` seconds."""
    fake = FakeBotAPI()
    await fake.start()
    fake.per_second = 30
    fake.latency = latency
    return fake


def application(fake: FakeBotAPI, url: str, rate: float = 30) -> Application:  # type: ignore[type-arg]
    """The real Application against the fake Bot API, on the database at `url`."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=fake.url,
        database_url=url,
        kefu_rate_limit=rate,
    )
    return build_application(settings)


async def run(agents: int, rate: float, database_url: str | None, latency: float) -> None:
    fake = await telegram(latency)
    with tempfile.TemporaryDirectory() as folder:
        app = application(fake, database_url or f"sqlite:///{folder}/bench.db", rate)
        kit = app.bot_data["kit"]
        await kit.db.migrate()
        seed(kit.db, agents)
        await kit.payroll.lock(MONTH, by=None, at=dt.datetime.now(TZ))
        await app.initialize()
        start_delivery(app, kit)
        began = time.perf_counter()
        await send_payslips(app, kit, MONTH, by=None, chat_id=None)
        seconds = time.perf_counter() - began
        run = await kit.payroll.broadcast(MONTH)
        assert run is not None and run.id is not None
        progress = await kit.payroll.progress(run.id)
        stamps = [c.at for c in fake.calls if c.method == "sendMessage" and c.ok]
        sending = (max(stamps) - min(stamps)) or 1.0
        await stop_delivery(kit)
        await app.shutdown()
        await kit.db.close()
    await fake.stop()
    per_second = progress.sent / seconds
    paced = (len(stamps) - 1) / sending
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"payslips sent {progress.sent}/{agents}, failed {progress.failed}")
    print(f"{seconds:.1f} s, {per_second:.1f} messages/s = {per_second / 30:.0%} of 30/s")
    print(f"from the first DM to the last: {paced:.1f} messages/s = {paced / 30:.0%} of 30/s")
    print(f"429s from the server: {fake.throttled}; peak RSS {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--rate-limit", type=float, default=30)
    parser.add_argument("--database-url", help="an empty database; default: a SQLite file")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="each Bot API call takes this long"
    )
    args = parser.parse_args()
    print(f"payslip run: {args.agents} agents, Bot API latency {args.latency_ms:.0f} ms")
    asyncio.run(run(args.agents, args.rate_limit, args.database_url, args.latency_ms / 1000))


if __name__ == "__main__":
    main()
