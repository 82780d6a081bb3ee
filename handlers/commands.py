"""Every command, once: its name, who may use it, where, what it does, its help lines.

`bot.app.register` registers each row (its body wrapped by `command(role, where)`),
the menus and /help list them in this order, for the roles and chats named here.
A row's `where` defaults to a DM or the team group; its menus to every menu of the
chats it works in. Handlers that need the table at run time (/help, a promotion's
menu) read it from the Application, so that no handler module imports this one.
"""

from __future__ import annotations

from telegram import Bot

from handlers import (
    attendance,
    complaints,
    dashboard,
    discounts,
    fixpunch,
    followups,
    ledger,
    metrics,
    month,
    payroll,
    people,
    problems,
    rhythm,
    roster,
    swaps,
)
from handlers import menu as menus
from handlers.common import Kit, Role, Where
from handlers.menu import Command, Menu
from storage.models import Person

COMMANDS: menus.Table = (
    Command(
        "start",
        Role.ANYONE,
        people.start,
        en="Greeting and your commands",
        zh="问候并列出你可用的命令",
        where=Where.ANY_GROUP,
        menus=frozenset({Menu.DM}),  # it answers in groups; /help is what groups are offered
    ),
    Command(
        "help",
        Role.ANYONE,
        people.start,
        en="Your commands",
        zh="你可用的命令",
        where=Where.ANY_GROUP,
    ),
    Command(
        "claim",
        Role.ANYONE,
        people.claim,
        en="Become the bot's owner with the code it printed at start",
        zh="用机器人启动时打印的认领码成为它的所有者",
        where=Where.DM,
        menus=frozenset(),  # nobody's menu: only the one who started the bot has the code
    ),
    Command("clockin", Role.AGENT, attendance.clockin, en="Start your shift", zh="上班打卡"),
    Command("clockout", Role.AGENT, attendance.clockout, en="End your shift", zh="下班打卡"),
    Command("break", Role.AGENT, attendance.break_, en="Start a break", zh="开始休息"),
    Command("back", Role.AGENT, attendance.back, en="Back from a break", zh="休息结束"),
    Command(
        "handover",
        Role.AGENT,
        attendance.handover,
        en="Note for the next shift",
        zh="给下一班的交接记录",
    ),
    Command("myscore", Role.AGENT, ledger.myscore, en="Your month so far", zh="你本月的得分"),
    Command(
        "appeal",
        Role.AGENT,
        ledger.appeal,
        en="Contest an entry about you: #N reason",
        zh="申诉关于你的记录: #编号 理由",
        where=Where.DM,
    ),
    Command(
        "report", Role.AGENT, rhythm.report, en="Your weekly work report", zh="提交本周工作周报"
    ),
    Command(
        "leave",
        Role.AGENT,
        rhythm.leave,
        en="Ask for a day off: YYYY-MM-DD reason",
        zh="请假: YYYY-MM-DD 理由",
        where=Where.DM,
    ),
    Command(
        "swap",
        Role.AGENT,
        swaps.swap,
        en="Swap a roster day with a colleague: @colleague YYYY-MM-DD [YYYY-MM-DD]",
        zh="与同事调班: @同事 YYYY-MM-DD [YYYY-MM-DD]",
        where=Where.DM,
    ),
    Command(
        "fixpunch",
        Role.AGENT,
        fixpunch.fixpunch,
        en="Make up a forgotten punch: YYYY-MM-DD in/out HH:MM reason",
        zh="补卡: YYYY-MM-DD 上班/下班 HH:MM 理由",
        where=Where.DM,
    ),
    Command(
        "complaint",
        Role.TEAM,  # an agent's own case; a supervisor's names the agent
        complaints.complaint,
        en="A complaint on the clock: [@agent] order-no text (alone: the open cases)",
        zh="登记客诉(24 小时回复, 48 小时解决):[@客服] 订单号 内容(不带参数:未结案件)",
    ),
    Command(
        "replied",
        Role.TEAM,
        complaints.replied,
        en="A complaint case answered: case",
        zh="客诉已回复:案件号",
    ),
    Command(
        "solved",
        Role.TEAM,
        complaints.solved,
        en="A complaint case solved: case [how]",
        zh="客诉已解决:案件号 [处理方式]",
    ),
    Command(
        "arbitration",
        Role.TEAM,
        complaints.arbitration,
        en="The platform stepped into a complaint case: case",
        zh="客诉平台介入:案件号",
    ),
    Command(
        "discount",
        Role.AGENT,
        discounts.discount,
        en="Record a discount: order-no yuan reason",
        zh="记录优惠: 订单号 金额 理由",
    ),
    Command(
        "problem",
        Role.AGENT,
        problems.problem,
        en="Note a problem or idea for the weekly review",
        zh="记录工作中遇到的问题或想法",
    ),
    Command(
        "followup",
        Role.AGENT,
        followups.followup,
        en="A shopper to contact again: buyer reason",
        zh="询单未下单的顾客待跟进: 买家账号 原因",
    ),
    Command(
        "followed",
        Role.AGENT,
        followups.followed,
        en="Close a follow-up: N [yuan recovered]",
        zh="完成跟进: 编号 [挽回金额]",
    ),
    Command(
        "followups",
        Role.AGENT,
        followups.followups,
        en="Your open follow-ups",
        zh="你待跟进的顾客",
    ),
    Command(
        "dashboard",
        Role.TEAM,
        dashboard.dashboard,
        en="Open the dashboard (Mini App)",
        zh="打开看板(小程序)",
        where=Where.DM,
    ),
    Command(
        "payslip",
        Role.TEAM,  # anyone on the team asks for their own (a supervisor has none: said so)
        payroll.payslip,
        en="Your payslip: [YYYY-MM] [detail]",
        zh="我的工资条:[YYYY-MM] [detail]",
        where=Where.DM,
    ),
    Command(
        "rules",
        Role.TEAM,
        ledger.rules_,
        en="The house rules: codes and points",
        zh="奖惩细则: 代码与分值",
    ),
    Command(
        "team",
        Role.SUPERVISOR,
        attendance.team,
        en="Who is on shift, on break, off",
        zh="谁在班、谁在休息、谁不在",
    ),
    Command(
        "fixshift",
        Role.SUPERVISOR,
        attendance.fixshift,
        en="Correct an auto-closed shift: @agent HH:MM",
        zh="更正自动关闭的班次: @客服 HH:MM",
    ),
    Command(
        "fine",
        Role.SUPERVISOR,
        ledger.fine,
        en="Log a violation: @agent code [points] [note]",
        zh="记录违规: @客服 代码 [分数] [备注]",
    ),
    Command(
        "bonus",
        Role.SUPERVISOR,
        ledger.bonus,
        en="Log bonus points: @agent code [points] [note]",
        zh="记录加分: @客服 代码 [分数] [备注]",
    ),
    Command(
        "adjust",
        Role.SUPERVISOR,
        ledger.adjust,
        en="Month-end adjustment: @agent ±points reason",
        zh="月末调整: @客服 ±分数 理由",
    ),
    Command(
        "void",
        Role.SUPERVISOR,
        ledger.void,
        en="Cancel an entry #N or a one-off +N: reason",
        zh="作废记录 #编号 或一次性奖励 +编号: 理由",
    ),
    Command(
        "score",
        Role.SUPERVISOR,
        ledger.score,
        en="An agent's scorecard: @agent [YYYY-MM]",
        zh="查看客服得分: @客服 [YYYY-MM]",
    ),
    Command(
        "import",
        Role.SUPERVISOR,
        metrics.import_,
        en="Import chat-tool figures (CSV/XLSX)",
        zh="导入旺旺数据(CSV/XLSX)",
        caption=True,  # also a CSV/XLSX file sent with "/import" as its caption
    ),
    Command(
        "restday",
        Role.SUPERVISOR,
        rhythm.restday,
        en="An agent's weekly rest day: @agent weekday",
        zh="设置客服每周休息日: @客服 星期",
    ),
    Command(
        "roster",
        Role.SUPERVISOR,
        roster.roster,
        en="The month's roster: [YYYY-MM], @agent YYYY-MM-DD shift|rest, draft [YYYY-MM]",
        zh="月度排班:[YYYY-MM],@客服 YYYY-MM-DD 班次或休,草稿 [YYYY-MM]",
    ),
    Command(
        "schedule",
        Role.SUPERVISOR,
        rhythm.schedule,
        en="The coming scheduled posts",
        zh="即将发送的定时消息",
    ),
    Command(
        "problems",
        Role.SUPERVISOR,
        problems.problems,
        en="The open problems, oldest first",
        zh="未答复的问题,最早的在前",
    ),
    Command(
        "answer",
        Role.SUPERVISOR,
        problems.answer,
        en="Answer a problem: N text",
        zh="答复问题: 编号 内容",
    ),
    Command(
        "qa",
        Role.SUPERVISOR,
        payroll.qa,
        en="A chat-log QA check: @agent score (0-100)",
        zh="聊天记录质检:@客服 分数(0-100)",
    ),
    Command(
        "oneoff",
        Role.SUPERVISOR,
        payroll.oneoff,
        en="One-off bonus on this month's payslip: @agent yuan reason",
        zh="本月一次性奖励:@客服 金额 理由",
    ),
    Command(
        "deduct",
        Role.SUPERVISOR,
        ledger.deduct,
        en="Deduction from this month's pay (appealable): @agent yuan reason",
        zh="本月工资扣款(可申诉):@客服 金额 理由",
    ),
    Command(
        "exam",
        Role.SUPERVISOR,
        month.exam,
        en="A monthly exam: @agent product|rules score (0-100)",
        zh="月度考试:@客服 类别 分数(0-100)",
    ),
    Command(
        "publicsales",
        Role.SUPERVISOR,
        month.publicsales,
        en="The shop's public sales of a month: YYYY-MM yuan",
        zh="店铺月度公共销售额:YYYY-MM 金额",
        where=Where.DM,
    ),
    Command(
        "review",
        Role.SUPERVISOR,
        month.review,
        en="The annual review: [YYYY]",
        zh="年度考核:[YYYY]",
        where=Where.DM,
    ),
    Command(
        "hire",
        Role.SUPERVISOR,
        payroll.hire,
        en="Hiring date and probation: @agent YYYY-MM-DD [months]",
        zh="入职日期和试用期:@客服 YYYY-MM-DD [月数]",
    ),
    Command(
        "resign",
        Role.SUPERVISOR,
        people.resign,
        en="Last working day: @agent YYYY-MM-DD [reason], or @agent cancel",
        zh="离职(最后工作日):@客服 YYYY-MM-DD [原因],或 @客服 cancel",
    ),
    Command(
        "payroll",
        Role.SUPERVISOR,
        payroll.payroll,
        en="The month's payroll: YYYY-MM [send]",
        zh="月度工资表:YYYY-MM [send]",
        where=Where.DM,
    ),
    Command(
        "export",
        Role.SUPERVISOR,
        payroll.export,
        en="The month as an XLSX workbook: YYYY-MM",
        zh="导出月度 XLSX:YYYY-MM",
        where=Where.DM,
    ),
    Command(
        "enroll",
        Role.SUPERVISOR,
        people.enroll,
        en="Enroll an agent: @user level track [im-name]",
        zh="登记客服: @用户 级别 岗位 [旺旺名]",
    ),
    Command(
        "shift",
        Role.SUPERVISOR,
        people.shift,
        en="Set an agent's shift: @user shift",
        zh="设置客服班次: @用户 班次",
    ),
    Command("promote", Role.ADMIN, people.promote, en="Make someone a supervisor", zh="设为主管"),
    Command("demote", Role.ADMIN, people.demote, en="Take the supervisor role away", zh="取消主管"),
    Command(
        "setgroup",
        Role.ADMIN,
        people.setgroup,
        en="Make this group the team group",
        zh="把本群设为团队群",
        where=Where.ANY_GROUP,
    ),
)


async def set_menus(bot: Bot, kit: Kit) -> None:
    """Everyone's and groups' menus from this table, per language (at start)."""
    await menus.set_menus(bot, kit, COMMANDS)


async def person_menu(bot: Bot, kit: Kit, person: Person) -> None:
    """One person's own menus from this table, after their roles changed (a leaver)."""
    await menus.set_roles_menus(bot, kit, COMMANDS, person)


async def refresh_person_menus(bot: Bot, kit: Kit) -> None:
    """Every team member's DM menu from this table, when it changed since the last start."""
    await menus.refresh_person_menus(bot, kit, COMMANDS)
