"""The Telegram edge: parse, authorize, call one use-case, render, reply."""
