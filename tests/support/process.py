"""The bot as a child process: its environment, waiting for it, a port for its webhook."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.support.fakebot import TOKEN, FakeBotAPI
from tests.support.harness import ALICE

REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cret-token_for-tests"  # the webhook's secret token


def bot_env(fake: FakeBotAPI, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `python -m bot` that talks to `fake` (none of ours leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEFU_", "TELEGRAM_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake.url,
        DATABASE_URL=database_url,
        KEFU_ADMINS=str(ALICE.id),
        KEFU_LANGUAGE="en",
        KEFU_RATE_LIMIT="0",
        PYTHONPATH=str(REPO),
        **extra,
    )
    return env


async def kefu(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` to its end, without blocking this event loop (the fake's)."""
    pipe = asyncio.subprocess.PIPE
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env, stdout=pipe, stderr=pipe
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return subprocess.CompletedProcess(args, process.returncode or 0, out.decode(), err.decode())


async def until(check: Callable[[], bool], seconds: float = 60) -> None:
    """Wait for the bot to do something (polling is asynchronous by nature)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the bot did not answer in time")
        await asyncio.sleep(0.05)


def free_port() -> int:
    """A TCP port nothing listens on, for a webhook server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
