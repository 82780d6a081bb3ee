"""The `kefu` command: run the bot; import, pay and policy work from the shell.

Every problem a person can fix (a missing token, a bad DATABASE_URL, a Bot API
that does not answer as one, a bad policy file) ends the program with one line
on stderr naming it and what to do, and exit code 2. Only `kefu run` and
`kefu payroll --send` talk to Telegram, so only they need TELEGRAM_BOT_TOKEN.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot import botapi
from bot.botapi import BotApiError
from bot.settings import ConfigError, Settings, load_policy, load_settings
from rules.policy import PolicyError
from storage.db import Database, DatabaseError, engine_url, shown_url

if TYPE_CHECKING:
    from bot.texts import Texts
    from rules.policy import Policy

log = logging.getLogger("kefu")
STARTUP_PROBLEMS = (ConfigError, DatabaseError, BotApiError)  # each is one line for people


def _fail(message: str) -> int:
    print(f"kefu: {message}", file=sys.stderr)
    return 2


def _setup_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and Telegram's URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


async def _prepare_database(url: str) -> None:
    """Create or migrate the database; DatabaseError (one line) if it cannot be used."""
    db: Database | None = None
    try:
        db = Database(url)
        await db.migrate()
    except DatabaseError:
        raise
    except Exception as exc:  # the driver's own complaint, or a database a newer kefu migrated
        raise DatabaseError(_database_problem(url, exc)) from None
    finally:
        if db is not None:
            await db.close()


def _database_problem(url: str, exc: Exception) -> str:
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"cannot use the database at {shown_url(engine_url(url))}: {reason}"


def run(webhook: bool) -> int:
    """Start the bot (long polling, or webhooks with --webhook)."""
    from bot.app import ALLOWED_UPDATES, build_application

    try:
        settings, policy = _configured(token=True)
        hook = _webhook_options(settings) if webhook else None
        asyncio.run(_prepare_database(settings.database_url))
        asyncio.run(botapi.check(settings))
    except STARTUP_PROBLEMS as exc:
        return _fail(str(exc))
    _setup_logging()
    app = build_application(settings, policy=policy, webhook=hook is not None)
    if hook is not None:
        from bot.webhook import serve

        asyncio.run(serve(app, **hook, allowed_updates=ALLOWED_UPDATES))
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def _webhook_options(settings: Settings) -> dict[str, Any]:
    """The webhook server's arguments from the KEFU_WEBHOOK_* settings, or ConfigError."""
    if not settings.kefu_webhook_url:
        raise ConfigError("KEFU_WEBHOOK_URL is required with --webhook (the public HTTPS URL)")
    secret = settings.kefu_webhook_secret
    if secret is None or not secret.get_secret_value():
        raise ConfigError("KEFU_WEBHOOK_SECRET is required with --webhook")
    host, port = settings.listen
    return {
        "listen": host,
        "port": port,
        "url_path": urlsplit(settings.kefu_webhook_url).path.lstrip("/"),
        "webhook_url": settings.kefu_webhook_url,
        "secret_token": secret.get_secret_value(),
    }


def _configured(*, token: bool) -> tuple[Settings, Policy]:
    """The settings and the policy they name; ConfigError (one line) if either is bad.

    `token`: the command talks to Telegram and needs TELEGRAM_BOT_TOKEN.
    """
    settings = load_settings(token=token)
    try:
        policy = load_policy(
            settings.kefu_policy, timezone=settings.kefu_timezone, language=settings.kefu_language
        )
    except PolicyError as exc:
        where = f"KEFU_POLICY {settings.kefu_policy}" if settings.kefu_policy else "the policy"
        raise ConfigError(f"{where}: " + "; ".join(exc.problems)) from None
    return settings, policy


def _shell(texts: Texts, work: Coroutine[Any, Any, str]) -> int:
    """Run a shell command's work: print its answer (0), a refusal (1) or a failure (2).

    Texts are given `shell=True`, so that they name shell commands, not Telegram's.
    """
    from bot.services import Refusal

    try:
        print(asyncio.run(work))
    except Refusal as refusal:
        print(texts.plain(f"refuse_{refusal.key}", shell=True, **refusal.params), file=sys.stderr)
        return 1
    except DatabaseError as exc:
        return _fail(str(exc))
    return 0


def import_file(path: Path) -> int:
    """`kefu import FILE`: the same import as /import, from the shell (no token needed)."""
    from bot.importer import read_table
    from bot.services.metrics import Metrics
    from bot.texts import Texts

    try:
        settings, policy = _configured(token=False)
        data = path.read_bytes()
    except ConfigError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror}")
    texts = Texts(policy.language, policy.tz)

    async def run_import() -> str:
        db = Database(settings.database_url)
        try:
            await db.migrate()
            table = read_table(path.name, data)
            now = dt.datetime.now(policy.tz)
            report = await Metrics(db, policy).import_table(
                table, source=path.name, by=None, at=now
            )
            return texts.plain("imported", report=report, shell=True)
        finally:
            await db.close()

    return _shell(texts, run_import())


def payroll(month_text: str, send: bool) -> int:
    """`kefu payroll YYYY-MM [--send]`: the /payroll preview, or lock and DM every payslip.

    The preview only reads the database; sending checks the token and the Bot API first.
    """
    from bot.texts import Texts

    try:
        settings, policy = _configured(token=send)
        if send:
            asyncio.run(_prepare_database(settings.database_url))
            asyncio.run(botapi.check(settings))
    except STARTUP_PROBLEMS as exc:
        return _fail(str(exc))
    work = _send_payslips if send else _preview
    return _shell(Texts(policy.language, policy.tz), work(settings, policy, month_text))


