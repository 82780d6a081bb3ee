/* The KPIs page [issue 18]: an agent's KPIs over the last six months, each a chart against
   its bands (server-rendered SVG), the month score per month; supervisors pick the agent
   and see the team's distribution for a month below. */
"use strict";

(function () {
  const Kefu = window.Kefu;
  const t = () => Kefu.words({
    en: {
      title: "KPIs", pick: "Pick an agent", scores: "Month score", grade: "grade",
      locked: "locked", live: "not locked", no_data: "no data", weight: "weight {weight}%",
      distribution: "The team's distribution", agents: "{count} agents", show: "Show",
      value: "value", points: "points", none: "No KPIs yet.",
    },
    zh: {
      title: "KPI", pick: "选择客服", scores: "月度得分", grade: "等级",
      locked: "已锁定", live: "未锁定", no_data: "无数据", weight: "权重 {weight}%",
      distribution: "团队得分分布", agents: "共 {count} 人", show: "查看",
      value: "数值", points: "得分", none: "暂无 KPI。",
    },
  });

  /** A select of every agent (the endpoint's pages, one after another), `selected`
      chosen; the calendar page uses it too. */
  Kefu.agentPicker = async function (id, selected, prompt) {
    const found = [];
    for (let page = 1; ; page += 1) {
      const data = await Kefu.api("agents", { page });
      found.push(...data.items);
      if (page >= data.pages) break;
    }
    return Kefu.el("select", { id, "aria-label": Kefu.w("agent") },
      Kefu.el("option", { value: "" }, prompt),
      found.map((a) => Kefu.el("option", { value: a.id, selected: String(a.id) === selected }, a.name)));
  };

  /** A value as its unit shows it: percent ×100 (exact: decimal text shifted, no floats). */
  function shown(value, unit) {
    if (value === null || value === undefined) return "—";
    if (unit === "percent") {
      const [whole, fraction = ""] = String(value).split(".");
      const digits = (fraction + "00").slice(0, 2);
      const rest = fraction.slice(2).replace(/0+$/, "");
      const number = (whole + digits).replace(/^(-?)0+(?=\d)/, "$1");
      return number + (rest ? "." + rest : "") + "%";
    }
    const trimmed = String(value).includes(".") ? String(value).replace(/\.?0+$/, "") : String(value);
    if (unit === "yuan") return Kefu.money(trimmed);
    return trimmed + ({ seconds: " s", hours: " h", days: " d" }[unit] || "");
  }

  function kpiCard(w, kpi, months) {
    const rows = kpi.values.map((v) => ({ month: v.month, value: shown(v.value, kpi.unit), points: v.points }));
    const weight = String(Number(kpi.weight) * 100).replace(/\.0+$/, "");
    return Kefu.el("section", { class: "card kpi", "data-measure": kpi.measure },
      Kefu.el("div", { class: "row" },
        Kefu.el("strong", {}, kpi.name),
        Kefu.el("span", { class: "hint" }, w("weight", { weight }))),
      Kefu.svg(kpi.svg),
      Kefu.table([
        { title: Kefu.w("month"), value: (r) => r.month },
        { title: w("value"), value: (r) => r.value, num: true },
        { title: w("points"), value: (r) => (r.points === null || r.points === undefined ? "—" : String(r.points)), num: true },
      ], rows.filter((r) => r.value !== "—")));
  }

  function scoresCard(w, scores) {
    const rows = scores.items.filter((r) => r.score !== undefined);
    return Kefu.el("section", { class: "card scores" },
      Kefu.el("strong", {}, w("scores")),
      Kefu.svg(scores.svg),
      Kefu.table([
        { title: Kefu.w("month"), value: (r) => r.month },
        { title: w("scores"), value: (r) => r.score, num: true },
        { title: w("grade"), value: (r) => r.grade },
        { title: "", value: (r) => Kefu.el("span", { class: "tag" }, r.locked ? w("locked") : w("live")) },
      ], rows));
  }

  async function distribution(w, box, month) {
    const data = await Kefu.api("distribution", { month });
    box.replaceChildren(
      Kefu.el("p", { class: "hint" }, data.month + " · " + w("agents", { count: data.agents })
        + (data.locked ? " · " + w("locked") : "")),
      Kefu.svg(data.svg),
      Kefu.el("div", { class: "chips" }, data.brackets.map((b) =>
        Kefu.el("span", { class: "chip", "data-grade": b.grade }, b.label + ": " + b.count))));
  }

  async function teamPart(w, root, params) {
    const select = await Kefu.agentPicker("kpi-agent", params.agent, w("pick"));
    select.addEventListener("change", () => Kefu.go("kpis", { agent: select.value, month: params.month }));
    const month = Kefu.el("input", { type: "month", id: "dist-month", value: params.month || Kefu.me.month, max: Kefu.me.month });
    const box = Kefu.el("div", { id: "distribution" });
    const show = Kefu.el("button", { class: "action", onclick: () => distribution(w, box, month.value).catch((e) => Kefu.failure(box, e)) }, w("show"));
    root.append(Kefu.el("div", { class: "filters" }, select));
    return [Kefu.el("h2", {}, w("distribution")), Kefu.el("div", { class: "filters" }, month, show), box,
      () => distribution(w, box, month.value)];
  }

  Kefu.page({
    name: "kpis",
    roles: ["agent", "supervisor", "admin"],
    title: { en: "KPIs", zh: "KPI" },
    async render(root, params) {
      const w = t();
      const team = Kefu.me.role !== "agent";
      root.replaceChildren();
      const below = team ? await teamPart(w, root, params) : null;
      const charts = Kefu.el("div", { id: "kpi-charts" });
      root.append(charts);
      if (!team || params.agent) {
        const data = await Kefu.api("kpis", { agent: team ? params.agent : null });
        charts.append(Kefu.el("h2", {}, data.agent.name));
        charts.append(scoresCard(w, data.scores));
        if (!data.kpis.length) charts.append(Kefu.el("p", { class: "notice" }, w("none")));
        for (const kpi of data.kpis) charts.append(kpiCard(w, kpi, data.months));
      }
      if (below) {
        const load = below.pop();
        root.append(...below);
        await load();
      }
    },
  });
})();
