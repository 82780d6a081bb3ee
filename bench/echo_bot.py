"""The baseline: a bare python-telegram-bot echo bot, configured like kefu.

Long polling, concurrent updates and the same AIORateLimiter settings, HTML
parse mode, answering every command with one short message.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

os.environ.setdefault("PTB_TIMEDELTA", "1")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with the same text."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"echo {update.effective_message.text}")


def main() -> None:
    """Run until stopped."""
    rate = float(os.environ.get("KEFU_RATE_LIMIT", "30"))
    app = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=rate, overall_time_period=1 if rate else 0, max_retries=3
            )
        )
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.run_polling()


if __name__ == "__main__":
    main()
