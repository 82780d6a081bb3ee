"""One delivery engine: every message that is not a direct reply leaves through the outbox.

A use-case or a scheduled job records notices (`bot.notices`) in the same
transaction as the fact they announce; this engine sends them. It is the only
code, apart from direct replies, that calls the Bot API, through a small
`Sender` (one Telegram adapter; tests use a recording fake).

- Exactly once: a row is claimed (pending -> sending, a conditional update that
  one replica wins) just before it is sent and marked after. A crash between
  the two leaves it `sending`; once stale it becomes `uncertain`: never resent,
  reported.
- Retries: 429 (honouring `retry_after`), 5xx and timeouts go back to pending
  with a backoff until the row's deadline, then `failed` and reported; 400 and
  403 are final at once.
- Fast at real latency, within Telegram's limits: several sends in flight;
  evenly paced under the overall rate (headroom kept for direct replies); about
  one message a second per private chat; at most `group_per_minute` per group.
- Order per chat is kept. Posts to a group that wait for its budget are merged
  into one digest message when the budget frees, instead of queueing behind 429s.
- Lanes: alerts first, then the usual notices, then bulk runs (payslips).
- Moot: a row may stop making sense between recording and sending (a "still
  working?" about a shift that was closed meanwhile). Right after its claim, the
  bot's `moot` hook looks at the facts as they are now; a moot row is `withdrawn`,
  never sent. One check at the last moment holds whatever the order of events: a
  restart that runs the question's and the close's timers at once, a question left
  unsent in the outbox while the bot was down (sent at start, before any timer
  ran), a clock-out a second before the send, another replica's close.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import io
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from bot.texts import split_html
from storage import notices as notices_store
from storage.db import Database
from storage.models import Notice

log = logging.getLogger(__name__)
STRANDED_AFTER = notices_store.STRANDED_AFTER
DIGEST_LIMIT = 3500  # characters of a digest message (Telegram takes 4096)


class Retry(Exception):
    """A send that may work later (429, 5xx, timeout); `done` steps went out before it."""

    def __init__(self, reason: str, after: float | None = None, done: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.after, self.done = reason, after, done


class Final(Exception):
    """A send that will never work (400, 403): recorded and reported, not retried."""

    def __init__(self, reason: str, done: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.done = reason, done


class Sender(Protocol):
    """What the engine needs of Telegram: send a message's steps from `start`, edit one."""

    async def deliver(self, message: Outgoing, *, start: int = 0) -> int:
        """Send `message` from step `start`; the id of the last message sent."""
        ...

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        """Replace a message's text (a run's progress)."""
        ...


@dataclass(frozen=True)
class Outgoing:
    """One message to send: text (split to Telegram's limit), buttons, an optional photo."""

    chat_id: int
    html: str
    markup: dict[str, Any] | None = None
    protect: bool = False
    photo: bytes | None = None
    photo_name: str = "chart.png"


# `rate_limit_args` of the outbox's own sends: the engine paces them and backs off on a
# 429 itself, so the Bot's rate limiter lets them through instead of pacing them twice
# and sleeping through a 429 while the engine's slot stays held.
OUTBOX_SEND = -1


class RateLimiter(AIORateLimiter):
    """python-telegram-bot's limiter for direct replies; the outbox's sends pass through."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Send at once when the outbox's engine sends; else limit as usual."""
        if rate_limit_args == OUTBOX_SEND:
            return await callback(*args, **kwargs)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


