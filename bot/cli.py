"""The `kefu` command: run the bot, check a policy file.

Every problem a person can fix (a missing token, a bad DATABASE_URL, a bad
policy file) ends the program with one line naming it, and exit code 2.
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

from telegram.error import InvalidToken, NetworkError

from bot.settings import ConfigError, Settings, load_policy, load_settings, read_policy_file
from rules.policy import PolicyError, build_policy
from storage.db import Database, DatabaseError

if TYPE_CHECKING:
    from bot.texts import Texts
    from rules.policy import Policy

log = logging.getLogger("kefu")


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


async def _check_token(settings: Settings) -> None:
    """Ask the Bot API who we are, so a bad token or URL is one line, not a traceback."""
    from telegram import Bot

    async with Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,
    ) as bot:
        await bot.get_me()


async def _prepare_database(url: str) -> None:
    db = Database(url)
    try:
        await db.migrate()
    finally:
        await db.close()


def run(webhook: bool) -> int:
    """Start the bot (long polling, or webhooks with --webhook)."""
    from bot.app import ALLOWED_UPDATES, build_application

    try:
        settings = load_settings()
        hook = _webhook_options(settings) if webhook else None
        policy = load_policy(
            settings.kefu_policy, timezone=settings.kefu_timezone, language=settings.kefu_language
        )
        asyncio.run(_prepare_database(settings.database_url))
        asyncio.run(_check_token(settings))
    except InvalidToken:
        return _fail("TELEGRAM_BOT_TOKEN was refused by the Bot API: check it with @BotFather")
    except NetworkError as exc:
        return _fail(f"cannot reach the Bot API at {settings.telegram_api_base_url}: {exc}")
    except ConfigError as exc:
        return _fail(str(exc))
    except PolicyError as exc:
        where = f"KEFU_POLICY {settings.kefu_policy}" if settings.kefu_policy else "policy"
        return _fail(f"{where}: " + "; ".join(exc.problems))
    except DatabaseError as exc:
        return _fail(str(exc))
    except Exception as exc:  # a database server that refuses us, say
        return _fail(f"cannot open the database: {type(exc).__name__}: {exc}")
    _setup_logging()
    app = build_application(settings, policy=policy)
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
    host, _, port = settings.kefu_webhook_listen.rpartition(":")
    if not port.isdigit():
        raise ConfigError("KEFU_WEBHOOK_LISTEN must be host:port, e.g. 0.0.0.0:8080")
    return {
        "listen": host or "0.0.0.0",
        "port": int(port),
        "url_path": urlsplit(settings.kefu_webhook_url).path.lstrip("/"),
        "webhook_url": settings.kefu_webhook_url,
        "secret_token": secret.get_secret_value(),
    }


def _configured() -> tuple[Settings, Policy]:
    """The settings and the policy they name; ConfigError or PolicyError if either is bad."""
    settings = load_settings()
    policy = load_policy(
        settings.kefu_policy, timezone=settings.kefu_timezone, language=settings.kefu_language
    )
    return settings, policy


def _shell(texts: Texts, work: Coroutine[Any, Any, str]) -> int:
    """Run a shell command's work: print its answer (0), a refusal (1) or a failure (2)."""
    from bot.services import Refusal

    try:
        print(asyncio.run(work))
    except Refusal as refusal:
        print(texts.plain(f"refuse_{refusal.key}", **refusal.params), file=sys.stderr)
        return 1
    except DatabaseError as exc:
        return _fail(str(exc))
    return 0


def import_file(path: Path) -> int:
    """`kefu import FILE`: the same import as /import, from the shell."""
    from bot.importer import read_table
    from bot.services.metrics import Metrics
    from bot.texts import Texts

    try:
        settings, policy = _configured()
        data = path.read_bytes()
    except ConfigError as exc:
        return _fail(str(exc))
    except PolicyError as exc:
        return _fail("policy: " + "; ".join(exc.problems))
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
            return texts.plain("imported", report=report)
        finally:
            await db.close()

    return _shell(texts, run_import())


def payroll(month_text: str, send: bool) -> int:
    """`kefu payroll YYYY-MM [--send]`: the /payroll preview, or lock and DM every payslip."""
    from bot.app import build_application, start_delivery, stop_delivery
    from bot.jobs import send_payslips
    from bot.kit import Kit

    try:
        settings, policy = _configured()
    except ConfigError as exc:
        return _fail(str(exc))
    except PolicyError as exc:
        return _fail("policy: " + "; ".join(exc.problems))
    app = build_application(settings, policy=policy)
    kit: Kit = app.bot_data["kit"]
    texts = kit.texts

    async def close() -> str:
        now = dt.datetime.now(policy.tz)
        await kit.db.migrate()
        try:
            month = kit.payroll.month_asked(month_text, now)
            if not send:
                return texts.plain("payroll_preview", m=await kit.payroll.preview(month))
            kit.payroll.month_over(month, now)
            await app.initialize()  # the bot, to send
            start_delivery(app, kit)
            try:
                await send_payslips(app, kit, month, by=None, chat_id=None)
                run = await kit.payroll.broadcast(month)
                assert run is not None and run.id is not None
                progress = await kit.payroll.progress(run.id)
                return texts.plain("payroll_progress", p=progress)
            finally:
                await stop_delivery(kit)
                await app.shutdown()
        finally:
            await kit.db.close()

    return _shell(texts, close())


def policy_check(path: Path) -> int:
    """Validate a shop's policy file over the default; print every problem, by key."""
    from bot.settings import default_policy_data

    try:
        policy = build_policy(default_policy_data(), read_policy_file(path))
    except PolicyError as exc:
        for problem in exc.problems:
            print(f"{path}: {problem}", file=sys.stderr)
        return 1
    print(
        f"{path}: OK ({len(policy.shifts)} shifts, {len(policy.levels)} levels, "
        f"{len(policy.tracks)} tracks, time zone {policy.timezone}, language {policy.language})"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kefu` console script."""
    parser = argparse.ArgumentParser(prog="kefu", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="start the bot")
    run_cmd.add_argument("--webhook", action="store_true", help="serve webhooks, not polling")
    policy_cmd = commands.add_parser("policy", help="policy files")
    policy_sub = policy_cmd.add_subparsers(dest="policy_command", required=True)
    check = policy_sub.add_parser("check", help="validate a policy file")
    check.add_argument("file", type=Path)
    commands.add_parser(
        "import", help="import a metrics file (not in this release yet)"
    ).add_argument("file", type=Path)
    month = commands.add_parser("payroll", help="preview a month's payroll, or --send it")
    month.add_argument("month")
    month.add_argument("--send", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.webhook)
    if args.command == "policy":
        return policy_check(args.file)
    if args.command == "import":
        return import_file(args.file)
    if args.command == "payroll":
        return payroll(args.month, args.send)
    return _fail(f"'kefu {args.command}' is not in this release yet; see the README's roadmap")


if __name__ == "__main__":
    sys.exit(main())
