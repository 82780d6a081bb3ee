"""kefu: a Telegram bot for an e-commerce customer-service team."""

import os

# Opt in to python-telegram-bot's timedelta durations (the coming default), so
# flood-control errors carry a timedelta and raise no deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")