class TelegramSender:
    """The Sender over python-telegram-bot's `Bot` (its rate limiter included)."""

    def __init__(self, bot: ExtBot[Any]) -> None:
        self.bot = bot

    async def deliver(self, message: Outgoing, *, start: int = 0) -> int:
        """Each part of the text, then the photo; errors as `Retry` or `Final`."""
        parts = split_html(message.html)
        markup = InlineKeyboardMarkup.de_json(message.markup, self.bot) if message.markup else None
        done, last = start, 0
        steps = len(parts) + (1 if message.photo is not None else 0)
        try:
            while done < steps:
                if done < len(parts):
                    final = done == len(parts) - 1
                    sent = await self.bot.send_message(
                        message.chat_id,
                        parts[done],
                        reply_markup=markup if final else None,
                        protect_content=message.protect or None,
                        rate_limit_args=OUTBOX_SEND,
                    )
                else:
                    assert message.photo is not None
                    sent = await self.bot.send_photo(
                        message.chat_id,
                        InputFile(io.BytesIO(message.photo), filename=message.photo_name),
                        protect_content=message.protect or None,
                        rate_limit_args=OUTBOX_SEND,
                    )
                last = sent.message_id
                done += 1
        except (Forbidden, BadRequest) as exc:
            raise Final(exc.message, done) from None
        except RetryAfter as exc:
            delay = exc.retry_after
            after = delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)
            raise Retry(f"429 retry after {after:g} s", after, done) from None
        except NetworkError as exc:  # 5xx, timeouts, connection errors
            raise Retry(exc.message, None, done) from None
        except TelegramError as exc:
            raise Final(exc.message, done) from None
        return last

    async def edit(self, chat_id: int, message_id: int, html: str) -> None:
        """Edit a message; a failure is only logged (the message is a courtesy)."""
        try:
            await self.bot.edit_message_text(
                split_html(html)[0], chat_id=chat_id, message_id=message_id
            )
        except TelegramError as exc:  # "message is not modified", or the chat is gone
            log.debug("edit of %s in %s: %s", message_id, chat_id, exc)


async def relabel(bot: Bot, cards: Iterable[tuple[int, int]], markup: InlineKeyboardMarkup) -> None:
    """Put `markup` on each card (chat, message id) in place of its buttons: a decision's
    other copies show how it ended. A courtesy: a failure is only logged."""
    for chat_id, message_id in cards:
        try:
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
        except TelegramError as exc:  # "message is not modified", or the chat is gone
            log.debug("relabel of %s in %s: %s", message_id, chat_id, exc)


@dataclass(frozen=True)
class Limits:
    """Telegram's limits as the engine keeps them; `rate` 0 = no pacing at all."""

    rate: float = 28.0  # messages a second from the outbox (Telegram: about 30 overall)
    in_flight: int = 16  # sends at once: at 150-300 ms a call, 28/s needs 5-9
    private_gap: float = 1.0  # seconds between messages to one private chat
    group_per_minute: int = 18  # Telegram: 20 a minute per group; 2 left for replies there
    group_gap: float = 1.0
    group_window: float = 60.0  # seconds the group budget counts over

    @classmethod
    def for_rate(cls, rate: float) -> Limits:
        """The limits under a bot-wide rate (KEFU_RATE_LIMIT): 93% of it for the outbox,
        the rest kept for direct replies; 0 = no pacing at all."""
        return cls(rate=rate * 0.93) if rate else cls(rate=0)

    @property
    def paced(self) -> bool:
        """False when pacing is off (a self-hosted Bot API, or tests)."""
        return self.rate > 0


@dataclass
class _Chat:
    """What the engine remembers of one chat's recent sends."""

    busy: bool = False
    free_at: float = 0.0  # loop time before which the next message must wait
    sent: collections.deque[float] = field(default_factory=collections.deque)


