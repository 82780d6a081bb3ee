"""Builds the Application: settings → database, policy, texts → handlers, in order.

Handlers are registered in an explicit order (PTB runs the first match in a
group): commands first, then the button, then what is left (unknown commands
and plain text in DMs). The database is migrated in `post_init`, before any
update is handled, and closed in `post_shutdown`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
import time
from collections.abc import Callable

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    Job,
    JobQueue,
    MessageHandler,
    filters,
)

from bot import jobs, schedule
from bot.delivery import Delivery, Limits, RateLimiter, TelegramSender
from bot.kit import Kit
from bot.notices import Notices
from bot.services.attendance import Attendance
from bot.services.boards import Boards
from bot.services.complaints import Complaints
from bot.services.discounts import Discounts
from bot.services.exams import Exams
from bot.services.fixpunch import FixPunches
from bot.services.followups import FollowUps
from bot.services.insights import Insights
from bot.services.ledger import Ledgers
from bot.services.levels import Levels
from bot.services.metrics import Metrics
from bot.services.payroll import Payroll
from bot.services.paysheets import Paysheets
from bot.services.people import People
from bot.services.problems import Problems
from bot.services.reviews import Reviews
from bot.services.rhythm import Rhythm
from bot.services.roster import Roster
from bot.services.rostering import Rostering
from bot.services.sales import PublicSales
from bot.services.swaps import Swaps
from bot.settings import Settings, load_policy
from bot.texts import Texts
from bot.web import WEB_ROUTES, start_polling_server, stop_polling_server
from bot.webapp import webapp_of
from handlers import (
    attendance,
    decisions,
    discounts,
    fallback,
    fixpunch,
    ledger,
    levels,
    month,
    payroll,
    people,
    problems,
    rhythm,
    roster,
    swaps,
    timers,
    webapp,
)
from handlers.commands import COMMANDS, person_menu, refresh_person_menus, set_menus
from handlers.menu import TABLE_KEY
from rules import holidays as holiday_rules
from rules.policy import Policy
from storage.db import Database
from storage.models import Notice

log = logging.getLogger(__name__)
BACKGROUND = "background"  # bot_data: the bot's own tasks, cancelled at shutdown
STOP_WITHIN = 4.0  # seconds a SIGTERM may take, even with Telegram unreachable


def _describe(update: object) -> str:
    """What an update is, for the log: kind, command name, chat kind, user — never text."""
    if not isinstance(update, Update):
        return f"kind={type(update).__name__}"
    parts = [f"id={update.update_id}"]
    message = update.effective_message
    if update.callback_query is not None:
        parts.append("kind=button")
    elif message is not None:
        text = message.text or message.caption or ""
        word = text.split(maxsplit=1)[0] if text.startswith("/") else ""
        parts.append("kind=command" if word else "kind=message")
        if word:
            parts.append("command=" + word.split("@")[0][:32])
        if message.document is not None:
            parts.append("file=yes")
    else:
        parts.append("kind=other")
    if update.effective_chat is not None:
        parts.append(f"chat={update.effective_chat.type}")
    if update.effective_user is not None:
        parts.append(f"user={update.effective_user.id}")
    return " ".join(parts)


class KefuApplication(Application):  # type: ignore[type-arg]
    """The Application, logging one line per update handled, with its duration."""

    async def process_update(self, update: object) -> None:
        """Handle `update` as usual, then log it (`event=update ... ms=`)."""
        began = time.perf_counter()
        outcome = "error"
        try:
            await super().process_update(update)
            outcome = "ok"
        finally:
            self.bot_data["kit"].wake()  # whatever it recorded in the outbox goes now
            ms = (time.perf_counter() - began) * 1000
            log.info("event=update %s outcome=%s ms=%.1f", _describe(update), outcome, ms)

    async def shutdown(self) -> None:
        """Before the Bot API's client closes: cancel the bot's own background tasks and
        stop the outbox's engine (either may be in the middle of a call); then as usual."""
        background: set[asyncio.Task[None]] = self.bot_data.get(BACKGROUND, set())
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await stop_polling_server(self)
        if "kit" in self.bot_data:
            await stop_delivery(self.bot_data["kit"])
        await super().shutdown()


class KefuJobQueue(JobQueue):  # type: ignore[type-arg]
    """The JobQueue, logging one line per job run, with its duration."""

    @staticmethod
    async def job_callback(job_queue: JobQueue, job: Job) -> None:  # type: ignore[type-arg]
        """Run the job as usual, then log it (`event=job name=... ms=`)."""
        began = time.perf_counter()
        try:
            await JobQueue.job_callback(job_queue, job)
        finally:
            job_queue.application.bot_data["kit"].wake()
            ms = (time.perf_counter() - began) * 1000
            log.info("event=job name=%s ms=%.1f", job.name, ms)


