"""The `kefu` command: one clear line for every problem a person can fix."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.fakebot import FakeBotAPI
from tests.support.harness import Harness
from tests.support.process import bot_env
from tests.support.process import kefu as kefu_beside  # beside the fake, in its loop
from tests.support.sheets import csv_bytes
from tests.support.team import make_team

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
BASE_URL = "check TELEGRAM_API_BASE_URL (left unset, it is Telegram's own)"


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


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def env(fake: FakeBotAPI, tmp_path: Path) -> dict[str, str]:
    return bot_env(fake, f"sqlite:///{tmp_path / 'kefu.db'}")


@pytest.mark.parametrize(("value", "said"), [(None, "not set"), ("", "empty"), ("  ", "empty")])
def test_an_unset_or_empty_token_is_missing(
    tmp_path: Path, env: dict[str, str], value: str | None, said: str
) -> None:
    del env["TELEGRAM_BOT_TOKEN"]
    if value is not None:
        env["TELEGRAM_BOT_TOKEN"] = value
    assert one_line_error(kefu("run", cwd=tmp_path, env=env)) == (
        f"kefu: TELEGRAM_BOT_TOKEN is {said}: create a bot with @BotFather and put its token "
        "in the environment or in .env"
    )


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


def test_a_sqlite_url_with_two_slashes_is_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    env["DATABASE_URL"] = "sqlite://data/x.db"
    assert one_line_error(kefu("run", cwd=tmp_path, env=env)) == (
        "kefu: DATABASE_URL 'sqlite://data/x.db' has two slashes: a SQLite file is "
        "sqlite:///data/x.db (three slashes; four before an absolute path)"
    )


def test_unreachable_postgres(tmp_path: Path, env: dict[str, str]) -> None:
    env["DATABASE_URL"] = "postgresql://kefu:secret@127.0.0.1:1/kefu"
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    # The middle is the server's own reason (libpq's words): "connection failed: ...".
    assert re.fullmatch(
        r"kefu: cannot use the database at postgresql://kefu:\*\*\*@127\.0\.0\.1:1/kefu: "
        r"connection failed: .*Connection refused "
        r"\(check DATABASE_URL, and that the server runs\)",
        line,
    ), line


def test_bad_policy_file_names_every_key_and_the_file_once(
    tmp_path: Path, env: dict[str, str]
) -> None:
    policy = tmp_path / "shop.toml"
    policy.write_text(BAD_POLICY)
    env["KEFU_POLICY"] = str(policy)
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert line.startswith(f"kefu: KEFU_POLICY {policy}: timezone: unknown time zone")
    assert line.count(str(policy)) == 1
    for key in ("attendance.brake_minutes", "shifts.day.start"):
        assert key in line
    check = kefu("policy", "check", str(policy), cwd=tmp_path, env=env)
    assert check.returncode == 1
    assert f"{policy}: attendance.brake_minutes: unknown key\n" in check.stderr
    assert all(line.count(str(policy)) == 1 for line in check.stderr.splitlines())
    assert "Traceback" not in check.stderr
    (tmp_path / "broken.toml").write_text("late =\n")
    broken = kefu("policy", "check", "broken.toml", cwd=tmp_path, env=env)
    assert one_line_error(broken, code=1) == (
        "broken.toml: not valid TOML (Invalid value (at line 1, column 7))"
    )
    env["KEFU_POLICY"] = "missing.toml"
    assert one_line_error(kefu("run", cwd=tmp_path, env=env)) == (
        "kefu: KEFU_POLICY missing.toml: cannot read it (No such file or directory)"
    )


def test_policy_check_accepts_a_good_file(tmp_path: Path, env: dict[str, str]) -> None:
    policy = tmp_path / "shop.toml"
    policy.write_text(GOOD_POLICY)
    check = kefu("policy", "check", str(policy), cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr
    assert "OK" in check.stdout and "language en" in check.stdout
    missing = kefu("policy", "check", "nope.toml", cwd=tmp_path, env=env)
    line = one_line_error(missing, code=1)
    assert line == "nope.toml: cannot read it (No such file or directory)"


def test_policy_check_refuses_what_run_refuses(tmp_path: Path, env: dict[str, str]) -> None:
    policy = tmp_path / "shop.toml"
    policy.write_text('[pay]\ncomponents = ["base", "tips"]\n')
    line = one_line_error(kefu("policy", "check", "shop.toml", cwd=tmp_path, env=env), code=1)
    assert line.startswith("shop.toml: pay.components: unknown tips (known: ")


async def test_a_token_the_bot_api_refuses(
    fake: FakeBotAPI, tmp_path: Path, env: dict[str, str]
) -> None:
    env["TELEGRAM_BOT_TOKEN"] = "999:WRONG"
    line = one_line_error(await kefu_beside("run", cwd=tmp_path, env=env))
    assert line == (
        f"kefu: TELEGRAM_BOT_TOKEN was refused by the Bot API at {fake.url}: "
        "check it with @BotFather"
    )


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ((200, "text/html", "<html><body>Welcome to nginx!</body></html>"), "with a web page"),
        ((200, "text/plain", "hello"), "with text that is not JSON"),
        ((200, "application/json", '{"ok": true}'), "with JSON without a result"),
        ((404, "text/html", "<h1>Not Found</h1>"), "HTTP 404 Not Found"),
    ],
    ids=["html", "not-json", "no-result", "404-page"],
)
async def test_a_bot_api_that_answers_strangely_is_named_with_its_url(
    fake: FakeBotAPI, tmp_path: Path, env: dict[str, str], answer: tuple[int, str, str], said: str
) -> None:
    fake.strange = answer
    line = one_line_error(await kefu_beside("run", cwd=tmp_path, env=env))
    assert line == f"kefu: the Bot API at {fake.url} answered {said}, not as a Bot API: {BASE_URL}"


async def test_a_bot_api_in_trouble_is_named_with_its_url(
    fake: FakeBotAPI, tmp_path: Path, env: dict[str, str]
) -> None:
    fake.strange = (500, "text/plain", "Internal Server Error")
    line = one_line_error(await kefu_beside("run", cwd=tmp_path, env=env))
    assert line == (
        f"kefu: the Bot API at {fake.url} answered HTTP 500 Internal Server Error: "
        f"try again later, or {BASE_URL}"
    )


def test_a_bot_api_nobody_answers_at(tmp_path: Path, env: dict[str, str]) -> None:
    env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:1/bot"
    assert one_line_error(kefu("run", cwd=tmp_path, env=env)) == (
        "kefu: cannot reach the Bot API at http://127.0.0.1:1/bot (All connection attempts "
        f"failed): {BASE_URL}, and the network"
    )


def test_a_bad_time_zone_setting(tmp_path: Path, env: dict[str, str]) -> None:
    env["KEFU_TIMEZONE"] = "Mars/Olympus"
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert "KEFU_TIMEZONE" in line and "Mars/Olympus" in line


def test_admins_that_are_not_ids_can_be_left_unset(tmp_path: Path, env: dict[str, str]) -> None:
    env["KEFU_ADMINS"] = "your-telegram-id"
    assert one_line_error(kefu("run", cwd=tmp_path, env=env)) == (
        "kefu: KEFU_ADMINS: 'your-telegram-id' is not a Telegram user id: write numeric ids "
        "separated by commas, or leave KEFU_ADMINS unset: the bot then prints a one-time "
        "/claim code at start"
    )


def test_webhook_mode_needs_its_secret(tmp_path: Path, env: dict[str, str]) -> None:
    env["KEFU_WEBHOOK_URL"] = "https://example.invalid/kefu"
    line = one_line_error(kefu("run", "--webhook", cwd=tmp_path, env=env))
    assert "KEFU_WEBHOOK_SECRET" in line


def test_a_listen_address_without_a_port_and_a_public_url_without_https(
    tmp_path: Path, env: dict[str, str]
) -> None:
    env["KEFU_WEBHOOK_LISTEN"] = "0.0.0.0"
    assert one_line_error(kefu("run", cwd=tmp_path, env=env)) == (
        "kefu: KEFU_WEBHOOK_LISTEN: '0.0.0.0' is not host:port, e.g. 0.0.0.0:8080"
    )
    del env["KEFU_WEBHOOK_LISTEN"]
    env["KEFU_PUBLIC_URL"] = "http://kefu.example.com"
    line = one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert line.startswith("kefu: KEFU_PUBLIC_URL: 'http://kefu.example.com' is not an https://")


def test_the_default_database_is_a_sqlite_file_under_data(
    tmp_path: Path, env: dict[str, str]
) -> None:
    del env["DATABASE_URL"]
    env["KEFU_POLICY"] = str(tmp_path / "missing.toml")  # stop right after the database step
    one_line_error(kefu("run", cwd=tmp_path, env=env))
    assert not (tmp_path / "data").exists()  # the policy is checked before anything is written


def test_help_names_every_command_as_it_works(tmp_path: Path, env: dict[str, str]) -> None:
    top = kefu("--help", cwd=tmp_path, env=env)
    assert top.returncode == 0, top.stderr
    listed = re.findall(r"^    (\w+) +(.+)$", top.stdout, flags=re.MULTILINE)
    assert [name for name, _ in listed] == ["run", "import", "payroll", "policy"]
    assert "not in this release" not in top.stdout
    usages = {
        ("run",): "usage: kefu run [-h] [--webhook]",
        ("import",): "usage: kefu import [-h] file",
        ("payroll",): "usage: kefu payroll [-h] [--send] YYYY-MM",
        ("policy",): "usage: kefu policy [-h] COMMAND ...",
        ("policy", "check"): "usage: kefu policy check [-h] file",
    }
    for command, usage in usages.items():
        shown = kefu(*command, "--help", cwd=tmp_path, env=env)
        assert shown.returncode == 0 and shown.stdout.splitlines()[0] == usage


async def test_import_policy_check_and_a_payroll_preview_need_no_token(
    bot: Harness, fake: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    await make_team(bot)  # Carol (im-name carol旺旺) and Dave, enrolled in 2026-11
    env = bot_env(fake, database_url)
    del env["TELEGRAM_BOT_TOKEN"]
    sheet = tmp_path / "figures.csv"
    sheet.write_bytes(csv_bytes(["2026-11-20,carol旺旺,100,98,99%,24,60,48,46,5000"]))
    imported = await kefu_beside("import", str(sheet), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 row from figures.csv" in imported.stdout
    (tmp_path / "shop.toml").write_text(GOOD_POLICY)
    checked = await kefu_beside("policy", "check", "shop.toml", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stderr
    preview = await kefu_beside("payroll", "2026-11", cwd=tmp_path, env=env)
    assert preview.returncode == 0, preview.stderr
    assert "Payroll 2026-11" in preview.stdout and "Carol" in preview.stdout
    sending = await kefu_beside("payroll", "2026-11", "--send", cwd=tmp_path, env=env)
    assert one_line_error(sending) == (
        "kefu: TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token "
        "in the environment or in .env"
    )


async def test_payroll_in_the_shell_names_the_shell_commands(
    bot: Harness, fake: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    await make_team(bot)
    env = bot_env(fake, database_url)
    preview = await kefu_beside("payroll", "2026-11", cwd=tmp_path, env=env)
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.strip().splitlines()[-1] == (
        "kefu payroll 2026-11 --send locks the month and DMs every payslip."
    )
    assert "/payroll" not in preview.stdout
    # The process runs on the real clock: this month, whichever it is, is not over.
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    month = f"{today:%Y-%m}"
    following = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    early = await kefu_beside("payroll", month, "--send", cwd=tmp_path, env=env)
    assert one_line_error(early, code=1) == (
        f"{month} is not over yet: its payslips can be sent from {following:%Y-%m-%d}. "
        f"kefu payroll {month} previews it."
    )
