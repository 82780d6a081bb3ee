"""Notices are data: who is to be told what, recorded with the fact they announce.

A use-case or a job says *who* (one person, every supervisor and admin, the team
group), *what* (a template and its data, buttons) and a dedupe key; `Notices`
turns the audience into chats — the one place that does — renders the text in
the team's language and writes one outbox row per chat in the caller's unit of
work. The delivery engine (`bot.delivery`) sends them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from bot.texts import Texts
from rules.policy import Policy
from storage import notices as notices_store
from storage import people as people_store

# Lanes: what goes first when the outbox is busy.
ALERT, NORMAL, BULK = 0, 1, 2
LANES = {ALERT: "alert", NORMAL: "normal", BULK: "bulk"}


@dataclass(frozen=True)
class To:
    """An audience: one person; every supervisor and admin; the team group.

    `group` with `or_bosses` falls back to the supervisors when no group is bound
    (a post the team must see somewhere); `but` leaves one person out (the actor)."""

    person: int | None = None
    bosses: bool = False
    group: bool = False
    or_bosses: bool = False
    but: int | None = None


def person(person_id: int) -> To:
    """One person, by DM."""
    return To(person=person_id)


BOSSES = To(bosses=True)
GROUP = To(group=True)
GROUP_OR_BOSSES = To(group=True, or_bosses=True)


@dataclass(frozen=True)
class Note:
    """One notice: its key, audience, template and data, and how it travels."""

    key: str
    to: To
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)
    buttons: Sequence[tuple[str, str]] = ()  # (label template, callback data), one row
    button_data: Mapping[str, Any] = field(default_factory=dict)  # for the labels
    labels: Sequence[Mapping[str, Any]] = ()  # per button, for its own label (with button_data)
    lane: int = NORMAL
    protect: bool = False
    coalesce: bool = False  # a group post that may merge into a digest
    report_to: int | None = None  # told if it cannot be delivered (default: the bosses)
    photo_name: str | None = None  # a photo drawn when it is sent (`Delivery.attach`)
    broadcast_id: int | None = None
    person_id: int | None = None


class Notices:
    """Turns notices into outbox rows: audience → chats, template → text."""

    def __init__(self, texts: Texts, policy: Policy, admins: frozenset[int]) -> None:
        self.texts = texts
        self.policy = policy
        self.admins = admins
        # Bumped when a transaction that recorded rows commits: the engine need only look
        # when it moved (`Kit.wake`), not after every update.
        self.committed = 0

    def chats(self, session: Session, to: To) -> dict[int, bool]:
        """The chats an audience means, each once: chat id → is a group."""
        found: dict[int, bool] = {}
        if to.person is not None:
            found[to.person] = False
        group = people_store.group_chat(session=session) if to.group else None
        if group is not None:
            found[group] = True
        if to.bosses or (to.group and to.or_bosses and group is None):
            found.update(dict.fromkeys(people_store.boss_ids(self.admins, session=session), False))
        if to.but is not None:
            found.pop(to.but, None)
        return found

    def markup(self, note: Note) -> str | None:
        """The buttons as Telegram's JSON, labels in the team's language."""
        if not note.buttons:
            return None
        own = [*note.labels, *([{}] * (len(note.buttons) - len(note.labels)))]
        row = [
            {"text": self.texts.plain(label, **{**note.button_data, **mine}), "callback_data": data}
            for (label, data), mine in zip(note.buttons, own, strict=False)
        ]
        return json.dumps({"inline_keyboard": [row]}, ensure_ascii=False)

    def record(self, session: Session, notes: Iterable[Note], *, at: dt.datetime) -> int:
        """Write each notice's rows in this unit of work; how many were new."""
        deadlines = self.policy.delivery.deadlines
        rows: list[dict[str, Any]] = []
        audiences: dict[To, dict[int, bool]] = {}  # each audience looked up once
        for note in notes:
            if note.to not in audiences:
                audiences[note.to] = self.chats(session, note.to)
            chats = audiences[note.to]
            if not chats:
                continue
            text = self.texts.render(note.template, **note.data)
            markup = self.markup(note)
            deadline = at + dt.timedelta(minutes=deadlines[LANES[note.lane]])
            for chat, is_group in chats.items():
                rows.append(
                    {
                        "key": f"{note.key}>{chat}",
                        "chat_id": chat,
                        "is_group": is_group,
                        "kind": note.template,
                        "lane": note.lane,
                        "text": text,
                        "markup": markup,
                        "protect": note.protect,
                        "coalesce": note.coalesce and is_group,
                        "photo_name": note.photo_name,
                        "broadcast_id": note.broadcast_id,
                        "person_id": note.person_id,
                        "report_to": note.report_to,
                        "status": notices_store.PENDING,
                        "attempts": 0,
                        "done": 0,
                        "error": "",
                        "claimed_by": "",
                        "created_at": at,
                        "not_before": at,
                        "deadline": deadline,
                        "updated_at": at,
                    }
                )
        added = notices_store.add(rows, session=session)
        if added:
            event.listen(session, "after_commit", self._committed, once=True)
        return added

    def _committed(self, session: Session) -> None:
        self.committed += 1