def build_kit(
    settings: Settings,
    policy: Policy,
    clock: Callable[[], dt.datetime],
    *,
    webhook: bool = False,
) -> Kit:
    """The shared services of one bot (`webhook`: in webhook mode)."""
    db = Database(settings.database_url)
    texts = Texts(policy.language, policy.tz)
    notices = Notices(texts, policy, settings.kefu_admins)
    people = People(db, policy, settings.kefu_admins, notices)
    ledgers = Ledgers(db, policy, people, notices)
    roster = Roster(db, policy)
    attendance = Attendance(db, policy, notices, roster)
    payroll = Payroll(db, policy, people, notices)
    rostering = Rostering(db, policy, people, notices, roster)
    return Kit(
        db=db,
        policy=policy,
        texts=texts,
        people=people,
        attendance=attendance,
        ledger=ledgers,
        metrics=Metrics(db, policy),
        rhythm=Rhythm(db, policy, people, notices, roster),
        payroll=payroll,
        notices=notices,
        levels=Levels(db, policy, notices),
        clock=clock,
        exams=Exams(db, policy, people, ledgers, notices),
        reviews=Reviews(db, policy, notices),
        sales=PublicSales(db, policy),
        roster=roster,
        swaps=Swaps(db, policy, people, notices, roster),
        rostering=rostering,
        fixpunch=FixPunches(db, policy, people, notices, roster),
        complaints=Complaints(db, policy, people, notices),
        discounts=Discounts(db, policy, people, notices),
        problems=Problems(db, policy, people, notices),
        followups=FollowUps(db, policy, notices),
        insights=Insights(db, policy, payroll, roster, rostering),
        webapp=webapp_of(settings, webhook=webhook),
        boards=Boards(db, policy, attendance, ledgers),
        paysheets=Paysheets(payroll, texts),
        limits=Limits.for_rate(settings.kefu_rate_limit),
    )


def holiday_warnings(policy: Policy, today: dt.date) -> list[str]:
    """A line for each of this month and next that the holiday calendar does not know
    (its holidays would pass as working days) [issue 16]."""
    cal = holiday_rules.calendar(policy.holidays)
    following = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return [
        f"holidays for {month} are unknown: add them to the policy's [holidays.days]"
        for month in holiday_rules.unknown_months(cal, [today, following])
    ]


async def announce_claim(kit: Kit) -> None:
    """With nobody to run it yet, print the one-time `/claim` code (once, on stderr; it
    is stored only as a digest and never logged)."""
    code = await kit.people.claim_code(at=kit.clock())
    if code is not None:
        hours = kit.policy.claim.valid_hours
        print(kit.texts.plain("claim_line", code=code, hours=hours), file=sys.stderr, flush=True)


def start_delivery(app: Application, kit: Kit) -> Delivery:  # type: ignore[type-arg]
    """The outbox's engine for this bot, started (rows a crash left mid-send settle first)."""

    async def on_final(row: Notice, reason: str) -> None:
        await jobs.report_failure(kit, row, reason)

    async def attach(row: Notice) -> bytes | None:
        return await jobs.attachment(kit, row)

    async def moot(row: Notice) -> bool:
        return await jobs.moot(kit, row)

    kit.delivery = Delivery(
        kit.db,
        TelegramSender(app.bot),
        clock=kit.clock,
        limits=kit.limits,
        on_final=on_final,
        attach=attach,
        moot=moot,
    )
    kit.delivery.start()
    return kit.delivery


async def stop_delivery(kit: Kit, grace: float = 2.0) -> None:
    """Stop the engine within `grace` seconds; what is unsent waits for the next start."""
    if kit.delivery is not None:
        await kit.delivery.stop(grace)


def build_application(
    settings: Settings,
    *,
    policy: Policy | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    webhook: bool = False,
) -> Application:  # type: ignore[type-arg]
    """The whole bot, ready for `run_polling`, `bot.webhook.serve` (`webhook` True) or
    tests. In polling mode with KEFU_PUBLIC_URL, it serves the Mini App itself."""
    policy = policy or load_policy(
        settings.kefu_policy, timezone=settings.kefu_timezone, language=settings.kefu_language
    )
    tz = policy.tz
    kit = build_kit(settings, policy, clock or (lambda: dt.datetime.now(tz)), webhook=webhook)
    serve_web = not webhook and settings.kefu_public_url is not None

    background: set[asyncio.Task[None]] = set()

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await kit.db.migrate()
        for line in holiday_warnings(kit.policy, kit.clock().astimezone(tz).date()):
            log.warning(line)
        await announce_claim(kit)
        start_delivery(app, kit)
        schedule.install(app, kit)
        await jobs.rebuild(app, kit)
        resume = asyncio.create_task(jobs.resume(app, kit), name="payroll-resume")
        background.add(resume)
        resume.add_done_callback(background.discard)
        await set_menus(app.bot, kit)
        task = asyncio.create_task(refresh_person_menus(app.bot, kit), name="person-menus")
        background.add(task)
        task.add_done_callback(background.discard)
        if serve_web:
            await start_polling_server(app, settings.listen)

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        await kit.db.close()  # after `KefuApplication.shutdown` stopped what uses it

    # httpx logs every request's URL at INFO, and Telegram's URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rate = settings.kefu_rate_limit
    app = (
        Application.builder()
        .application_class(KefuApplication)
        .job_queue(KefuJobQueue())
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=tz, link_preview_options=None))
        .rate_limiter(
            RateLimiter(overall_max_rate=rate, overall_time_period=1 if rate else 0, max_retries=3)
        )
        # Bounded: beyond ~32 updates in flight, httpx's connection pool (which scans
        # every idle connection per request) and the database queue only add latency.
        .concurrent_updates(32)
        # A stop confirms the last updates with one more getUpdates: with a Bot API that
        # stopped answering, that call's read timeout is what a SIGTERM waits for.
        .get_updates_read_timeout(STOP_WITHIN / 2)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["kit"] = kit
    app.bot_data[BACKGROUND] = background
    register(app)
    return app


