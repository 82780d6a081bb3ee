"""/import, as a file's caption or a reply to one."""

from __future__ import annotations

import asyncio
import logging

from telegram import Document, Message

from bot.bulk import bulk
from bot.importer import MAX_BYTES, read_table
from bot.services import Refusal
from handlers.common import Call

log = logging.getLogger(__name__)


def _has_media(message: Message) -> bool:
    return message.effective_attachment is not None


def _document(call: Call) -> Document | None:
    """The file to import: this message's, or the one it replies to; refused when the
    message (or the reply) carries something that is not a document."""
    message = call.message
    for candidate in (message, message.reply_to_message):
        if candidate is None:
            continue
        if candidate.document is not None:
            return candidate.document
        if _has_media(candidate):
            raise Refusal("import_not_a_file", limit=MAX_BYTES)
    return None


async def import_(call: Call) -> None:
    """A CSV/XLSX export of the chat tool, read whole: all of it is imported, or none."""
    document = _document(call)
    if document is None:
        raise Refusal("import_usage")
    filename = (document.file_name or "file")[:100]
    if document.file_size is not None and document.file_size > MAX_BYTES:
        raise Refusal("import_too_big", size=document.file_size, limit=MAX_BYTES)
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise Refusal("import_kind", filename=filename)
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    # Decoding and reading a large file takes a while: off the event loop.
    table = await asyncio.to_thread(bulk, read_table, filename, data)
    report = await call.kit.metrics.import_table(
        table, source=filename, by=call.actor.id, at=call.now
    )
    await call.reply("imported", report=report)
