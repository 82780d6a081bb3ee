/* My month [issue 18]: an agent's score so far, entries, cash fines and open appeals;
   an entry still within its window has an Appeal button (the same as /appeal #N). */
"use strict";

(function () {
  const Kefu = window.Kefu;
  const WORDS = {
    en: {
      title: "My month",
      score: "Score so far",
      points: "{n} points",
      cash: "Cash fines",
      deductions: "Deductions",
      demerits: "Demerits",
      entries: "Entries",
      open_appeals: "Open appeals",
      appeal: "Appeal",
      appeal_until: "appeal until {time}",
      reason: "Why is this entry wrong?",
      send: "Send appeal",
      cancel: "Cancel",
      sent: "Appeal #{id} sent to the supervisors.",
      under_appeal: "under appeal",
      upheld: "appeal upheld",
      voided_appeal: "appeal granted",
      void: "void: {reason}",
      logged_by: "logged by {by}",
    },
    zh: {
      title: "我的本月",
      score: "本月当前分数",
      points: "{n} 分",
      cash: "现金罚款",
      deductions: "扣款",
      demerits: "记过",
      entries: "记录",
      open_appeals: "申诉中",
      appeal: "申诉",
      appeal_until: "可申诉至 {time}",
      reason: "这条记录哪里有误?",
      send: "提交申诉",
      cancel: "取消",
      sent: "已就 #{id} 向主管提交申诉。",
      under_appeal: "申诉中",
      upheld: "申诉驳回",
      voided_appeal: "申诉成立",
      void: "已撤销:{reason}",
      logged_by: "记录人 {by}",
    },
  };

  function when(iso) {
    return new Date(iso).toLocaleString("sv-SE", { timeZone: Kefu.me.timezone }).slice(0, 16);
  }

  function state(entry, t) {
    if (entry.void) return Kefu.el("span", { class: "tag bad" }, t("void", { reason: entry.void.reason }));
    if (!entry.appeal) return null;
    const names = { open: ["under_appeal", "warn"], upheld: ["upheld", ""], voided: ["voided_appeal", "good"] };
    const [word, tone] = names[entry.appeal.state] || ["under_appeal", "warn"];
    return Kefu.el("span", { class: "tag " + tone }, t(word));
  }

  /** The Appeal button, which opens a reason box and sends it. */
  function appealBox(entry, t, done) {
    const box = Kefu.el("div", { class: "month-appeal" });
    const open = Kefu.el("button", { class: "action", "data-entry": entry.id, onclick: () => {
      const reason = Kefu.el("textarea", { name: "reason", rows: 3, maxlength: 500, placeholder: t("reason") });
      const error = Kefu.el("p", { class: "error", role: "alert" });
      const send = Kefu.el("button", { class: "action", onclick: async () => {
        send.disabled = true;
        try {
          await Kefu.post("appeal", { entry: entry.id, reason: reason.value });
          await done(t("sent", { id: entry.id }));
        } catch (failure) {
          error.textContent = failure.text || Kefu.w(failure.code === "not_yours" ? "not_yours" : "failed");
          send.disabled = false;
        }
      } }, t("send"));
      const cancel = Kefu.el("button", { class: "link", onclick: () => box.replaceChildren(open) }, t("cancel"));
      box.replaceChildren(reason, Kefu.el("div", { class: "row" }, cancel, send), error);
      reason.focus();
    } }, t("appeal"));
    box.append(open, Kefu.el("span", { class: "hint" }, " " + t("appeal_until", { time: when(entry.deadline) })));
    return box;
  }

  function entryCard(entry, t, done) {
    const cash = entry.cash !== "0.00" ? Kefu.el("span", { class: "money neg" }, Kefu.money(entry.cash)) : null;
    return Kefu.el("div", { class: "card month-entry", "data-entry": entry.id },
      Kefu.el("div", { class: "row" },
        Kefu.el("strong", {}, "#" + entry.id + " " + entry.name),
        Kefu.el("span", { class: entry.points < 0 ? "neg" : "good" }, (entry.points > 0 ? "+" : "") + entry.points)),
      Kefu.el("div", { class: "row hint" },
        Kefu.el("span", {}, when(entry.at) + (entry.by ? " · " + t("logged_by", { by: entry.by }) : "")), cash),
      entry.note ? Kefu.el("div", {}, entry.note) : null,
      state(entry, t),
      entry.appealable ? appealBox(entry, t, done) : null);
  }

  Kefu.page({
    name: "month",
    roles: ["agent"],
    title: { en: WORDS.en.title, zh: WORDS.zh.title },
    async render(root, params) {
      const t = Kefu.words(WORDS);
      const data = await Kefu.api("month", { month: params.month, agent: params.agent });
      const notice = Kefu.el("p", { class: "notice month-sent", role: "status", hidden: true });
      const done = async (text) => {
        await this.render(root, params);
        const shown = root.querySelector(".month-sent");
        shown.textContent = text;
        shown.hidden = false;
      };
      const month = Kefu.el("input", { type: "month", name: "month", value: data.month, max: Kefu.me.month,
        "aria-label": Kefu.w("month"), onchange: (e) => Kefu.go("month", { month: e.target.value, agent: params.agent }) });
      const figure = (label, value, extra) => Kefu.el("div", { class: "month-figure" },
        Kefu.el("div", { class: "hint" }, label), Kefu.el("div", { class: "month-value " + (extra || "") }, value));
      const open = data.entries.filter((e) => e.appeal && e.appeal.state === "open");
      root.replaceChildren(
        Kefu.el("div", { class: "filters" }, month),
        notice,
        Kefu.el("div", { class: "card month-summary" },
          figure(t("score"), String(data.score), "month-score"),
          figure(t("cash"), Kefu.money(data.cash), "money"),
          data.deductions !== "0.00" ? figure(t("deductions"), Kefu.money(data.deductions), "money") : null,
          data.demerits ? figure(t("demerits"), String(data.demerits)) : null),
        open.length ? Kefu.el("h2", {}, t("open_appeals"), " ", Kefu.el("span", { class: "count" }, "(" + open.length + ")")) : null,
        open.length ? Kefu.el("div", { class: "chips" }, open.map((e) => Kefu.el("span", { class: "chip" }, "#" + e.id + " " + e.name))) : null,
        Kefu.el("h2", {}, t("entries"), " ", Kefu.el("span", { class: "count" }, "(" + data.entries.length + ")")),
        data.entries.length
          ? Kefu.el("div", { class: "month-entries" }, data.entries.map((e) => entryCard(e, t, done)))
          : Kefu.el("p", { class: "notice" }, Kefu.w("none")));
    },
  });
})();
