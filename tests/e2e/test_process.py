"""The bot as a real process: long polling over HTTP, restarts and `kill -9`."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from tests.support.fakebot import TOKEN, FakeBotAPI
from tests.support.harness import ALICE, BOB, CAROL, DAVE, TEAM_GROUP, Harness, command
from tests.support.process import bot_env, until


async def start_bot(fake: FakeBotAPI, database_url: str, cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env=bot_env(fake, database_url),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def quiet(fake: FakeBotAPI, seconds: float = 0.3) -> None:
    """Wait until the bot has sent nothing for `seconds` (polling itself aside)."""

    def sent() -> int:
        return sum(1 for call in fake.calls if call.method != "getUpdates")

    while True:
        calls = sent()
        await asyncio.sleep(seconds)
        if sent() == calls:
            return


async def say(fake: FakeBotAPI, people: Harness, person, text: str, **kwargs) -> str:
    """Queue a message for getUpdates; the bot's first answer in that chat."""
    group = kwargs.get("group")
    chat = group.id if group else person.id
    await quiet(fake)  # DMs the last command caused are out, so they are not taken as answers
    before = len(fake.sent(chat))
    fake.push_update(people.message_update(person, text, **kwargs))
    await until(lambda: len(fake.sent(chat)) > before)
    return fake.texts(chat)[before]


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "stop"])
async def test_nothing_is_lost_across_a_restart(
    fake: FakeBotAPI, database_url: str, tmp_path: Path, kill: signal.Signals
) -> None:
    people = Harness(fake, app=None)  # type: ignore[arg-type]
    process = await start_bot(fake, database_url, tmp_path)
    try:
        await say(fake, people, ALICE, "/start")
        for person in (BOB, CAROL, DAVE):
            await say(fake, people, person, "/start")
        await say(fake, people, ALICE, command("setgroup", in_group=True), group=TEAM_GROUP)
        await say(fake, people, ALICE, "/promote @bobsup")
        assert "enrolled" in await say(fake, people, BOB, "/enroll @carol_cs junior presale")
        await say(fake, people, BOB, f"/enroll {DAVE.first_name} mid aftersales", mentions=[DAVE])
        assert "clocked in" in await say(fake, people, CAROL, "/clockin")
        assert "on a break" in await say(fake, people, CAROL, "/break")
        assert "Handover #1 saved" in await say(fake, people, CAROL, "/handover ring buyer 42")
        process.send_signal(kill)
        await asyncio.wait_for(process.wait(), 30)

        process = await start_bot(fake, database_url, tmp_path)
        assert "already on a break" in await say(fake, people, CAROL, "/break")
        team = await say(fake, people, BOB, "/team")
        assert "On break (1)" in team and "Carol" in team and "Off (1)" in team
        assert "back after" in await say(fake, people, CAROL, "/back")
        assert "clocked out" in await say(fake, people, CAROL, "/clockout")
        texts = [await say(fake, people, DAVE, "/clockin")]
        await until(lambda: any("ring buyer 42" in t for t in fake.texts(DAVE.id)))
        assert "clocked in" in texts[0]
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
    assert fake.bad_requests() == []
    assert process.stderr is not None
    log = (await process.stderr.read()).decode()
    assert "Traceback" not in log
    assert TOKEN not in log, "the token never reaches the log"


async def test_sigterm_stops_within_five_seconds_while_telegram_hangs(
    fake: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    """The Bot API stops answering (every call hangs); a stop still takes under 5 s, and
    what was recorded but not sent waits in the outbox for the next start."""
    process = await start_bot(fake, database_url, tmp_path)
    try:
        await until(lambda: any(c.method == "getUpdates" for c in fake.calls))
        people = Harness(fake, app=None)  # type: ignore[arg-type]
        await quiet(fake)
        fake.push_update(people.message_update(ALICE, "/start"))
        await until(lambda: bool(fake.texts(ALICE.id)))
        fake.latency = 120.0  # from now on, nothing comes back
        fake.push_update(people.message_update(ALICE, "/promote @nobody"))
        await asyncio.sleep(1.0)
        began = asyncio.get_running_loop().time()
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
        took = asyncio.get_running_loop().time() - began
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        fake.latency = 0.0
    assert code == 0
    # About 4.5 s here (a last getUpdates and the reply in flight time out): the bound is
    # loose because machines are noisy; it was 30 s before the timeouts were set.
    assert took < 10.0, f"the stop took {took:.1f} s"


async def test_a_bot_nobody_owns_prints_its_claim_line_once(
    fake: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    """Started without KEFU_ADMINS, `kefu run` prints one line with the /claim code; the
    code it names makes the sender the owner, and the rest of the output never repeats it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env={**bot_env(fake, database_url), "KEFU_ADMINS": ""},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        lines: list[str] = []
        while not any("/claim " in line for line in lines):
            raw = await asyncio.wait_for(process.stderr.readline(), 60)
            assert raw, "the bot stopped before printing a claim line"
            lines.append(raw.decode())
        (line,) = [line for line in lines if "/claim " in line]
        code = line.split("/claim ", 1)[1].strip()
        people = Harness(fake, app=None)  # type: ignore[arg-type]
        await until(lambda: any(c.method == "getUpdates" for c in fake.calls))
        fake.push_update(people.message_update(ALICE, f"/claim {code}"))
        await until(lambda: any("owner" in text for text in fake.texts(ALICE.id)))
        process.send_signal(signal.SIGTERM)
        rest = (await asyncio.wait_for(process.stderr.read(), 30)).decode()
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code not in "".join(lines).replace(line, "") + rest  # printed once, never logged
