"""Sixty fines in one minute, announced in the team group: what the group receives.

Runs the real Application in this process against the fake Bot API, which answers
429 to more than 20 messages a minute to one group (Telegram's limit) and to more
than 30 messages a second overall, each call taking `--latency-ms`. A supervisor
logs one fine a second for a minute, in a DM, for a team of agents; every fine
is DMed to its agent and announced in the group. Prints the messages the group
received (posts and digests), whether every entry reached it, the 429s, the
supervisor's reply latency, and how long after the last fine the group had all.

    python -m bench.fines [--fines 60] [--latency-ms 150] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time

from bench.inprocess import running_bot
from tests.support.fakebot import FakeBotAPI
from tests.support.fakebot import Person as FakePerson
from tests.support.harness import BOB, TEAM_GROUP

AGENTS = 10


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fines", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60.0, help="spread over this long")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    fake = FakeBotAPI()
    fake.latency = args.latency_ms / 1000
    fake.per_second = 30
    fake.per_group_minute = 20
    await fake.start()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        async with running_bot(fake, url) as bot:
            agents = [FakePerson(700 + n, f"Agent{n}", f"agent_{n}") for n in range(AGENTS)]
            for person in (BOB, *agents):
                await bot.send(person, "/start")
            await bot.send(BOB, "/setgroup@kefu_test_bot", group=TEAM_GROUP)
            for agent in agents:
                await bot.send(BOB, f"/enroll @{agent.username} junior presale")
            before = len(fake.calls)
            throttled = fake.throttled
            replies: list[float] = []
            start = time.monotonic()
            for n in range(args.fines):
                await asyncio.sleep(
                    max(0.0, start + n * args.seconds / args.fines - time.monotonic())
                )
                agent = agents[n % AGENTS]
                began = time.monotonic()
                # The reply only: the announcement and the DM go through the outbox.
                update = bot.message_update(BOB, f"/fine @{agent.username} late fine-{n:02d}")
                await bot.app.process_update(bot_update(bot.app, update))
                replies.append(time.monotonic() - began)
            last_fine = time.monotonic()
            await bot.settle()
            settled = time.monotonic() - last_fine
            group = [
                str(c.params["text"])
                for c in fake.calls[before:]
                if c.method == "sendMessage" and int(c.params["chat_id"]) == TEAM_GROUP.id and c.ok
            ]
    await fake.stop()
    covered = sum(
        any(f"fine-{n:02d}" in t or f"#{n + 1}" in t for t in group) for n in range(args.fines)
    )
    digests = sum(1 for t in group if t.count("\n\n") > 0)
    replies.sort()
    print(
        f"fines: {args.fines} in {args.seconds:.0f} s, Bot API latency {args.latency_ms:.0f} ms, "
        f"announcements on"
    )
    print(
        f"the group received {len(group)} messages ({digests} digests) for {args.fines} entries; "
        f"entries shown: {covered}/{args.fines}"
    )
    print(f"429s from the server: {fake.throttled - throttled}")
    print(
        f"supervisor's reply: p50 {statistics.median(replies):.3f} s, "
        f"p99 {replies[min(len(replies) - 1, int(len(replies) * 0.99))]:.3f} s"
    )
    print(f"everything delivered {settled:.1f} s after the last fine")


def bot_update(app: object, data: dict[str, object]) -> object:
    from telegram import Update

    return Update.de_json(data, app.bot)  # type: ignore[attr-defined]


if __name__ == "__main__":
    asyncio.run(main())
