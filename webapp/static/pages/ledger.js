/* The ledger page [issue 18]: a month's entries for supervisors, newest first, filtered
   by agent and by code, with voids and appeals; 50 a page. */
"use strict";

(function () {
  const Kefu = window.Kefu;
  const WORDS = {
    en: {
      title: "Ledger",
      code: "Code",
      entries: "{n} entries",
      when: "When",
      item: "Entry",
      points: "Points",
      cash: "Cash",
      by: "By",
      state: "State",
      voided: "void: {reason} ({by})",
      appeal_open: "appeal open",
      appeal_upheld: "appeal upheld",
      appeal_voided: "appeal granted",
    },
    zh: {
      title: "台账",
      code: "项目",
      entries: "共 {n} 条",
      when: "时间",
      item: "记录",
      points: "分数",
      cash: "罚款",
      by: "记录人",
      state: "状态",
      voided: "已撤销:{reason}({by})",
      appeal_open: "申诉中",
      appeal_upheld: "申诉驳回",
      appeal_voided: "申诉成立",
    },
  };

  /** "MM-DD HH:MM" of an ISO moment in the team's time zone. */
  function when(iso) {
    const parts = new Intl.DateTimeFormat("en-GB", {
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZone: Kefu.me.timezone,
    }).formatToParts(new Date(iso));
    const part = (type) => (parts.find((p) => p.type === type) || {}).value;
    return part("month") + "-" + part("day") + " " + part("hour") + ":" + part("minute");
  }

  function choice(name, label, value, options) {
    return Kefu.el("select", { name, "aria-label": label },
      Kefu.el("option", { value: "" }, label + ": " + Kefu.w("all")),
      options.map((o) => Kefu.el("option", { value: String(o.value), selected: String(o.value) === String(value || "") }, o.text)));
  }

  function states(item, t) {
    const tags = [];
    if (item.void) tags.push(Kefu.el("span", { class: "tag bad" }, t("voided", { reason: item.void.reason, by: item.void.by || "" })));
    if (item.appeal) {
      const tone = item.appeal.state === "open" ? "warn" : item.appeal.state === "voided" ? "good" : "";
      tags.push(Kefu.el("span", { class: "tag " + tone }, t("appeal_" + item.appeal.state)));
    }
    return Kefu.el("span", { class: "ledger-states" }, tags);
  }

  Kefu.page({
    name: "ledger",
    roles: ["supervisor", "admin"],
    title: { en: WORDS.en.title, zh: WORDS.zh.title },
    async render(root, params) {
      const t = Kefu.words(WORDS);
      const asked = { month: params.month || Kefu.me.month, agent: params.agent, code: params.code };
      const data = await Kefu.api("ledger", Object.assign({ page: params.page }, asked));
      const go = (change) => Kefu.go("ledger", Object.assign({}, asked, change));

      const month = Kefu.el("input", { type: "month", name: "month", value: data.month, max: Kefu.me.month,
        "aria-label": Kefu.w("month"), onchange: (e) => go({ month: e.target.value, page: null }) });
      const agents = data.agents.map((a) => ({ value: a.id, text: a.name }));
      if (asked.agent && !agents.some((a) => String(a.value) === String(asked.agent))) {
        agents.push({ value: asked.agent, text: "#" + asked.agent });
      }
      const agent = choice("agent", Kefu.w("agent"), asked.agent, agents);
      agent.addEventListener("change", (e) => go({ agent: e.target.value, page: null }));
      const code = choice("code", t("code"), asked.code,
        data.codes.map((c) => ({ value: c.code, text: c.name })));
      code.addEventListener("change", (e) => go({ code: e.target.value, page: null }));

      const columns = [
        { title: "#", value: (i) => "#" + i.id },
        { title: t("when"), value: (i) => when(i.at) },
        { title: Kefu.w("agent"), value: (i) => Kefu.el("button", {
          class: "link ledger-agent", "data-agent": i.agent.id, onclick: () => go({ agent: i.agent.id, page: null }),
        }, i.agent.name || "#" + i.agent.id) },
        { title: t("item"), value: (i) => Kefu.el("span", {}, i.name,
          i.note ? Kefu.el("div", { class: "hint" }, i.note) : null) },
        { title: t("points"), num: true, value: (i) => (i.points > 0 ? "+" : "") + i.points },
        { title: t("cash"), num: true, value: (i) => (i.cash === "0.00" ? "" : Kefu.el("span", { class: "money" }, Kefu.money(i.cash))) },
        { title: t("by"), value: (i) => i.by || "" },
        { title: t("state"), value: (i) => states(i, t) },
      ];
      const items = data.items;
      const table = items.length ? Kefu.table(columns, items) : Kefu.el("p", { class: "notice" }, Kefu.w("none"));
      table.querySelectorAll("tbody tr").forEach((row, index) => {
        if (items[index].void) row.classList.add("ledger-void");
      });
      root.replaceChildren(
        Kefu.el("div", { class: "filters" }, month, agent, code),
        Kefu.el("p", { class: "hint" }, t("entries", { n: data.total })),
        Kefu.el("div", { class: "ledger-table" }, table),
        Kefu.pager(data, (page) => go({ page })));
    },
  });
})();
