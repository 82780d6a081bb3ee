/* The payslips page [issue 18]: an agent's payslips month by month (locked months only),
   each with its total and whether it was received; tapping one shows every line with
   its explanation in the payslip's own words, the total, the KPIs behind the score.
   The address carries the month only, never an amount. Needs payroll.js (Kefu.pay). */
"use strict";

(function () {
  const Kefu = window.Kefu;

  function list(data, t) {
    if (!data.items.length) return [Kefu.el("p", { class: "notice" }, t("none"))];
    return [
      ...data.items.map((one) => Kefu.el("button", {
        class: "card payslip-month", "data-month": one.month,
        onclick: () => Kefu.go("payslips", { month: one.month }),
      },
      Kefu.el("span", { class: "row" },
        Kefu.el("b", {}, one.month), Kefu.pay.amount(one.total, "b")),
      Kefu.el("span", { class: "hint" }, one.received_at
        ? t("received_at", { at: Kefu.pay.when(one.received_at) }) : t("unconfirmed")))),
      Kefu.pager(data, (page) => Kefu.go("payslips", { page })),
    ];
  }

  function detail(slip, t) {
    return [
      Kefu.el("button", { class: "link", onclick: () => Kefu.go("payslips") }, t("back")),
      Kefu.el("h2", {}, t("title", { month: slip.month })),
      Kefu.el("p", { class: "hint" }, slip.headline),
      slip.employed ? Kefu.el("p", { class: "hint" }, slip.employed) : null,
      Kefu.el("div", { class: "card" },
        Kefu.pay.lines(slip, t),
        Kefu.el("div", { class: "row total" },
          Kefu.el("b", {}, t("total")), Kefu.pay.amount(slip.total, "b"))),
      Kefu.el("p", { class: slip.received_at ? "good" : "warn" }, slip.received_at
        ? t("received_at", { at: Kefu.pay.when(slip.received_at) }) : t("unconfirmed_long")),
      Kefu.el("details", { class: "card" }, Kefu.el("summary", {}, t("kpis")),
        Kefu.el("ul", { class: "paylines" }, slip.kpis.map((line) => Kefu.el("li", {}, line))),
        Kefu.el("p", {}, slip.kpi_sum)),
      Kefu.el("p", { class: "hint" }, slip.rounding, " ", t("policy", { version: slip.policy_version })),
    ];
  }

  Kefu.page({
    name: "payslips",
    roles: ["agent"],
    title: { en: "Payslips", zh: "工资条" },
    async render(root, params) {
      const t = Kefu.words(Kefu.pay.words);
      if (params.month) {
        const slip = await Kefu.api("payslip", { month: params.month });
        root.replaceChildren(...detail(slip, t).filter(Boolean));
        return;
      }
      root.replaceChildren(...list(await Kefu.api("payslips", { page: params.page }), t));
    },
  });
})();
