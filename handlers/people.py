"""/start, /help, /claim, /setgroup, /promote, /demote, /enroll, /shift, /resign."""

from __future__ import annotations

from telegram import Chat, ChatMember, Update

from bot.send import send_html
from bot.services import Refusal
from bot.services.people import Target
from handlers.common import Call, Context, kit_of, optional, required, usage
from handlers.menu import Menu, allowed, roles_of, set_group_menus, set_roles_menus, table_of
from rules import parse
from storage.models import Person


async def start(call: Call) -> None:
    """Greet; list the commands this person may use here (or say they are not on the team,
    or how to claim a bot nobody owns). An admin's DM starts with the set-up checklist."""
    roles = roles_of(call.actor, admin=call.is_admin)
    if len(roles) == 1:
        owned = await call.kit.people.has_admin()
        await call.reply("not_on_team" if owned else "no_owner", person=call.actor)
        return
    here = Menu.DM if call.private else Menu.GROUP
    language = call.kit.texts.language
    lines = [(c.name, c.help(language)) for c in allowed(table_of(call.context), roles, here)]
    setup = await call.kit.people.setup() if call.is_admin and call.private else None
    await call.reply(
        "help",
        person=call.actor,
        commands=lines,
        is_agent=call.actor.is_agent,
        is_supervisor=call.is_supervisor,
        is_admin=call.is_admin,
        setup=setup,
        policy=call.kit.policy,
        bot_username=call.context.bot.username,
    )


async def claim(call: Call) -> None:
    """`/claim <code>`: the first person to send the code the bot printed at start becomes
    its owner (a DM; the code is good once)."""
    typed = required(" ".join(call.args), "claim_usage")
    owner = await call.kit.people.claim(call.actor, typed, at=call.now)
    await _refresh_menu(call, owner)
    setup = await call.kit.people.setup()
    await call.reply(
        "claimed",
        person=owner,
        setup=setup,
        policy=call.kit.policy,
        bot_username=call.context.bot.username,
    )


async def setgroup(call: Call) -> None:
    """Bind this group as the team group."""
    if call.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        raise Refusal("setgroup_not_group")
    await call.kit.people.set_group(call.actor, call.chat.id, at=call.now)
    await call.reply("setgroup_ok", title=call.chat.title or "")
    await set_group_menus(call.context.bot, call.kit, table_of(call.context))


async def _refresh_menu(call: Call, person: Person, *, was_boss: bool = False) -> None:
    """The person's own command menus (DM, team group), after their roles changed."""
    bot, table = call.context.bot, table_of(call.context)
    await set_roles_menus(bot, call.kit, table, person, was_boss=was_boss)


async def _set_supervisor(call: Call, on: bool) -> None:
    target, _ = call.target()
    person, changed = await call.kit.people.set_supervisor(call.actor, target, on=on, at=call.now)
    await call.reply("promoted" if on else "demoted", person=person, changed=changed)
    if changed:
        await _refresh_menu(call, person, was_boss=not on)


async def promote(call: Call) -> None:
    """Make someone a supervisor."""
    await _set_supervisor(call, True)


async def demote(call: Call) -> None:
    """Take the supervisor role away."""
    await _set_supervisor(call, False)


def _enrolment(call: Call) -> tuple[Target, str, str, str | None]:
    """`@user <level> <track> [im-name]`, or the usage refusal naming the policy's keys."""
    policy = call.kit.policy
    try:
        target, rest = call.target()
    except Refusal:
        target, rest = None, ""
    words = rest.split(maxsplit=2)
    if target is None or len(words) < 2:
        raise Refusal("enroll_usage", levels=policy.levels, tracks=policy.tracks)
    im_name = (optional(words[2]) or None) if len(words) > 2 else None
    return target, words[0].lower(), words[1].lower(), im_name


async def enroll(call: Call) -> None:
    """`/enroll @user <level> <track> [im-name]`: make someone an agent."""
    policy = call.kit.policy
    target, level, track, im_name = _enrolment(call)
    person, new = await call.kit.people.enroll(
        call.actor, target, level=level, track=track, im_name=im_name, at=call.now
    )
    await call.reply(
        "enrolled",
        person=person,
        new=new,
        level=policy.levels[level].name,
        track=policy.tracks[track].name,
    )
    await _refresh_menu(call, person)
    await call.warn_unreachable(person)


async def shift(call: Call) -> None:
    """`/shift @user <shift> [YYYY-MM-DD]`: set an agent's shift from a day on (today)."""
    policy = call.kit.policy
    try:
        target, rest = call.target()
    except Refusal:
        target, rest = None, ""
    words = rest.split()
    if target is None or not 1 <= len(words) <= 2:
        raise Refusal("shift_usage", shifts=policy.shifts)
    key, since = words[0].lower(), words[1] if len(words) > 1 else None
    done = await call.kit.people.set_shift(call.actor, target, key, at=call.now, since=since)
    await call.reply("shift_set", person=done.person, shift=policy.shifts[key], done=done)
    await call.warn_unreachable(done.person)


def _resignation(call: Call) -> tuple[Target, str, str]:
    """`@agent <YYYY-MM-DD>|cancel [reason]`, or the usage refusal."""
    try:
        target, rest = call.target()
    except Refusal:
        raise Refusal("resign_usage") from None
    words = rest.split(maxsplit=1)
    if not words:
        raise Refusal("resign_usage")
    return target, words[0], optional(words[1]) if len(words) > 1 else ""


async def resign(call: Call) -> None:
    """`/resign @agent <YYYY-MM-DD> [reason]` records the last working day; `/resign
    @agent cancel` drops it before it has passed."""
    target, first, reason = _resignation(call)
    people = call.kit.people
    if first.lower() == "cancel" and not reason:
        done = await people.cancel_resignation(call.actor, target, at=call.now)
    else:
        with usage("resign_usage"):
            day = parse.date(first)
        done = await people.resign(call.actor, target, day, reason, at=call.now)
    await call.reply("resigned", done=done, reason=reason)
    if done.gone:
        await _refresh_menu(call, done.person)
    await call.warn_unreachable(done.person)


async def added_to_group(update: Update, context: Context) -> None:
    """The bot was added to a group: say how to make it the team group."""
    change = update.my_chat_member
    if change is None or change.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        return
    was_in = change.old_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    is_in = change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    if is_in and not was_in:
        kit = kit_of(context)
        await send_html(context.bot, change.chat.id, kit.texts.render("joined_group"))


async def group_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup (new chat id): keep the team group bound."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    kit = kit_of(context)
    if await kit.people.move_group(message.chat.id, message.migrate_to_chat_id, at=kit.clock()):
        await set_group_menus(context.bot, kit, table_of(context))  # their menus in it
