"""Webhook mode over real HTTP: registered with its secret; updates without it are refused."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import httpx

from tests.support.fakebot import FakeBotAPI
from tests.support.harness import ALICE, Harness
from tests.support.process import SECRET, bot_env, free_port, until


async def test_webhook_registers_and_checks_the_secret(fake: FakeBotAPI, tmp_path: Path) -> None:
    port = free_port()
    env = bot_env(
        fake,
        f"sqlite:///{tmp_path / 'kefu.db'}",
        KEFU_WEBHOOK_URL="https://kefu.example.com/telegram/hook",
        KEFU_WEBHOOK_SECRET=SECRET,
        KEFU_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await until(lambda: bool(fake.sent(method="setWebhook")))
        (registered,) = fake.sent(method="setWebhook")
        assert registered.params["url"] == "https://kefu.example.com/telegram/hook"
        assert registered.params["secret_token"] == SECRET
        people = Harness(fake, app=None)  # type: ignore[arg-type]
        update = json.dumps(people.message_update(ALICE, "/start"))

        def answers() -> list[str]:  # to /start (a scheduled post may reach Alice too)
            return [text for text in fake.texts(ALICE.id) if "admin" in text]

        hook = f"http://127.0.0.1:{port}/telegram/hook"
        async with httpx.AsyncClient() as client:
            for _ in range(100):  # the server starts listening just after registering
                try:
                    refused = await client.post(hook, content=update)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert refused.status_code == 403
            wrong = await client.post(
                hook,
                content=update,
                headers={
                    "X-Telegram-Bot-Api-Secret-Token": "nope",
                    "Content-Type": "application/json",
                },
            )
            assert wrong.status_code == 403
            assert answers() == []  # nothing was processed
            accepted = await client.post(
                hook,
                content=update,
                headers={
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                    "Content-Type": "application/json",
                },
            )
            assert accepted.status_code == 200
            await until(lambda: bool(answers()))
            for body in ("{not json", "[1, 2]", '{"message": "no update_id"}'):
                malformed = await client.post(
                    hook, content=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                )
                assert malformed.status_code == 400, body
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status_code == 200
            assert health.json() == {"database": "ok", "scheduler": "ok"}
            # The Mini App on the same server, under /app/ (its data only with initData).
            page = await client.get(f"http://127.0.0.1:{port}/app/")
            assert page.status_code == 200 and "telegram-web-app.js" in page.text
            unsigned = await client.get(f"http://127.0.0.1:{port}/app/api/me")
            assert unsigned.status_code == 401
        assert len(answers()) == 1  # only the accepted update was handled
        process.terminate()  # SIGTERM: a clean stop
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
