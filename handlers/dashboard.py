"""/dashboard: the Mini App's button, in a private chat only (pay is private) [issue 18]."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.services import Refusal
from handlers.common import Call


async def dashboard(call: Call) -> None:
    """A button that opens the Mini App: the team's pages for a supervisor, one's own
    month, KPIs and payslips for an agent."""
    url = call.kit.webapp.url
    if url is None:
        raise Refusal("dashboard_not_set_up")
    label = call.kit.texts.plain("dashboard_button")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, web_app=WebAppInfo(url))]])
    await call.reply("dashboard_open", markup=markup, supervisor=call.is_supervisor)