class Delivery:
    """The engine: claims due rows, sends them through the Sender, marks them."""

    def __init__(
        self,
        db: Database,
        sender: Sender,
        *,
        clock: Callable[[], dt.datetime],
        limits: Limits,
        on_final: Callable[[Notice, str], Awaitable[None]] | None = None,
        attach: Callable[[Notice], Awaitable[bytes | None]] | None = None,
        moot: Callable[[Notice], Awaitable[bool]] | None = None,
    ) -> None:
        self.db = db
        self.sender = sender
        self.clock = clock
        self.limits = limits
        self.on_final = on_final
        self.attach = attach
        self.moot = moot
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._flights: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(limits.in_flight)
        self._chats: dict[int, _Chat] = collections.defaultdict(_Chat)
        self._next_slot = 0.0
        self._held: dict[int, float] = {}  # row id -> loop time before which it waits

    # --- life cycle --------------------------------------------------------------
    def start(self) -> None:
        """Start sending (rows left by a crash become `uncertain` first)."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._loop(), name="delivery")

    async def stop(self, grace: float = 2.0) -> None:
        """Stop within `grace` seconds: sends in flight are given that long, then cut
        (those rows stay `sending` and become `uncertain`); unsent rows wait for the
        next start."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._flights:
            _, pending = await asyncio.wait(self._flights, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def wake(self) -> None:
        """New rows were recorded: look now, not at the next poll."""
        self._idle.clear()
        self._wake.set()

    async def drain(self) -> None:
        """Wait until nothing due is left to send and nothing is in flight (tests, CLI)."""
        self.wake()
        await self._idle.wait()

    # --- the loop ------------------------------------------------------------------
    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        await self._strand()
        last_strand = loop.time()
        while not self._stopping:
            self._wake.clear()
            try:
                due = await self.db.read(
                    lambda s: notices_store.due(self.clock(), limit=500, session=s)
                )
            except Exception:
                log.exception("outbox: cannot read the due rows")
                due = []
            started = await self._dispatch(due)
            if loop.time() - last_strand > STRANDED_AFTER.total_seconds() / 2:
                await self._strand()
                last_strand = loop.time()
            if not started:
                # Idle only if nothing was recorded since `due` was read (a send that
                # just ended may have recorded its failure report: wake() says so).
                if not self._flights and not due and not self._wake.is_set():
                    self._idle.set()
                wait = self._wait_for(due)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)

    def _wait_for(self, due: list[notices_store.Due]) -> float:
        """How long to sleep when nothing could start: until a chat frees, else a poll."""
        loop_now = asyncio.get_running_loop().time()
        frees = [self._chats[row.chat_id].free_at - loop_now for row in due]
        frees += [self._held.get(row.id, 0.0) - loop_now for row in due]
        frees = [f for f in frees if f > 0]
        if due and frees:
            return max(min(frees), 0.01)
        return 0.05 if self._flights else 1.0

    async def _dispatch(self, due: list[notices_store.Due]) -> int:
        """Start what may go now, in order; how many sends started."""
        loop = asyncio.get_running_loop()
        held: set[int] = set()  # chats with an earlier row still waiting: keep their order
        started = 0
        index = 0
        while index < len(due) and not self._stopping:
            row = due[index]
            index += 1
            if row.chat_id in held:
                continue
            if self._held.get(row.id, 0.0) > loop.time():
                held.add(row.chat_id)
                continue
            self._held.pop(row.id, None)
            chat = self._chats[row.chat_id]
            if chat.busy or not self._may_send(row, chat, loop.time()):
                held.add(row.chat_id)
                continue
            batch = [row]
            if row.is_group and row.coalesce and self.limits.paced:
                waiting = self._digest_of(row, due[index:])
                left = self.limits.group_per_minute - len(chat.sent)
                if left <= 1 and len(waiting) > left:
                    # The budget's last message: everything waiting goes in it, in order.
                    batch = waiting
                    skip = {b.id for b in batch}
                    due = due[:index] + [r for r in due[index:] if r.id not in skip]
            await self._pace()
            await self._gate.acquire()
            chat.busy = True
            self._note_send(row, chat, loop.time())
            task = asyncio.create_task(self._send(batch), name=f"send:{row.id}")
            self._flights.add(task)
            task.add_done_callback(self._flights.discard)
            started += 1
            held.add(row.chat_id)
        return started

    def _may_send(self, row: notices_store.Due, chat: _Chat, now: float) -> bool:
        if not self.limits.paced:
            return True
        if now < chat.free_at:
            return False
        if row.is_group:
            window = self.limits.group_window
            while chat.sent and chat.sent[0] <= now - window:
                chat.sent.popleft()
            if len(chat.sent) >= self.limits.group_per_minute:
                chat.free_at = chat.sent[0] + window
                return False
        return True

    def _note_send(self, row: notices_store.Due, chat: _Chat, now: float) -> None:
        if not self.limits.paced:
            return
        gap = self.limits.group_gap if row.is_group else self.limits.private_gap
        chat.free_at = now + gap
        if row.is_group:
            chat.sent.append(now)

    def _digest_of(
        self, first: notices_store.Due, rest: list[notices_store.Due]
    ) -> list[notices_store.Due]:
        """`first` and the group posts right behind it that may merge with it (in order,
        up to a digest's length)."""
        batch, size = [first], first.size
        for row in rest:
            if row.chat_id != first.chat_id:
                continue
            if not row.coalesce or size + row.size > DIGEST_LIMIT:
                break
            batch.append(row)
            size += row.size
        return batch

    async def _pace(self) -> None:
        """Evenly spaced starts under the overall rate: no burst ever exceeds it."""
        if not self.limits.paced:
            return
        loop = asyncio.get_running_loop()
        slot = max(self._next_slot, loop.time())
        self._next_slot = slot + 1 / self.limits.rate
        await asyncio.sleep(slot - loop.time())

    # --- one send ----------------------------------------------------------------------
    async def _send(self, batch: list[notices_store.Due]) -> None:
        chat = self._chats[batch[0].chat_id]
        try:
            await self._send_batch(batch)
        except Exception:
            log.exception("outbox: sending %s failed unexpectedly", [r.id for r in batch])
        finally:
            chat.busy = False
            self._gate.release()
            self._wake.set()

    async def _send_batch(self, batch: list[notices_store.Due]) -> None:
        now = self.clock()
        claimed: list[Notice] = await self.db.run(
            lambda s: notices_store.claim([row.id for row in batch], now, session=s)
        )
        claimed = await self._live(claimed)
        if not claimed:
            return
        first = claimed[0]
        if len(claimed) == 1:
            photo = None
            if first.photo_name and self.attach is not None:
                photo = await self.attach(first)
            message = Outgoing(
                first.chat_id,
                first.text,
                json.loads(first.markup) if first.markup else None,
                first.protect,
                photo,
                first.photo_name or "chart.png",
            )
        else:
            message = Outgoing(first.chat_id, digest([row.text for row in claimed]))
        try:
            message_id = await self.sender.deliver(message, start=first.done)
        except Retry as retry:
            await self._retry(claimed, retry)
            return
        except Final as final:
            await self._final(claimed, final.reason)
            return
        await self.db.run(
            lambda s: notices_store.sent(_ids(claimed), self.clock(), message_id, session=s)
        )

    async def _live(self, claimed: list[Notice]) -> list[Notice]:
        """The claimed rows that still make sense; the moot ones are withdrawn."""
        if self.moot is None:
            return claimed
        moot = [row for row in claimed if await self._is_moot(row)]
        if moot:
            log.info("outbox: %s withdrawn (moot)", _ids(moot))
            await self.db.run(
                lambda s: notices_store.withdrawn(_ids(moot), self.clock(), session=s)
            )
        gone = set(_ids(moot))
        return [row for row in claimed if row.id not in gone]

    async def _is_moot(self, row: Notice) -> bool:
        assert self.moot is not None
        try:
            return await self.moot(row)
        except Exception:  # a check that fails sends the row, as before there was one
            log.exception("outbox: cannot tell whether %s is moot", row.id)
            return False

    async def _retry(self, rows: list[Notice], retry: Retry) -> None:
        now = self.clock()
        first = rows[0]
        if now >= first.deadline:
            await self._final(rows, f"gave up at the deadline: {retry.reason}")
            return
        backoff = (
            retry.after if retry.after is not None else min(0.5 * 2 ** (first.attempts - 1), 60)
        )
        if retry.after is not None:
            chat = self._chats[first.chat_id]
            chat.free_at = asyncio.get_running_loop().time() + retry.after
        log.info("outbox: %s will retry in %.1f s (%s)", _ids(rows), backoff, retry.reason)
        # The row is due again at once for the database (another replica may take it),
        # and held here for the backoff, by the loop's clock.
        held_until = asyncio.get_running_loop().time() + backoff
        for row_id in _ids(rows):
            self._held[row_id] = held_until
        await self.db.run(
            lambda s: notices_store.again(
                _ids(rows), not_before=now, error=retry.reason, done=retry.done, now=now, session=s
            )
        )

    async def _final(self, rows: list[Notice], reason: str) -> None:
        log.info("outbox: %s failed for good (%s)", _ids(rows), reason)
        await self.db.run(
            lambda s: notices_store.failed(_ids(rows), reason, self.clock(), session=s)
        )
        await self._report(rows, reason)

    async def _report(self, rows: list[Notice], reason: str) -> None:
        if self.on_final is None:
            return
        for row in rows:
            try:
                await self.on_final(row, reason)
            except Exception:
                log.exception("outbox: cannot report the failure of %s", row.id)

    async def _strand(self) -> None:
        """Rows a crash left mid-send become `uncertain` (never resent), and are reported."""
        now = self.clock()
        try:
            stranded = await self.db.run(
                lambda s: notices_store.strand(now, older_than=now - STRANDED_AFTER, session=s)
            )
        except Exception:
            log.exception("outbox: cannot settle stranded rows")
            return
        for row in stranded:
            log.warning("outbox: %s was mid-send at a crash: uncertain, not resent", row.id)
        await self._report(stranded, "uncertain: the bot stopped while sending it")


def digest(texts: list[str]) -> str:
    """Several group posts as one message, in their order."""
    return "\n\n".join(texts)


def _ids(rows: list[Notice]) -> list[int]:
    return [row.id for row in rows if row.id is not None]
