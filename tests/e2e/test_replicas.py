"""Several replicas: two real `kefu run --webhook` processes on one database.

Each replica gets updates on its own port (as a load balancer would spread
them); both serve the same team. A scheduled post both replicas are due to send
goes out once; a payslip run started on both at once still DMs each agent
exactly once; and when one replica is killed the other goes on.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import time_machine

from tests.conftest import stopped
from tests.support.fakebot import FakeBotAPI
from tests.support.harness import BOB, CAROL, DAVE, Harness
from tests.support.months import november, payslips
from tests.support.process import SECRET, bot_env, free_port, until

HOOK = "/telegram/hook"


async def replica(fake: FakeBotAPI, database_url: str, cwd: Path) -> tuple[Any, int]:
    port = free_port()
    env = bot_env(
        fake,
        database_url,
        KEFU_POLICY=str(cwd / "policy.toml"),
        KEFU_WEBHOOK_URL=f"https://kefu.example.com{HOOK}",
        KEFU_WEBHOOK_SECRET=SECRET,
        KEFU_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return process, port
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the replica did not start")


async def post(client: httpx.AsyncClient, port: int, update: dict[str, Any]) -> int:
    answer = await client.post(
        f"http://127.0.0.1:{port}{HOOK}",
        content=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )
    return answer.status_code


async def test_two_replicas_send_each_payslip_once_and_survive_a_kill(
    bot: Harness,
    clock: time_machine.Coordinates,
    fake: FakeBotAPI,
    database_url: str,
    tmp_path: Path,
) -> None:
    await november(bot, clock, month=10)
    await stopped(bot.app)
    people = Harness(fake, app=None)  # type: ignore[arg-type]
    # The daily alert's slot is the minute that has just begun: both replicas catch it
    # up at start, and the database lets only one of them post it.
    # (The real clock, from outside this process: time-machine holds this one.)
    date = await asyncio.create_subprocess_exec(
        "date", "+%H:%M", env={"TZ": "Asia/Shanghai"}, stdout=asyncio.subprocess.PIPE
    )
    real, _ = await date.communicate()
    (tmp_path / "policy.toml").write_text(f'[schedule]\ndaily_alert = "{real.decode().strip()}"\n')
    (a, port_a), (b, port_b) = await asyncio.gather(
        replica(fake, database_url, tmp_path), replica(fake, database_url, tmp_path)
    )
    try:
        fake.delay = 0.05
        async with httpx.AsyncClient() as client:
            send = "/payroll 2026-10 send"
            codes = await asyncio.gather(
                post(client, port_a, people.message_update(BOB, send)),
                post(client, port_b, people.message_update(BOB, send)),
            )
            assert codes == [200, 200]
            await until(lambda: any("No chat-tool figures for" in t for t in fake.texts(BOB.id)))
            await until(lambda: bool(payslips(bot, CAROL)) and bool(payslips(bot, DAVE)))
            await asyncio.sleep(1)  # time for any second copy to show up
            assert len(payslips(bot, CAROL)) == 1 and len(payslips(bot, DAVE)) == 1
            assert sum("No chat-tool figures for" in t for t in fake.texts(BOB.id)) == 1

            a.kill()  # kill -9 one replica; the other serves on
            await a.wait()
            before = len(fake.sent(CAROL.id))
            assert await post(client, port_b, people.message_update(CAROL, "/myscore")) == 200
            await until(lambda: len(fake.sent(CAROL.id)) > before)
            health = await client.get(f"http://127.0.0.1:{port_b}/healthz")
            assert health.status_code == 200
    finally:
        for process in (a, b):
            if process.returncode is None:
                process.kill()
                await process.wait()
