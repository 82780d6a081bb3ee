/* The board page [issue 18]: today's team at a glance for supervisors — on shift, on
   break, late, absent, on leave, expected — refreshed every 30 seconds. */
"use strict";

(function () {
  const Kefu = window.Kefu;
  const WORDS = {
    en: {
      title: "Today",
      updated: "updated {time}",
      working: "On shift",
      resting: "On break",
      late: "Late today",
      absent: "Absent",
      leave: "On leave",
      waiting: "Expected, not yet in",
      since: "since {time}",
      minutes: "{n} min",
      over: "over the limit",
      late_by: "{n} min late, in at {time}",
      due: "{shift} from {time}",
      due_late: "{shift} from {time} · {n} min late",
    },
    zh: {
      title: "今日",
      updated: "更新于 {time}",
      working: "在岗",
      resting: "休息中",
      late: "今日迟到",
      absent: "缺勤",
      leave: "请假",
      waiting: "应到未到",
      since: "{time} 起",
      minutes: "{n} 分钟",
      over: "已超时",
      late_by: "迟到 {n} 分钟,{time} 打卡",
      due: "{shift} {time} 开始",
      due_late: "{shift} {time} 开始 · 已迟 {n} 分钟",
    },
  };

  /** "HH:MM" (or with seconds) of an ISO moment, in the team's time zone. */
  function clock(iso, seconds) {
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: Kefu.me.timezone };
    if (seconds) options.second = "2-digit";
    return new Date(iso).toLocaleTimeString("en-GB", options);
  }

  function detail(key, item, t) {
    if (key === "working") return t("since", { time: clock(item.since) });
    if (key === "resting") {
      const text = t("minutes", { n: item.minutes });
      return item.over ? Kefu.el("span", { class: "bad" }, text + " · " + t("over")) : text;
    }
    if (key === "late") return t("late_by", { n: item.minutes, time: clock(item.since) });
    if (key === "absent" || key === "waiting") {
      const values = { shift: item.shift_name || item.shift, time: clock(item.start), n: item.minutes };
      return t(item.minutes > 0 ? "due_late" : "due", values);
    }
    return "";
  }

  function card(section, t, more) {
    const rows = section.items.map((item) => Kefu.el("li", { class: "row" },
      Kefu.el("span", {}, item.name), Kefu.el("span", { class: "hint" }, detail(section.key, item, t))));
    return Kefu.el("section", { class: "card board-part", "data-section": section.key },
      Kefu.el("h2", {}, t(section.key), " ", Kefu.el("span", { class: "count" }, "(" + section.total + ")")),
      rows.length ? Kefu.el("ul", { class: "board-names" }, rows) : Kefu.el("p", { class: "hint" }, Kefu.w("none")),
      Kefu.pager(section, (page) => more(section.key, page)));
  }

  Kefu.page({
    name: "board",
    roles: ["supervisor", "admin"],
    title: { en: WORDS.en.title, zh: WORDS.zh.title },
    async render(root) {
      const t = Kefu.words(WORDS);
      const pages = {}; // section → the page being looked at (kept across refreshes)
      const stamp = Kefu.el("p", { class: "hint board-updated" });
      const grid = Kefu.el("div", { class: "board" });

      async function more(key, page) {
        pages[key] = page;
        const data = await Kefu.api("board", { section: key, page });
        const old = grid.querySelector('[data-section="' + key + '"]');
        if (old) old.replaceWith(card(data.sections[0], t, more));
      }

      async function refresh() {
        const data = await Kefu.api("board");
        grid.replaceChildren(...data.sections.map((section) => card(section, t, more)));
        stamp.textContent = t("updated", { time: clock(data.at, true) });
        for (const [key, page] of Object.entries(pages)) if (page > 1) await more(key, page);
      }

      await refresh();
      root.replaceChildren(stamp, grid);
      Kefu.every(30, () => refresh().catch((error) => Kefu.failure(root, error)));
    },
  });
})();
