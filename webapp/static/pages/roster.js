/* My roster [issue 18]: the month's plan day by day (shift and hours, rest, holiday,
   leave), as /roster reads it; next month once it is published. */
"use strict";

(function () {
  const Kefu = window.Kefu;
  const t = () => Kefu.words({
    en: {
      rest: "Rest", holiday: "Public holiday", leave: "On leave", draft: "Draft, not published yet",
      hidden: "This month's roster is not published yet.", this_month: "This month", next_month: "Next month",
      workday: "adjusted working day", today: "today", days: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    },
    zh: {
      rest: "休息", holiday: "法定假日", leave: "请假", draft: "草稿,尚未发布",
      hidden: "本月排班尚未发布。", this_month: "本月", next_month: "下月",
      workday: "调休上班", today: "今天", days: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    },
  });

  function nextMonth(month) {
    const [year, number] = month.split("-").map(Number);
    return number === 12 ? (year + 1) + "-01" : year + "-" + String(number + 1).padStart(2, "0");
  }

  function what(w, day) {
    if (day.kind === "shift") return day.shift_name + " " + day.start + "–" + day.end;
    return w(day.kind);
  }

  Kefu.page({
    name: "roster",
    roles: ["agent"],
    title: { en: "My roster", zh: "我的排班" },
    async render(root, params) {
      const w = t();
      const month = params.month || Kefu.me.month;
      const switcher = Kefu.el("div", { class: "filters" },
        Kefu.el("button", { class: "link", onclick: () => Kefu.go("roster", {}) }, w("this_month")),
        Kefu.el("button", { class: "link", onclick: () => Kefu.go("roster", { month: nextMonth(Kefu.me.month) }) }, w("next_month")));
      const data = await Kefu.api("roster", { month });
      root.replaceChildren(switcher, Kefu.el("h2", {}, data.month));
      if (!data.published) {
        root.append(Kefu.el("p", { class: "notice" }, w("hidden")));
        return;
      }
      if (data.draft) root.append(Kefu.el("p", { class: "hint" }, w("draft")));
      if (!data.days.length) {
        root.append(Kefu.el("p", { class: "notice" }, Kefu.w("none")));
        return;
      }
      root.append(Kefu.el("ol", { class: "roster-days" }, data.days.map((day) =>
        Kefu.el("li", { class: "roster-day " + day.kind + (day.day === data.today ? " today" : ""), "data-day": day.day },
          Kefu.el("span", { class: "date" }, day.day.slice(8) + " " + w("days")[day.weekday]),
          Kefu.el("span", { class: "what" }, what(w, day)),
          day.workday ? Kefu.el("span", { class: "tag" }, w("workday")) : null,
          day.day === data.today ? Kefu.el("span", { class: "tag" }, w("today")) : null))));
    },
  });
})();
