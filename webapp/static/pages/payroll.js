/* The payroll page [issue 18]: the month's payroll as /payroll previews it (supervisors).
   A month field; the team's total and count; the agents by name with their total, KPI
   score and grade; tapping an agent opens their payslip lines, each explained in the
   payslip's own words (the server renders them). Amounts are the server's exact decimal
   strings; names and notes are text, never HTML. */
"use strict";

(function () {
  const Kefu = window.Kefu;
  // The words of both pay pages (payslips.js reads them through Kefu.pay.words).
  const WORDS = {
    en: {
      team: "{count} agents · total",
      draft: "Draft, computed from today's records",
      locked: "Locked {at} (policy {version})",
      sent: "Payslips sent",
      received: "received ✓",
      unconfirmed: "not confirmed yet",
      probation: "probation",
      first_month: "first month",
      total: "Total",
      kpi: "KPI {score} ({grade})",
      entries: "Entries: {refs}",
      none: "No payslip yet: a month's payslip appears here once the month is locked.",
      received_at: "Received {at}",
      unconfirmed_long: "Not confirmed yet: press “Received” under the payslip in the chat.",
      back: "‹ All payslips",
      title: "Payslip {month}",
      kpis: "KPIs",
      policy: "Policy version {version}.",
    },
    zh: {
      team: "共 {count} 人 · 合计",
      draft: "草稿,按当前记录计算",
      locked: "已于 {at} 锁定(政策 {version})",
      sent: "工资条已发送",
      received: "已确认收到 ✓",
      unconfirmed: "尚未确认收到",
      probation: "试用期",
      first_month: "首月",
      total: "合计",
      kpi: "KPI {score}({grade})",
      entries: "记录:{refs}",
      none: "暂无工资条:月份锁定后,该月工资条会显示在这里。",
      received_at: "已于 {at} 确认收到",
      unconfirmed_long: "尚未确认收到:请在聊天中点工资条下的“已收到”。",
      back: "‹ 全部工资条",
      title: "{month} 工资条",
      kpis: "KPI 明细",
      policy: "政策版本 {version}。",
    },
  };

  /** "2026-12-10T10:00:00+08:00" (team time) → "2026-12-10 10:00". */
  function when(iso) {
    return iso ? iso.slice(0, 16).replace("T", " ") : "";
  }

  /** An amount with its sign's colour. */
  function amount(text, tag) {
    const negative = String(text).startsWith("-");
    return Kefu.el(tag || "span", { class: "money" + (negative ? " neg" : "") }, Kefu.money(text));
  }

  /** A payslip's lines: the explanation, the amount, the records behind it. */
  function lines(card, t) {
    return Kefu.el("ul", { class: "paylines" }, card.lines.map((line) => Kefu.el("li", {},
      Kefu.el("div", { class: "row" }, Kefu.el("span", {}, line.label), amount(line.amount)),
      line.items.length ? Kefu.el("ul", { class: "hint" }, line.items.map((item) => Kefu.el("li", {}, item))) : null,
      !line.items.length && line.sources.length
        ? Kefu.el("div", { class: "hint" }, t("entries", { refs: line.sources.join(", ") })) : null)));
  }

  function agent(card, data, t) {
    const tags = [
      card.probation ? Kefu.el("span", { class: "tag" }, t("probation")) : null,
      card.first_month ? Kefu.el("span", { class: "tag" }, t("first_month")) : null,
      data.sent ? Kefu.el("span", { class: "tag " + (card.received_at ? "good" : "warn") },
        card.received_at ? t("received") : t("unconfirmed")) : null,
    ];
    const head = Kefu.el("summary", { class: "row" },
      Kefu.el("span", {}, Kefu.el("b", {}, card.name), card.username ? " @" + card.username : "", " ", ...tags),
      Kefu.el("span", { class: "hint" }, t("kpi", { score: card.score, grade: card.grade })),
      amount(card.total, "b"));
    return Kefu.el("details", { class: "card payagent", "data-agent": card.agent }, head,
      Kefu.el("p", { class: "hint" }, card.headline),
      card.employed ? Kefu.el("p", { class: "hint" }, card.employed) : null,
      lines(card, t),
      Kefu.el("div", { class: "row total" }, Kefu.el("b", {}, t("total")), amount(card.total, "b")));
  }

  function month(value) {
    return Kefu.el("form", { class: "filters", onsubmit: (event) => event.preventDefault() },
      Kefu.el("label", {}, Kefu.w("month"), " ",
        Kefu.el("input", {
          type: "month", name: "month", value, max: Kefu.me.month,
          onchange: (event) => event.target.value && Kefu.go("payroll", { month: event.target.value }),
        })));
  }

  Kefu.page({
    name: "payroll",
    roles: ["supervisor", "admin"],
    title: { en: "Payroll", zh: "工资" },
    async render(root, params) {
      const t = Kefu.words(WORDS);
      const asked = params.month || Kefu.me.month;
      const form = month(asked);
      let data;
      try {
        data = await Kefu.api("payroll", { month: asked, page: params.page });
      } catch (error) {
        root.replaceChildren(form, Kefu.el("div"));
        Kefu.failure(root.lastChild, error);
        return;
      }
      const status = data.locked
        ? t("locked", { at: when(data.locked_at), version: data.policy_version }) : t("draft");
      root.replaceChildren(form,
        Kefu.el("div", { class: "card payteam" },
          Kefu.el("div", { class: "row" },
            Kefu.el("span", {}, t("team", { count: data.team.count })),
            amount(data.team.total, "b")),
          Kefu.el("div", { class: "hint" }, status, data.sent ? " · " + t("sent") : "")),
        ...data.items.map((card) => agent(card, data, t)),
        Kefu.pager(data, (page) => Kefu.go("payroll", { month: data.month, page })));
    },
  });

  Kefu.pay = { amount, lines, when, words: WORDS }; // shared with the payslips page
})();
