"""Named fake people, chats, and a harness that drives the real Application.

Updates are built like Telegram builds them (entities with UTF-16 offsets,
`/command@botname` in groups) and handed to `Application.process_update`; every
reply goes over HTTP to the fake Bot API, where the test reads it.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from tests.support.fakebot import BOT_USERNAME, FakeBotAPI, Person, parse_html, utf16_len

ALICE = Person(1001, "Alice", "alice")  # admin (KEFU_ADMINS)
BOB = Person(1002, "Bob", "BobSup")  # becomes a supervisor
CAROL = Person(1003, "Carol", "carol_cs")  # agent, day shift
DAVE = Person(1004, "Dave <b>&amp;", None, "Wu & Sons")  # agent, no username: text mentions
EVE = Person(1005, "Eve 😀", "eve")  # agent, evening shift
MALLORY = Person(1666, "Mallory", "mallory")  # not on the team


@dataclass(frozen=True)
class Group:
    """A group chat."""

    id: int
    title: str

    def as_chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "supergroup", "title": self.title}


TEAM_GROUP = Group(-1001234567890, "客服 <Team> & co")
OTHER_GROUP = Group(-1009876543210, "Random chat")


def _entities(text: str, mentions: list[Person]) -> list[dict[str, Any]]:
    entities: list[dict[str, Any]] = []
    command = re.match(r"/[A-Za-z0-9_]{1,32}(@\w+)?", text)
    if command:  # as Telegram marks them: Latin letters, digits and _ only
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command[0])})
    for match in re.finditer(r"(?<![\w@])@[A-Za-z]\w{2,31}", text):
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    for person in mentions:
        start = text.index(person.first_name)
        entities.append(
            {
                "type": "text_mention",
                "offset": utf16_len(text[:start]),
                "length": utf16_len(person.first_name),
                "user": person.as_user(),
            }
        )
    return sorted(entities, key=lambda e: e["offset"])


class Harness:
    """Drives one Application against one fake Bot API."""

    def __init__(self, fake: FakeBotAPI, app: Application) -> None:  # type: ignore[type-arg]
        self.fake = fake
        self.app = app
        self._message_ids = itertools.count(1)

    def message_update(
        self,
        person: Person,
        text: str,
        *,
        group: Group | None = None,
        mentions: list[Person] | None = None,
        edited: bool = False,
    ) -> dict[str, Any]:
        """An update JSON as Telegram sends it for a text message."""
        chat = (
            group.as_chat()
            if group
            else {"id": person.id, "type": "private", "first_name": person.first_name}
        )
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": person.as_user(),
            "text": text,
        }
        entities = _entities(text, mentions or [])
        if entities:
            message["entities"] = entities
        key = "edited_message" if edited else "message"
        return {"update_id": self.fake.next_update_id(), key: message}

    async def process(self, data: dict[str, Any]) -> None:
        """Hand one update to the Application and wait until it is handled, and until the
        outbox has sent what it recorded."""
        await self.app.process_update(Update.de_json(data, self.app.bot))
        await self.settle()

    async def settle(self) -> None:
        """Wait until the outbox has nothing due left to send."""
        delivery = self.app.bot_data["kit"].delivery
        if delivery is not None:
            await asyncio.wait_for(delivery.drain(), 30)

    async def send(
        self,
        person: Person,
        text: str,
        *,
        group: Group | None = None,
        mentions: list[Person] | None = None,
    ) -> list[str]:
        """Send a message; the visible texts of every message the bot sent in response."""
        before = len(self.fake.calls)
        await self.process(self.message_update(person, text, group=group, mentions=mentions))
        return [
            parse_html(c.params["text"])
            for c in self.fake.calls[before:]
            if c.method == "sendMessage"
        ]

    async def reply(self, person: Person, text: str, **kwargs: Any) -> str:
        """Send, and return the one answer in the chat the message came from."""
        group: Group | None = kwargs.get("group")
        chat_id = group.id if group else person.id
        before = len(self.fake.calls)
        await self.send(person, text, **kwargs)
        answers = [
            parse_html(c.params["text"])
            for c in self.fake.calls[before:]
            if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id
        ]
        assert answers, f"no answer in chat {chat_id} to {text!r}"
        return "\n".join(answers)

    async def send_file(
        self,
        person: Person,
        name: str,
        content: bytes,
        *,
        caption: str | None = "/import",
        group: Group | None = None,
    ) -> list[str]:
        """Send a document (as Telegram would deliver it); the bot's answers in that chat."""
        file_id = f"F{next(self._message_ids)}"
        self.fake.add_file(file_id, name, content)
        chat = (
            group.as_chat()
            if group
            else {"id": person.id, "type": "private", "first_name": person.first_name}
        )
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": person.as_user(),
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id[::-1],
                "file_name": name,
                "file_size": len(content),
            },
        }
        if caption is not None:
            message["caption"] = caption
            entities = _entities(caption, [])
            if entities:
                message["caption_entities"] = entities
        before = len(self.fake.calls)
        await self.process({"update_id": self.fake.next_update_id(), "message": message})
        chat_id = chat["id"]
        return [
            parse_html(c.params["text"])
            for c in self.fake.calls[before:]
            if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id
        ]

    async def press(self, person: Person, data: str, *, chat_id: int | None = None) -> str:
        """Press an inline button; the text the bot answered the press with."""
        before = len(self.fake.calls)
        chat = chat_id or person.id
        update = {
            "update_id": self.fake.next_update_id(),
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": person.as_user(),
                "chat_instance": "1",
                "data": data,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": chat, "type": "private" if chat > 0 else "supergroup"},
                    "text": "card",
                },
            },
        }
        await self.process(update)
        answers = [c for c in self.fake.calls[before:] if c.method == "answerCallbackQuery"]
        assert answers, "the button press was not answered"
        return str(answers[-1].params.get("text", ""))

    def buttons(self, chat_id: int) -> list[str]:
        """callback_data of every button sent to `chat_id`, oldest first."""
        data: list[str] = []
        for call in self.fake.sent(chat_id):
            markup = call.params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                data.extend(button["callback_data"] for button in row)
        return data


def command(name: str, *, in_group: bool = False) -> str:
    """`/name`, or `/name@botname` as Telegram clients write it in groups."""
    return f"/{name}@{BOT_USERNAME}" if in_group else f"/{name}"
