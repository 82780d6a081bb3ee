"""A recording fake of the delivery engine's Sender: no Telegram, every message kept.

Scripted failures (`fail`) answer the next sends to a chat with `Retry` or `Final`,
as the Telegram adapter would for a 429/5xx or a 400/403; `latency` makes each
call take that long, as Telegram does from far away.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from bot.delivery import Final, Outgoing, Retry


@dataclass
class Sent:
    """One message that went out."""

    chat_id: int
    html: str
    protect: bool
    at: float
    message_id: int
    markup: dict[str, Any] | None = None


@dataclass
class RecordingSender:
    """Keeps what was sent; fails on request."""

    latency: float = 0.0
    sent: list[Sent] = field(default_factory=list)
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    failures: dict[int, list[Exception]] = field(default_factory=dict)
    calls: int = 0
    in_flight: int = 0
    most_in_flight: int = 0

    def fail(self, chat_id: int, *errors: Exception) -> None:
        """The next sends to `chat_id` raise these, in order."""
        self.failures.setdefault(chat_id, []).extend(errors)

    async def deliver(self, message: Outgoing, *, start: int = 0) -> int:
        """Record the message (after `latency`), or raise the next scripted failure."""
        self.calls += 1
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            queued = self.failures.get(message.chat_id)
            if queued:
                raise queued.pop(0)
            message_id = len(self.sent) + 1
            self.sent.append(
                Sent(
                    message.chat_id,
                    message.html,
                    message.protect,
                    time.monotonic(),
                    message_id,
                    message.markup,
                )
            )
            return message_id
        finally:
            self.in_flight -= 1

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        """Record the edit."""
        self.edits.append((chat_id, message_id, html))

    def to(self, chat_id: int) -> list[str]:
        """The texts sent to one chat, in order."""
        return [s.html for s in self.sent if s.chat_id == chat_id]

    def chats(self) -> set[int]:
        """Every chat that received something."""
        return {s.chat_id for s in self.sent}

    def buttons(self, chat_id: int) -> list[str]:
        """The labels of every button sent to `chat_id`, oldest first."""
        return [
            button["text"]
            for s in self.sent
            if s.chat_id == chat_id and s.markup
            for row in s.markup["inline_keyboard"]
            for button in row
        ]

    def assert_sent(self, chat_id: int, *fragments: str) -> None:
        """Each fragment is in some message to `chat_id`."""
        texts = self.to(chat_id)
        for fragment in fragments:
            assert any(fragment in t for t in texts), (fragment, texts)

    def assert_sent_once(self, chat_id: int, fragment: str) -> None:
        """Exactly one message to `chat_id` holds `fragment`."""
        found = [t for t in self.to(chat_id) if fragment in t]
        assert len(found) == 1, (fragment, found)

    def assert_nothing_to(self, chat_id: int) -> None:
        """No message went to `chat_id`."""
        assert self.to(chat_id) == [], self.to(chat_id)

    def assert_not_sent(self, chat_id: int, fragment: str) -> None:
        """No message to `chat_id` holds `fragment`."""
        found = [t for t in self.to(chat_id) if fragment in t]
        assert found == [], (fragment, found)

    def assert_nothing_sent(self) -> None:
        """No message went anywhere."""
        assert self.sent == [], [(s.chat_id, s.html) for s in self.sent]


__all__ = ["Final", "RecordingSender", "Retry", "Sent"]