def register(app: Application) -> None:  # type: ignore[type-arg]
    """All handlers, in the order they are tried."""
    fresh = filters.UpdateType.MESSAGE  # an edited command is not a second command
    # Every command from the one table (handlers/commands.py), its body wrapped with
    # the table's role and place; /help and a person's menu read the table from here.
    app.bot_data[TABLE_KEY] = COMMANDS
    app.bot_data[WEB_ROUTES] = webapp.routes()  # the Mini App's pages and JSON (bot.web)
    app.bot_data[jobs.PERSON_MENU] = person_menu
    for entry in COMMANDS:
        app.add_handler(CommandHandler(entry.name, entry.handler(), filters=fresh))
    # A file sent with "/import" as its caption (commands in captions are not commands
    # to CommandHandler); a photo or any other attachment so captioned is answered with
    # what /import accepts. `command` drops "/import@otherbot".
    for entry in COMMANDS:
        if entry.caption:
            caption = filters.CaptionRegex(rf"^/{entry.name}(@\w+)?(\s|$)")
            app.add_handler(MessageHandler(fresh & caption, entry.handler()))
    # The handover card's button.
    app.add_handler(CallbackQueryHandler(attendance.acknowledge, pattern=r"^ack:"))
    # The leave card's buttons.
    app.add_handler(CallbackQueryHandler(rhythm.decide_leave, pattern=r"^leave:"))
    # The missing-reports card's buttons.
    app.add_handler(CallbackQueryHandler(rhythm.decide_late_reports, pattern=r"^latereport:"))
    # The forgotten clock-out's buttons.
    app.add_handler(CallbackQueryHandler(timers.clockout_answer, pattern=r"^(stay|endshift):"))
    # The meeting reminder's and the unconfirmed list's buttons.
    app.add_handler(CallbackQueryHandler(rhythm.meeting_reply, pattern=r"^rsvp:"))
    app.add_handler(CallbackQueryHandler(rhythm.decide_missed, pattern=r"^missed:"))
    # The absence card's buttons.
    app.add_handler(CallbackQueryHandler(rhythm.decide_absence, pattern=r"^(absent|asleave):"))
    # A long break's button.
    app.add_handler(CallbackQueryHandler(timers.log_away, pattern=r"^away:"))
    # The appeal card's buttons.
    app.add_handler(CallbackQueryHandler(ledger.decide, pattern=r"^decide:"))
    # A payslip's "Received".
    app.add_handler(CallbackQueryHandler(payroll.received, pattern=r"^received:"))
    # The promotion card's buttons (proposed at a month's lock).
    app.add_handler(CallbackQueryHandler(levels.decide_promotion, pattern=r"^promotion:"))
    # The annual review's Confirm.
    app.add_handler(CallbackQueryHandler(month.confirm_review, pattern=r"^review:"))
    # A swap's cards: the colleague's answer, the supervisors' decision, Withdraw.
    app.add_handler(CallbackQueryHandler(swaps.answer_swap, pattern=r"^swapans:"))
    app.add_handler(CallbackQueryHandler(swaps.decide_swap, pattern=r"^swapdec:"))
    app.add_handler(CallbackQueryHandler(swaps.withdraw_swap, pattern=r"^swapoff:"))
    # The roster draft card's Publish and Adjust.
    app.add_handler(CallbackQueryHandler(roster.decide, pattern=r"^roster:"))
    # The make-up punch card's buttons, and the agent's Withdraw.
    app.add_handler(CallbackQueryHandler(fixpunch.decide, pattern=r"^punchfix:"))
    app.add_handler(CallbackQueryHandler(fixpunch.withdraw_button, pattern=r"^punchback:"))
    # A discount card's Approve / Deny; the weekly problem review's Answer.
    app.add_handler(CallbackQueryHandler(discounts.decide, pattern=r"^discount:"))
    app.add_handler(CallbackQueryHandler(problems.answer_button, pattern=r"^problem:"))
    # Any other press (an old or forged button): answered as no longer valid.
    app.add_handler(CallbackQueryHandler(decisions.answered_stray))
    # Groups: the bot added to one; a group upgraded to a supergroup (new id).
    app.add_handler(ChatMemberHandler(people.added_to_group, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, people.group_migrated))
    # Left over, in DMs only: groups hold other bots' commands and people's chat.
    private = filters.ChatType.PRIVATE & fresh
    app.add_handler(MessageHandler(private & filters.COMMAND, fallback.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, fallback.plain_text))
    app.add_error_handler(fallback.on_error)


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
