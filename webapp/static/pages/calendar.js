/* The attendance calendar [issue 18]: an agent's month as a heatmap (server-rendered SVG,
   a square per day), its legend with each kind's count, and the days worth noting.
   Supervisors pick the agent and the month; an agent sees their own. */
"use strict";

(function () {
  const Kefu = window.Kefu;
  const t = () => Kefu.words({
    en: { pick: "Pick an agent", show: "Show", late: "{minutes} min late", early: "left early", notable: "Days to note" },
    zh: { pick: "选择客服", show: "查看", late: "迟到 {minutes} 分钟", early: "早退", notable: "需留意的日子" },
  });
  const NOTABLE = ["late", "early", "absent", "missed", "leave"];

  function month(w, data) {
    const labels = Object.fromEntries(data.legend.map((item) => [item.kind, item.label]));
    const legend = Kefu.el("div", { class: "chips legend" }, data.legend.filter((i) => i.count).map((i) =>
      Kefu.el("span", { class: "chip", "data-kind": i.kind },
        Kefu.el("i", { class: "swatch " + i.kind }), i.label + " " + i.count)));
    const notable = data.days.filter((d) => NOTABLE.includes(d.kind)).map((d) => ({
      day: d.day,
      what: labels[d.kind] + (d.kind === "late" ? " · " + w("late", { minutes: d.late_minutes }) : "")
        + (d.early && d.kind !== "early" ? " · " + w("early") : ""),
    }));
    return [
      Kefu.el("h2", {}, data.agent.name + " · " + data.month),
      Kefu.el("div", { class: "card calendar" }, Kefu.svg(data.svg), legend),
      notable.length ? Kefu.el("h2", {}, w("notable")) : null,
      notable.length ? Kefu.table([
        { title: Kefu.w("month"), value: (r) => r.day },
        { title: "", value: (r) => r.what },
      ], notable) : null,
    ];
  }

  Kefu.page({
    name: "calendar",
    roles: ["agent", "supervisor", "admin"],
    title: { en: "Calendar", zh: "考勤日历" },
    async render(root, params) {
      const monthInput = Kefu.el("input", { type: "month", id: "cal-month", value: params.month || Kefu.me.month, max: Kefu.me.month });
      const w = t(), team = Kefu.me.role !== "agent";
      const controls = [monthInput];
      let select = null;
      if (team) {
        select = await Kefu.agentPicker("cal-agent", params.agent, w("pick"));
        controls.unshift(select);
      }
      const go = () => Kefu.go("calendar", { agent: select ? select.value : null, month: monthInput.value });
      controls.push(Kefu.el("button", { class: "action", onclick: go }, w("show")));
      root.replaceChildren(Kefu.el("div", { class: "filters" }, controls));
      if (team && !params.agent) return;
      const data = await Kefu.api("calendar", { agent: team ? params.agent : null, month: params.month });
      root.append(...month(w, data).filter(Boolean));
    },
  });
})();