async def _preview(settings: Settings, policy: Policy, month_text: str) -> str:
    """The month's payroll preview, as /payroll shows it, for the shell."""
    from bot.app import build_kit

    kit = build_kit(settings, policy, lambda: dt.datetime.now(policy.tz))
    try:
        await kit.db.migrate()
        month = kit.payroll.month_asked(month_text, kit.clock())
        return kit.texts.plain("payroll_preview", m=await kit.payroll.preview(month), shell=True)
    finally:
        await kit.db.close()


async def _send_payslips(settings: Settings, policy: Policy, month_text: str) -> str:
    """Lock an ended month and DM every payslip; the run's progress when it is done."""
    from bot.app import build_application, start_delivery, stop_delivery
    from bot.jobs import send_payslips
    from bot.kit import Kit

    app = build_application(settings, policy=policy)
    kit: Kit = app.bot_data["kit"]
    now = kit.clock()
    try:
        await kit.db.migrate()
        month = kit.payroll.month_over(kit.payroll.month_asked(month_text, now), now)
        await app.initialize()  # the bot, to send
        start_delivery(app, kit)
        try:
            await send_payslips(app, kit, month, by=None, chat_id=None)
            run = await kit.payroll.broadcast(month)
            assert run is not None and run.id is not None
            progress = await kit.payroll.progress(run.id)
            return kit.texts.plain("payroll_progress", p=progress)
        finally:
            await stop_delivery(kit)
            await app.shutdown()
    finally:
        await kit.db.close()


def policy_check(path: Path) -> int:
    """Validate a shop's policy file as `kefu run` would; print every problem, by key."""
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        for problem in exc.problems:
            print(f"{path}: {problem}", file=sys.stderr)
        return 1
    print(
        f"{path}: OK ({len(policy.shifts)} shifts, {len(policy.levels)} levels, "
        f"{len(policy.tracks)} tracks, time zone {policy.timezone}, language {policy.language})"
    )
    from bot.app import holiday_warnings

    for line in holiday_warnings(policy, dt.datetime.now(policy.tz).date()):
        print(f"{path}: {line}")
    return 0


HELP = {  # a command: its line in `kefu --help`, and what `kefu COMMAND --help` says
    "run": (
        "start the bot (needs TELEGRAM_BOT_TOKEN); python -m bot does the same",
        "Start the bot: long polling, or webhooks with --webhook. Needs TELEGRAM_BOT_TOKEN; "
        "creates or migrates the database first.",
    ),
    "import": (
        "import a chat-tool metrics file, as /import does",
        "Import a chat-tool metrics file (CSV or XLSX, one row per agent per day) into the "
        "database, as /import does in Telegram. No token needed.",
    ),
    "payroll": (
        "preview a month's payroll; --send locks it and DMs every payslip",
        "Preview a month's payroll, as /payroll does (no token needed); with --send, lock "
        "the month and DM every agent's payslip, as /payroll YYYY-MM send.",
    ),
    "policy": (
        "check a policy file: kefu policy check FILE",
        "Policy files (the shop's rules and numbers, KEFU_POLICY).",
    ),
    "policy check": (
        "validate a policy file; every problem names its key",
        "Validate a policy file over the built-in default, as kefu run would: print every "
        "problem by key (exit 1), or a summary (exit 0). No token needed.",
    ),
}


def _command(commands: Any, name: str, *, under: str = "") -> argparse.ArgumentParser:
    summary, details = HELP[f"{under} {name}".strip()]
    parser: argparse.ArgumentParser = commands.add_parser(name, help=summary, description=details)
    return parser


def parser() -> argparse.ArgumentParser:
    """`kefu` and its commands, as `kefu --help` shows them."""
    top = argparse.ArgumentParser(
        prog="kefu",
        description="kefu, the Telegram bot of a customer-service team: attendance, "
        "a fines and bonus ledger, monthly pay. Settings come from the environment and "
        "from a .env file in the working folder (see the README).",
        epilog="A problem kefu can name (a setting, the database, the Bot API, a policy "
        "file) is one line on stderr and exit code 2; a request it refuses exits with 1.",
    )
    commands = top.add_subparsers(
        title="commands", dest="command", required=True, metavar="COMMAND"
    )
    _command(commands, "run").add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram webhooks instead of long polling "
        "(KEFU_WEBHOOK_URL, KEFU_WEBHOOK_SECRET, KEFU_WEBHOOK_LISTEN)",
    )
    _command(commands, "import").add_argument("file", type=Path, help="the CSV or XLSX file")
    month = _command(commands, "payroll")
    month.add_argument("month", metavar="YYYY-MM", help="the month, e.g. 2026-11")
    month.add_argument(
        "--send",
        action="store_true",
        help="lock the month (it must be over) and DM every payslip; needs "
        "TELEGRAM_BOT_TOKEN. A month already sent is not sent again.",
    )
    policy = _command(commands, "policy").add_subparsers(
        title="commands", dest="policy_command", required=True, metavar="COMMAND"
    )
    _command(policy, "check", under="policy").add_argument(
        "file", type=Path, help="the policy file (TOML)"
    )
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kefu` console script."""
    args = parser().parse_args(argv)
    if args.command == "run":
        return run(args.webhook)
    if args.command == "import":
        return import_file(args.file)
    if args.command == "payroll":
        return payroll(args.month, args.send)
    return policy_check(args.file)


if __name__ == "__main__":
    sys.exit(main())
