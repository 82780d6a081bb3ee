"""The `kefu` command: one clear line for every problem a person can fix."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fakebot import FakeBotAPI
from tests.support.process import bot_env

GOOD_POLICY = """
language = "en"
[attendance]
late_grace_minutes = 10
"""
BAD_POLICY = """
timezone = "Nowhere/Land"
[attendance]
brake_minutes = 5
[shifts.day]
start = "25:00"
end = "18:00"
name = { zh = "白班", en = "day" }
"""


def kefu(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def env(fake: FakeBotAPI, tmp_path: Path) -> dict[str, str]:
    return bot_env(fake, f"sqlite:///{tmp_path / 'kefu.db'}")


def test_missing_token(tmp_path: Path, env: dict[str, str]) -> None:
    del env["TELEGRAM_BOT_TOKEN"]
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert "TELEGRAM_BOT_TOKEN is not set" in line and "@BotFather" in line


@pytest.mark.parametrize(
    ("url", "says"),
    [("mysql://x@y/z", "not supported"), ("nonsense", "not a database URL")],
)
def test_bad_database_url_from_dotenv(
    tmp_path: Path, env: dict[str, str], url: str, says: str
) -> None:
    del env["DATABASE_URL"]
    (tmp_path / ".env").write_text(f"DATABASE_URL={url}\n")
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert "DATABASE_URL" in line and says in line


def test_unreachable_postgres(tmp_path: Path, env: dict[str, str]) -> None:
    env["DATABASE_URL"] = "postgresql://kefu:secret@127.0.0.1:1/kefu"
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert "database" in line and "secret" not in line


def test_bad_policy_file_names_every_key(tmp_path: Path, env: dict[str, str]) -> None:
    policy = tmp_path / "shop.toml"
    policy.write_text(BAD_POLICY)
    env["KEFU_POLICY"] = str(policy)
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    for key in ("timezone", "attendance.brake_minutes", "shifts.day.start"):
        assert key in line
    check = kefu("policy", "check", str(policy), cwd=tmp_path, env=env)
    assert check.returncode == 1
    assert "attendance.brake_minutes: unknown key" in check.stderr
    assert "Traceback" not in check.stderr


def test_policy_check_accepts_a_good_file(tmp_path: Path, env: dict[str, str]) -> None:
    policy = tmp_path / "shop.toml"
    policy.write_text(GOOD_POLICY)
    check = kefu("policy", "check", str(policy), cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr
    assert "OK" in check.stdout and "language en" in check.stdout
    missing = kefu("policy", "check", str(tmp_path / "nope.toml"), cwd=tmp_path, env=env)
    assert missing.returncode == 1 and "cannot read" in missing.stderr


async def test_a_token_the_bot_api_refuses(tmp_path: Path, env: dict[str, str]) -> None:
    env["TELEGRAM_BOT_TOKEN"] = "999:WRONG"
    # The fake server runs in this event loop: run the process without blocking it.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    line = one_line_error(
        subprocess.CompletedProcess([], process.returncode or 0, out.decode(), err.decode())
    )
    assert "refused" in line and "999:WRONG" not in line


def test_a_bad_time_zone_setting(tmp_path: Path, env: dict[str, str]) -> None:
    env["KEFU_TIMEZONE"] = "Mars/Olympus"
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert "KEFU_TIMEZONE" in line and "Mars/Olympus" in line


def test_webhook_mode_needs_its_secret(tmp_path: Path, env: dict[str, str]) -> None:
    env["KEFU_WEBHOOK_URL"] = "https://example.invalid/kefu"
    line = one_line_error(kefu("run", "--webhook", cwd=tmp_path, env=env))
    assert "KEFU_WEBHOOK_SECRET" in line


def test_the_default_database_is_a_sqlite_file_under_data(
    tmp_path: Path, env: dict[str, str]
) -> None:
    del env["DATABASE_URL"]
    env["KEFU_POLICY"] = str(tmp_path / "missing.toml")  # stop right after the database step
    one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert not (tmp_path / "data").exists()  # the policy is checked before anything is written
